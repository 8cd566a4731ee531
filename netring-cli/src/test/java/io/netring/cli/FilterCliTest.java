package io.netring.cli;

import io.netring.testing.ExternalTool;
import io.netring.testing.NeedsTools;
import io.netring.PacketDirection;
import io.netring.Timestamp;
import io.netring.pcap.PcapFormat;
import io.netring.pcap.PcapReader;
import io.netring.pcap.PcapWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Filter expressions as {@code netring capture}'s trailing words, and {@code -d}/{@code -dd}, against tcpdump itself. */
@Timeout(120)
class FilterCliTest {
    private static final List<String> EXPRESSIONS = List.of(
            "udp port 53", "udp dst port 80 or udp src port 1027", "not udp port 53", "ip host 10.0.0.2",
            "udp and ip[8] > 63", "ether proto 0x88b5", "len > 80");

    @TempDir
    Path dir;

    private static CaptureFileCliTest.Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = NetringCommand.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new CaptureFileCliTest.Result(code, out.toString(), err.toString());
    }

    /** IPv4/UDP frames to ports 53 and 80 from several hosts and TTLs, and some frames of EtherType 0x88B5. */
    private Path sample() throws IOException {
        Path p = dir.resolve("mixed.pcap");
        try (PcapWriter w = PcapWriter.open(p, PcapFormat.PCAP)) {
            for (int i = 0; i < 60; i++) {
                int len = 60 + (i % 5) * 16;
                byte[] f = new byte[len];
                if (i % 7 == 6) {
                    f[12] = (byte) 0x88;
                    f[13] = (byte) 0xB5;
                } else {
                    f[12] = 0x08;
                    f[14] = 0x45;
                    f[16] = 0;
                    f[17] = (byte) (len - 14);
                    f[22] = (byte) (32 + i);            // TTL
                    f[23] = 17;                         // UDP
                    f[26] = 10;
                    f[29] = (byte) (1 + i % 3);         // 10.0.0.1..3
                    f[30] = 10;
                    f[33] = 9;
                    f[34] = 0x04;
                    f[35] = (byte) (i % 4);             // source port 1024..1027
                    f[37] = (byte) (i % 2 == 0 ? 53 : 80);
                    f[39] = (byte) (len - 34);
                }
                w.write(MemorySegment.ofArray(f), 0, len, len, new Timestamp(1_700_000_000L + i, i), PacketDirection.HOST);
            }
        }
        return p;
    }

    private static String tcpdump(String... args) throws IOException, InterruptedException {
        List<String> cmd = List.of(ExternalTool.TCPDUMP.command(args));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "tcpdump timed out");
        assertEquals(0, p.exitValue(), String.join(" ", cmd));
        return out;
    }

    private static long count(Path p) throws IOException {
        try (PcapReader r = PcapReader.open(p); var s = r.packets()) {
            return s.count();
        }
    }

    @Test
    @NeedsTools(ExternalTool.TCPDUMP)
    void readingAFileKeepsWhatTcpdumpKeeps() throws Exception {
        Path in = sample();
        for (String expression : EXPRESSIONS) {
            Path ours = dir.resolve("ours.pcap");
            List<String> args = new ArrayList<>(List.of("capture", "-r", in.toString(), "-w", ours.toString()));
            args.addAll(List.of(expression.split(" ")));
            CaptureFileCliTest.Result r = run(args.toArray(String[]::new));
            assertEquals(0, r.code(), r.err());
            Path theirs = dir.resolve("theirs.pcap");
            tcpdump("-r", in.toString(), "-w", theirs.toString(), expression);
            assertEquals(count(theirs), count(ours), expression);
        }
    }

    @Test
    @NeedsTools(ExternalTool.TCPDUMP)
    void dumpsTheProgramAsTcpdumpDoes() throws Exception {
        Path in = sample();
        for (String expression : EXPRESSIONS) {
            List<String> args = new ArrayList<>(List.of("capture", "-d"));
            args.addAll(List.of(expression.split(" ")));
            CaptureFileCliTest.Result r = run(args.toArray(String[]::new));
            assertEquals(0, r.code(), r.err());
            String want = tcpdump("-r", in.toString(), "-d", expression);
            assertEquals(want.lines().count(), r.out().lines().count(), expression + "\n" + want + "\n" + r.out());
            assertTrue(r.out().lines().allMatch(l -> l.matches("\\(\\d{3}\\) .*")), r.out());
        }
        List<String> dd = new ArrayList<>(List.of("capture", "-dd", "udp", "port", "53"));
        String ours = run(dd.toArray(String[]::new)).out();
        assertTrue(ours.lines().allMatch(l -> l.matches("\\{ 0x[0-9a-f]+, \\d+, \\d+, 0x[0-9a-f]{8} },")), ours);
    }

    @Test
    @NeedsTools(ExternalTool.TCPDUMP)
    void flowsFromAFileCountOnlyWhatTheExpressionKeeps() throws Exception {
        Path in = sample();
        CaptureFileCliTest.Result r = run("flows", "-r", in.toString(), "udp", "port", "53");
        assertEquals(0, r.code(), r.err());
        List<String> records = r.out().lines().toList();
        assertTrue(!records.isEmpty() && records.stream().allMatch(l -> l.contains("\"dstPort\":53")), r.out());
        long packets = records.stream()
                .mapToLong(l -> Long.parseLong(l.replaceAll(".*\"packets\":(\\d+).*", "$1"))
                        + Long.parseLong(l.replaceAll(".*\"reversePackets\":(\\d+).*", "$1")))
                .sum();
        assertEquals(tcpdump("-r", in.toString(), "udp port 53").lines().count(), packets);
        assertTrue(run("flows", "-r", in.toString()).out().contains("\"dstPort\":80"));
    }

    @Test
    void aMalformedExpressionIsAUsageErrorWithACaret() {
        CaptureFileCliTest.Result r = run("capture", "-r", "/nonexistent.pcap", "tcp", "port");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("^"), r.err());
    }
}
