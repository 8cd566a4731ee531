package io.netring.testing;

import io.netring.AfPacketRx;
import io.netring.NetringException;
import io.netring.PacketBatch;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Collects the test frames ({@link FrameSender} format, EtherType 0x88B5) an {@link AfPacketRx}
 * captures, ignoring every other packet. Bounded in time.
 */
public final class FrameCollector {
    private FrameCollector() {}

    /** Test frames captured until {@code count} are seen or {@code within} has passed. */
    public static List<byte[]> collect(AfPacketRx rx, int count, Duration within) throws NetringException {
        List<byte[]> frames = new ArrayList<>();
        long deadline = System.nanoTime() + within.toNanos();
        while (frames.size() < count && System.nanoTime() < deadline) {
            try (PacketBatch batch = rx.nextBatchBlocking(Duration.ofMillis(50))) {
                if (batch == null) {
                    continue;
                }
                Collect.copyInto(batch, FrameCollector::isTestFrame, frames);
            }
        }
        return frames;
    }

    /**
     * Exactly the test frames that come: waits up to 30 s for {@code count}, then reads on until
     * none came for 300 ms, so any extra or duplicate frame is in the result too.
     */
    public static List<byte[]> exactly(AfPacketRx rx, int count) throws Exception {
        return Collect.exactly(rx, FrameCollector::isTestFrame, count);
    }

    /**
     * Asserts that exactly {@code count} test frames come (as {@link #exactly}), byte for byte
     * {@code expected.apply(i)} for the i-th.
     */
    public static void assertFrames(AfPacketRx rx, int count, IntFunction<byte[]> expected) throws Exception {
        List<byte[]> got = exactly(rx, count);
        assertEquals(count, got.size(), "frames captured");
        for (int i = 0; i < count; i++) {
            assertArrayEquals(expected.apply(i), got.get(i), "frame " + i);
        }
    }

    /** The sequence numbers of {@code frames}, in order. */
    public static List<Integer> sequences(List<byte[]> frames) {
        List<Integer> seqs = new ArrayList<>(frames.size());
        for (byte[] f : frames) {
            seqs.add(FrameSender.sequenceOf(f));
        }
        return seqs;
    }

    /** True for a frame in the {@link FrameSender} format. */
    public static boolean isTestFrame(byte[] frame) {
        return FrameSender.sequenceOf(frame) >= 0;
    }
}
