package io.netring.decode;

/**
 * The ICMP (IPv4) header of the decoded frame: type, code, and the four bytes after the
 * checksum (identifier and sequence for echo messages).
 */
public final class IcmpView extends IcmpHeaderView {
    /** Type 0, echo reply. */
    public static final int ECHO_REPLY = 0;
    /** Type 3, destination unreachable (an error that quotes the datagram). */
    public static final int DESTINATION_UNREACHABLE = 3;
    /** Type 8, echo request. */
    public static final int ECHO_REQUEST = 8;
    /** Type 11, time exceeded (an error that quotes the datagram). */
    public static final int TIME_EXCEEDED = 11;

    IcmpView(PacketDecoder d) {
        super(d, Layer.ICMP);
    }

    /** True for error messages that quote the offending datagram (unreachable, source quench, redirect, time exceeded, parameter problem). */
    public boolean isError() {
        int t = type();
        return t == 3 || t == 4 || t == 5 || t == 11 || t == 12;
    }
}
