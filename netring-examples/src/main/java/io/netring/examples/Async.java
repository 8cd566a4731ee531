package io.netring.examples;

import io.netring.AfPacketRx;
import io.netring.OwnedPacket;
import io.netring.RingProfile;
import io.netring.adapter.AsyncCapture;
import io.netring.decode.FrameSummary;

import java.io.PrintStream;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The {@code async} example of the Rust crate: a virtual thread waits on {@code AsyncCapture.recv()}
 * futures (readiness comes from the shared epoll reactor) and prints each packet of every block.
 *
 * <pre>bin/run-class io.netring.examples.Async INTERFACE [COUNT]</pre>
 *
 * Stops after COUNT packets (default 10), or when no block came for 10 seconds.
 */
public final class Async {
    private Async() {}

    public static void main(String[] args) throws Exception {
        System.exit(run(args, System.out));
    }

    /** Runs the example, printing to {@code out}; returns the exit status. */
    public static int run(String[] args, PrintStream out) throws Exception {
        if (args.length < 1 || args.length > 2) {
            out.println("usage: Async INTERFACE [COUNT]");
            return 2;
        }
        int count = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        // Opened on this thread (its network namespace); waited on from a virtual thread.
        AfPacketRx rx = AfPacketRx.builder()
                .interfaceName(args[0])
                .profile(RingProfile.MEMORY_CONSTRAINED)
                .blockTimeout(Duration.ofMillis(10))
                .build();
        try (AsyncCapture async = AsyncCapture.of(rx)) {
            out.printf("capturing on %s; waiting on epoll readiness from a virtual thread%n", args[0]);
            int[] seen = {0};
            Thread consumer = Thread.ofVirtual().name("async-example").start(() -> {
                try {
                    while (seen[0] < count) {
                        List<OwnedPacket> block = async.recv().get(10, TimeUnit.SECONDS);   // unmounts while waiting
                        out.printf("block of %d packets%n", block.size());
                        for (OwnedPacket pkt : block) {
                            if (seen[0] == count) {
                                break;
                            }
                            seen[0]++;
                            out.printf("#%d [%s] %d bytes  %s%n", seen[0], pkt.timestamp(), pkt.length(),
                                    FrameSummary.describe(MemorySegment.ofArray(pkt.data())));
                        }
                    }
                } catch (TimeoutException e) {
                    out.println("no block for 10 s; stopping");
                } catch (Exception e) {
                    out.println("capture failed: " + e);
                }
            });
            consumer.join();
            out.printf("received %d, kernel: %s%n", seen[0], rx.stats());
            return seen[0] == count ? 0 : 1;
        }
    }
}
