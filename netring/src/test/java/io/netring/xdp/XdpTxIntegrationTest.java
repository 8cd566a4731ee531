package io.netring.xdp;

import io.netring.AfPacketRx;
import io.netring.testing.FrameCollector;
import io.netring.testing.FrameSender;
import io.netring.testing.NamespaceTest;
import io.netring.testing.Privileged;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/** XdpTx against the real kernel: send through an AF_XDP TX ring on one veth end, capture with AF_PACKET on the other. */
@Privileged
@Timeout(90)
class XdpTxIntegrationTest extends NamespaceTest {
    private static final Duration FLUSH_DEADLINE = Duration.ofSeconds(30);

    private static int sizeOf(int seq) {
        return 60 + seq % 200;
    }

    /** A capture on vB read by another thread while the test sends, so no ring has to hold every frame. */
    private CompletableFuture<List<byte[]>> collect(AfPacketRx rx, int count) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return FrameCollector.exactly(rx, count);
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
    }

    @Test
    void tenThousandFramesArriveInOrderAndByteExactThroughRecycledUmemFrames() throws Exception {
        int n = 10_000;
        int umemFrames = 256;
        ns.run(() -> {
            try (AfPacketRx rx = AfPacketRx.builder().interfaceName(ns.b).blockSize(1 << 18).blockCount(64)
                    .blockTimeout(Duration.ofMillis(5)).build();
                 XdpTx tx = XdpTx.builder().interfaceName(ns.a).queue(0).mode(XdpMode.COPY)
                         .frameSize(2048).frameCount(umemFrames).ringSize(64).build()) {
                assertFalse(tx.zeroCopy(), "veth has copy mode only");
                CompletableFuture<List<byte[]>> received = collect(rx, n);
                byte[][] frames = new byte[n][];
                for (int i = 0; i < n; i++) {
                    frames[i] = FrameSender.frame(i, sizeOf(i));
                }
                for (int i = 0; i < n; i++) {
                    while (!tx.send(frames[i])) {
                        tx.flush();
                    }
                }
                assertTrue(tx.flush(FLUSH_DEADLINE), "every frame completed");
                assertEquals(n, tx.framesSent());
                assertEquals(n, tx.framesCompleted());
                assertTrue(n > umemFrames * 10, "frames were recycled from the completion ring many times over");

                List<byte[]> got = received.get(60, TimeUnit.SECONDS);
                assertEquals(n, got.size(), "frames captured on " + ns.b);
                for (int i = 0; i < n; i++) {
                    assertArrayEquals(frames[i], got.get(i), "frame " + i);
                }
                XdpStatistics stats = tx.stats();
                assertEquals(0, stats.txInvalidDescs(), "no descriptor refused: " + stats);
            }
        });
    }

    @Test
    void aFrameLongerThanFrameSizeMinusHeadroomIsRefusedNamingBoth() throws Exception {
        ns.run(() -> {
            try (XdpTx tx = XdpTx.builder().interfaceName(ns.a).frameSize(2048).headroom(128).frameCount(16)
                    .ringSize(16).build()) {
                assertEquals(1920, tx.maxFrameLength());
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> tx.send(new byte[1921]));
                assertEquals("frame length 1921: must be in [1, 1920], frameSize 2048 minus headroom 128;"
                        + " raise frameSize for longer frames", e.getMessage());
                assertTrue(tx.send(FrameSender.frame(1, 1920)), "the longest allowed frame is taken");
                assertTrue(tx.flush(FLUSH_DEADLINE));
            }
        });
    }

    @Test
    void aClosedXdpTxThrowsIllegalState() throws Exception {
        ns.run(() -> {
            XdpTx tx = XdpTx.builder().interfaceName(ns.a).frameCount(16).ringSize(16).build();
            tx.close();
            tx.close();     // idempotent
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> tx.send(FrameSender.frame(1, 64)));
            assertEquals("XdpTx on " + ns.a + " queue 0 is closed", e.getMessage());
            assertThrows(IllegalStateException.class, tx::flush);
            assertThrows(IllegalStateException.class, tx::fd);
            assertThrows(IllegalStateException.class, tx::stats);
        });
    }
}
