package io.netring.examples;

import io.netring.testing.FrameSender;
import io.netring.testing.NamespaceTest;
import io.netring.testing.Privileged;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Each example run on a veth pair, its output checked. */
@Privileged
@Timeout(90)
class ExamplesTest extends NamespaceTest {
    private static final List<byte[]> TEST_FRAMES = List.of(FrameSender.frame(1, 100));

    @Test
    void capturePrintsPacketsAndStats() throws Exception {
        String out = ExampleRunner.runWhileSending(ns, TEST_FRAMES, () -> CaptureExample.main(new String[] {ns.b, "5"}));
        List<String> lines = out.lines().toList();
        assertEquals(6, lines.size(), out);
        assertTrue(lines.get(0).endsWith("] 100 bytes  ethertype 0x88b5, 100 bytes"), lines.get(0));
        assertTrue(lines.get(5).startsWith("packets: "), lines.get(5));
    }

    @Test
    void batchPrintsBlocksWithSequenceNumbers() throws Exception {
        String out = ExampleRunner.runWhileSending(ns, TEST_FRAMES, () -> Batch.main(new String[] {ns.b, "3"}));
        List<String> lines = out.lines().toList();
        assertEquals(4, lines.size(), out);
        long first = Long.parseLong(lines.get(0).replaceAll("seq=(\\d+) .*", "$1"));
        for (int i = 0; i < 3; i++) {
            assertTrue(lines.get(i).startsWith("seq=" + (first + i) + " pkts="), lines.get(i));
            assertTrue(lines.get(i).endsWith(" gap=0"), lines.get(i));
        }
        assertTrue(lines.get(3).startsWith("blocks: 3, sequence gaps: 0, packets: "), lines.get(3));
    }

    @Test
    void statsPrintsOneLinePerSecond() throws Exception {
        String out = ExampleRunner.runWhileSending(ns, TEST_FRAMES, () -> Stats.main(new String[] {ns.b, "2"}));
        List<String> lines = out.lines().toList();
        assertEquals(3, lines.size(), out);
        assertTrue(lines.get(0).matches("pkt/s: \\d+, drops: 0, freezes: \\d+"), lines.get(0));
        assertTrue(lines.get(2).startsWith("total: packets: "), lines.get(2));
    }

    @Test
    void lowLatencyReportsDeliveryDelay() throws Exception {
        String out = ExampleRunner.runWhileSending(ns, TEST_FRAMES, () -> LowLatency.main(new String[] {ns.b, "3"}));
        List<String> lines = out.lines().toList();
        assertEquals(4, lines.size(), out);
        assertTrue(lines.get(0).matches("\\[\\d+\\.\\d{9}] 100 bytes, delivered after -?\\d+ us"), lines.get(0));
    }

    @Test
    void dpiClassifiesLiveTraffic() throws Exception {
        List<byte[]> frames = List.of(
                Frames.tcp(40000, 80, Frames.ascii("GET /a HTTP/1.1\r\nHost: x\r\n\r\n")),
                Frames.tcp(40000, 443, Frames.clientHello("live.example")),
                Frames.udp(5353, 53, Frames.dnsQuery("dns.example")),
                Frames.tcp(22, 40000, Frames.ascii("SSH-2.0-test\r\n")));
        String out = ExampleRunner.runWhileSending(ns, frames, () -> Dpi.main(new String[] {ns.b, "8"}));
        assertTrue(out.contains("HTTP request GET /a"), out);
        assertTrue(out.contains("TLS ClientHello SNI live.example"), out);
        assertTrue(out.contains("DNS query dns.example"), out);
        assertTrue(out.contains("SSH SSH-2.0-test"), out);
    }
}
