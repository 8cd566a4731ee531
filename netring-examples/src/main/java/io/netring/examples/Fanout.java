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
 * <pre>bin/example fanout INTERFACE [--threads N] [--seconds S]</pre>
 *
 * <p>The first socket lets the kernel choose an unused group id (UNIQUE_ID); the others join
 * that id, so this never collides with another program's fanout group.
 *
 * <p>The line {@code fanout group N ...} comes once every member has joined. Counts are exact
 * for traffic after it: a socket is bound to the interface before it can join, and until it
 * has joined it receives on its own, so a packet arriving then reaches that member and the
 * group both, and is counted twice.
 */
public final class Fanout {
    private Fanout() {}

    private static final String USAGE = "usage: bin/example fanout IFACE [--threads N] [--seconds S]"
            + "   (N defaults to the CPU count, S to 10; needs CAP_NET_RAW)";

    public static void main(String[] args) throws Exception {
        Options o;
        try {
            o = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("fanout: " + e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        run(o.interfaceName(), o.duration(), o.threads(), System.out);
    }

    /** The command line: the interface, then named options, so "fanout eth0 4" cannot be misread. */
    record Options(String interfaceName, int threads, Duration duration) {
        static Options parse(String[] args) {
            if (args.length == 0 || args[0].startsWith("-")) {
                throw new IllegalArgumentException("the interface comes first");
            }
            int threads = Runtime.getRuntime().availableProcessors();
            long seconds = 10;
            for (int i = 1; i < args.length; i += 2) {
                String name = args[i];
                if (!name.equals("--threads") && !name.equals("--seconds")) {
                    throw new IllegalArgumentException("unknown argument '" + name + "' (known: --threads N, --seconds S)");
                }
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(name + " needs a value");
                }
                long value = positive(name, args[i + 1]);
                if (name.equals("--threads")) {
                    if (value > 1024) {
                        throw new IllegalArgumentException("--threads " + value + ": at most 1024");
                    }
                    threads = (int) value;
                } else {
                    seconds = value;
                }
            }
            return new Options(args[0], threads, Duration.ofSeconds(seconds));
        }

        private static long positive(String name, String text) {
            try {
                long n = Long.parseLong(text);
                if (n > 0) {
                    return n;
                }
            } catch (NumberFormatException ignored) {
                // reported below
            }
            throw new IllegalArgumentException(name + " must be a positive number, was '" + text + "'");
        }
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
            for (int i = 1; i < threads; i++) {
                captures.add(member(interfaceName, group).build());
            }
            out.printf("fanout group %d (chosen by the kernel): %d members joined%n", group, threads);
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
