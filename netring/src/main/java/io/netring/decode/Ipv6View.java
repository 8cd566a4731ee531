package io.netring.decode;

/**
 * The IPv6 header of the decoded frame and the extension headers the decoder walked:
 * hop-by-hop, routing, destination options and fragment (the first of each is kept).
 * {@link PacketDecoder#ipProtocol()} is the upper-layer protocol after them.
 */
public final class Ipv6View extends NetworkLayerView {
    Ipv6View(PacketDecoder d) {
        super(d, Layer.IPV6);
    }

    /** Traffic class (DSCP and ECN bits), 0 to 255. */
    public int trafficClass() { return (field16(0) >>> 4) & 0xFF; }

    /** Flow label, 20 bits. */
    public int flowLabel() { return field32(0) & 0xFFFFF; }

    /**
     * Payload length field in bytes: everything after the 40-byte fixed header, as the sender wrote
     * it.
     */
    public int payloadLength() { return field16(4); }

    /** The fixed header's next-header field (the first extension header, if any). */
    public int nextHeader() { return field8(6); }

    /** Hop limit, 0 to 255. */
    public int hopLimit() { return field8(7); }

    /** High 64 bits of the source address. */
    public long sourceHigh() { return field64(8); }

    /** Low 64 bits of the source address. */
    public long sourceLow() { return field64(16); }

    /** High 64 bits of the destination address. */
    public long destinationHigh() { return field64(24); }

    /** Low 64 bits of the destination address. */
    public long destinationLow() { return field64(32); }

    /** Whether the decoder walked a hop-by-hop options header. */
    public boolean hasHopByHop() { return hopByHopOffset() >= 0; }

    /** Whether the decoder walked a routing header. */
    public boolean hasRouting() { return routingOffset() >= 0; }

    /** Whether the decoder walked a destination options header. */
    public boolean hasDestinationOptions() { return destinationOptionsOffset() >= 0; }

    /** Whether the decoder walked a fragment header; the fragment accessors need one. */
    public boolean hasFragment() { return fragmentHeaderOffset() >= 0; }

    /** Offset in the frame of the hop-by-hop header, or -1. */
    public int hopByHopOffset() { return walked(d.ipv6HopByHop); }

    /** Offset in the frame of the first routing header, or -1. */
    public int routingOffset() { return walked(d.ipv6Routing); }

    /** Offset in the frame of the first destination-options header, or -1. */
    public int destinationOptionsOffset() { return walked(d.ipv6DestOptions); }

    /** Offset in the frame of the fragment header, or -1. */
    public int fragmentHeaderOffset() { return walked(d.ipv6Fragment); }

    /** {@code offset}, an extension header's offset the decoder recorded, once IPv6 is known present. */
    private int walked(int offset) {
        at(0);
        return offset;
    }

    /** Fragment offset in bytes, from the fragment header. */
    public int fragmentOffset() { return d.get16(fragment() + 2) & 0xFFF8; }

    /**
     * The fragment header's M flag: more fragments follow. Throws {@link IllegalStateException}
     * without a fragment header.
     */
    public boolean moreFragments() { return (d.get16(fragment() + 2) & 1) != 0; }

    /**
     * The fragment header's 32-bit identification, unsigned. Throws {@link IllegalStateException}
     * without a fragment header.
     */
    public long fragmentIdentification() { return Integer.toUnsignedLong(d.get32(fragment() + 4)); }

    private int fragment() {
        if (!hasFragment()) {
            throw new IllegalStateException("no IPv6 fragment header in this packet");
        }
        return d.ipv6Fragment;
    }

    /**
     * Appends the source address in RFC 5952 text (as tcpdump prints it) to {@code sb} and returns
     * {@code sb}.
     */
    public StringBuilder appendSource(StringBuilder sb) {
        return AddressText.appendIpv6(sb, sourceHigh(), sourceLow());
    }

    /** Appends the destination address in RFC 5952 text to {@code sb} and returns {@code sb}. */
    public StringBuilder appendDestination(StringBuilder sb) {
        return AddressText.appendIpv6(sb, destinationHigh(), destinationLow());
    }
}
