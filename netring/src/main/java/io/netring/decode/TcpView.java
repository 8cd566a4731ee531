package io.netring.decode;

/**
 * The TCP header of the decoded frame: ports, numbers, flags, and the options MSS, window
 * scale, SACK permitted and timestamps (each read from the captured option bytes; an option
 * that is absent or cut short reads as -1 or false).
 */
public final class TcpView extends TransportLayerView {
    /** FIN flag bit of {@link #flags()}: the sender has no more data. */
    public static final int FIN = 0x01;
    /** SYN flag bit of {@link #flags()}: synchronize sequence numbers (connection open). */
    public static final int SYN = 0x02;
    /** RST flag bit of {@link #flags()}: reset the connection. */
    public static final int RST = 0x04;
    /** PSH flag bit of {@link #flags()}: push the data to the application. */
    public static final int PSH = 0x08;
    /** ACK flag bit of {@link #flags()}: {@link #acknowledgment()} is significant. */
    public static final int ACK = 0x10;
    /** URG flag bit of {@link #flags()}: {@link #urgentPointer()} is significant. */
    public static final int URG = 0x20;
    /** ECE flag bit of {@link #flags()}: ECN echo (RFC 3168). */
    public static final int ECE = 0x40;
    /** CWR flag bit of {@link #flags()}: congestion window reduced (RFC 3168). */
    public static final int CWR = 0x80;

    private static final int KIND_MSS = 2;
    private static final int KIND_WSCALE = 3;
    private static final int KIND_SACK_PERMITTED = 4;
    private static final int KIND_TIMESTAMPS = 8;

    TcpView(PacketDecoder d) {
        super(d, Layer.TCP);
    }

    /** Source port, 0 to 65535. */
    public int sourcePort() { return field16(0); }

    /** Destination port, 0 to 65535. */
    public int destinationPort() { return field16(2); }

    /** Sequence number as sent (absolute, not relative to the connection), 0 to 2<sup>32</sup>-1. */
    public long sequence() { return Integer.toUnsignedLong(field32(4)); }

    /** Acknowledgment number as sent, 0 to 2<sup>32</sup>-1; meaningful only when {@link #ack()}. */
    public long acknowledgment() { return Integer.toUnsignedLong(field32(8)); }

    /** Header length in bytes (data offset times 4). */
    public int headerLength() { return (field8(12) >> 4) * 4; }

    /** The 12 flag bits as tshark's {@code tcp.flags}: NS, CWR, ECE, URG, ACK, PSH, RST, SYN, FIN. */
    public int flags() { return field16(12) & 0x0FFF; }

    /** Whether the {@link #SYN} flag is set. */
    public boolean syn() { return (flags() & SYN) != 0; }

    /** Whether the {@link #ACK} flag is set. */
    public boolean ack() { return (flags() & ACK) != 0; }

    /** Whether the {@link #FIN} flag is set. */
    public boolean fin() { return (flags() & FIN) != 0; }

    /** Whether the {@link #RST} flag is set. */
    public boolean rst() { return (flags() & RST) != 0; }

    /** Window field as sent, 0 to 65535, not multiplied by the connection's window scale. */
    public int window() { return field16(14); }

    /** Checksum field as sent (not verified). */
    public int checksum() { return field16(16); }

    /** Urgent pointer field, 0 to 65535; meaningful only with {@link #URG}. */
    public int urgentPointer() { return field16(18); }

    /** Offset in the frame of the first option byte. */
    public int optionsOffset() { return at(20); }

    /** Captured option bytes (header length minus 20, cut at the captured end). */
    public int optionsLength() { return Math.max(0, d.payloadOffset - at(20)); }

    /** The maximum segment size option, or -1. */
    public int mss() {
        int o = option(KIND_MSS, 4);
        return o < 0 ? -1 : d.get16(o + 2);
    }

    /** The window scale shift count, or -1. */
    public int windowScale() {
        int o = option(KIND_WSCALE, 3);
        return o < 0 ? -1 : d.get8(o + 2);
    }

    /** Whether the captured options include SACK permitted (kind 4). */
    public boolean sackPermitted() { return option(KIND_SACK_PERMITTED, 2) >= 0; }

    /** Whether the captured options include a whole timestamps option (kind 8, 10 bytes). */
    public boolean hasTimestamps() { return option(KIND_TIMESTAMPS, 10) >= 0; }

    /** TSval of the timestamps option, or -1. */
    public long timestampValue() {
        int o = option(KIND_TIMESTAMPS, 10);
        return o < 0 ? -1 : Integer.toUnsignedLong(d.get32(o + 2));
    }

    /** TSecr of the timestamps option, or -1. */
    public long timestampEcho() {
        int o = option(KIND_TIMESTAMPS, 10);
        return o < 0 ? -1 : Integer.toUnsignedLong(d.get32(o + 6));
    }

    /** Offset of the first option of {@code kind} whose length is {@code size}, or -1. */
    private int option(int kind, int size) {
        int o = optionsOffset();
        int end = d.payloadOffset;
        while (o < end) {
            int k = d.get8(o);
            if (k == 0) {
                return -1;
            }
            if (k == 1) {
                o++;
                continue;
            }
            if (o + 1 >= end) {
                return -1;
            }
            int len = d.get8(o + 1);
            if (len < 2 || o + len > end) {
                return -1;
            }
            if (k == kind) {
                return len == size ? o : -1;
            }
            o += len;
        }
        return -1;
    }
}
