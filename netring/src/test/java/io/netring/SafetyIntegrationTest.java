package io.netring;

import io.netring.testing.Collect;
import io.netring.testing.FrameCollector;
import io.netring.testing.FrameSender;
import io.netring.testing.NamespaceTest;
import io.netring.testing.Privileged;
import io.netring.testing.Waits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** The safety rules of docs/ARCHITECTURE.md, each against a real ring. */
@Privileged
@Timeout(60)
class SafetyIntegrationTest extends NamespaceTest {
    private static final String SYSCALLS = "io.netring.internal.linux.Syscalls";

    private AfPacketRx open() throws Exception {
        return ns.call(() -> AfPacketRx.builder().interfaceName(ns.b).blockSize(1 << 16).blockCount(4)
                .blockTimeout(Duration.ofMillis(5)).build());
    }

    private void send(int count) throws Exception {
        ns.run(() -> {
            try (FrameSender tx = new FrameSender(ns.a)) {
                tx.sendSequence(0, count, 64);
            }
        });
    }

    // Rule 1: a packet or its segment is unusable once its batch is released.
    @Test
    void stalePacketAndSegmentThrow() throws Exception {
        try (AfPacketRx rx = open()) {
            send(5);
            Packet kept;
            MemorySegment keptData;
            try (PacketBatch batch = rx.nextBatchBlocking(Duration.ofSeconds(5))) {
                assertNotNull(batch);
                kept = batch.iterator().next();
                keptData = kept.data();
                assertEquals(64, keptData.byteSize());
            }
            assertThrows(IllegalStateException.class, kept::timestamp);
            assertThrows(IllegalStateException.class, () -> keptData.get(ValueLayout.JAVA_BYTE, 0));
            assertEquals("Packet[released]", kept.toString());
        }
    }

    // Rule 4: one open batch per source. The block timeout may split the five frames over
    // several blocks, so the test counts them across every batch instead of expecting one.
    @Test
    void secondOpenBatchIsRefused() throws Exception {
        try (AfPacketRx rx = open()) {
            send(5);
            List<byte[]> frames = new ArrayList<>();
            try (PacketBatch first = rx.nextBatchBlocking(Duration.ofSeconds(5))) {
                assertNotNull(first);
                IllegalStateException e = assertThrows(IllegalStateException.class, rx::nextBatch);
                assertEquals("the previous PacketBatch (seq " + first.seqNum()
                        + ") is still open; close it before asking for the next", e.getMessage());
                assertThrows(IllegalStateException.class, () -> rx.nextBatchBlocking(Duration.ZERO));
                Collect.copyInto(first, FrameCollector::isTestFrame, frames);
            }
            PacketBatch next = assertDoesNotThrow(() -> rx.nextBatch(), "after closing the first, asking again is fine");
            if (next != null) {
                try (next) {
                    Collect.copyInto(next, FrameCollector::isTestFrame, frames);
                }
            }
            frames.addAll(FrameCollector.collect(rx, 5 - frames.size(), Duration.ofSeconds(10)));
            assertEquals(List.of(0, 1, 2, 3, 4), FrameCollector.sequences(frames), "every frame, once, in order");
        }
    }

    // Rule 2: close from another thread while a batch is open: no crash, unmapped after release.
    @Test
    void closeFromAnotherThreadWhileABatchIsOpen() throws Exception {
        AfPacketRx rx = open();
        send(5);
        MemorySegment ring = rx.ringSegment();
        PacketBatch batch = rx.nextBatchBlocking(Duration.ofSeconds(5));
        assertNotNull(batch);
        Thread closer = Thread.ofPlatform().start(rx::close);
        closer.join(Duration.ofSeconds(30));
        assertFalse(closer.isAlive());
        assertTrue(rx.isClosed());
        // The block is still mapped for the reader who holds it.
        int total = 0;
        for (Packet p : batch) {
            total += p.data().get(ValueLayout.JAVA_BYTE, 12) == (byte) 0x88 ? 1 : 0;
        }
        assertTrue(total > 0);
        ring.get(ValueLayout.JAVA_BYTE, 0); // the ring view stays readable while a batch holds the ring
        batch.close();
        // Now nothing holds it: the ring is unmapped and its view refuses access.
        assertThrows(IllegalStateException.class, () -> ring.get(ValueLayout.JAVA_BYTE, 0));
        IllegalStateException e = assertThrows(IllegalStateException.class, rx::nextBatch);
        assertEquals("AfPacketRx on " + ns.b + " is closed", e.getMessage());
        assertThrows(IllegalStateException.class, rx::stats);
        assertThrows(IllegalStateException.class, rx::fd);
        assertThrows(IllegalStateException.class, rx::ringSegment);
    }

    // Rule 2: a thread blocked in nextBatchBlocking wakes promptly on close from elsewhere.
    @Test
    void closeWakesAThreadWaitingForABatch() throws Exception {
        AfPacketRx rx = open();
        CountDownLatch waiting = new CountDownLatch(1);
        AtomicReference<Throwable> outcome = new AtomicReference<>();
        Thread waiter = Thread.ofPlatform().start(() -> {
            waiting.countDown();
            try {
                rx.nextBatchBlocking(Duration.ofSeconds(30));
                outcome.set(new AssertionError("returned without a batch or an exception"));
            } catch (Throwable t) {
                outcome.set(t);
            }
        });
        waiting.await();
        Waits.untilInside(waiter, SYSCALLS, "poll", Duration.ofSeconds(30));
        long start = System.nanoTime();
        rx.close();
        waiter.join(Duration.ofSeconds(30));
        assertFalse(waiter.isAlive(), "waiter still blocked");
        assertTrue(System.nanoTime() - start < Duration.ofSeconds(2).toNanos());
        assertInstanceOf(IllegalStateException.class, outcome.get());
        assertEquals("AfPacketRx on " + ns.b + " was closed while waiting for a batch", outcome.get().getMessage());
    }

    // Rule 2 at the high level: the packets() stream ends when the capture is closed elsewhere.
    @Test
    void streamEndsWhenCaptureIsClosedFromAnotherThread() throws Exception {
        Capture cap = ns.call(() -> Capture.builder().interfaceName(ns.b).profile(RingProfile.MEMORY_CONSTRAINED)
                .pollTimeout(Duration.ofMillis(50)).build());
        Thread reader = Thread.currentThread();
        Thread.ofPlatform().start(() -> {
            try {
                Waits.untilInside(reader, SYSCALLS, "poll", Duration.ofSeconds(30)); // the stream is waiting
            } catch (InterruptedException | AssertionError ignored) {
                // closing anyway
            }
            cap.close();
        });
        long start = System.nanoTime();
        assertEquals(0, cap.packets().filter(p -> p.protocol() == FrameSender.ETHERTYPE).count());
        assertTrue(System.nanoTime() - start < Duration.ofSeconds(5).toNanos());
    }

    // Rule 3: close is idempotent and thread-safe.
    @Test
    void concurrentCloseIsHarmless() throws Exception {
        AfPacketRx rx = open();
        CountDownLatch go = new CountDownLatch(1);
        Thread[] closers = new Thread[8];
        for (int i = 0; i < closers.length; i++) {
            closers[i] = Thread.ofPlatform().start(() -> {
                try {
                    go.await();
                } catch (InterruptedException ignored) {
                    return;
                }
                rx.close();
            });
        }
        go.countDown();
        for (Thread t : closers) {
            t.join();
        }
        rx.close();
        assertTrue(rx.isClosed());
    }

    // Rule 3: a leaked handle is closed by the Cleaner (it also logs a warning saying so).
    @Test
    void leakedHandleIsClosedByTheCleaner() throws Exception {
        int fd = openAndForget();
        Path link = Path.of("/proc/self/fd/" + fd);
        String socket = Files.readSymbolicLink(link).toString();
        assertTrue(socket.startsWith("socket:["), socket);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (isSame(link, socket) && System.nanoTime() < deadline) {
            System.gc();
            Thread.sleep(50);
        }
        assertFalse(isSame(link, socket), "the cleaner should have closed fd " + fd);
    }

    // Rule 3 with a batch still open: the batch went unreachable with its handle, so its use of
    // the ring can never be given back; the Cleaner frees the handle anyway.
    @Test
    void leakedHandleWithAnOpenBatchIsClosedByTheCleaner() throws Exception {
        int fd = openTakeABatchAndForget();
        assertCleanerCloses(fd);
    }

    // The same for TX: a slot whose data() segment is out holds a use of the ring.
    @Test
    void leakedInjectorWithAHeldSlotIsClosedByTheCleaner() throws Exception {
        int fd = ns.call(() -> {
            AfPacketTx tx = AfPacketTx.builder().interfaceName(ns.a).frameCount(16).build();
            TxSlot slot = tx.allocate(64);
            assertNotNull(slot);
            assertEquals(64, slot.data().byteSize());
            return tx.fd();
        });
        assertCleanerCloses(fd);
    }

    private int openTakeABatchAndForget() throws Exception {
        AfPacketRx rx = open();
        send(5);
        PacketBatch batch = rx.nextBatchBlocking(Duration.ofSeconds(5));
        assertNotNull(batch);
        assertEquals(64, batch.iterator().next().data().byteSize());
        return rx.fd();
    }

    private static void assertCleanerCloses(int fd) throws Exception {
        Path link = Path.of("/proc/self/fd/" + fd);
        String socket = Files.readSymbolicLink(link).toString();
        assertTrue(socket.startsWith("socket:["), socket);
        for (int i = 0; i < 100 && isSame(link, socket); i++) {
            System.gc();
            Thread.sleep(50);
        }
        assertFalse(isSame(link, socket), "the cleaner should have closed fd " + fd);
    }

    private static boolean isSame(Path link, String target) {
        try {
            return Files.readSymbolicLink(link).toString().equals(target);
        } catch (java.io.IOException gone) {
            return false;
        }
    }

    private int openAndForget() throws Exception {
        return open().fd();
    }
}
