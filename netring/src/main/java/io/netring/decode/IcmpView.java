package io.netring.decode;

/**
 * The ICMP (IPv4) header of the decoded frame: type, code, and the four bytes after the
 * checksum (identifier and sequence for echo messages).
 */
public final class IcmpView extends TransportLayerView {
    public static final int ECHO_REPLY = 0;
    public static final int DESTINATION_UNREACHABLE = 3;
    public static final int ECHO_REQUEST = 8;
    public static final int TIME_EXCEEDED = 11;

    IcmpView(PacketDecoder d) {
        super(d, Layer.ICMP);
    }

    public int type() { return field8(0); }

    public int code() { return field8(1); }

    public int checksum() { return field16(2); }

    /** Echo identifier (bytes 4-5). */
    public int identifier() { return field16(4); }

    /** Echo sequence number (bytes 6-7). */
    public int sequence() { return field16(6); }

    /** Bytes 4-7 as one number (e.g. the next-hop MTU of "fragmentation needed" in the low 16 bits). */
    public int restOfHeader() { return field32(4); }

    /** True for error messages that quote the offending datagram (unreachable, source quench, redirect, time exceeded, parameter problem). */
    public boolean isError() {
        int t = type();
        return t == 3 || t == 4 || t == 5 || t == 11 || t == 12;
    }
}
