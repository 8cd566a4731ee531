package io.netring.decode;

/**
 * The ICMPv6 header of the decoded frame: type, code, and the four bytes after the checksum
 * (identifier and sequence of echo messages); the neighbour discovery target follows them.
 */
public final class Icmpv6View extends IcmpHeaderView {
    public static final int DESTINATION_UNREACHABLE = 1;
    public static final int PACKET_TOO_BIG = 2;
    public static final int TIME_EXCEEDED = 3;
    public static final int PARAMETER_PROBLEM = 4;
    public static final int ECHO_REQUEST = 128;
    public static final int ECHO_REPLY = 129;
    public static final int ROUTER_SOLICITATION = 133;
    public static final int ROUTER_ADVERTISEMENT = 134;
    public static final int NEIGHBOR_SOLICITATION = 135;
    public static final int NEIGHBOR_ADVERTISEMENT = 136;

    Icmpv6View(PacketDecoder d) {
        super(d, Layer.ICMPV6);
    }

    /** True when the 16-byte target address of a neighbour solicitation or advertisement was captured. */
    public boolean hasTarget() {
        int o = at(8);
        int t = type();
        return (t == NEIGHBOR_SOLICITATION || t == NEIGHBOR_ADVERTISEMENT) && d.l3End >= o + 16;
    }

    public long targetHigh() { return d.get64(target()); }

    public long targetLow() { return d.get64(target() + 8); }

    private int target() {
        if (!hasTarget()) {
            throw new IllegalStateException("no neighbour discovery target in this ICMPv6 message");
        }
        return at(8);
    }

    /** True for error messages (types below 128) that quote the offending packet. */
    public boolean isError() { return type() < 128; }
}
