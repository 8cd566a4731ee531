package io.netring.decode;

/**
 * The IPv6 header of the decoded frame and the extension headers the decoder walked:
 * hop-by-hop, routing, destination options and fragment (the first of each is kept).
 * {@link PacketDecoder#ipProtocol()} is the upper-layer protocol after them.
 */
public final class Ipv6View {
    private final PacketDecoder d;

    Ipv6View(PacketDecoder d) {
        this.d = d;
    }

    private int at(int field) {
        d.require(Layer.IPV6);
        return d.l3Offset + field;
    }

    public int trafficClass() {
        return (d.get16(at(0)) >>> 4) & 0xFF;
    }

    public int flowLabel() {
        return d.get32(at(0)) & 0xFFFFF;
    }

    public int payloadLength() {
        return d.get16(at(4));
    }

    /** The fixed header's next-header field (the first extension header, if any). */
    public int nextHeader() {
        return d.get8(at(6));
    }

    public int hopLimit() {
        return d.get8(at(7));
    }

    /** High 64 bits of the source address. */
    public long sourceHigh() {
        return d.get64(at(8));
    }

    public long sourceLow() {
        return d.get64(at(16));
    }

    public long destinationHigh() {
        return d.get64(at(24));
    }

    public long destinationLow() {
        return d.get64(at(32));
    }

    public boolean hasHopByHop() {
        at(0);
        return d.ipv6HopByHop >= 0;
    }

    public boolean hasRouting() {
        at(0);
        return d.ipv6Routing >= 0;
    }

    public boolean hasDestinationOptions() {
        at(0);
        return d.ipv6DestOptions >= 0;
    }

    public boolean hasFragment() {
        at(0);
        return d.ipv6Fragment >= 0;
    }

    /** Offset in the frame of the hop-by-hop header, or -1. */
    public int hopByHopOffset() {
        at(0);
        return d.ipv6HopByHop;
    }

    /** Offset in the frame of the first routing header, or -1. */
    public int routingOffset() {
        at(0);
        return d.ipv6Routing;
    }

    /** Offset in the frame of the first destination-options header, or -1. */
    public int destinationOptionsOffset() {
        at(0);
        return d.ipv6DestOptions;
    }

    /** Offset in the frame of the fragment header, or -1. */
    public int fragmentHeaderOffset() {
        at(0);
        return d.ipv6Fragment;
    }

    /** Fragment offset in bytes, from the fragment header. */
    public int fragmentOffset() {
        return d.get16(fragment() + 2) & 0xFFF8;
    }

    public boolean moreFragments() {
        return (d.get16(fragment() + 2) & 1) != 0;
    }

    public long fragmentIdentification() {
        return Integer.toUnsignedLong(d.get32(fragment() + 4));
    }

    private int fragment() {
        if (!hasFragment()) {
            throw new IllegalStateException("no IPv6 fragment header in this packet");
        }
        return d.ipv6Fragment;
    }

    public StringBuilder appendSource(StringBuilder sb) {
        return AddressText.appendIpv6(sb, sourceHigh(), sourceLow());
    }

    public StringBuilder appendDestination(StringBuilder sb) {
        return AddressText.appendIpv6(sb, destinationHigh(), destinationLow());
    }
}
