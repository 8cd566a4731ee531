package io.netring;

import io.netring.testing.FrameCollector;
import io.netring.testing.FrameSender;
import io.netring.testing.NamespaceTest;
import io.netring.testing.Privileged;
import io.netring.testing.TestRings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.*;

/** The receive path against the real kernel, on a veth pair in a namespace made per test. */
@Privileged
@Timeout(60)
class CaptureIntegrationTest extends NamespaceTest {
    /** Frames are sent before they are read: room for each in a block of its own. */
    private AfPacketRxBuilder smallRx() {
        return AfPacketRx.builder().interfaceName(ns.b).blockSize(TestRings.BLOCK_SIZE)
                .blockCount(TestRings.blocksFor(500)).blockTimeout(Duration.ofMillis(10));
    }

    @Test
    void batchApiCapturesFramesInOrderAndByteExact() throws Exception {
        int n = 500;
        ns.run(() -> {
            try (AfPacketRx rx = smallRx().build(); FrameSender tx = new FrameSender(ns.a)) {
                for (int i = 0; i < n; i++) {
                    tx.send(FrameSender.frame(i, 60 + i % 200));
                }
                FrameCollector.assertFrames(rx, n, i -> FrameSender.frame(i, 60 + i % 200));
            }
        });
    }

    @Test
    void packetsStreamCapturesFramesInOrderAndByteExact() throws Exception {
        int n = 300;
        ns.run(() -> {
            try (Capture cap = Capture.builder().interfaceName(ns.b).blockSize(TestRings.BLOCK_SIZE)
                    .blockCount(TestRings.blocksFor(n)).blockTimeout(Duration.ofMillis(10)).build();
                 FrameSender tx = new FrameSender(ns.a)) {
                tx.sendSequence(0, n, 128);
                List<OwnedPacket> got = cap.packets()
                        .filter(p -> p.protocol() == FrameSender.ETHERTYPE)
                        .limit(n)
                        .map(Packet::toOwned)
                        .collect(Collectors.toList());
                for (int i = 0; i < n; i++) {
                    assertArrayEquals(FrameSender.frame(i, 128), got.get(i).data(), "frame " + i);
                    assertEquals(128, got.get(i).originalLength());
                }
                CaptureStats stats = cap.stats();
                assertTrue(stats.packets() >= n, "kernel counted " + stats);
                assertEquals(0, stats.drops());
            }
        });
    }

    @Test
    void packetFieldsAreDecoded() throws Exception {
        ns.run(() -> {
            try (AfPacketRx rx = smallRx().build(); FrameSender tx = new FrameSender(ns.a)) {
                tx.send(FrameSender.frame(7, 100));
                long before = System.currentTimeMillis() / 1000;
                try (PacketBatch batch = rx.nextBatchBlocking(Duration.ofSeconds(5))) {
                    assertNotNull(batch);
                    Packet p = batch.iterator().next();
                    assertEquals(100, p.length());
                    assertEquals(100, p.originalLength());
                    assertFalse(p.status().truncated());
                    assertEquals(PacketDirection.BROADCAST, p.direction());
                    assertEquals(FrameSender.ETHERTYPE, p.protocol());
                    assertEquals(0, p.vlanTci());
                    assertEquals(0, p.vlanTpid());
                    assertTrue(Math.abs(p.timestamp().seconds() - before) <= 2, "timestamp " + p.timestamp());
                    assertTrue(batch.tsFirst().compareTo(batch.tsLast()) <= 0);
                    assertEquals(TimestampSource.SOFTWARE, p.status().timestampSource());
                }
            }
        });
    }

    @Test
    void partlyFilledBlockRetiresAfterTheBlockTimeout() throws Exception {
        ns.run(() -> {
            try (AfPacketRx rx = AfPacketRx.builder().interfaceName(ns.b).blockSize(1 << 20).blockCount(4)
                    .blockTimeout(Duration.ofMillis(20)).build();
                 FrameSender tx = new FrameSender(ns.a)) {
                tx.sendSequence(0, 3, 64);
                long start = System.nanoTime();
                try (PacketBatch batch = rx.nextBatchBlocking(Duration.ofSeconds(5))) {
                    assertNotNull(batch, "the timer should retire the block");
                    assertTrue(batch.timedOut(), "block retired by timeout: " + batch);
                    assertTrue(batch.size() >= 1 && batch.size() <= 3 + 4, "size " + batch.size());
                }
                assertTrue(System.nanoTime() - start < Duration.ofSeconds(2).toNanos());
            }
        });
    }

    @Test
    void idleInterfaceTimesOutWithNull() throws Exception {
        ns.run(() -> {
            try (AfPacketRx rx = smallRx().build()) {
                long start = System.nanoTime();
                assertNull(rx.nextBatchBlocking(Duration.ofMillis(150)));
                long ms = (System.nanoTime() - start) / 1_000_000;
                assertTrue(ms >= 140, "waited " + ms + " ms");
                assertNull(rx.nextBatch(), "non-blocking poll on an idle ring");
            }
        });
    }

    @Test
    void dispatchVisitsEveryPacketThroughTheView() throws Exception {
        int n = 200;
        ns.run(() -> {
            try (AfPacketRx rx = smallRx().build(); FrameSender tx = new FrameSender(ns.a)) {
                tx.sendSequence(0, n, 90);
                List<Integer> seqs = new ArrayList<>();
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (seqs.size() < n && System.nanoTime() < deadline) {
                    try (PacketBatch batch = rx.nextBatchBlocking(Duration.ofMillis(100))) {
                        if (batch == null) {
                            continue;
                        }
                        batch.dispatch(view -> {
                            if (view.protocol() == FrameSender.ETHERTYPE) {
                                long off = view.dataOffset();
                                seqs.add(view.segment().get(ValueLayout.JAVA_INT_UNALIGNED.withOrder(
                                        java.nio.ByteOrder.BIG_ENDIAN), off + 14));
                                assertEquals(90, view.length());
                            }
                        });
                    }
                }
                assertEquals(n, seqs.size());
                for (int i = 0; i < n; i++) {
                    assertEquals(i, seqs.get(i));
                }
            }
        });
    }
}
