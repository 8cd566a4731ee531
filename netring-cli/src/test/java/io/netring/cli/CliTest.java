package io.netring.cli;

import io.netring.testing.FrameSender;
import io.netring.testing.NamespaceTest;
import io.netring.testing.Privileged;
import io.netring.testing.TestRings;
import io.netring.testing.Waits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.*;

/** The `netring` command run in-process, on a veth pair in a namespace made per test. */
@Privileged
@Timeout(60)
class CliTest extends NamespaceTest {
    private CliRun run(String... args) throws Exception {
        return CliRun.in(ns, args);
    }

    @Test
    void captureWithCountPrintsExactlyThatManyLinesAndTheSummary() throws Exception {
        AtomicReference<CliRun> result = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicInteger sent = new AtomicInteger();
        int before = ns.packetSocketsOn(ns.b);
        ns.run(() -> {
            // Threads started here inherit the namespace. The ring has room for every frame in
            // a block of its own, so the command loses none however slowly it reads.
            Thread cli = Thread.ofPlatform().start(() -> {
                try {
                    result.set(run("capture", "-i", ns.b, "-c", "1000", "-B", "block-size=4K",
                            "-B", "block-count=" + TestRings.blocksFor(1000)));
                } catch (Throwable t) {
                    failure.set(t);
                }
            });
            // Send exactly the count, once the command's socket is bound (its ring is ready then).
            Waits.until(() -> {
                try {
                    return ns.packetSocketsOn(ns.b) > before || !cli.isAlive();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, Duration.ofSeconds(30), "the command opened its capture");
            try (FrameSender tx = new FrameSender(ns.a)) {
                for (int i = 0; i < 1000 && cli.isAlive(); i++) {
                    tx.send(FrameSender.frame(sent.getAndIncrement(), 60));
                }
            }
            cli.join(Duration.ofSeconds(30));
        });
        assertNull(failure.get());
        CliRun r = result.get();
        assertEquals(0, r.code(), r.err());
        // One line per packet; the frames' unknown EtherType adds tcpdump's hex lines (a tab first).
        assertEquals(1000, r.outLines().stream().filter(l -> !l.startsWith("\t")).count());
        assertTrue(r.outLines().getFirst().contains("ethertype Unknown (0x88b5), length 60"), r.outLines().getFirst());
        assertEquals(1000, StderrLines.count(r.err(), "captured"), r.err());
        long received = StderrLines.count(r.err(), "received by filter");
        assertTrue(received >= 1000 && received <= sent.get(), r.err());
        assertEquals(0, StderrLines.count(r.err(), "dropped by kernel"), r.err());
    }

    /** Runs a capture of {@code count} packets while test frames are sent to it. */
    private CliRun captureWhileSending(int count, String... extra) throws Exception {
        AtomicReference<CliRun> result = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<String> args = new java.util.ArrayList<>(List.of("capture", "-i", ns.b, "-c", String.valueOf(count)));
        args.addAll(List.of(extra));
        ns.run(() -> {
            Thread cli = Thread.ofPlatform().start(() -> {
                try {
                    result.set(run(args.toArray(String[]::new)));
                } catch (Throwable t) {
                    failure.set(t);
                }
            });
            try (FrameSender tx = new FrameSender(ns.a)) {
                long deadline = System.nanoTime() + 20_000_000_000L;
                for (int i = 0; cli.isAlive() && System.nanoTime() < deadline; i++) {
                    tx.send(FrameSender.frame(i, 60));
                    Thread.sleep(1);
                }
            }
            cli.join(5_000);
        });
        assertNull(failure.get());
        return result.get();
    }

    @Test
    void fieldsAndJsonOutput() throws Exception {
        CliRun fields = captureWhileSending(3, "-T", "fields", "-e", "frame.number", "-e", "eth.type", "-e", "frame.len",
                "-E", "separator=,");
        assertEquals(0, fields.code(), fields.err());
        assertEquals(List.of("1,0x88b5,60", "2,0x88b5,60", "3,0x88b5,60"), fields.outLines());
        CliRun json = captureWhileSending(1, "-T", "json", "-e", "frame.number", "-e", "eth.type", "-e", "ip.src");
        assertEquals(0, json.code(), json.err());
        assertEquals(List.of("{\"frame.number\":[\"1\"],\"eth.type\":[\"0x88b5\"]}"), json.outLines());
        CliRun link = captureWhileSending(1, "-e", "-xx");
        assertEquals(0, link.code(), link.err());
        assertTrue(link.outLines().getFirst().contains(", ethertype Unknown (0x88b5), length 60: "), link.out());
        assertTrue(link.outLines().get(1).startsWith("\t0x0000:  "), link.out());
    }

    @Test
    void loopbackShowsEachPacketOnce() throws Exception {
        ns.ip("link", "set", "lo", "up");
        AtomicReference<CliRun> result = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        ns.run(() -> {
            try (java.net.DatagramSocket rx = new java.net.DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
                int port = rx.getLocalPort();
                Thread cli = Thread.ofPlatform().start(() -> {
                    try {
                        result.set(run("capture", "-i", "lo", "-c", "3", "--timeout", "20s", "-T", "fields", "-e", "udp.srcport"));
                    } catch (Throwable t) {
                        failure.set(t);
                    }
                });
                // Each datagram from a new socket, so from its own source port, until the capture has 3.
                long deadline = System.nanoTime() + 20_000_000_000L;
                while (cli.isAlive() && System.nanoTime() < deadline) {
                    try (java.net.DatagramSocket tx = new java.net.DatagramSocket()) {
                        tx.send(new java.net.DatagramPacket(new byte[8], 8, java.net.InetAddress.getLoopbackAddress(), port));
                    }
                    Thread.sleep(2);
                }
                cli.join(5_000);
            }
        });
        assertNull(failure.get());
        CliRun r = result.get();
        assertEquals(0, r.code(), r.err());
        // The kernel shows each lo packet twice (outgoing, incoming); printed once, 3 lines are 3 datagrams.
        assertEquals(3, r.outLines().size(), r.out());
        assertEquals(3, r.outLines().stream().distinct().count(), r.out());
    }

    @Test
    void timeoutOnAnIdleInterfaceExitsZeroWithNothingCaptured() throws Exception {
        CliRun r = run("capture", "-i", ns.b, "--timeout", "1s", "--profile", "MEMORY_CONSTRAINED");
        assertEquals(0, r.code(), r.err());
        assertEquals("", r.out());
        assertEquals(List.of("netring: verbose output suppressed, use -v[v]... for full protocol decode",
                "listening on " + ns.b + ", link-type EN10MB (Ethernet), snapshot length 262144 bytes",
                "0 packets captured", "0 packets received by filter", "0 packets dropped by kernel"), r.err().lines().toList());
    }

    @Test
    void unknownInterfaceIsOneLineAndExitOne() throws Exception {
        CliRun r = run("capture", "-i", "nr-nosuch2", "-c", "1");
        assertEquals(1, r.code());
        assertEquals(List.of("netring: no network interface named 'nr-nosuch2' (if_nametoindex failed with ENODEV); "
                + "list the interfaces with `ip link`"), r.err().lines().toList());
    }

    @Test
    void usageErrorsExitTwo() throws Exception {
        CliRun unknown = run("capture", "-i", ns.b, "--bogus");
        assertEquals(2, unknown.code());
        assertTrue(unknown.err().startsWith("netring: Unknown option: '--bogus'"), unknown.err());

        CliRun negative = run("capture", "-i", ns.b, "-c", "-5");
        assertEquals(2, negative.code());
        assertTrue(negative.err().startsWith("netring: --count must be positive, was -5"), negative.err());

        CliRun badKey = run("capture", "-i", ns.b, "-B", "blocks=3");
        assertEquals(2, badKey.code());
        assertTrue(badKey.err().startsWith("netring: unknown ring option 'blocks'"), badKey.err());

        CliRun missing = run("capture");
        assertEquals(2, missing.code());
        assertTrue(missing.err().startsWith("netring: give exactly one of -i IFACE and -r FILE"), missing.err());
    }

    @Test
    void ringOptionsTheLibraryRejectsAreUsageErrorsNamedAsTyped() throws Exception {
        // Whether the value fails to parse or the library refuses it at build(), it is a usage
        // error (exit 2) that names the -B option, not the builder method behind it.
        String[][] cases = {
                {"block-size=1000", "netring: -B block-size=1000: must be a power of two, e.g. 1 << 22 (4 MiB)"},
                {"block-size=abc", "netring: block-size=abc: not a size (examples: 4096, 256K, 4M)"},
                {"block-count=0", "netring: -B block-count=0: must be at least 1"},
                {"frame-size=10", "netring: -B frame-size=10: must be at least 68 (TPACKET3_HDRLEN)"},
                {"frame-size=8M", "netring: -B frame-size=8388608: must not exceed -B block-size=4194304"},
                {"block-timeout=xyz", "netring: 'xyz' is not a duration (examples: 500ms, 1s, 2m)"},
                {"block-timeout=99999999999999999999h", "netring: '99999999999999999999h' is too long a duration (examples: 500ms, 1s, 2m)"},
        };
        for (String[] c : cases) {
            for (String command : new String[] {"capture", "stats"}) {
                CliRun r = run(command, "-i", ns.b, "-B", c[0]);
                assertEquals(2, r.code(), command + " -B " + c[0] + ": " + r.err());
                assertEquals(c[1], r.err().lines().findFirst().orElse(""), command + " -B " + c[0]);
            }
        }
        CliRun verbose = run("--verbose", "capture", "-i", ns.b, "-B", "frame-size=100");
        assertEquals(2, verbose.code());
        assertTrue(verbose.err().contains("java.lang.IllegalArgumentException: frameSize=100"), verbose.err());
    }

    @Test
    void statsPrintsIntervalsAndATotal() throws Exception {
        CliRun r = run("stats", "-i", ns.b, "--interval", "200ms", "-n", "2", "--profile", "MEMORY_CONSTRAINED");
        assertEquals(0, r.code(), r.err());
        List<String> lines = r.outLines();
        assertEquals(4, lines.size(), r.out());
        assertTrue(lines.get(0).startsWith("time"));
        assertEquals("total: packets: 0, drops: 0, freezes: 0", lines.get(3));
    }

    @Test
    void doctorPassesAsRoot() throws Exception {
        CliRun r = run("doctor");
        assertEquals(0, r.code(), r.out());
        assertTrue(r.out().contains("[ ok ] CAP_NET_RAW"), r.out());
        assertTrue(r.out().contains("all checks passed"), r.out());
    }

    @Test
    void injectSendsSequencedFramesThatArriveOnThePeer() throws Exception {
        ns.run(() -> {
            // The frames are sent before they are read: room for each in a block of its own.
            try (io.netring.AfPacketRx rx = io.netring.AfPacketRx.builder().interfaceName(ns.b)
                    .blockSize(TestRings.BLOCK_SIZE).blockCount(TestRings.blocksFor(300))
                    .blockTimeout(java.time.Duration.ofMillis(5)).build()) {
                CliRun r = run("inject", "-i", ns.a, "-c", "300", "-s", "100");
                assertEquals(0, r.code(), r.err());
                assertTrue(r.out().startsWith("300 frames of 100 bytes sent on " + ns.a + " in "), r.out());
                InjectedFrames.expectInOrder(rx, 300, 100);
            }
        });
    }

    @Test
    void injectSizesTheRingForLargeFrames() throws Exception {
        // 4000 bytes need more than the default 2048-byte ring frame; the MTU allows them.
        ns.ip("link", "set", ns.a, "mtu", "4000");
        ns.ip("link", "set", ns.b, "mtu", "4000");
        CliRun r = run("inject", "-i", ns.a, "-c", "3", "-s", "4014");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("3 frames of 4014 bytes sent on " + ns.a), r.out());
    }

    @Test
    void injectRejectsBadArguments() throws Exception {
        CliRun zero = run("inject", "-i", ns.a, "-c", "0");
        assertEquals(2, zero.code());
        assertTrue(zero.err().startsWith("netring: --count must be positive, was 0"), zero.err());
        CliRun tiny = run("inject", "-i", ns.a, "-c", "1", "-s", "10");
        assertEquals(2, tiny.code());
        assertTrue(tiny.err().startsWith("netring: --size must be at least 18"), tiny.err());
        CliRun huge = run("inject", "-i", ns.a, "-c", "1", "-s", "9000");
        assertEquals(2, huge.code());
        assertEquals("netring: --size 9000 is more than " + ns.a + " carries: MTU 1500 + 14-byte Ethernet header = 1514 bytes",
                huge.err().lines().findFirst().orElse(""));
        CliRun nowhere = run("inject", "-i", "nr-nosuch3", "-c", "1");
        assertEquals(1, nowhere.code());
        assertTrue(nowhere.err().startsWith("netring: no network interface named 'nr-nosuch3'"), nowhere.err());
    }
}
