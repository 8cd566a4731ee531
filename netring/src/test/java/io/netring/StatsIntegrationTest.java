package io.netring;

import io.netring.testing.FrameSender;
import io.netring.testing.NamespaceTest;
import io.netring.testing.Privileged;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.*;

/** Kernel statistics, drops and queue freezes on a real ring. */
@Privileged
@Timeout(60)
class StatsIntegrationTest extends NamespaceTest {
    /** Releases every ready block; returns {packets, batches, gaps seen on batches}. */
    private static long[] drainAll(AfPacketRx rx) throws Exception {
        long packets = 0, batches = 0, gaps = 0;
        for (;;) {
            try (PacketBatch b = rx.nextBatchBlocking(Duration.ofMillis(200))) {
                if (b == null) {
                    return new long[] {packets, batches, gaps};
                }
                packets += b.size();
                batches++;
                gaps += b.sequenceGap();
            }
        }
    }

    @Test
    void countsMatchWhatWasSentAndReadingResets() throws Exception {
        ns.run(() -> {
            try (AfPacketRx rx = AfPacketRx.builder().interfaceName(ns.b).blockSize(1 << 16).blockCount(8)
                    .blockTimeout(Duration.ofMillis(5)).build();
                 FrameSender tx = new FrameSender(ns.a)) {
                tx.sendSequence(0, 250, 100);
                long[] seen = drainAll(rx);
                CaptureStats first = rx.stats();
                assertEquals(seen[0], first.packets(), "kernel count vs packets walked: " + first);
                assertTrue(first.packets() >= 250, first.toString());
                assertEquals(0, first.drops());
                assertEquals(first.packets(), first.delivered());

                CaptureStats second = rx.stats();
                assertEquals(CaptureStats.ZERO, second, "a second read starts from zero");
                assertEquals(first, rx.totalStats());

                tx.sendSequence(250, 10, 100);
                drainAll(rx);
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
                long[] seen = drainAll(rx);
                CaptureStats stats = rx.stats();
                assertTrue(stats.drops() > 0, "drops expected: " + stats);
                assertTrue(stats.freezeCount() > 0, "queue freezes expected: " + stats);
                assertTrue(stats.packets() >= sent, "packets include drops: " + stats);
                assertEquals(stats.delivered(), seen[0], "delivered = walked");
                assertEquals(0, seen[2], "an in-order reader sees consecutive block numbers");
                assertEquals(0, rx.sequenceGaps());
                // The ring recovers: new traffic flows once blocks are given back.
                tx.sendSequence(sent, 3, 500);
                assertTrue(drainAll(rx)[0] >= 3);
            }
        });
    }
}
