package io.netring.xdp;

import io.netring.Capture;
import io.netring.NetringException;
import io.netring.Packet;
import io.netring.PacketBatch;
import io.netring.internal.xdp.XdpAttachment;
import io.netring.testing.EbpfAllowed;
import io.netring.testing.FrameSender;
import io.netring.testing.NamespaceTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** XdpRx on a veth pair: frames from the peer arrive through the XDP program, in order and byte-exact. */
@EbpfAllowed
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class XdpRxIntegrationTest extends NamespaceTest {

    private XdpRxBuilder small() {
        // Rings that hold every frame a test sends at once: what the kernel cannot put in the RX
        // ring is dropped (rx_ring_full), not queued.
        return XdpRx.builder().interfaceName(ns.b).queue(0).mode(XdpMode.COPY).frameSize(2048).frameCount(4096)
                .ringSize(4096).batchSize(64);
    }

    /** Test frames from {@code rx} until {@code count} arrived or {@code within} passed; other frames skipped. */
    private static List<byte[]> collect(XdpRx rx, int count, Duration within) throws NetringException {
        List<byte[]> got = new ArrayList<>();
        long end = System.nanoTime() + within.toNanos();
        while (got.size() < count && System.nanoTime() < end) {
            try (PacketBatch b = rx.nextBatchBlocking(Duration.ofMillis(50))) {
                if (b == null) {
                    continue;
                }
                for (Packet p : b) {
                    if (p.length() >= 14 && p.unsignedShortAt(12) == FrameSender.ETHERTYPE) {
                        got.add(p.toOwned().data());
                    }
                }
            }
        }
        return got;
    }

    @Test
    void everyFrameArrivesInOrderAndByteExact() throws Exception {
        int n = 4000;
        ns.run(() -> {
            try (XdpRx rx = small().build(); FrameSender tx = new FrameSender(ns.a)) {
                assertFalse(rx.zeroCopy());
                assertTrue(XdpAttachment.query(ns.b).hasProgram());
                for (int i = 0; i < n; i++) {
                    tx.send(FrameSender.frame(i, 60 + i % 200));
                }
                List<byte[]> got = collect(rx, n, Duration.ofSeconds(20));
                assertEquals(n, got.size());
                for (int i = 0; i < n; i++) {
                    assertArrayEquals(FrameSender.frame(i, 60 + i % 200), got.get(i), "frame " + i);
                }
                assertEquals(0, rx.xdpStatistics().rxDropped());
            }
            assertFalse(XdpAttachment.query(ns.b).hasProgram(), "the program is gone after close");
        });
    }

    /** Adds where each packet read lies in the UMEM (every packet, test frame or not) until {@code at} holds {@code count}. */
    private static void frameAddresses(XdpRx rx, List<Long> at, int count) throws NetringException {
        long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (at.size() < count && System.nanoTime() < end) {
            try (PacketBatch b = rx.nextBatchBlocking(Duration.ofMillis(50))) {
                if (b == null) {
                    continue;
                }
                for (Packet p : b) {
                    at.add(p.data().address());
                }
            }
        }
    }

    @Test
    void framesGoBackToTheFillRingInTheOrderTheyCame() throws Exception {
        // 16 frames, all on the fill ring at open in address order. The kernel takes fill entries
        // in order, so if closed batches give their frames back in the order received, packet
        // k + 16 lands in packet k's frame (ascending, which keeps the reader's walk over the UMEM
        // going forward); given back last-in first-out, each batch's frames would come reversed.
        ns.run(() -> {
            try (XdpRx rx = XdpRx.builder().interfaceName(ns.b).queue(0).mode(XdpMode.COPY).frameSize(2048)
                    .frameCount(16).ringSize(16).batchSize(16).build();
                 FrameSender tx = new FrameSender(ns.a)) {
                List<Long> at = new ArrayList<>();
                tx.sendSequence(0, 16, 80);
                frameAddresses(rx, at, 16);
                tx.sendSequence(16, 16, 80);
                frameAddresses(rx, at, 32);
                assertTrue(at.size() >= 32, "32 packets read: " + at.size());
                assertEquals(at.subList(0, 16), at.subList(16, 32), "the next 16 packets reuse the frames in the same order");
                for (int k = 1; k < 16; k++) {
                    assertTrue(at.get(k) > at.get(k - 1), "the first 16 land in ascending frames: " + at);
                }
            }
        });
    }

    @Test
    void theStreamReadsXdpBatches() throws Exception {
        ns.run(() -> {
            try (XdpRx rx = small().build(); FrameSender tx = new FrameSender(ns.a)) {
                tx.sendSequence(0, 300, 100);
                List<Integer> seqs = Capture.stream(rx, Duration.ofMillis(50))
                        .filter(p -> p.unsignedShortAt(12) == FrameSender.ETHERTYPE)
                        .limit(300).map(p -> p.intAt(14)).toList();
                assertEquals(300, seqs.size());
                for (int i = 0; i < 300; i++) {
                    assertEquals(i, seqs.get(i));
                }
            }
        });
    }

    @Test
    void aSecondReceiverIsRefusedNamingTheProgramThere() throws Exception {
        ns.run(() -> {
            try (XdpRx rx = small().build()) {
                NetringException e = assertThrows(NetringException.class, () -> XdpRx.builder().interfaceName(ns.b)
                        .queue(0).mode(XdpMode.COPY).frameSize(2048).frameCount(256).ringSize(128).build());
                assertTrue(e.getMessage().contains("queue 0 of " + ns.b) || e.getMessage().contains("already has an XDP program"),
                        e.getMessage());
            }
        });
    }

    @Test
    void aProgramSomeoneElseAttachedIsNotReplaced() throws Exception {
        ns.run(() -> {
            try (XdpRx first = small().build()) {
                int id = XdpAttachment.query(ns.b).programId();
                try (XdpRx onQueue1 = XdpRx.builder().interfaceName(ns.a).queue(0).mode(XdpMode.COPY).frameSize(2048)
                        .frameCount(256).ringSize(128).build()) {
                    assertTrue(XdpAttachment.query(ns.a).hasProgram());
                }
                assertEquals(id, XdpAttachment.query(ns.b).programId(), "the first program is still there");
            }
        });
    }

    @Test
    void aDeletedInterfaceEndsTheCaptureWithInterfaceNotFound() throws Exception {
        ns.run(() -> {
            try (XdpRx rx = small().build()) {
                ns.ip("link", "del", ns.b);
                long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                io.netring.InterfaceNotFoundException e = null;
                while (e == null && System.nanoTime() < end) {
                    try (PacketBatch b = rx.nextBatchBlocking(Duration.ofMillis(200))) {
                        // nothing comes
                    } catch (io.netring.InterfaceNotFoundException gone) {
                        e = gone;
                    }
                }
                assertTrue(e != null, "no InterfaceNotFoundException within 10 s");
                assertTrue(e.getMessage().contains("was deleted"), e.getMessage());
            }
        });
    }

    @Test
    void misuseIsRefusedClearly() throws Exception {
        IllegalStateException noName = assertThrows(IllegalStateException.class, () -> XdpRx.builder().build());
        assertTrue(noName.getMessage().contains("interfaceName is required"), noName.getMessage());
        IllegalArgumentException badQueue = assertThrows(IllegalArgumentException.class, () -> XdpRx.builder().queue(-1));
        assertEquals("queue=-1: must be 0 or more (an RX queue id of the interface)", badQueue.getMessage());
        ns.run(() -> {
            XdpRx rx = small().build();
            PacketBatch open;
            try (FrameSender tx = new FrameSender(ns.a)) {
                tx.sendSequence(0, 5, 80);
                do {
                    open = rx.nextBatchBlocking(Duration.ofMillis(100));
                } while (open == null);
                IllegalStateException twice = assertThrows(IllegalStateException.class, rx::nextBatch);
                assertTrue(twice.getMessage().contains("is still open"), twice.getMessage());
                Packet p = open.iterator().next();
                open.close();
                assertThrows(IllegalStateException.class, p::length);
            }
            rx.close();
            rx.close();
            IllegalStateException closed = assertThrows(IllegalStateException.class, rx::nextBatch);
            assertTrue(closed.getMessage().contains("closed"), closed.getMessage());
        });
    }

    @Test
    void theFilterRunsInsideTheProgram() throws Exception {
        ns.run(() -> {
            // Odd sequence numbers end in 1 in their last byte: "ether[17] & 1 = 0" keeps the even ones.
            try (XdpRx rx = small().filter("ether proto 0x88b5 and ether[17] & 1 = 0").build();
                 FrameSender tx = new FrameSender(ns.a)) {
                tx.sendSequence(0, 400, 90);
                List<byte[]> got = collect(rx, 200, Duration.ofSeconds(10));
                assertEquals(200, got.size());
                for (int i = 0; i < 200; i++) {
                    assertEquals(2 * i, FrameSender.sequenceOf(got.get(i)));
                }
                assertTrue(rx.nextBatch() == null, "the odd frames never reached the UMEM");
            }
        });
    }

    @Test
    void aLeakedReceiverIsCleanedAndItsProgramDetached() throws Exception {
        ns.run(() -> {
            leak(small());
            long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (XdpAttachment.query(ns.b).hasProgram() && System.nanoTime() < end) {
                System.gc();
                Thread.sleep(20);
            }
            assertFalse(XdpAttachment.query(ns.b).hasProgram(), "the cleaner detached the leaked receiver's program");
            try (XdpRx again = small().build()) {
                assertTrue(XdpAttachment.query(ns.b).hasProgram(), "queue 0 is free again");
            }
        });
    }

    /** Builds a receiver and drops it without closing it. */
    private static void leak(XdpRxBuilder builder) throws NetringException {
        builder.build();
    }
}
