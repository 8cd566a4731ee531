package io.netring.testing;

import java.nio.ByteBuffer;

/**
 * Builds Ethernet/IPv4/UDP frames (valid header checksum, UDP checksum 0) for filter and
 * fanout tests. Source 10.0.0.1, destination 10.0.0.2, broadcast MAC; the payload starts with a
 * 4-byte big-endian sequence number.
 */
public final class UdpFrames {
    private UdpFrames() {}

    public static final int ETH_HLEN = 14;
    public static final int IP_HLEN = 20;
    public static final int UDP_HLEN = 8;
    /** Offset of the sequence number in a frame. */
    public static final int SEQ_OFFSET = ETH_HLEN + IP_HLEN + UDP_HLEN;

    /** A frame of {@code size} bytes (at least 46) from {@code srcPort} to {@code dstPort}, carrying {@code seq}. */
    public static byte[] frame(int srcPort, int dstPort, int seq, int size) {
        if (size < SEQ_OFFSET + 4) {
            throw new IllegalArgumentException("size=" + size + ": at least " + (SEQ_OFFSET + 4));
        }
        ByteBuffer f = ByteBuffer.allocate(size);
        f.put(new byte[] {-1, -1, -1, -1, -1, -1, 2, 0, 0, 0, 0, 1});
        f.putShort((short) 0x0800);
        int ipLen = size - ETH_HLEN;
        f.put((byte) 0x45).put((byte) 0).putShort((short) ipLen).putShort((short) seq).putShort((short) 0)
                .put((byte) 64).put((byte) 17).putShort((short) 0)
                .put(new byte[] {10, 0, 0, 1}).put(new byte[] {10, 0, 0, 2});
        f.putShort(ETH_HLEN + 10, checksum(f.array(), ETH_HLEN, IP_HLEN));
        f.putShort((short) srcPort).putShort((short) dstPort).putShort((short) (ipLen - IP_HLEN)).putShort((short) 0);
        f.putInt(seq);
        return f.array();
    }

    /** The UDP destination port of a frame built here, or -1 when it is not IPv4/UDP. */
    public static int dstPort(byte[] frame) {
        if (frame.length < SEQ_OFFSET || frame[12] != 0x08 || frame[13] != 0x00 || frame[ETH_HLEN + 9] != 17) {
            return -1;
        }
        return ((frame[ETH_HLEN + IP_HLEN + 2] & 0xff) << 8) | (frame[ETH_HLEN + IP_HLEN + 3] & 0xff);
    }

    /** The UDP source port, or -1 when it is not IPv4/UDP. */
    public static int srcPort(byte[] frame) {
        if (dstPort(frame) < 0) {
            return -1;
        }
        return ((frame[ETH_HLEN + IP_HLEN] & 0xff) << 8) | (frame[ETH_HLEN + IP_HLEN + 1] & 0xff);
    }

    /** The sequence number of a frame built here. */
    public static int sequenceOf(byte[] frame) {
        return ByteBuffer.wrap(frame, SEQ_OFFSET, 4).getInt();
    }

    private static short checksum(byte[] b, int off, int len) {
        long sum = 0;
        for (int i = 0; i < len; i += 2) {
            sum += ((b[off + i] & 0xff) << 8) | (b[off + i + 1] & 0xff);
        }
        while ((sum >> 16) != 0) {
            sum = (sum & 0xffff) + (sum >> 16);
        }
        return (short) ~sum;
    }
}
