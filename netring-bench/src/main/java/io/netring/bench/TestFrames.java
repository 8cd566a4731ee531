package io.netring.bench;

import io.netring.internal.linux.LinuxConstants;
import io.netring.testing.FrameSender;
import io.netring.testing.SyntheticBlock;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * The frames every generator sends and every consumer checks, in Java and in the C programs
 * under {@code src/main/c}: broadcast destination, source 02:00:00:00:00:01, the local
 * experimental EtherType 0x88B5, then a 4-byte big-endian sequence number. Stray traffic on the
 * veth (there should be none with IPv6 off) never counts.
 */
public final class TestFrames {
    private TestFrames() {}

    /** Local experimental EtherType (IEEE 802 "local experimental 1"), the test kit's. */
    public static final int ETHERTYPE = FrameSender.ETHERTYPE;
    public static final int ETHERTYPE_OFFSET = 12;
    public static final int SEQUENCE_OFFSET = 14;
    /** The frame size of every run: the minimum Ethernet frame without FCS. */
    public static final int FRAME_SIZE = 64;

    static final ValueLayout.OfShort BE_SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    static final ValueLayout.OfInt BE_INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    /** Writes frame {@code seq} of {@code size} bytes at {@code offset} of {@code dst}. */
    public static void write(MemorySegment dst, long offset, int seq, int size) {
        for (int i = 0; i < 6; i++) {
            dst.set(ValueLayout.JAVA_BYTE, offset + i, (byte) 0xFF);
        }
        byte[] src = {2, 0, 0, 0, 0, 1};
        MemorySegment.copy(src, 0, dst, ValueLayout.JAVA_BYTE, offset + 6, 6);
        dst.set(BE_SHORT, offset + ETHERTYPE_OFFSET, (short) ETHERTYPE);
        dst.set(BE_INT, offset + SEQUENCE_OFFSET, seq);
        for (int i = SEQUENCE_OFFSET + 4; i < size; i++) {
            dst.set(ValueLayout.JAVA_BYTE, offset + i, (byte) (seq + i));
        }
    }

    /** Frame {@code seq} as a byte array: the test kit's frame, the same bytes {@link #write} writes. */
    public static byte[] frame(int seq, int size) {
        return FrameSender.frame(seq, size);
    }

    /**
     * A retired block (TP_STATUS_USER) of {@code packets} frames numbered {@code firstSeq ..},
     * each {@code frameSize} bytes, laid out as the kernel would ({@link SyntheticBlock}).
     */
    public static MemorySegment block(Arena arena, int packets, int frameSize, int firstSeq, long blockSeq) {
        List<byte[]> frames = new ArrayList<>(packets);
        for (int i = 0; i < packets; i++) {
            frames.add(frame(firstSeq + i, frameSize));
        }
        return SyntheticBlock.allocate(arena, blockSeq, LinuxConstants.TP_STATUS_USER, frames);
    }

    /** True when the frame at {@code offset} carries the test EtherType. */
    public static boolean isTestFrame(MemorySegment data, long offset) {
        return data.get(BE_SHORT, offset + ETHERTYPE_OFFSET) == (short) ETHERTYPE;
    }

    public static int sequence(MemorySegment data, long offset) {
        return data.get(BE_INT, offset + SEQUENCE_OFFSET);
    }

    public static boolean isTestFrame(byte[] frame) {
        return frame.length >= SEQUENCE_OFFSET + 4
                && (((frame[ETHERTYPE_OFFSET] & 0xFF) << 8) | (frame[ETHERTYPE_OFFSET + 1] & 0xFF)) == ETHERTYPE;
    }

    public static int sequence(byte[] frame) {
        return ((frame[14] & 0xFF) << 24) | ((frame[15] & 0xFF) << 16) | ((frame[16] & 0xFF) << 8) | (frame[17] & 0xFF);
    }
}
