package io.netring;

import io.netring.testing.FrameSender;
import io.netring.testing.NamespaceTest;
import io.netring.testing.Privileged;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.*;

/** Misuse across threads is refused with a reason, never half-done: one reader per ring, one TX producer. */
@Privileged
@Timeout(60)
class ThreadMisuseTest extends NamespaceTest {

    @Test
    void aSecondReaderWhileOneWaitsIsRefusedWithTheReason() throws Exception {
        try (AfPacketRx rx = smallCaptureOnB(16)) {
            AtomicReference<Object> waited = new AtomicReference<>();
            Thread waiter = Thread.ofPlatform().name("first-reader").start(() -> {
                for (;;) {
                    try {
                        waited.set(rx.nextBatchBlocking(Duration.ofSeconds(30)));
                        return;
                    } catch (IllegalStateException e) {
                        if (rx.isClosed()) {
                            return;             // woken by close() below
                        }
                        // the main thread was inside nextBatch at that moment: the refusal works
                        // both ways; try again
                    } catch (Exception e) {
                        waited.set(e);
                        return;
                    }
                }
            });
            IllegalStateException refused = null;
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (refused == null && System.nanoTime() < deadline) {
                try {
                    PacketBatch none = rx.nextBatch();     // until the waiter is inside, the idle ring gives null
                    assertNull(none);
                    Thread.sleep(1);                        // room for the waiter to get in
                } catch (IllegalStateException e) {
                    refused = e;
                }
            }
            assertNotNull(refused, "the second reader was never refused; the first got " + waited.get());
            assertEquals("thread 'first-reader' is already taking a batch from the AfPacketRx on " + ns.b
                    + " (called from '" + Thread.currentThread().getName() + "'); a ring has one reader at a time: "
                    + "give each thread its own socket in a fanout group, or hand packets to other threads with toOwned()",
                    refused.getMessage());
            rx.close();
            waiter.join(5_000);
            assertFalse(waiter.isAlive());
        }
    }

    @Test
    void racingReadersNeverShareABlock() throws Exception {
        int frames = 2_000;
        try (AfPacketRx rx = smallCaptureOnB(16)) {
            ConcurrentLinkedQueue<Long> seqs = new ConcurrentLinkedQueue<>();
            ConcurrentLinkedQueue<Integer> frameSeqs = new ConcurrentLinkedQueue<>();
            AtomicInteger refusals = new AtomicInteger();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            long deadline = System.nanoTime() + 20_000_000_000L;
            Runnable reader = () -> {
                while (frameSeqs.size() < frames && System.nanoTime() < deadline && failure.get() == null) {
                    try (PacketBatch b = rx.nextBatch()) {
                        if (b == null) {
                            Thread.onSpinWait();
                            continue;
                        }
                        seqs.add(b.seqNum());
                        for (Packet p : b) {
                            byte[] bytes = p.data().toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
                            int seq = FrameSender.sequenceOf(bytes);
                            if (seq >= 0) {
                                frameSeqs.add(seq);
                            }
                        }
                    } catch (IllegalStateException refused) {
                        refusals.incrementAndGet();
                    } catch (Throwable t) {
                        failure.set(t);
                    }
                }
            };
            List<Thread> readers = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                readers.add(Thread.ofPlatform().start(reader));
            }
            ns.run(() -> {
                try (FrameSender tx = new FrameSender(ns.a)) {
                    for (int i = 0; i < frames; i++) {
                        tx.send(FrameSender.frame(i, 64));
                        if (i % 100 == 99) {
                            Thread.sleep(2);      // within what 16 blocks of 64 KiB hold meanwhile
                        }
                    }
                }
            });
            for (Thread t : readers) {
                t.join(30_000);
            }
            assertNull(failure.get());
            Set<Long> distinctBlocks = new HashSet<>(seqs);
            assertEquals(seqs.size(), distinctBlocks.size(), "a block handed to both readers");
            Set<Integer> distinctFrames = new HashSet<>(frameSeqs);
            assertEquals(frameSeqs.size(), distinctFrames.size(), "a frame seen twice");
        }
    }

    @Test
    void flushFromASecondThreadWhileOneSendsIsRefused() throws Exception {
        try (AfPacketTx tx = ns.call(() -> AfPacketTx.builder().interfaceName(ns.a).frameCount(64).build())) {
            byte[] frame = FrameSender.frame(1, 64);
            ns.run(() -> {
                TxSlot slot = tx.allocate(64);
                slot.copyFrom(frame).send();
            });
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            Thread other = Thread.ofPlatform().name("other-flusher").start(() -> {
                try {
                    tx.flush();
                } catch (Throwable t) {
                    thrown.set(t);
                }
            });
            other.join(10_000);
            WrongThreadException e = assertInstanceOf(WrongThreadException.class, thrown.get());
            assertEquals("the AfPacketTx on " + ns.a + " belongs to thread '" + Thread.currentThread().getName()
                    + "', the first to allocate, send or flush; called from 'other-flusher'. Its TX ring is not "
                    + "thread-safe: use one injector per thread, or hand frames to the producing thread "
                    + "(close() works from any thread)", e.getMessage());
            // The producer's bookkeeping is intact: its own flush hands the frame over.
            assertTrue(tx.flushBlocking(Duration.ofSeconds(5)));
            assertEquals(1, tx.framesSent());
        }
    }
}
