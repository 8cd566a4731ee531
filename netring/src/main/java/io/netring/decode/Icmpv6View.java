package io.netring.decode;

/**
 * The ICMPv6 header of the decoded frame: type, code, and the four bytes after the checksum
 * (identifier and sequence of echo messages); the neighbour discovery target follows them.
 */
public final class Icmpv6View extends IcmpHeaderView {
    /** Type 1, destination unreachable (an error). */
    public static final int DESTINATION_UNREACHABLE = 1;
    /** Type 2, packet too big (an error; carries the MTU). */
    public static final int PACKET_TOO_BIG = 2;
    /** Type 3, time exceeded (an error). */
    public static final int TIME_EXCEEDED = 3;
    /** Type 4, parameter problem (an error). */
    public static final int PARAMETER_PROBLEM = 4;
    /** Type 128, echo request. */
    public static final int ECHO_REQUEST = 128;
    /** Type 129, echo reply. */
    public static final int ECHO_REPLY = 129;
    /** Type 133, router solicitation (neighbour discovery). */
    public static final int ROUTER_SOLICITATION = 133;
    /** Type 134, router advertisement (neighbour discovery). */
    public static final int ROUTER_ADVERTISEMENT = 134;
    /** Type 135, neighbour solicitation; carries a target address. */
    public static final int NEIGHBOR_SOLICITATION = 135;
    /** Type 136, neighbour advertisement; carries a target address. */
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

    /**
     * High 64 bits of the neighbour discovery target address. Throws {@link IllegalStateException}
     * unless {@link #hasTarget()}.
     */
    public long targetHigh() { return d.get64(target()); }

    /**
     * Low 64 bits of the neighbour discovery target address. Throws {@link IllegalStateException}
     * unless {@link #hasTarget()}.
     */
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
