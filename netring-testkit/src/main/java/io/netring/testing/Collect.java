package io.netring.testing;

import io.netring.AfPacketRx;
import io.netring.Packet;
import io.netring.PacketBatch;

import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** Reads frames from an {@link AfPacketRx} in tests, bounded in time. */
public final class Collect {
    private Collect() {}

    /**
     * Copies every captured frame that {@code keep} accepts until {@code count} are collected,
     * or no batch came for {@code idle}, or {@code within} has passed.
     */
    public static List<byte[]> frames(AfPacketRx rx, Predicate<byte[]> keep, int count, Duration idle, Duration within)
            throws Exception {
        List<byte[]> frames = new ArrayList<>();
        long deadline = System.nanoTime() + within.toNanos();
        long lastData = System.nanoTime();
        while (frames.size() < count && System.nanoTime() < deadline && System.nanoTime() - lastData < idle.toNanos()) {
            try (PacketBatch batch = rx.nextBatchBlocking(Duration.ofMillis(20))) {
                if (batch == null) {
                    continue;
                }
                lastData = System.nanoTime();
                copyInto(batch, keep, frames);
            }
        }
        return frames;
    }

    /** Copies the frames of {@code batch} that {@code keep} accepts into {@code out}; returns how many. */
    public static int copyInto(PacketBatch batch, Predicate<byte[]> keep, List<byte[]> out) {
        int added = 0;
        for (Packet p : batch) {
            byte[] bytes = p.data().toArray(ValueLayout.JAVA_BYTE);
            if (keep.test(bytes)) {
                out.add(bytes);
                added++;
            }
        }
        return added;
    }

    /** Every frame {@code keep} accepts until the ring stays quiet for {@code idle} (at most 10 s). */
    public static List<byte[]> untilIdle(AfPacketRx rx, Predicate<byte[]> keep, Duration idle) throws Exception {
        return frames(rx, keep, Integer.MAX_VALUE, idle, Duration.ofSeconds(10));
    }

    /** Every frame until the ring stays quiet for {@code idle}. */
    public static List<byte[]> untilIdle(AfPacketRx rx, Duration idle) throws Exception {
        return untilIdle(rx, f -> true, idle);
    }
}
