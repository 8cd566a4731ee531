package io.netring.decode;

/**
 * The ICMP (IPv4) header of the decoded frame: type, code, and the four bytes after the
 * checksum (identifier and sequence for echo messages).
 */
public final class IcmpView {
    public static final int ECHO_REPLY = 0;
    public static final int DESTINATION_UNREACHABLE = 3;
    public static final int ECHO_REQUEST = 8;
    public static final int TIME_EXCEEDED = 11;

    private final PacketDecoder d;

    IcmpView(PacketDecoder d) {
        this.d = d;
    }

    private int at(int field) {
        d.require(Layer.ICMP);
        return d.l4Offset + field;
    }

    public int type() {
        return d.get8(at(0));
    }

    public int code() {
        return d.get8(at(1));
    }

    public int checksum() {
        return d.get16(at(2));
    }

    /** Echo identifier (bytes 4-5). */
    public int identifier() {
        return d.get16(at(4));
    }

    /** Echo sequence number (bytes 6-7). */
    public int sequence() {
        return d.get16(at(6));
    }

    /** Bytes 4-7 as one number (e.g. the next-hop MTU of "fragmentation needed" in the low 16 bits). */
    public int restOfHeader() {
        return d.get32(at(4));
    }

    /** True for error messages that quote the offending datagram (unreachable, source quench, redirect, time exceeded, parameter problem). */
    public boolean isError() {
        int t = type();
        return t == 3 || t == 4 || t == 5 || t == 11 || t == 12;
    }
}
