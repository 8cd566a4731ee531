package io.netring.decode;

/**
 * The IPv4 header of the decoded frame, options included. On a fragment other than the first,
 * {@link PacketDecoder} decodes no transport header ({@link #fragmentOffset()} is not 0).
 */
public final class Ipv4View extends NetworkLayerView {
    Ipv4View(PacketDecoder d) {
        super(d, Layer.IPV4);
    }

    /** Header length in bytes (20 without options). */
    public int headerLength() { return (field8(0) & 0x0F) * 4; }

    /** The type-of-service byte (DSCP and ECN). */
    public int tos() { return field8(1); }

    /**
     * Total length field in bytes: header and payload, as the sender wrote it (not cut by the snap
     * length).
     */
    public int totalLength() { return field16(2); }

    /** Identification field, 0 to 65535 (the same for all fragments of a datagram). */
    public int identification() { return field16(4); }

    /** The 3 flag bits: 0x4 reserved, 0x2 don't fragment, 0x1 more fragments. */
    public int flags() { return field16(6) >>> 13; }

    /** The DF flag: the datagram may not be fragmented. */
    public boolean dontFragment() { return (flags() & 0x2) != 0; }

    /** The MF flag: more fragments of this datagram follow. */
    public boolean moreFragments() { return (flags() & 0x1) != 0; }

    /** Fragment offset in bytes (the header field times 8). */
    public int fragmentOffset() { return (field16(6) & 0x1FFF) * 8; }

    /** True for any fragment: more fragments follow or the offset is not 0. */
    public boolean isFragment() { return (field16(6) & 0x3FFF) != 0; }

    /** Time to live, 0 to 255. */
    public int ttl() { return field8(8); }

    /** Protocol field (6 TCP, 17 UDP, 1 ICMP …), 0 to 255. */
    public int protocol() { return field8(9); }

    /** Header checksum field as sent (not verified). */
    public int checksum() { return field16(10); }

    /**
     * Source address as a big-endian int (10.0.0.1 is {@code 0x0A000001}); {@link
     * Integer#toUnsignedLong} for a non-negative value.
     */
    public int source() { return field32(12); }

    /** Destination address as a big-endian int, like {@link #source()}. */
    public int destination() { return field32(16); }

    /** Bytes of options after the fixed 20-byte header, as many as were captured. */
    public int optionsLength() {
        int start = at(20);
        return Math.max(0, Math.min(d.l3Offset + headerLength(), d.length) - start);
    }

    /** Offset in the frame of the first option byte. */
    public int optionsOffset() { return at(20); }

    /** True when an option of {@code type} (e.g. 148 router alert) is among the captured options. */
    public boolean hasOption(int type) {
        int o = optionsOffset();
        int end = o + optionsLength();
        while (o < end) {
            int t = d.get8(o);
            if (t == type) {
                return true;
            }
            if (t == 0) {
                return false;
            }
            if (t == 1) {
                o++;
                continue;
            }
            if (o + 1 >= end || d.get8(o + 1) < 2) {
                return false;
            }
            o += d.get8(o + 1);
        }
        return false;
    }

    /** Appends the source address in dotted-quad text to {@code sb} and returns {@code sb}. */
    public StringBuilder appendSource(StringBuilder sb) {
        return AddressText.appendIpv4(sb, source());
    }

    /** Appends the destination address in dotted-quad text to {@code sb} and returns {@code sb}. */
    public StringBuilder appendDestination(StringBuilder sb) {
        return AddressText.appendIpv4(sb, destination());
    }
}
