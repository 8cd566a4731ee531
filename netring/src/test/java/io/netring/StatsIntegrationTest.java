package io.netring;

import io.netring.testing.FrameSender;
import io.netring.testing.NamespaceTest;
import io.netring.testing.Privileged;
import io.netring.testing.TestRings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.*;

/** Kernel statistics, drops and queue freezes on a real ring. */
@Privileged
@Timeout(60)
class StatsIntegrationTest extends NamespaceTest {
    /** What the test walked so far: packets, test frames among them, and gaps seen on batches. */
    private static final class Walked {
        long packets;
        long testFrames;
        long gaps;
    }

    /**
     * Walks batches until {@code done} holds (at most 30 s). Counts, not quiet periods, say when
     * to stop: however the kernel spreads the frames over blocks, and however late they come.
     */
    private static Walked walkUntil(AfPacketRx rx, Walked walked, BooleanSupplier done) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!done.getAsBoolean() && System.nanoTime() < deadline) {
            try (PacketBatch b = rx.nextBatchBlocking(Duration.ofMillis(20))) {
                if (b == null) {
                    continue;
                }
                walked.packets += b.size();
                walked.gaps += b.sequenceGap();
                for (Packet p : b) {
                    walked.testFrames += p.protocol() == FrameSender.ETHERTYPE ? 1 : 0;
                }
            }
        }
        return walked;
    }

    private static Walked walkTestFrames(AfPacketRx rx, int count) throws Exception {
        Walked walked = new Walked();
        return walkUntil(rx, walked, () -> walked.testFrames >= count);
    }

    /** Reads (and so resets) the kernel counters; returns the running total. */
    private static CaptureStats readStats(AfPacketRx rx) {
        try {
            rx.stats();
        } catch (NetringException e) {
            throw new IllegalStateException(e);
        }
        return rx.totalStats();
    }

    @Test
    void countsMatchWhatWasSentAndReadingResets() throws Exception {
        ns.run(() -> {
            // Room for every frame even one per block: nothing may be dropped.
            try (AfPacketRx rx = AfPacketRx.builder().interfaceName(ns.b).blockSize(TestRings.BLOCK_SIZE)
                    .blockCount(TestRings.blocksFor(250)).blockTimeout(Duration.ofMillis(5)).build();
                 FrameSender tx = new FrameSender(ns.a)) {
                tx.sendSequence(0, 250, 100);
                Walked seen = walkTestFrames(rx, 250);
                assertEquals(250, seen.testFrames, "test frames walked");
                CaptureStats first = rx.stats();
                assertEquals(seen.packets, first.packets(), "kernel count vs packets walked: " + first);
                assertTrue(first.packets() >= 250, first.toString());
                assertEquals(0, first.drops());
                assertEquals(first.packets(), first.delivered());

                CaptureStats second = rx.stats();
                assertEquals(CaptureStats.ZERO, second, "a second read starts from zero");
                assertEquals(first, rx.totalStats());

                tx.sendSequence(250, 10, 100);
                assertEquals(10, walkTestFrames(rx, 10).testFrames);
                CaptureStats third = rx.stats();
                assertTrue(third.packets() >= 10, third.toString());
                assertEquals(first.packets() + third.packets(), rx.totalStats().packets(), "running total keeps counting");
            }
        });
    }

    /**
     * A consumer that does not keep up with a tiny ring: the kernel freezes the queue and drops.
     * Block sequence numbers stay consecutive even so: the kernel numbers a block when it opens
     * it and opens blocks in ring order, and a frozen queue drops packets instead of skipping
     * blocks, so an in-order reader never sees a gap (gap detection itself is covered with
     * synthetic blocks in RxRingTest).
     */
    @Test
    void slowConsumerWithSmallRingSeesDropsAndFreezes() throws Exception {
        ns.run(() -> {
            try (AfPacketRx rx = AfPacketRx.builder().interfaceName(ns.b).blockSize(4096).blockCount(2)
                    .frameSize(2048).blockTimeout(Duration.ofMillis(5)).build();
                 FrameSender tx = new FrameSender(ns.a)) {
                int sent = 300;
                tx.sendSequence(0, sent, 500);
                // Walk while reading the counters (each read adds to totalStats) until the kernel
                // has seen every frame, then until every frame it delivered has been walked.
                Walked seen = new Walked();
                walkUntil(rx, seen, () -> readStats(rx).packets() >= sent);
                walkUntil(rx, seen, () -> seen.packets >= readStats(rx).delivered());
                CaptureStats stats = rx.totalStats();
                assertTrue(stats.drops() > 0, "drops expected: " + stats);
                assertTrue(stats.freezeCount() > 0, "queue freezes expected: " + stats);
                assertTrue(stats.packets() >= sent, "packets include drops: " + stats);
                assertEquals(stats.delivered(), seen.packets, "delivered = walked");
                assertEquals(0, seen.gaps, "an in-order reader sees consecutive block numbers");
                assertEquals(0, rx.sequenceGaps());
                // The ring recovers: new traffic flows once blocks are given back.
                tx.sendSequence(sent, 3, 500);
                assertEquals(3, walkTestFrames(rx, 3).testFrames);
            }
        });
    }
}
