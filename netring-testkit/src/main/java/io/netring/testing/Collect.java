package io.netring.testing;

import io.netring.AfPacketRx;
import io.netring.Packet;
import io.netring.PacketBatch;

import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Reads frames from an {@link AfPacketRx} in tests, bounded in time. Every wait counts frames
 * over as many batches as it takes: nothing assumes how the kernel splits them into blocks.
 */
public final class Collect {
    private Collect() {}

    /** How long any read here goes on at most, whatever else it waits for. */
    static final Duration LIMIT = Duration.ofSeconds(30);

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

    /**
     * The frames {@code keep} accepts: waits until {@code count} have come (up to {@code within}),
     * then reads on until none came for {@code quiet}, so that any extra frame is in the result
     * too and an exact count can be asserted.
     */
    public static List<byte[]> exactly(AfPacketRx rx, Predicate<byte[]> keep, int count, Duration within, Duration quiet)
            throws Exception {
        List<byte[]> frames = frames(rx, keep, count, within, within);
        if (frames.size() >= count) {
            frames.addAll(untilQuiet(rx, keep, quiet));
        }
        return frames;
    }

    /** {@link #exactly(AfPacketRx, Predicate, int, Duration, Duration)} waiting up to 30 s, then 300 ms of quiet. */
    public static List<byte[]> exactly(AfPacketRx rx, Predicate<byte[]> keep, int count) throws Exception {
        return exactly(rx, keep, count, LIMIT, Duration.ofMillis(300));
    }

    /**
     * For a fanout group: the frames {@code keep} accepts per member, read from each in turn until
     * {@code total} have come across the group (up to 30 s), then until the whole group stayed
     * quiet for {@code quiet}.
     */
    public static List<List<byte[]>> acrossMembers(List<AfPacketRx> group, Predicate<byte[]> keep, int total, Duration quiet)
            throws Exception {
        List<List<byte[]>> per = new ArrayList<>();
        for (int i = 0; i < group.size(); i++) {
            per.add(new ArrayList<>());
        }
        long deadline = System.nanoTime() + LIMIT.toNanos();
        long quietSince = System.nanoTime();
        int got = 0;
        while (System.nanoTime() < deadline) {
            if (got >= total && System.nanoTime() - quietSince >= quiet.toNanos()) {
                break;
            }
            for (int m = 0; m < group.size(); m++) {
                try (PacketBatch batch = group.get(m).nextBatchBlocking(Duration.ofMillis(5))) {
                    if (batch != null && copyInto(batch, keep, per.get(m)) > 0) {
                        quietSince = System.nanoTime();
                    }
                }
            }
            got = per.stream().mapToInt(List::size).sum();
        }
        return per;
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

    /**
     * Every frame {@code keep} accepts until none came for {@code quiet} (at most 30 s). Only for
     * proving that nothing (more) arrives: to wait for frames, use {@link #exactly}, which counts.
     */
    public static List<byte[]> untilQuiet(AfPacketRx rx, Predicate<byte[]> keep, Duration quiet) throws Exception {
        List<byte[]> frames = new ArrayList<>();
        long limit = System.nanoTime() + LIMIT.toNanos();
        long deadline = System.nanoTime() + quiet.toNanos();
        while (System.nanoTime() < deadline && System.nanoTime() < limit) {
            try (PacketBatch batch = rx.nextBatchBlocking(Duration.ofMillis(20))) {
                if (batch != null && copyInto(batch, keep, frames) > 0) {
                    deadline = System.nanoTime() + quiet.toNanos();
                }
            }
        }
        return frames;
    }
}
