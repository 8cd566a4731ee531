package io.netring.adapter;

import io.netring.CaptureStats;
import io.netring.PacketBatch;
import io.netring.PacketSource;
import io.netring.internal.linux.LinuxConstants;
import io.netring.internal.linux.Syscalls;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The shared reactor with eventfds standing in for packet sockets: readiness routing, churn of
 * registrations from many threads, and no thread left behind. No privileges needed.
 */
@Timeout(60)
class EpollReactorTest {

    /** A source whose readiness is an eventfd the test sets and clears; it has no packets. */
    static final class EventfdSource implements PacketSource, AutoCloseable {
        private final int fd = Syscalls.eventfd(0, LinuxConstants.EFD_CLOEXEC | LinuxConstants.EFD_NONBLOCK);
        private final MemorySegment cell = Arena.ofAuto().allocate(ValueLayout.JAVA_LONG);
        volatile boolean closed;

        EventfdSource() {
            assertTrue(fd >= 0, "eventfd: " + fd);
        }

        void makeReadable() {
            cell.set(ValueLayout.JAVA_LONG, 0, 1L);
            assertEquals(8, Syscalls.write(fd, cell, 8));
        }

        void clear() {
            Syscalls.read(fd, cell, 8);
        }

        @Override
        public PacketBatch nextBatch() { return null; }

        @Override
        public PacketBatch nextBatchBlocking(Duration timeout) { return null; }

        @Override
        public CaptureStats stats() { return CaptureStats.ZERO; }

        @Override
        public int fd() { return fd; }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                Syscalls.close(fd);
            }
        }

        @Override
        public String toString() { return "EventfdSource[" + fd + "]"; }
    }

    private static long reactorThreads() {
        return ChannelCaptureTest.threadsNamed(EpollReactor.THREAD_PREFIX);
    }

    @Test
    void readinessReachesOnlyTheCaptureWhoseFdIsReady() throws Exception {
        long before = reactorThreads();
        int n = 50;
        List<EventfdSource> sources = new ArrayList<>();
        List<AsyncCapture> captures = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            EventfdSource s = new EventfdSource();
            sources.add(s);
            captures.add(AsyncCapture.of(s));
        }
        assertEquals(before + 1, reactorThreads(), "one reactor for fifty captures");
        for (int round = 0; round < 3; round++) {
            List<CompletableFuture<Void>> futures = new ArrayList<>();
            for (AsyncCapture c : captures) {
                futures.add(c.readable());
            }
            for (int i = round; i < n; i += 3) {
                sources.get(i).makeReadable();
            }
            for (int i = round; i < n; i += 3) {
                futures.get(i).get(30, TimeUnit.SECONDS);
            }
            Thread.sleep(50);
            for (int i = 0; i < n; i++) {
                assertEquals((i - round) % 3 == 0 && i >= round, futures.get(i).isDone(), "capture " + i + " round " + round);
                futures.get(i).cancel(false);
            }
            sources.forEach(EventfdSource::clear);
        }
        captures.forEach(AsyncCapture::close);
        assertTrue(sources.stream().allMatch(s -> s.closed), "closing an AsyncCapture closes its source");
        assertEquals(before, reactorThreads());
    }

    @Test
    void registrationChurnFromManyThreadsLeavesNoThreadBehind() throws Exception {
        long before = reactorThreads();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int w = 0; w < 8; w++) {
                workers.add(pool.submit(() -> {
                    for (int i = 0; i < 200; i++) {
                        EventfdSource s = new EventfdSource();
                        AsyncCapture c = AsyncCapture.of(s);
                        CompletableFuture<Void> cancelled = c.readable();
                        CompletableFuture<Void> ready = c.readable();
                        cancelled.cancel(true);
                        s.makeReadable();
                        ready.get(30, TimeUnit.SECONDS);
                        CompletableFuture<Void> pending = c.readable();
                        s.clear();
                        c.close();
                        // Completed by readiness that raced the clear, or failed by close(): never left hanging.
                        try {
                            pending.get(30, TimeUnit.SECONDS);
                        } catch (java.util.concurrent.ExecutionException e) {
                            assertInstanceOf(IllegalStateException.class, e.getCause());
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> w : workers) {
                w.get(50, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (reactorThreads() > before && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(before, reactorThreads(), "reactor threads left running");
    }

    @Test
    void closingFromACallbackOnTheReactorThreadWorks() throws Exception {
        long before = reactorThreads();
        EventfdSource s = new EventfdSource();
        AsyncCapture c = AsyncCapture.of(s);
        CompletableFuture<String> closedOn = c.readable().thenApply(v -> {
            c.close();                          // runs on the reactor thread; must not wait for itself
            return Thread.currentThread().getName();
        });
        s.makeReadable();
        assertTrue(closedOn.get(30, TimeUnit.SECONDS).startsWith(EpollReactor.THREAD_PREFIX));
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (reactorThreads() > before && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(before, reactorThreads());
    }
}
