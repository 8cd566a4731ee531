package io.netring.cli;

import io.netring.internal.xdp.XdpAttachment;
import io.netring.testing.EbpfAllowed;
import io.netring.testing.FrameSender;
import io.netring.testing.NamespaceTest;
import io.netring.testing.Privileged;
import io.netring.testing.UdpFrames;
import io.netring.testing.Waits;
import io.netring.xdp.XdpMode;
import io.netring.xdp.XdpRx;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code capture --xdp}, {@code stats --xdp} and {@code doctor -i} on a veth pair in a namespace made per test. */
@Privileged
@EbpfAllowed
@Timeout(60)
class XdpCliTest extends NamespaceTest {
    @TempDir
    Path dir;

    private CliRun run(String... args) throws Exception {
        return CliRun.in(ns, args);
    }

    /** UDP frames to port 9, and with {@code others} as many to port 7 between them. */
    private static List<byte[]> frames(int n, boolean others) {
        List<byte[]> frames = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            frames.add(UdpFrames.frame(40000 + i, 9, i, 60 + i % 40));
            if (others) {
                frames.add(UdpFrames.frame(40000 + i, 7, i, 60));
            }
        }
        return frames;
    }

    /**
     * Runs {@code args} on {@code ns.b} and, once its socket is ready (the XDP program attached,
     * or the packet socket bound), sends {@code frames} from the peer.
     */
    private CliRun captureSending(List<byte[]> frames, boolean xdp, String... args) throws Exception {
        AtomicReference<CliRun> result = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        int before = ns.packetSocketsOn(ns.b);
        ns.run(() -> {
            Thread cli = Thread.ofPlatform().start(() -> {
                try {
                    result.set(run(args));
                } catch (Throwable t) {
                    failure.set(t);
                }
            });
            Waits.until(() -> !cli.isAlive() || ready(xdp, before), Duration.ofSeconds(30), "the capture is ready");
            try (FrameSender tx = new FrameSender(ns.a)) {
                for (byte[] f : frames) {
                    tx.send(f);
                }
            }
            cli.join(Duration.ofSeconds(20));
        });
        assertNull(failure.get());
        assertTrue(result.get() != null, "the command ended");
        return result.get();
    }

    private boolean ready(boolean xdp, int packetSocketsBefore) {
        try {
            return xdp ? XdpAttachment.query(ns.b).hasProgram() : ns.packetSocketsOn(ns.b) > packetSocketsBefore;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void xdpPrintsTheLinesAfPacketPrintsForTheSameFrames() throws Exception {
        CliRun xdp = captureSending(frames(200, false), true, "capture", "--xdp", "--xdp-mode", "copy", "-i", ns.b,
                "-c", "200", "-t", "-n", "-e", "-v");
        CliRun packet = captureSending(frames(200, false), false, "capture", "-i", ns.b, "-c", "200", "-t", "-n", "-e", "-v");
        assertEquals(0, xdp.code(), xdp.err());
        assertEquals(0, packet.code(), packet.err());
        assertEquals(200, xdp.outLines().stream().filter(l -> !l.startsWith(" ")).count(), xdp.out());
        assertEquals(packet.outLines(), xdp.outLines());
        assertTrue(xdp.err().contains("netring: listening on " + ns.b + " (AF_XDP queue 0, copy mode), link-type EN10MB"),
                xdp.err());
        assertEquals(200, StderrLines.count(xdp.err(), "captured"), xdp.err());
        assertEquals(200, StderrLines.count(xdp.err(), "received by filter"), xdp.err());
        assertEquals(0, StderrLines.count(xdp.err(), "dropped by kernel"), xdp.err());
        assertFalse(ns.call(() -> XdpAttachment.query(ns.b).hasProgram()), "the program is gone after the command");
    }

    @Test
    void fieldsAndJsonOutputOnXdp() throws Exception {
        CliRun fields = captureSending(frames(3, false), true, "capture", "--xdp", "-i", ns.b, "-c", "3",
                "-T", "fields", "-e", "frame.number", "-e", "udp.dstport", "-e", "frame.len", "-E", "separator=,");
        assertEquals(0, fields.code(), fields.err());
        assertEquals(List.of("1,9,60", "2,9,61", "3,9,62"), fields.outLines());
        CliRun json = captureSending(frames(1, false), true, "capture", "--xdp", "-i", ns.b, "-c", "1",
                "-T", "json", "-e", "frame.number", "-e", "udp.dstport");
        assertEquals(0, json.code(), json.err());
        assertEquals(List.of("{\"frame.number\":[\"1\"],\"udp.dstport\":[\"9\"]}"), json.outLines());
    }

    @Test
    void theExpressionFiltersInsideXdp() throws Exception {
        CliRun r = captureSending(frames(10, true), true, "capture", "--xdp", "-i", ns.b, "-c", "10", "-n",
                "udp", "dst", "port", "9");
        assertEquals(0, r.code(), r.err());
        assertEquals(10, r.outLines().size(), r.out());
        r.outLines().forEach(l -> assertTrue(l.contains("10.0.0.2.9: UDP"), l));
        // What the program rejects goes on to the kernel's stack: it never reaches the socket's counters.
        assertEquals(10, StderrLines.count(r.err(), "received by filter"), r.err());
    }

    @Test
    void writesAFileCapinfosCounts() throws Exception {
        ReferenceTools.require("capinfos");
        Path file = dir.resolve("xdp.pcapng");
        CliRun r = captureSending(frames(50, false), true, "capture", "--xdp", "-i", ns.b, "-c", "50", "-w", file.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals(50, ReferenceTools.capinfosPackets(List.of(file)));
        assertTrue(r.err().startsWith("netring: listening on " + ns.b + " (AF_XDP queue 0, copy mode)"), r.err());
    }

    @Test
    void optionsThatMakeNoSenseWithXdpAreUsageErrors() throws Exception {
        String[][] cases = {
                {"--queue 1", "--queue needs --xdp"},
                {"--all-queues", "--all-queues needs --xdp"},
                {"--xdp-mode zc", "--xdp-mode needs --xdp"},
                {"--xdp-attach generic", "--xdp-attach needs --xdp"},
                {"--xdp --queue 1 --all-queues", "give one of --queue N and --all-queues"},
                {"--xdp --queue -1", "--queue must be 0 or more"},
                {"--xdp --xdp-mode fast", "--xdp-mode must be auto, copy or zc, was 'fast'"},
                {"--xdp --xdp-attach hw", "--xdp-attach must be native or generic, was 'hw'"},
                {"--xdp -B block-size=64K", "-B sets up the AF_PACKET ring, which --xdp does not use"},
                {"--xdp --profile MEMORY_CONSTRAINED", "--profile sets up the AF_PACKET ring"},
                {"--xdp --netns other", "--netns cannot be used with --xdp"},
                {"--xdp --promisc", "--promisc cannot be used with --xdp"},
                {"--xdp --ignore-outgoing", "--ignore-outgoing cannot be used with --xdp"},
        };
        for (String[] c : cases) {
            List<String> args = new ArrayList<>(List.of("capture", "-i", ns.b, "-c", "1"));
            args.addAll(List.of(c[0].split(" ")));
            CliRun r = run(args.toArray(String[]::new));
            assertEquals(2, r.code(), c[0] + ": " + r.err());
            assertTrue(r.err().startsWith("netring: ") && r.err().contains(c[1]), c[0] + ": " + r.err());
            assertTrue(r.out().isEmpty(), r.out());
        }
        CliRun file = run("capture", "--xdp", "-r", dir.resolve("x.pcap").toString());
        assertEquals(2, file.code(), file.err());
        assertTrue(file.err().contains("--xdp captures from an interface (-i IFACE)"), file.err());
        CliRun stats = run("stats", "-i", ns.b, "--queue", "0");
        assertEquals(2, stats.code(), stats.err());
        assertTrue(stats.err().contains("--queue needs --xdp"), stats.err());
    }

    @Test
    void refusalsSayWhatToDoInTheCommandsTerms() throws Exception {
        CliRun zc = run("capture", "--xdp", "--xdp-mode", "zc", "-i", ns.b, "-c", "1");
        assertEquals(1, zc.code(), zc.err());
        assertTrue(zc.err().contains("zero-copy AF_XDP is not supported by the driver of " + ns.b + " (veth)")
                && zc.err().contains("use --xdp-mode copy, or --xdp-mode auto"), zc.err());
        CliRun queue = run("capture", "--xdp", "--queue", "5", "-i", ns.b, "-c", "1");
        assertEquals(1, queue.code(), queue.err());
        assertTrue(queue.err().contains("queue 5 of " + ns.b + " does not exist: " + ns.b + " has 1 RX queue (queue 0)"),
                queue.err());
        ns.run(() -> {
            try (XdpRx other = XdpRx.builder().interfaceName(ns.b).mode(XdpMode.COPY).frameCount(256).ringSize(128)
                    .build()) {
                int id = XdpAttachment.query(ns.b).programId();
                CliRun taken = run("capture", "--xdp", "-i", ns.b, "-c", "1");
                assertEquals(1, taken.code(), taken.err());
                assertTrue(taken.err().contains("queue 0 of " + ns.b + " already has an AF_XDP socket")
                        || taken.err().contains("already has an XDP program (id " + id), taken.err());
                CliRun doctor = run("doctor", "-i", ns.b);
                assertTrue(doctor.out().contains("[warn] " + ns.b + ": XDP program id " + id + " attached (native)"),
                        doctor.out());
                assertTrue(doctor.out().contains("--xdp-replace"), doctor.out());
            }
        });
    }

    @Test
    void statsShowsTheXdpCounters() throws Exception {
        CliRun r = captureSending(frames(20, false), true, "stats", "--xdp", "-i", ns.b, "--interval", "500ms", "-n", "1");
        assertEquals(0, r.code(), r.err());
        List<String> lines = r.outLines();
        assertEquals(4, lines.size(), r.out());
        assertEquals(List.of("time", "pkt/s", "drops", "freezes", "rx_dropped", "rx_ring_full", "fill_ring_empty_descs",
                "rx_invalid_descs"), List.of(lines.get(0).trim().split("\\s+")));
        assertEquals(8, lines.get(1).trim().split("\\s+").length, lines.get(1));
        assertTrue(lines.get(2).startsWith("total: packets: "), lines.get(2));
        assertTrue(lines.get(3).startsWith("xdp total: XdpStatistics[rxDropped=0"), lines.get(3));
    }

    @Test
    void doctorNamesTheDriverAndQueues() throws Exception {
        CliRun r = run("doctor", "-i", ns.b);
        assertTrue(r.out().contains("[ ok ] AF_XDP sockets available"), r.out());
        assertTrue(r.out().contains("[ ok ] " + ns.b + ": driver veth, 1 RX queue (--queue 0)"), r.out());
        assertTrue(r.out().contains("[ ok ] " + ns.b + ": no XDP program attached"), r.out());
        CliRun missing = run("doctor", "-i", "nosuch0");
        assertTrue(missing.out().contains("[FAIL] interface nosuch0 not found"), missing.out());
        assertEquals(1, missing.code());
    }

    @Test
    void injectXdpSendsThroughAnAfXdpSocketInOrder() throws Exception {
        int count = 3000;
        ns.run(() -> {
            try (io.netring.AfPacketRx rx = io.netring.AfPacketRx.builder().interfaceName(ns.b)
                    .blockSize(io.netring.testing.TestRings.BLOCK_SIZE).blockCount(io.netring.testing.TestRings.blocksFor(count))
                    .blockTimeout(Duration.ofMillis(5)).build()) {
                CliRun r = run("inject", "--xdp", "--xdp-mode", "copy", "-i", ns.a, "-c", Integer.toString(count), "-s", "100");
                assertEquals(0, r.code(), r.err());
                assertTrue(r.out().startsWith(count + " frames of 100 bytes sent on " + ns.a + " (AF_XDP queue 0, copy mode) in "),
                        r.out());
                InjectedFrames.expectInOrder(rx, count, 100);
            }
        });
    }

    @Test
    void injectXdpOptionsMisusedAreUsageErrors() throws Exception {
        CliRun orphan = run("inject", "-i", ns.a, "-c", "1", "--queue", "1", "--xdp-mode", "copy");
        assertEquals(2, orphan.code());
        assertEquals("netring: --queue, --xdp-mode need --xdp", orphan.err().lines().findFirst().orElse(""));
        CliRun bypass = run("inject", "--xdp", "-i", ns.a, "-c", "1", "--qdisc-bypass");
        assertEquals(2, bypass.code());
        assertEquals("netring: --qdisc-bypass does not go with --xdp: AF_XDP frames skip traffic control anyway",
                bypass.err().lines().findFirst().orElse(""));
        CliRun mode = run("inject", "--xdp", "-i", ns.a, "-c", "1", "--xdp-mode", "fast");
        assertEquals(2, mode.code());
        assertEquals("netring: --xdp-mode must be auto, copy or zc, was 'fast'", mode.err().lines().findFirst().orElse(""));
        CliRun queue = run("inject", "--xdp", "-i", ns.a, "-c", "1", "--queue", "7");
        assertEquals(1, queue.code(), queue.out());
        assertTrue(queue.err().startsWith("netring: ") && queue.err().contains("queue 7"), queue.err());
    }
}
