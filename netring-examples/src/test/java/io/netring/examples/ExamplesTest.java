package io.netring.examples;

import io.netring.testing.FrameSender;
import io.netring.testing.NamespaceTest;
import io.netring.testing.Privileged;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/** Each example run on a veth pair, its output checked. */
@Privileged
@Timeout(90)
class ExamplesTest extends NamespaceTest {
    private static final List<byte[]> TEST_FRAMES = List.of(FrameSender.frame(1, 100));

    /** Examples that print a fixed number of lines: the first and the last checked by pattern. */
    static Stream<Arguments> lineExamples() {
        return Stream.of(
                Arguments.of("Capture", (Example) CaptureExample::main, "5", 6,
                        ".*] 100 bytes  ethertype 0x88b5, 100 bytes", "packets: .*"),
                Arguments.of("Stats", (Example) Stats::main, "2", 3,
                        "pkt/s: \\d+, drops: 0, freezes: \\d+", "total: packets: .*"),
                Arguments.of("LowLatency", (Example) LowLatency::main, "3", 4,
                        "\\[\\d+\\.\\d{9}] 100 bytes, delivered after -?\\d+ us", ".*"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("lineExamples")
    void examplePrintsItsLines(String name, Example example, String arg, int count, String first, String last)
            throws Exception {
        List<String> lines = printedLines(example, arg, count);
        assertTrue(lines.get(0).matches(first), lines.get(0));
        assertTrue(lines.get(count - 1).matches(last), lines.get(count - 1));
    }

    @Test
    void batchPrintsBlocksWithSequenceNumbers() throws Exception {
        List<String> lines = printedLines(Batch::main, "3", 4);
        long first = Long.parseLong(lines.get(0).replaceAll("seq=(\\d+) .*", "$1"));
        for (int i = 0; i < 3; i++) {
            assertTrue(lines.get(i).startsWith("seq=" + (first + i) + " pkts="), lines.get(i));
            assertTrue(lines.get(i).endsWith(" gap=0"), lines.get(i));
        }
        assertTrue(lines.get(3).startsWith("blocks: 3, sequence gaps: 0, packets: "), lines.get(3));
    }

    @Test
    void dpiClassifiesLiveTraffic() throws Exception {
        List<byte[]> frames = List.of(
                Frames.tcp(40000, 80, Frames.ascii("GET /a HTTP/1.1\r\nHost: x\r\n\r\n")),
                Frames.tcp(40000, 443, Frames.clientHello("live.example")),
                Frames.udp(5353, 53, Frames.dnsQuery("dns.example")),
                Frames.tcp(22, 40000, Frames.ascii("SSH-2.0-test\r\n")));
        String out = ExampleRunner.runWhileSending(ns, frames, () -> Dpi.main(new String[] {ns.b, "8"}));
        assertTrue(out.contains("HTTP request GET host=x uri=/a"), out);
        assertTrue(out.contains("TLS ClientHello sni=live.example"), out);
        assertTrue(out.contains("DNS query dns.example"), out);
        assertTrue(out.contains("tcp 10.0.0.1:22 -> 10.0.0.2:40000  SSH"), out);
    }

    /** What {@code example} printed, run on {@code ns.b} with {@code arg} while the test frames go out; {@code count} lines. */
    private List<String> printedLines(Example example, String arg, int count) throws Exception {
        String out = ExampleRunner.runWhileSending(ns, TEST_FRAMES, () -> example.main(new String[] {ns.b, arg}));
        List<String> lines = out.lines().toList();
        assertEquals(count, lines.size(), out);
        return lines;
    }

    /** An example's main method. */
    interface Example {
        void main(String[] args) throws Exception;
    }
}
