package io.netring.cli;

import io.netring.PacketDirection;
import io.netring.Timestamp;
import io.netring.pcap.PcapFormat;
import io.netring.pcap.PcapWriter;
import io.netring.testing.NamespaceTest;
import io.netring.testing.FrameSender;
import io.netring.testing.Privileged;
import io.netring.testing.UdpFrames;
import io.netring.testing.Waits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.*;

/** {@code netring flows} on the loopback of a namespace made for the test, with an IPFIX collector there too. */
@Privileged
@Timeout(60)
class FlowsCliTest extends NamespaceTest {

    @Test
    void countsAUdpConversationAndExportsItAsIpfix() throws Exception {
        ns.ip("link", "set", "lo", "up");
        AtomicReference<String[]> result = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        int[] ipfixBytes = {0};
        ns.run(() -> {
            try (DatagramChannel collector = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
                 DatagramChannel a = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
                 DatagramChannel b = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0))) {
                int collectorPort = ((InetSocketAddress) collector.getLocalAddress()).getPort();
                Thread cli = Thread.ofPlatform().start(() -> {
                    StringWriter out = new StringWriter(), err = new StringWriter();
                    try {
                        int code = NetringCommand.run(new String[] {"flows", "-i", "lo", "--ignore-outgoing", "-c", "200",
                                "--ipfix", "127.0.0.1:" + collectorPort, "-B", "block-size=64K", "-B", "block-count=8"},
                                new PrintWriter(out, true), new PrintWriter(err, true));
                        result.set(new String[] {Integer.toString(code), out.toString(), err.toString()});
                    } catch (Throwable t) {
                        failure.set(t);
                    }
                });
                // a request/response conversation until the command has its 200 packets
                long deadline = System.nanoTime() + 30_000_000_000L;
                ByteBuffer buf = ByteBuffer.allocate(64);
                while (cli.isAlive() && System.nanoTime() < deadline) {
                    a.send(ByteBuffer.wrap(new byte[20]), b.getLocalAddress());
                    b.send(ByteBuffer.wrap(new byte[40]), a.getLocalAddress());
                    Thread.sleep(2);
                }
                cli.join(5_000);
                collector.configureBlocking(false);
                long until = System.nanoTime() + 5_000_000_000L;
                while (ipfixBytes[0] == 0 && System.nanoTime() < until) {
                    buf.clear();
                    ByteBuffer big = ByteBuffer.allocate(2048);
                    if (collector.receive(big) != null) {
                        ipfixBytes[0] = big.position();
                    } else {
                        Thread.sleep(10);
                    }
                }
            }
        });
        assertNull(failure.get());
        String[] r = result.get();
        assertEquals("0", r[0], r[2]);
        List<String> lines = r[1].lines().toList();
        assertEquals(1, lines.size(), r[1]);
        String json = lines.getFirst();
        assertTrue(json.startsWith("{\"proto\":17,\"src\":\"127.0.0.1\""), json);
        assertTrue(json.contains("\"endReason\":\"end\""), json);
        long packets = field(json, "packets") + field(json, "reversePackets");
        assertEquals(200, packets, json);
        assertEquals(field(json, "packets") * 62 + field(json, "reversePackets") * 82, field(json, "bytes") + field(json, "reverseBytes"), json);
        assertTrue(r[2].startsWith("200 packets, 1 flow record\n"), r[2]);
        // message header (16) + templates + one data set with one IPv4 record
        assertTrue(ipfixBytes[0] > 16, "an IPFIX datagram arrived");
    }

    @Test
    void anInterfaceDeletedUnderTheCaptureStillGivesEveryFlowSeen() throws Exception {
        AtomicReference<String[]> result = new AtomicReference<>();
        Thread cli = ns.call(() -> Thread.ofPlatform().start(() -> result.set(FlowsOnInputErrorTest.run(
                "flows", "-i", ns.b, "--timeout", "30s", "-B", "block-size=64K", "-B", "block-count=8",
                "-B", "block-timeout=5ms"))));
        Waits.until(() -> socketsOnB() > 0, Duration.ofSeconds(20), "flows bound its socket to " + ns.b);
        ns.run(() -> {
            try (FrameSender tx = new FrameSender(ns.a)) {
                for (int i = 0; i < 50; i++) {
                    tx.send(UdpFrames.frame(40000, 53, i, 60));
                }
            }
        });
        Thread.sleep(300);                                   // the blocks retire (5 ms) and are read
        ns.ip("link", "del", ns.a);                          // takes its peer, the captured link, with it
        cli.join(20_000);
        String[] r = result.get();
        assertNotNull(r, "flows ended after the interface was deleted");
        assertEquals("1", r[0], r[2]);
        List<String> lines = r[1].lines().toList();
        assertEquals(1, lines.size(), r[1]);
        assertTrue(lines.getFirst().contains("\"endReason\":\"input-error\","), lines.getFirst());
        assertEquals(50, field(lines.getFirst(), "packets"), lines.getFirst());
        List<String> err = r[2].lines().toList();
        assertEquals("50 packets, 1 flow record", err.getFirst(), r[2]);
        assertTrue(err.getLast().startsWith("netring: ") && err.getLast().contains("was deleted"), r[2]);
    }

    private int socketsOnB() {
        try {
            return ns.packetSocketsOn(ns.b);
        } catch (Exception e) {
            return 0;
        }
    }

    @Test
    void usageErrorsExitTwo() throws Exception {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = NetringCommand.run(new String[] {"flows"}, new PrintWriter(out, true), new PrintWriter(err, true));
        assertEquals(2, code);
        assertTrue(err.toString().startsWith("netring: give exactly one of -i IFACE and -r FILE|kafka://HOST:PORT/TOPIC"), err.toString());
        err = new StringWriter();
        code = NetringCommand.run(new String[] {"flows", "-i", "lo", "--ipfix", "localhost"}, new PrintWriter(out, true), new PrintWriter(err, true));
        assertEquals(2, code);
        assertTrue(err.toString().startsWith("netring: --ipfix localhost: expected HOST:PORT"), err.toString());
        err = new StringWriter();
        code = NetringCommand.run(new String[] {"flows", "-i", "lo", "--max-flows", "134217729"}, new PrintWriter(out, true),
                new PrintWriter(err, true));
        assertEquals(2, code);
        assertEquals("netring: --max-flows 134217729: must be in [1, 134217727] (16 longs per flow, all in one Java array)",
                err.toString().lines().findFirst().orElseThrow());
    }

    /** A table sized for 30 million flows takes memory as flows come, so a small file runs in a small heap. */
    @Test
    void aLargeMaxFlowsRunsOnASmallFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("udp.pcap");
        try (var w = PcapWriter.open(file, PcapFormat.PCAP)) {
            for (int i = 0; i < 10; i++) {
                byte[] f = UdpFrames.frame(4000 + i, 53, i, 60);
                w.write(MemorySegment.ofArray(f), 0, f.length, f.length,
                        new Timestamp(1_700_000_000L, i), PacketDirection.HOST);
            }
        }
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = NetringCommand.run(new String[] {"flows", "-r", file.toString(), "--max-flows", "30000000"},
                new PrintWriter(out, true), new PrintWriter(err, true));
        assertEquals(0, code, err.toString());
        assertEquals(10, out.toString().lines().count(), out.toString());
    }

    static long field(String json, String name) {
        int i = json.indexOf("\"" + name + "\":") + name.length() + 3;
        int j = i;
        while (Character.isDigit(json.charAt(j))) {
            j++;
        }
        return Long.parseLong(json.substring(i, j));
    }
}
