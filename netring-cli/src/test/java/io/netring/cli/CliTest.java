package io.netring.cli;

import io.netring.testing.FrameSender;
import io.netring.testing.NamespaceTest;
import io.netring.testing.Privileged;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.*;

/** The `netring` command run in-process, on a veth pair in a namespace made per test. */
@Privileged
@Timeout(60)
class CliTest extends NamespaceTest {
    /** Output and exit code of one command line. */
    record Result(int code, String out, String err) {
        List<String> outLines() {
            return out.lines().toList();
        }
    }

    private Result run(String... args) throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = ns.call(() -> NetringCommand.run(args, new PrintWriter(out, true), new PrintWriter(err, true)));
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void captureWithCountPrintsExactlyThatManyLinesAndTheSummary() throws Exception {
        AtomicReference<Result> result = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicInteger sent = new AtomicInteger();
        ns.run(() -> {
            // Threads started here inherit the namespace.
            Thread cli = Thread.ofPlatform().start(() -> {
                try {
                    result.set(run("capture", "-i", ns.b, "-c", "1000", "-B", "block-size=64K", "-B", "block-count=16"));
                } catch (Throwable t) {
                    failure.set(t);
                }
            });
            try (FrameSender tx = new FrameSender(ns.a)) {
                // Keep sending until the command has its 1000 packets (it may open after the first frames).
                long deadline = System.nanoTime() + 20_000_000_000L;
                while (cli.isAlive() && System.nanoTime() < deadline) {
                    tx.send(FrameSender.frame(sent.getAndIncrement(), 60));
                    if (sent.get() % 100 == 0) {
                        Thread.sleep(5);
                    }
                }
            }
            cli.join(5_000);
        });
        assertNull(failure.get());
        Result r = result.get();
        assertEquals(0, r.code(), r.err());
        // One line per packet; the frames' unknown EtherType adds tcpdump's hex lines (a tab first).
        assertEquals(1000, r.outLines().stream().filter(l -> !l.startsWith("\t")).count());
        assertTrue(r.outLines().getFirst().contains("ethertype Unknown (0x88b5), length 60"), r.outLines().getFirst());
        List<String> summary = r.err().lines().toList();
        assertEquals("1000 packets captured", summary.get(0));
        long received = Long.parseLong(summary.get(1).replace(" packets received by filter", ""));
        assertTrue(received >= 1000 && received <= sent.get(), summary.get(1));
        assertEquals("0 packets dropped by kernel", summary.get(2));
    }

    /** Runs a capture of {@code count} packets while test frames are sent to it. */
    private Result captureWhileSending(int count, String... extra) throws Exception {
        AtomicReference<Result> result = new AtomicReference<>();
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
        Result fields = captureWhileSending(3, "-T", "fields", "-e", "frame.number", "-e", "eth.type", "-e", "frame.len",
                "-E", "separator=,");
        assertEquals(0, fields.code(), fields.err());
        assertEquals(List.of("1,0x88b5,60", "2,0x88b5,60", "3,0x88b5,60"), fields.outLines());
        Result json = captureWhileSending(1, "-T", "json", "-e", "frame.number", "-e", "eth.type", "-e", "ip.src");
        assertEquals(0, json.code(), json.err());
        assertEquals(List.of("{\"frame.number\":[\"1\"],\"eth.type\":[\"0x88b5\"]}"), json.outLines());
        Result link = captureWhileSending(1, "-e", "-xx");
        assertEquals(0, link.code(), link.err());
        assertTrue(link.outLines().getFirst().contains(", ethertype Unknown (0x88b5), length 60: "), link.out());
        assertTrue(link.outLines().get(1).startsWith("\t0x0000:  "), link.out());
    }

    @Test
    void loopbackShowsEachPacketOnce() throws Exception {
        ns.ip("link", "set", "lo", "up");
        AtomicReference<Result> result = new AtomicReference<>();
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
        Result r = result.get();
        assertEquals(0, r.code(), r.err());
        // The kernel shows each lo packet twice (outgoing, incoming); printed once, 3 lines are 3 datagrams.
        assertEquals(3, r.outLines().size(), r.out());
        assertEquals(3, r.outLines().stream().distinct().count(), r.out());
    }

    @Test
    void timeoutOnAnIdleInterfaceExitsZeroWithNothingCaptured() throws Exception {
        Result r = run("capture", "-i", ns.b, "--timeout", "1s", "--profile", "MEMORY_CONSTRAINED");
        assertEquals(0, r.code(), r.err());
        assertEquals("", r.out());
        assertTrue(r.err().startsWith("0 packets captured\n"), r.err());
    }

    @Test
    void unknownInterfaceIsOneLineAndExitOne() throws Exception {
        Result r = run("capture", "-i", "nr-nosuch2", "-c", "1");
        assertEquals(1, r.code());
        assertEquals(List.of("netring: no network interface named 'nr-nosuch2' (if_nametoindex failed with ENODEV); "
                + "list the interfaces with `ip link`"), r.err().lines().toList());
    }

    @Test
    void usageErrorsExitTwo() throws Exception {
        Result unknown = run("capture", "-i", ns.b, "--bogus");
        assertEquals(2, unknown.code());
        assertTrue(unknown.err().startsWith("netring: Unknown option: '--bogus'"), unknown.err());

        Result negative = run("capture", "-i", ns.b, "-c", "-5");
        assertEquals(2, negative.code());
        assertTrue(negative.err().startsWith("netring: --count must be positive, was -5"), negative.err());

        Result badKey = run("capture", "-i", ns.b, "-B", "blocks=3");
        assertEquals(2, badKey.code());
        assertTrue(badKey.err().startsWith("netring: unknown ring option 'blocks'"), badKey.err());

        Result missing = run("capture");
        assertEquals(2, missing.code());
        assertTrue(missing.err().startsWith("netring: Missing required option: '--interface=IFACE'"), missing.err());
    }

    @Test
    void ringOptionsTheLibraryRejectsAreOneLineAndExitOne() throws Exception {
        Result r = run("capture", "-i", ns.b, "-B", "block-size=1000");
        assertEquals(1, r.code());
        assertEquals(List.of("netring: blockSize=1000: must be a power of two, e.g. 1 << 22 (4 MiB)"), r.err().lines().toList());
        Result verbose = run("--verbose", "capture", "-i", ns.b, "-B", "frame-size=100");
        assertEquals(1, verbose.code());
        assertTrue(verbose.err().contains("java.lang.IllegalArgumentException: frameSize=100"), verbose.err());
    }

    @Test
    void statsPrintsIntervalsAndATotal() throws Exception {
        Result r = run("stats", "-i", ns.b, "--interval", "200ms", "-n", "2", "--profile", "MEMORY_CONSTRAINED");
        assertEquals(0, r.code(), r.err());
        List<String> lines = r.outLines();
        assertEquals(4, lines.size(), r.out());
        assertTrue(lines.get(0).startsWith("time"));
        assertEquals("total: packets: 0, drops: 0, freezes: 0", lines.get(3));
    }

    @Test
    void doctorPassesAsRoot() throws Exception {
        Result r = run("doctor");
        assertEquals(0, r.code(), r.out());
        assertTrue(r.out().contains("[ ok ] CAP_NET_RAW"), r.out());
        assertTrue(r.out().contains("all checks passed"), r.out());
    }

    @Test
    void injectSendsSequencedFramesThatArriveOnThePeer() throws Exception {
        ns.run(() -> {
            try (io.netring.AfPacketRx rx = io.netring.AfPacketRx.builder().interfaceName(ns.b).blockSize(1 << 16)
                    .blockCount(16).blockTimeout(java.time.Duration.ofMillis(5)).build()) {
                Result r = run("inject", "-i", ns.a, "-c", "300", "-s", "100");
                assertEquals(0, r.code(), r.err());
                assertTrue(r.out().startsWith("300 frames of 100 bytes sent on " + ns.a + " in "), r.out());
                int next = 0;
                long deadline = System.nanoTime() + 10_000_000_000L;
                while (next < 300 && System.nanoTime() < deadline) {
                    try (io.netring.PacketBatch batch = rx.nextBatchBlocking(java.time.Duration.ofMillis(100))) {
                        if (batch == null) {
                            continue;
                        }
                        for (io.netring.Packet p : batch) {
                            byte[] bytes = p.data().toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
                            if (FrameSender.sequenceOf(bytes) >= 0) {
                                assertEquals(next, FrameSender.sequenceOf(bytes));
                                assertEquals(100, bytes.length);
                                next++;
                            }
                        }
                    }
                }
                assertEquals(300, next, "frames seen on the peer, in order");
            }
        });
    }

    @Test
    void injectRejectsBadArguments() throws Exception {
        Result zero = run("inject", "-i", ns.a, "-c", "0");
        assertEquals(2, zero.code());
        assertTrue(zero.err().startsWith("netring: --count must be positive, was 0"), zero.err());
        Result tiny = run("inject", "-i", ns.a, "-c", "1", "-s", "10");
        assertEquals(2, tiny.code());
        assertTrue(tiny.err().startsWith("netring: --size must be at least 18"), tiny.err());
        Result huge = run("inject", "-i", ns.a, "-c", "1", "-s", "9000");
        assertEquals(1, huge.code());
        assertTrue(huge.err().startsWith("netring: length=9000: must be in [14, "), huge.err());
        Result nowhere = run("inject", "-i", "nr-nosuch3", "-c", "1");
        assertEquals(1, nowhere.code());
        assertTrue(nowhere.err().startsWith("netring: no network interface named 'nr-nosuch3'"), nowhere.err());
    }
}
