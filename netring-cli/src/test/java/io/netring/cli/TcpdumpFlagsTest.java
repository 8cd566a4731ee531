package io.netring.cli;

import io.netring.testing.ExternalTool;
import io.netring.testing.FrameCorpus;
import io.netring.testing.ProtocolCorpus;
import io.netring.testing.ProtocolCorpus.Family;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * tcpdump's habits: the same flags on the same file give tcpdump's output, byte for byte
 * ({@code -nn}, {@code -X}, {@code -XX}, {@code -A}, {@code -AA}, {@code -q}, every {@code -t}
 * form, {@code -d}/{@code -ddd}), and the "reading from file" header names the link type as
 * tcpdump does. The file holds frames of every family whose default lines already match.
 */
@Timeout(120)
class TcpdumpFlagsTest {
    @TempDir
    Path dir;
    private Path pcap;

    @BeforeEach
    void corpus() throws IOException {
        List<FrameCorpus.Frame> frames = new ArrayList<>();
        // Frames tcpdump prints whole: after a cut-short mark ("[|icmp]") tcpdump dumps the
        // frame from its first byte or from the network header depending on where it stopped,
        // which these dump flags do not follow yet.
        TcpdumpLine line = new TcpdumpLine(false, 0, 0);
        io.netring.decode.PacketDecoder d = new io.netring.decode.PacketDecoder();
        for (Family f : List.of(Family.TCP, Family.UDP, Family.ICMP, Family.ICMPV6, Family.ARP, Family.DNS)) {
            for (FrameCorpus.Frame frame : ProtocolCorpus.generate(f, 77L, 60)) {
                StringBuilder sb = new StringBuilder();
                d.decode(java.lang.foreign.MemorySegment.ofArray(frame.data()), 0, frame.data().length, frame.wireLength());
                line.append(sb, d);
                if (!sb.toString().contains("[|")) {
                    frames.add(frame);
                }
            }
        }
        pcap = dir.resolve("flags.pcap");
        FrameCorpus.writePcap(pcap, frames);
    }

    @ParameterizedTest
    @ValueSource(strings = {"-n", "-nn", "-n -X", "-n -XX", "-n -A", "-n -AA", "-n -q", "-n -t", "-n -tt", "-n -ttt",
            "-n -tttt", "-n -ttttt", "-nn -X -tttt"})
    void sameOutputAsTcpdump(String flags) throws Exception {
        // Always -n: without it tcpdump looks names up (slowly), which netring never does.
        List<String> args = new ArrayList<>(List.of(flags.split(" ")));
        Output theirs = tcpdump(args, "-r", pcap.toString());
        Output ours = netring(args, "-r", pcap.toString());
        assertEquals(0, ours.code, ours.err);
        assertEquals(theirs.out, ours.out, () -> "stdout of " + flags + ", first difference:\n" + firstDifference(theirs.out, ours.out));
    }

    private static String firstDifference(String theirs, String ours) {
        List<String> t = theirs.lines().toList();
        List<String> o = ours.lines().toList();
        for (int i = 0; i < Math.max(t.size(), o.size()); i++) {
            String a = i < t.size() ? t.get(i) : "<none>";
            String b = i < o.size() ? o.get(i) : "<none>";
            if (!a.equals(b)) {
                return "line " + (i + 1) + "\n  tcpdump: " + a + "\n  ours:    " + b;
            }
        }
        return "line ends";
    }

    @Test
    void headerNamesTheLinkType() throws Exception {
        Output theirs = tcpdump(List.of("-n"), "-r", pcap.toString());
        Output ours = netring(List.of("-n"), "-r", pcap.toString());
        assertEquals(theirs.err.lines().findFirst().orElseThrow(), ours.err.lines().findFirst().orElseThrow());
        assertTrue(ours.err.startsWith("reading from file " + pcap + ", link-type EN10MB (Ethernet), snapshot length 262144"));
    }

    @Test
    void dumpWithoutExpressionKeepsTheSnapLength() throws Exception {
        Output theirs = tcpdump(List.of("-d"));
        Output ours = netring(List.of("-d"));
        assertEquals("(000) ret      #262144\n", ours.out);
        assertEquals(theirs.out, ours.out);
    }

    @ParameterizedTest
    @ValueSource(strings = {"-ddd", "-ddd ip", "-ddd arp"})
    void decimalDump(String args) throws Exception {
        List<String> words = List.of(args.split(" "));
        assertEquals(tcpdump(words).out, netring(words).out);
    }

    private record Output(int code, String out, String err) {}

    private static Output netring(List<String> flags, String... more) {
        List<String> args = new ArrayList<>(List.of("capture"));
        args.addAll(flags);
        args.addAll(List.of(more));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = NetringCommand.run(args.toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(err, true));
        return new Output(code, out.toString(), err.toString());
    }

    /** tcpdump in this JVM's time zone, so both print the same local times. */
    private static Output tcpdump(List<String> flags, String... more) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("env", "TZ=" + ZoneId.systemDefault().getId()));
        cmd.addAll(List.of(ExternalTool.TCPDUMP.command()));   // the user tcpdump can run as here
        cmd.addAll(flags);
        cmd.addAll(List.of(more));
        Path errFile = java.nio.file.Files.createTempFile("tcpdump", ".err");
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectError(errFile.toFile()).start();
        } catch (IOException e) {
            org.junit.jupiter.api.Assumptions.abort("tcpdump is not installed: " + e.getMessage());
            throw e;
        }
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "tcpdump finished");
        byte[] err = java.nio.file.Files.readAllBytes(errFile);
        java.nio.file.Files.delete(errFile);
        assertEquals(0, p.exitValue(), String.join(" ", cmd) + ": " + new String(err, StandardCharsets.UTF_8));
        return new Output(0, new String(out, StandardCharsets.ISO_8859_1), new String(err, StandardCharsets.UTF_8));
    }
}
