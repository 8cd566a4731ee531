package io.netring.examples;

import io.netring.Capture;
import io.netring.CaptureBuilder;
import io.netring.FanoutFlag;
import io.netring.FanoutMode;
import io.netring.InterfaceInfo;
import io.netring.RingProfile;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One capture thread per CPU, all in one fanout group with {@link FanoutMode#CPU}: the kernel
 * hands each packet to the socket of the CPU that received it, so the threads never contend.
 * Prints per-thread packet counts when done.
 *
 * <pre>bin/run-class io.netring.examples.Fanout INTERFACE [SECONDS]</pre>
 *
 * <p>The first socket lets the kernel choose an unused group id (UNIQUE_ID); the others join
 * that id, so this never collides with another program's fanout group.
 */
public final class Fanout {
    private Fanout() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 1 || args.length > 2) {
            System.err.println("usage: Fanout INTERFACE [SECONDS]   (needs CAP_NET_RAW)");
            System.exit(2);
        }
        Duration duration = Duration.ofSeconds(args.length > 1 ? Long.parseLong(args[1]) : 10);
        run(args[0], duration, Runtime.getRuntime().availableProcessors(), System.out);
    }

    /**
     * Captures on {@code interfaceName} with {@code threads} fanout members for {@code duration}.
     * @return the packet count of each thread
     */
    public static long[] run(String interfaceName, Duration duration, int threads, PrintStream out) throws Exception {
        InterfaceInfo info = InterfaceInfo.of(interfaceName);
        out.printf("%s: index %d, mtu %d, %s, rx queues %s; %d capture thread(s), FanoutMode.CPU%n",
                info.name(), info.index(), info.mtu(), info.flags(),
                info.rxQueues().isPresent() ? info.rxQueues().getAsInt() : "unknown (sysfs shows another namespace)",
                threads);
        List<Capture> captures = new ArrayList<>();
        List<Thread> readers = new ArrayList<>();
        long[] counts = new long[threads];
        try {
            Capture first = member(interfaceName, 0).fanoutFlags(FanoutFlag.UNIQUE_ID).build();
            captures.add(first);
            int group = first.fanoutGroupId().orElseThrow();
            out.printf("fanout group %d (chosen by the kernel)%n", group);
            for (int i = 1; i < threads; i++) {
                captures.add(member(interfaceName, group).build());
            }
            for (int i = 0; i < threads; i++) {
                Capture cap = captures.get(i);
                int slot = i;
                // Each thread writes only its own slot; join() below publishes the counts.
                readers.add(Thread.ofPlatform().name("capture-" + i).start(
                        () -> counts[slot] = cap.packets().count()));
            }
            Thread.sleep(duration);
        } finally {
            captures.forEach(Capture::close);    // ends every packets() stream
            for (Thread t : readers) {
                t.join();
            }
        }
        long total = 0;
        for (int i = 0; i < threads; i++) {
            out.printf("thread %d: %d packets%n", i, counts[i]);
            total += counts[i];
        }
        out.printf("total: %d packets%n", total);
        return counts;
    }

    private static CaptureBuilder member(String interfaceName, int group) {
        return Capture.builder()
                .interfaceName(interfaceName)
                .profile(RingProfile.MEMORY_CONSTRAINED)
                .blockTimeout(Duration.ofMillis(10))
                .fanout(FanoutMode.CPU, group);
    }
}
