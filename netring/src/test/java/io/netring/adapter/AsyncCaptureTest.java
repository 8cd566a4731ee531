package io.netring.adapter;

import io.netring.AfPacketRx;
import io.netring.InterfaceNotFoundException;
import io.netring.NetringException;
import io.netring.OwnedPacket;
import io.netring.Packet;
import io.netring.PacketBatch;
import io.netring.internal.linux.Errno;
import io.netring.testing.FrameSender;
import io.netring.testing.NetNamespace;
import io.netring.testing.Privileged;
import io.netring.testing.TestRings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.*;

/** The epoll-driven adapter on veth pairs, each in a namespace made per test. */
@Privileged
@Timeout(90)
class AsyncCaptureTest {
    private final List<AutoCloseable> cleanup = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (int i = cleanup.size() - 1; i >= 0; i--) {
            cleanup.get(i).close();
        }
    }

    /** A namespace with a sender on its A side; both closed after the test. */
    private record Pair(NetNamespace ns, FrameSender tx) {}

    private Pair pair() throws Exception {
        NetNamespace ns = NetNamespace.create();
        cleanup.add(ns);
        FrameSender tx = ns.call(() -> new FrameSender(ns.a));
        cleanup.add(tx);
        return new Pair(ns, tx);
    }

    private AsyncCapture capture(Pair p) throws Exception {
        // The reactor may fall behind the sender: room for every frame in a block of its own.
        AfPacketRx rx = p.ns().call(() -> AfPacketRx.builder().interfaceName(p.ns().b)
                .blockSize(TestRings.BLOCK_SIZE).blockCount(TestRings.blocksFor(300))
                .blockTimeout(Duration.ofMillis(10)).build());
        AsyncCapture async = AsyncCapture.of(rx);
        cleanup.add(async);
        return async;
    }

    private static long reactorThreads() {
        return ChannelCaptureTest.threadsNamed(EpollReactor.THREAD_PREFIX);
    }

    @Test
    void oneReactorServesFourCapturesAndEveryFrameReachesTheRightFuture() throws Exception {
        int perPair = 300;
        long before = reactorThreads();
        List<Pair> pairs = new ArrayList<>();
        List<AsyncCapture> captures = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Pair p = pair();
            pairs.add(p);
            captures.add(capture(p));
        }
        assertEquals(before + 1, reactorThreads(), "one reactor thread for all four captures");

        // Each consumer chains recv() futures until it has its pair's frames.
        List<CompletableFuture<List<Integer>>> results = new ArrayList<>();
        for (AsyncCapture c : captures) {
            results.add(collect(c, perPair, new ArrayList<>()));
        }
        for (int k = 0; k < perPair; k++) {          // interleaved, so all four rings fill at once
            for (int i = 0; i < 4; i++) {
                pairs.get(i).tx().send(FrameSender.frame(i * 100_000 + k, 64 + k % 64));
            }
        }
        for (int i = 0; i < 4; i++) {
            List<Integer> seqs = results.get(i).get(30, TimeUnit.SECONDS);
            List<Integer> expected = new ArrayList<>();
            for (int k = 0; k < perPair; k++) {
                expected.add(i * 100_000 + k);
            }
            assertEquals(expected, seqs, "capture " + i + " got exactly its own frames, in order");
        }
        for (AsyncCapture c : captures) {
            c.close();
        }
        assertEquals(before, reactorThreads(), "the reactor stopped with its last capture");
    }

    /** Chains recv() calls until {@code count} test frames were seen. */
    private static CompletableFuture<List<Integer>> collect(AsyncCapture c, int count, List<Integer> into) {
        return c.recv().thenCompose(packets -> {
            for (OwnedPacket p : packets) {
                int seq = FrameSender.sequenceOf(p.data());
                if (seq >= 0) {
                    into.add(seq);
                }
            }
            return into.size() >= count ? CompletableFuture.completedFuture(into) : collect(c, count, into);
        });
    }

    @Test
    void readableCompletesOnlyOnceABlockIsReady() throws Exception {
        Pair p = pair();
        AsyncCapture async = capture(p);
        CompletableFuture<Void> ready = async.readable();
        Thread.sleep(300);
        assertFalse(ready.isDone(), "no traffic, no readiness");

        p.tx().send(FrameSender.frame(42, 100));
        ready.get(30, TimeUnit.SECONDS);
        List<Integer> seqs = new ArrayList<>();
        try (PacketBatch batch = async.source().nextBatch()) {      // on this thread: zero copy
            assertNotNull(batch, "readable() promised a block");
            for (Packet pkt : batch) {
                seqs.add(FrameSender.sequenceOf(pkt.data().toArray(ValueLayout.JAVA_BYTE)));
            }
        }
        assertEquals(List.of(42), seqs);

        CompletableFuture<Void> again = async.readable();
        Thread.sleep(200);
        assertFalse(again.isDone(), "the only block was consumed");
        p.tx().send(FrameSender.frame(43, 100));
        again.get(30, TimeUnit.SECONDS);
    }

    @Test
    void cancelAndCloseLeaveNoThreadBehind() throws Exception {
        long before = reactorThreads();
        Pair p1 = pair();
        Pair p2 = pair();
        AsyncCapture a = capture(p1);
        AsyncCapture b = capture(p2);
        assertEquals(before + 1, reactorThreads());

        CompletableFuture<Void> cancelled = a.readable();
        CompletableFuture<Void> kept = a.readable();
        CompletableFuture<List<OwnedPacket>> pendingRecv = b.recv();
        assertTrue(cancelled.cancel(true));
        assertThrows(CancellationException.class, cancelled::join);
        assertFalse(kept.isDone(), "cancelling one request leaves the others");

        p1.tx().send(FrameSender.frame(1, 64));
        kept.get(30, TimeUnit.SECONDS);

        try (PacketBatch drain = a.source().nextBatch()) {
            assertNotNull(drain);       // consumed, so the next request stays pending
        }
        CompletableFuture<Void> pendingAtClose = a.readable();
        Thread.sleep(100);
        assertFalse(pendingAtClose.isDone());
        a.close();
        ExecutionException failed = assertThrows(ExecutionException.class, () -> pendingAtClose.get(30, TimeUnit.SECONDS));
        assertInstanceOf(IllegalStateException.class, failed.getCause());
        assertTrue(failed.getCause().getMessage().endsWith(" closed"), failed.getCause().getMessage());
        assertEquals(before + 1, reactorThreads(), "b still uses the reactor");

        b.close();
        b.close();
        a.close();
        failed = assertThrows(ExecutionException.class, () -> pendingRecv.get(30, TimeUnit.SECONDS));
        assertInstanceOf(IllegalStateException.class, failed.getCause());
        assertEquals(before, reactorThreads(), "no reactor thread left after the last close");
        assertThrows(IllegalStateException.class, a::readable);
        assertThrows(IllegalStateException.class, b::recv);
        assertThrows(IllegalStateException.class, () -> a.source().nextBatch(), "the source was closed too");

        // The next capture starts a fresh reactor.
        AsyncCapture c = capture(pair());
        assertEquals(before + 1, reactorThreads());
        c.close();
        assertEquals(before, reactorThreads());
    }

    @Test
    void thePatternsDoNotMixOnOneCapture() throws Exception {
        AsyncCapture async = capture(pair());
        async.readable().cancel(false);
        IllegalStateException e = assertThrows(IllegalStateException.class, async::recv);
        assertTrue(e.getMessage().contains("is in use with readable(); recv() would take blocks on a second thread"),
                e.getMessage());
    }

    @Test
    void closedOrMissingSourcesAreRefused() throws Exception {
        var e = assertThrows(IllegalArgumentException.class, () -> AsyncCapture.of(null));
        assertTrue(e.getMessage().startsWith("source=null: "), e.getMessage());
        Pair p = pair();
        AfPacketRx rx = p.ns().call(() -> AfPacketRx.builder().interfaceName(p.ns().b)
                .blockSize(1 << 16).blockCount(4).build());
        rx.close();
        assertThrows(IllegalStateException.class, () -> AsyncCapture.of(rx));
    }

    @Test
    void aSocketErrorFailsThePendingFutures() throws Exception {
        Pair p = pair();
        AsyncCapture async = capture(p);
        CompletableFuture<List<OwnedPacket>> pending = async.recv();
        p.ns().ip("link", "set", p.ns().b, "down");
        ExecutionException e = assertThrows(ExecutionException.class, () -> pending.get(30, TimeUnit.SECONDS));
        NetringException cause = assertInstanceOf(NetringException.class, e.getCause());
        assertEquals(Errno.ENETDOWN, cause.errno(), cause.getMessage());

        // The error was reported once; after the link is back, capture goes on.
        p.ns().ip("link", "set", p.ns().b, "up");
        CompletableFuture<List<OwnedPacket>> next = async.recv();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!next.isDone() && System.nanoTime() < deadline) {
            p.tx().send(FrameSender.frame(7, 64));    // veth needs a moment before it carries frames again
            try {
                next.get(100, TimeUnit.MILLISECONDS);
            } catch (TimeoutException notYet) {
                // send again
            }
        }
        assertTrue(next.get(1, TimeUnit.SECONDS).stream().anyMatch(pk -> FrameSender.sequenceOf(pk.data()) == 7));
    }

    @Test
    void aDeletedInterfaceFailsThePendingAndEveryLaterFuture() throws Exception {
        Pair p = pair();
        AsyncCapture async = capture(p);
        CompletableFuture<List<OwnedPacket>> pending = async.recv();
        p.ns().ip("link", "del", p.ns().b);
        ExecutionException e = assertThrows(ExecutionException.class, () -> pending.get(5, TimeUnit.SECONDS));
        InterfaceNotFoundException cause = assertInstanceOf(InterfaceNotFoundException.class, e.getCause());
        assertEquals(p.ns().b, cause.interfaceName());
        assertTrue(cause.getMessage().contains("was deleted; this capture cannot resume"), cause.getMessage());
        ExecutionException later = assertThrows(ExecutionException.class, () -> async.recv().get(1, TimeUnit.SECONDS));
        assertSame(cause, later.getCause());
    }

    /**
     * Far more virtual threads than there can be carriers (the scheduler never grows past 256,
     * and the default is one per core) wait on readable() at the same time. A thread that pinned
     * its carrier while joining would keep the rest from ever running, so they could not all be
     * parked at once; they are, so joining unmounts them.
     */
    @Test
    void virtualThreadsJoiningFuturesUnmountInsteadOfPinning() throws Exception {
        int threads = 600;
        Pair p = pair();
        AsyncCapture async = capture(p);
        AtomicInteger woke = new AtomicInteger();
        List<Thread> waiters = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            waiters.add(Thread.ofVirtual().name("waiter-" + i).start(() -> {
                async.readable().join();
                woke.incrementAndGet();
            }));
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (waiters.stream().anyMatch(t -> t.getState() != Thread.State.WAITING)) {
            long stuck = waiters.stream().filter(t -> t.getState() != Thread.State.WAITING).count();
            assertTrue(System.nanoTime() < deadline, stuck + " virtual threads never got to wait: pinned carriers?");
            Thread.sleep(10);
        }
        assertEquals(0, woke.get(), "nothing is ready before traffic");

        p.tx().send(FrameSender.frame(1, 64));
        for (Thread t : waiters) {
            assertTrue(t.join(Duration.ofSeconds(30)), t + " woke");
        }
        assertEquals(threads, woke.get());
    }
}
