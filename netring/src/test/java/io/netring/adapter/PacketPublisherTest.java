package io.netring.adapter;

import io.netring.OwnedPacket;
import io.netring.Timestamp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.*;

/** The publisher's Reactive Streams behaviour over a scripted block source; no privileges needed. */
@Timeout(30)
class PacketPublisherTest {

    private static OwnedPacket packet(int n) {
        return new OwnedPacket(new byte[] {(byte) (n >>> 24), (byte) (n >>> 16), (byte) (n >>> 8), (byte) n},
                new Timestamp(n, 0), 4);
    }

    private static int number(OwnedPacket p) {
        byte[] d = p.data();
        return ((d[0] & 0xFF) << 24) | ((d[1] & 0xFF) << 16) | ((d[2] & 0xFF) << 8) | (d[3] & 0xFF);
    }

    /** Blocks of {@code perBlock} numbered packets, endless; counts how many blocks were asked for. */
    private static class Blocks implements Supplier<CompletableFuture<List<OwnedPacket>>> {
        final int perBlock;
        final AtomicInteger asked = new AtomicInteger();
        int next;

        Blocks(int perBlock) {
            this.perBlock = perBlock;
        }

        @Override
        public synchronized CompletableFuture<List<OwnedPacket>> get() {
            asked.incrementAndGet();
            List<OwnedPacket> block = new ArrayList<>();
            for (int i = 0; i < perBlock; i++) {
                block.add(packet(next++));
            }
            return CompletableFuture.completedFuture(block);
        }
    }

    /** Records every signal; checks that they never overlap. */
    private static class Recorder implements Flow.Subscriber<OwnedPacket> {
        final List<Integer> received = Collections.synchronizedList(new ArrayList<>());
        final AtomicInteger inside = new AtomicInteger();
        final AtomicBoolean overlapped = new AtomicBoolean();
        final CountDownLatch terminated = new CountDownLatch(1);
        volatile Flow.Subscription subscription;
        volatile Throwable error;
        volatile boolean completed;
        volatile int subscribeCalls;

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscribeCalls++;
            subscription = s;
        }

        @Override
        public void onNext(OwnedPacket item) {
            if (inside.incrementAndGet() != 1) {
                overlapped.set(true);
            }
            received.add(number(item));
            inside.decrementAndGet();
        }

        @Override
        public void onError(Throwable t) {
            error = t;
            terminated.countDown();
        }

        @Override
        public void onComplete() {
            completed = true;
            terminated.countDown();
        }
    }

    private static List<Integer> range(int from, int to) {
        List<Integer> r = new ArrayList<>();
        for (int i = from; i < to; i++) {
            r.add(i);
        }
        return r;
    }

    @Test
    void aSubscriberRequestingTenAtATimeGetsExactlyTen() {
        Blocks blocks = new Blocks(7);      // blocks straddle the demand on purpose
        PacketPublisher pub = new PacketPublisher(blocks, () -> false, Runnable::run);
        Recorder r = new Recorder();
        pub.subscribe(r);
        assertEquals(1, r.subscribeCalls);
        assertTrue(r.received.isEmpty(), "nothing before a request");
        assertEquals(0, blocks.asked.get(), "no block taken before demand");
        for (int round = 1; round <= 5; round++) {
            r.subscription.request(10);
            assertEquals(range(0, 10 * round), r.received, "round " + round);
        }
        // 50 packets need ceil(50 / 7) = 8 blocks; the source was not asked for more.
        assertEquals(8, blocks.asked.get());
        r.subscription.cancel();
        r.subscription.request(10);
        assertEquals(50, r.received.size(), "nothing after cancel");
        assertFalse(r.overlapped.get());
        assertNull(r.error);
    }

    @Test
    void nonPositiveRequestsSignalIllegalArgument() {
        for (long n : new long[] {0, -1, Long.MIN_VALUE}) {
            PacketPublisher pub = new PacketPublisher(new Blocks(3), () -> false, Runnable::run);
            Recorder r = new Recorder();
            pub.subscribe(r);
            r.subscription.request(n);
            IllegalArgumentException e = assertInstanceOf(IllegalArgumentException.class, r.error, "n=" + n);
            assertEquals("n=" + n + ": request(n) needs n > 0 (Reactive Streams §3.9)", e.getMessage());
            r.subscription.request(5);
            assertTrue(r.received.isEmpty(), "no onNext after onError");
        }
    }

    @Test
    void unboundedDemandIsNotDecremented() {
        PacketPublisher pub = new PacketPublisher(new Blocks(5) {
            @Override
            public synchronized CompletableFuture<List<OwnedPacket>> get() {
                return next >= 20 ? new CompletableFuture<>() : super.get();   // then nothing more arrives
            }
        }, () -> false, Runnable::run);
        Recorder r = new Recorder();
        pub.subscribe(r);
        r.subscription.request(Long.MAX_VALUE);
        r.subscription.request(Long.MAX_VALUE);          // saturates, no overflow
        assertEquals(range(0, 20), r.received);
    }

    @Test
    void oneSubscriberAtATime() {
        PacketPublisher pub = new PacketPublisher(new Blocks(3), () -> false, Runnable::run);
        Recorder first = new Recorder();
        pub.subscribe(first);
        Recorder second = new Recorder();
        pub.subscribe(second);
        assertEquals(1, second.subscribeCalls, "onSubscribe comes first, also when refused");
        assertInstanceOf(IllegalStateException.class, second.error);
        first.subscription.cancel();
        Recorder third = new Recorder();
        pub.subscribe(third);
        third.subscription.request(2);
        assertNull(third.error);
        assertEquals(2, third.received.size());
        assertThrows(NullPointerException.class, () -> pub.subscribe(null));
    }

    @Test
    void aFailedBlockSignalsOnErrorAfterTheDeliveredPackets() {
        IllegalStateException boom = new IllegalStateException("socket error");
        AtomicInteger calls = new AtomicInteger();
        PacketPublisher pub = new PacketPublisher(() -> calls.getAndIncrement() == 0
                ? CompletableFuture.completedFuture(List.of(packet(0), packet(1)))
                : CompletableFuture.failedFuture(boom), () -> false, Runnable::run);
        Recorder r = new Recorder();
        pub.subscribe(r);
        r.subscription.request(10);
        assertEquals(List.of(0, 1), r.received);
        assertSame(boom, r.error);
        assertFalse(r.completed);
    }

    @Test
    void closingTheCaptureCompletesTheSubscriber() {
        AtomicBoolean closed = new AtomicBoolean();
        CompletableFuture<List<OwnedPacket>> pending = new CompletableFuture<>();
        PacketPublisher pub = new PacketPublisher(() -> pending, closed::get, Runnable::run);
        Recorder r = new Recorder();
        pub.subscribe(r);
        r.subscription.request(1);
        closed.set(true);
        pending.completeExceptionally(new IllegalStateException("AsyncCapture closed"));
        assertTrue(r.completed);
        assertNull(r.error);
    }

    @Test
    void cancelWithdrawsThePendingBlockRequest() {
        CompletableFuture<List<OwnedPacket>> pending = new CompletableFuture<>();
        PacketPublisher pub = new PacketPublisher(() -> pending, () -> false, Runnable::run);
        Recorder r = new Recorder();
        pub.subscribe(r);
        r.subscription.request(3);
        r.subscription.cancel();
        assertTrue(pending.isCancelled());
        assertNull(r.error);
        assertFalse(r.completed);
    }

    @Test
    void concurrentRequestsNeverOverlapSignalsNorExceedDemand() throws Exception {
        Blocks blocks = new Blocks(13);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            PacketPublisher pub = new PacketPublisher(blocks, () -> false, pool);
            Recorder r = new Recorder();
            pub.subscribe(r);
            int requesters = 8;
            int perRequester = 500;
            CountDownLatch start = new CountDownLatch(1);
            ConcurrentLinkedQueue<Thread> threads = new ConcurrentLinkedQueue<>();
            for (int t = 0; t < requesters; t++) {
                threads.add(Thread.ofPlatform().start(() -> {
                    try {
                        start.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    for (int i = 0; i < perRequester; i++) {
                        r.subscription.request(1);
                    }
                }));
            }
            start.countDown();
            for (Thread t : threads) {
                t.join();
            }
            int total = requesters * perRequester;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (r.received.size() < total && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            Thread.sleep(100);
            assertEquals(range(0, total), r.received, "exactly the demand, in order");
            assertFalse(r.overlapped.get(), "onNext calls overlapped");
        } finally {
            pool.shutdownNow();
        }
    }
}
