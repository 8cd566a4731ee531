package io.netring.bench;

import io.netring.AfPacketRx;
import io.netring.AfPacketRxBuilder;
import io.netring.Capture;
import io.netring.OwnedPacket;
import io.netring.Packet;
import io.netring.PacketBatch;
import io.netring.adapter.AsyncCapture;
import io.netring.adapter.ChannelCapture;
import io.netring.adapter.OverflowPolicy;
import io.netring.adapter.PacketPublisher;
import io.netring.testing.FrameSender;
import io.netring.testing.NetNamespace;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Not a test: measures the CPU time the receiving side spends per packet with each adapter,
 * against the plain batch API, side by side on one veth pair in a namespace it creates.
 * Consumer-side threads only (capture thread, reactor, consumer), as the nanoseconds of run
 * time the kernel accounts to each ({@code /proc/self/task/N/schedstat}); the sender is excluded.
 *
 * <pre>
 * bin/mvn -q -pl netring-bench -am -DskipTests package
 * java --enable-native-access=ALL-UNNAMED -cp 'netring-bench/target/classes:netring-bench/target/lib/*' \
 *      io.netring.bench.AdapterCost [FRAMES]
 * </pre>
 */
public final class AdapterCost {
    private AdapterCost() {}

    private static final int SIZE = 64;
    /** The name prefix of AsyncCapture's epoll reactor threads. */
    private static final String REACTOR_THREADS = "netring-reactor";

    public static void main(String[] args) throws Exception {
        int frames = args.length > 0 ? Integer.parseInt(args[0]) : 500_000;
        try (NetNamespace ns = NetNamespace.create()) {
            for (int rep = 0; rep < 2; rep++) {        // the first round warms the JIT
                report(rep, "batch iterator + toOwned", frames, batch(ns, frames));
                report(rep, "ChannelCapture BLOCK", frames, channel(ns, frames));
                report(rep, "AsyncCapture recv()", frames, async(ns, frames));
                report(rep, "PacketPublisher (request 256)", frames, publisher(ns, frames));
            }
        }
    }

    private record Result(long received, long cpuNanos, long kernelDrops) {}

    private static void report(int rep, String name, int frames, Result r) {
        if (rep == 0) {
            return;
        }
        System.out.printf("%-32s %8d/%d received, kernel drops %6d, consumer-side CPU %6.1f ns/packet%n",
                name, r.received(), frames, r.kernelDrops(), (double) r.cpuNanos() / Math.max(1, r.received()));
    }

    private static AfPacketRxBuilder ring(NetNamespace ns) {
        return AfPacketRx.builder().interfaceName(ns.b).blockSize(1 << 20).blockCount(64)
                .blockTimeout(Duration.ofMillis(10));
    }

    /** Sends {@code frames} test frames from a thread of its own, in the namespace. */
    private static Thread sender(NetNamespace ns, int frames) {
        return Thread.ofPlatform().start(() -> {
            try {
                ns.run(() -> {
                    try (FrameSender tx = new FrameSender(ns.a)) {
                        tx.sendSequence(0, frames, SIZE);
                    }
                });
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** Run time of the calling thread so far. */
    private static long selfNanos() {
        return schedNanos(Path.of("/proc/thread-self/schedstat"));
    }

    /** Run time so far of the live threads whose kernel name (first 15 characters) starts with {@code prefix}. */
    private static long threadsNanos(String prefix) {
        String comm = prefix.length() > 15 ? prefix.substring(0, 15) : prefix;
        long sum = 0;
        try (var tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : tasks.toList()) {
                try {
                    if (Files.readString(task.resolve("comm")).trim().startsWith(comm)) {
                        sum += schedNanos(task.resolve("schedstat"));
                    }
                } catch (IOException gone) {
                    // the thread ended meanwhile
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return sum;
    }

    private static long schedNanos(Path schedstat) {
        try {
            return Long.parseLong(Files.readString(schedstat).trim().split(" ")[0]);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A consumer's loop; it may throw. */
    private interface Loop {
        void run() throws Exception;
    }

    /**
     * Runs {@code loop} on a platform consumer thread while {@code frames} are sent, and returns
     * the CPU time that thread used.
     */
    private static long consumeWhileSending(NetNamespace ns, int frames, Loop loop) throws Exception {
        long[] cpu = new long[1];
        Thread consumer = Thread.ofPlatform().start(() -> {
            long start = selfNanos();
            try {
                loop.run();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            cpu[0] = selfNanos() - start;
        });
        sender(ns, frames).join();
        consumer.join();
        return cpu[0];
    }

    private static Result batch(NetNamespace ns, int frames) throws Exception {
        AfPacketRx rx = ns.call(() -> ring(ns).build());
        long[] got = new long[1];
        long cpu = consumeWhileSending(ns, frames, () -> {
            long idleSince = System.nanoTime();
            while (got[0] < frames && System.nanoTime() - idleSince < 2_000_000_000L) {
                try (PacketBatch b = rx.nextBatchBlocking(Duration.ofMillis(100))) {
                    if (b == null) {
                        continue;
                    }
                    idleSince = System.nanoTime();
                    for (Packet p : b) {
                        OwnedPacket o = p.toOwned();
                        if (o.length() == SIZE) {
                            got[0]++;
                        }
                    }
                }
            }
        });
        long drops = rx.stats().drops();
        rx.close();
        return new Result(got[0], cpu, drops);
    }

    private static Result channel(NetNamespace ns, int frames) throws Exception {
        ChannelCapture ch = ns.call(() -> ChannelCapture.spawn(Capture.builder().interfaceName(ns.b)
                .blockSize(1 << 20).blockCount(64).blockTimeout(Duration.ofMillis(10)), 65536, OverflowPolicy.BLOCK));
        long captureStart = threadsNanos(ChannelCapture.THREAD_PREFIX);
        long[] got = new long[1];
        long cpu = consumeWhileSending(ns, frames, () -> {
            OwnedPacket p;
            while (got[0] < frames && (p = ch.recv(Duration.ofSeconds(2))) != null) {
                if (p.length() == SIZE) {
                    got[0]++;
                }
            }
        });
        long captureCpu = threadsNanos(ChannelCapture.THREAD_PREFIX) - captureStart;
        long drops = ch.stats().drops();
        ch.close();
        return new Result(got[0], cpu + captureCpu, drops);
    }

    private static Result async(NetNamespace ns, int frames) throws Exception {
        AsyncCapture async = AsyncCapture.of(ns.call(() -> ring(ns).build()));
        long reactorStart = threadsNanos(REACTOR_THREADS);
        long[] got = new long[1];
        long cpu = consumeWhileSending(ns, frames, () -> {
            try {
                while (got[0] < frames) {
                    List<OwnedPacket> block = async.recv().get(2, TimeUnit.SECONDS);
                    for (OwnedPacket p : block) {
                        if (p.length() == SIZE) {
                            got[0]++;
                        }
                    }
                }
            } catch (TimeoutException idle) {
                // the rest was lost
            }
        });
        long reactorCpu = threadsNanos(REACTOR_THREADS) - reactorStart;
        long drops = async.source().stats().drops();
        async.close();
        return new Result(got[0], cpu + reactorCpu, drops);
    }

    private static Result publisher(NetNamespace ns, int frames) throws Exception {
        AsyncCapture async = AsyncCapture.of(ns.call(() -> ring(ns).build()));
        long reactorStart = threadsNanos(REACTOR_THREADS);
        AtomicLong got = new AtomicLong();
        CountDownLatch done = new CountDownLatch(1);
        // Signals run on one platform thread here so its CPU time can be read.
        ExecutorService signals = Executors.newSingleThreadExecutor(
                r -> Thread.ofPlatform().name("cost-signals").unstarted(r));
        signals.submit(() -> { }).get();
        long signalStart = threadsNanos("cost-signals");
        PacketPublisher.of(async, signals).subscribe(new Flow.Subscriber<>() {
            Flow.Subscription s;
            int sinceRequest;

            @Override
            public void onSubscribe(Flow.Subscription s) {
                this.s = s;
                s.request(256);
            }

            @Override
            public void onNext(OwnedPacket item) {
                if (item.length() == SIZE && got.incrementAndGet() == frames) {
                    s.cancel();
                    done.countDown();
                    return;
                }
                if (++sinceRequest == 256) {
                    sinceRequest = 0;
                    s.request(256);
                }
            }

            @Override
            public void onError(Throwable t) {
                done.countDown();
            }

            @Override
            public void onComplete() {
                done.countDown();
            }
        });
        sender(ns, frames).join();
        done.await(5, TimeUnit.SECONDS);
        long used = threadsNanos(REACTOR_THREADS) - reactorStart + threadsNanos("cost-signals") - signalStart;
        long drops = async.source().stats().drops();
        async.close();
        signals.shutdown();
        return new Result(got.get(), used, drops);
    }
}
