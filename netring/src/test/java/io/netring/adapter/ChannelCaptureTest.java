package io.netring.adapter;

import io.netring.Capture;
import io.netring.CaptureBuilder;
import io.netring.CaptureStats;
import io.netring.InterfaceNotFoundException;
import io.netring.NetringException;
import io.netring.OwnedPacket;
import io.netring.internal.linux.Errno;
import io.netring.testing.FrameSender;
import io.netring.testing.NetNamespace;
import io.netring.testing.Privileged;
import io.netring.testing.TestRings;
import io.netring.testing.Waits;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.*;

/** The channel adapter on a veth pair in a namespace made per test. */
@Privileged
@Timeout(60)
class ChannelCaptureTest {
    private NetNamespace ns;
    private FrameSender tx;

    @BeforeEach
    void setUp() throws Exception {
        ns = NetNamespace.create();
        tx = ns.call(() -> new FrameSender(ns.a));
    }

    @AfterEach
    void tearDown() throws Exception {
        tx.close();
        ns.close();
    }

    /** The capture thread may fall behind the sender: room for every frame in a block of its own. */
    private CaptureBuilder smallRing() {
        return Capture.builder().interfaceName(ns.b).blockSize(TestRings.BLOCK_SIZE)
                .blockCount(TestRings.blocksFor(500)).blockTimeout(Duration.ofMillis(10))
                .pollTimeout(Duration.ofMillis(50));
    }

    private ChannelCapture spawn(int capacity, OverflowPolicy policy) throws Exception {
        return ns.call(() -> ChannelCapture.spawn(smallRing(), capacity, policy));
    }

    /** The next test frame (skipping anything else), or fails after {@code within}. */
    private static OwnedPacket nextTestFrame(ChannelCapture ch, Duration within) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        for (;;) {
            long left = deadline - System.nanoTime();
            OwnedPacket p = left > 0 ? ch.recv(Duration.ofNanos(left)) : null;
            if (p == null) {
                fail("no test frame within " + within);
            }
            if (FrameSender.sequenceOf(p.data()) >= 0) {
                return p;
            }
        }
    }

    @Test
    void framesArriveInOrderAndByteExact() throws Exception {
        int n = 500;
        try (ChannelCapture ch = spawn(1024, OverflowPolicy.BLOCK)) {
            for (int i = 0; i < n; i++) {
                tx.send(FrameSender.frame(i, 60 + i % 100));
            }
            for (int i = 0; i < n; i++) {
                OwnedPacket p = nextTestFrame(ch, Duration.ofSeconds(30));
                assertArrayEquals(FrameSender.frame(i, 60 + i % 100), p.data(), "frame " + i);
                assertEquals(60 + i % 100, p.originalLength());
            }
            assertNull(ch.tryRecv(), "nothing beyond what was sent");
            assertEquals(0, ch.dropped());
        }
    }

    @Test
    void dropNewestKeepsTheOldestAndCountsEveryLoss() throws Exception {
        int n = 500;
        int capacity = 4;
        try (ChannelCapture ch = spawn(capacity, OverflowPolicy.DROP_NEWEST)) {
            tx.sendSequence(0, n, 128);
            // The consumer is as slow as can be: it reads nothing until the capture thread
            // has handled every frame.
            Waits.until(() -> ch.dropped() + ch.queued() >= n, Duration.ofSeconds(30), "every frame queued or dropped");
            Thread.sleep(100);          // room for any frame beyond those sent to show up
            List<Integer> received = new ArrayList<>();
            int all = 0;
            for (OwnedPacket p; (p = ch.tryRecv()) != null; ) {
                all++;
                int seq = FrameSender.sequenceOf(p.data());
                if (seq >= 0) {
                    received.add(seq);
                }
            }
            assertEquals(List.of(0, 1, 2, 3), received, "the queue keeps the oldest frames");
            assertEquals(n - received.size(), ch.dropped(), "sent - received == dropped");
            CaptureStats kernel = ch.stats();
            assertEquals(0, kernel.drops(), "the ring itself lost nothing: " + kernel);
            assertEquals(kernel.packets(), all + ch.dropped(), "every packet the kernel delivered is either received or counted");
        }
    }

    @Test
    void blockLosesNothingWhileTheRingAbsorbsASlowConsumer() throws Exception {
        int n = 300;
        try (ChannelCapture ch = spawn(4, OverflowPolicy.BLOCK)) {
            tx.sendSequence(0, n, 128);
            for (int i = 0; i < n; i++) {
                OwnedPacket p = nextTestFrame(ch, Duration.ofSeconds(30));
                assertEquals(i, FrameSender.sequenceOf(p.data()), "frame order");
                if (i % 10 == 0) {
                    Thread.sleep(5);           // slow consumer: the queue stays full meanwhile
                }
            }
            assertEquals(0, ch.dropped());
            assertEquals(0, ch.stats().drops(), "the ring absorbed the delay");
        }
    }

    @Test
    void closeWakesAConsumerBlockedInRecvWithAClearException() throws Exception {
        ChannelCapture ch = spawn(16, OverflowPolicy.BLOCK);
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread consumer = Thread.ofPlatform().start(() -> {
            try {
                ch.recv();
                thrown.set(new AssertionError("recv() returned on an idle interface"));
            } catch (Throwable t) {
                thrown.set(t);
            }
        });
        waitUntilWaiting(consumer);
        ch.close();
        consumer.join(Duration.ofSeconds(30));
        assertFalse(consumer.isAlive(), "the consumer woke");
        IllegalStateException e = assertInstanceOf(IllegalStateException.class, thrown.get());
        assertEquals("ChannelCapture on " + ns.b + " closed", e.getMessage());
        assertFalse(ch.isCapturing(), "close() joined the capture thread");
        assertThrows(IllegalStateException.class, ch::tryRecv);
        assertThrows(IllegalStateException.class, () -> ch.recv(Duration.ofMillis(1)));
    }

    @Test
    void closeTwiceAndFromTwoThreadsAtOnceIsHarmless() throws Exception {
        ChannelCapture ch = spawn(16, OverflowPolicy.BLOCK);
        tx.sendSequence(0, 10, 64);
        nextTestFrame(ch, Duration.ofSeconds(30));
        var bad = assertThrows(IllegalArgumentException.class, () -> ch.recv(Duration.ofMillis(-1)));
        assertEquals("timeout=PT-0.001S: must be zero or positive", bad.getMessage());
        CompletableFuture<Void> other = CompletableFuture.runAsync(ch::close);
        ch.close();
        other.get(30, TimeUnit.SECONDS);
        ch.close();
        assertTrue(ch.isClosed());
        assertFalse(ch.isCapturing());
        assertEquals(0, threadsNamed(ChannelCapture.THREAD_PREFIX + ns.b));
    }

    @Test
    void iterationEndsWhenClosedFromAnotherThread() throws Exception {
        ChannelCapture ch = spawn(64, OverflowPolicy.BLOCK);
        tx.sendSequence(0, 5, 64);
        AtomicInteger seen = new AtomicInteger();
        CompletableFuture<Integer> counted = CompletableFuture.supplyAsync(() -> {
            for (OwnedPacket p : ch) {
                if (FrameSender.sequenceOf(p.data()) >= 0) {
                    seen.incrementAndGet();
                }
            }
            return seen.get();
        });
        // Close only once the iteration has had all five: then it can only end through the close.
        Waits.until(() -> seen.get() >= 5, Duration.ofSeconds(30), "the iteration saw the five frames");
        ch.close();
        assertEquals(5, counted.get(30, TimeUnit.SECONDS));
    }

    @Test
    void aCaptureFailureReachesTheConsumerAfterTheQueuedPackets() throws Exception {
        try (ChannelCapture ch = spawn(64, OverflowPolicy.BLOCK)) {
            tx.sendSequence(0, 3, 64);
            Waits.until(() -> ch.queued() >= 3, Duration.ofSeconds(30), "three frames queued");
            // A link that goes down comes back; a deleted interface does not: that ends the capture.
            ns.ip("link", "del", ns.b);
            Waits.until(() -> !ch.isCapturing(), Duration.ofSeconds(30), "the capture thread ended");
            assertFalse(ch.isCapturing(), "the capture thread ended on the error");
            int frames = 0;
            NetringException failure = null;
            try {
                for (int i = 0; i < 100; i++) {
                    if (FrameSender.sequenceOf(ch.recv().data()) >= 0) {
                        frames++;
                    }
                }
            } catch (NetringException e) {
                failure = e;
            }
            assertEquals(3, frames, "queued packets come first");
            assertNotNull(failure, "then the failure, not a silent end");
            assertTrue(failure.getMessage().contains("capture thread of ChannelCapture on " + ns.b + " failed"),
                    failure.getMessage());
            InterfaceNotFoundException cause = assertInstanceOf(InterfaceNotFoundException.class, failure.getCause());
            assertEquals(ns.b, cause.interfaceName());
            assertEquals(Errno.ENODEV, failure.errno(), failure.toString());
            assertThrows(NetringException.class, ch::tryRecv, "the failure stays");
            assertThrows(NetringException.class, ch::recv);
        }
    }

    static void waitUntilWaiting(Thread t) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (t.getState() != Thread.State.WAITING && t.getState() != Thread.State.TIMED_WAITING) {
            if (System.nanoTime() > deadline) {
                fail(t + " never blocked: " + t.getState());
            }
            Thread.sleep(5);
        }
    }

    static long threadsNamed(String prefix) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith(prefix)).count();
    }
}
