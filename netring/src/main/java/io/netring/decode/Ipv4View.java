package io.netring.decode;

/**
 * The IPv4 header of the decoded frame, options included. On a fragment other than the first,
 * {@link PacketDecoder} decodes no transport header ({@link #fragmentOffset()} is not 0).
 */
public final class Ipv4View {
    private final PacketDecoder d;

    Ipv4View(PacketDecoder d) {
        this.d = d;
    }

    private int at(int field) {
        d.require(Layer.IPV4);
        return d.l3Offset + field;
    }

    /** Header length in bytes (20 without options). */
    public int headerLength() {
        return (d.get8(at(0)) & 0x0F) * 4;
    }

    /** The type-of-service byte (DSCP and ECN). */
    public int tos() {
        return d.get8(at(1));
    }

    public int totalLength() {
        return d.get16(at(2));
    }

    public int identification() {
        return d.get16(at(4));
    }

    /** The 3 flag bits: 0x4 reserved, 0x2 don't fragment, 0x1 more fragments. */
    public int flags() {
        return d.get16(at(6)) >>> 13;
    }

    public boolean dontFragment() {
        return (flags() & 0x2) != 0;
    }

    public boolean moreFragments() {
        return (flags() & 0x1) != 0;
    }

    /** Fragment offset in bytes (the header field times 8). */
    public int fragmentOffset() {
        return (d.get16(at(6)) & 0x1FFF) * 8;
    }

    /** True for any fragment: more fragments follow or the offset is not 0. */
    public boolean isFragment() {
        return (d.get16(at(6)) & 0x3FFF) != 0;
    }

    public int ttl() {
        return d.get8(at(8));
    }

    public int protocol() {
        return d.get8(at(9));
    }

    public int checksum() {
        return d.get16(at(10));
    }

    public int source() {
        return d.get32(at(12));
    }

    public int destination() {
        return d.get32(at(16));
    }

    /** Bytes of options after the fixed 20-byte header, as many as were captured. */
    public int optionsLength() {
        int start = at(20);
        return Math.max(0, Math.min(d.l3Offset + headerLength(), d.length) - start);
    }

    /** Offset in the frame of the first option byte. */
    public int optionsOffset() {
        return at(20);
    }

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

    public StringBuilder appendSource(StringBuilder sb) {
        return AddressText.appendIpv4(sb, source());
    }

    public StringBuilder appendDestination(StringBuilder sb) {
        return AddressText.appendIpv4(sb, destination());
    }
}
