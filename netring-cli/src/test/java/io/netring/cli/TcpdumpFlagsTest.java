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
 * tcpdump does. The file holds frames of every family whose default lines already match; a
 * second file the frames tcpdump stops early on, whose dumps must cover the same bytes.
 */
@Timeout(120)
class TcpdumpFlagsTest {
    @TempDir
    Path dir;
    private Path pcap;
    /** Frames tcpdump stops early on: cut by a snap length, cut short, junk, and every "[|proto]" line. */
    private Path cut;

    @BeforeEach
    void corpus() throws IOException {
        List<FrameCorpus.Frame> frames = new ArrayList<>();
        List<FrameCorpus.Frame> cutFrames = new ArrayList<>();
        // Frames tcpdump prints whole in one file, those with a cut-short mark ("[|icmp]") in the other.
        TcpdumpLine line = new TcpdumpLine(false, 0, 0);
        io.netring.decode.PacketDecoder d = new io.netring.decode.PacketDecoder();
        for (Family f : List.of(Family.TCP, Family.UDP, Family.ICMP, Family.ICMPV6, Family.ARP, Family.DNS)) {
            for (FrameCorpus.Frame frame : ProtocolCorpus.generate(f, 77L, 60)) {
                StringBuilder sb = new StringBuilder();
                d.decode(java.lang.foreign.MemorySegment.ofArray(frame.data()), 0, frame.data().length, frame.wireLength());
                line.append(sb, d);
                (sb.toString().contains("[|") ? cutFrames : frames).add(frame);
            }
        }
        for (FrameCorpus.Frame frame : FrameCorpus.generate(99L, 1500)) {
            if (frame.kind().contains("/snap") || frame.kind().contains("/short") || frame.kind().contains("/junk")) {
                cutFrames.add(frame);
            }
        }
        pcap = dir.resolve("flags.pcap");
        FrameCorpus.writePcap(pcap, frames);
        cut = dir.resolve("cut.pcap");
        FrameCorpus.writePcap(cut, cutFrames);
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

    /**
     * The dumps cover exactly the bytes tcpdump's do where it stopped early: from the first byte,
     * from the network header, or none. Compared record by record after each record's first line:
     * the lines of frames cut short are checked by TcpdumpDifferentialTest, up to their endpoints.
     */
    @ParameterizedTest
    @ValueSource(strings = {"-n -x", "-n -xx", "-n -X", "-n -XX", "-n -A", "-n -AA"})
    void dumpsOfFramesCutShortAreTcpdumps(String flags) throws Exception {
        List<String> args = new ArrayList<>(List.of(flags.split(" ")));
        Output tcpdump = tcpdump(args, "-r", cut.toString());
        List<String> theirs = records(tcpdump.out);
        Output output = netring(args, "-r", cut.toString());
        assertEquals(0, output.code, output.err);
        // Both outputs whole, for reading when the assertion's first mismatches are not enough.
        java.nio.file.Files.createDirectories(Path.of("target"));
        java.nio.file.Files.writeString(Path.of("target", "cut-dump" + flags.replace(" ", "") + "-tcpdump.txt"), tcpdump.out,
                StandardCharsets.ISO_8859_1);
        java.nio.file.Files.writeString(Path.of("target", "cut-dump" + flags.replace(" ", "") + "-ours.txt"), output.out,
                StandardCharsets.ISO_8859_1);
        List<String> ours = records(output.out);
        assertEquals(theirs.size(), ours.size(), "records");
        List<String> mismatches = new ArrayList<>();
        for (int i = 0; i < theirs.size(); i++) {
            if (!dump(theirs.get(i)).equals(dump(ours.get(i)))) {
                mismatches.add("frame " + (i + 1) + "\n  tcpdump: " + theirs.get(i) + "\n  ours:    " + ours.get(i));
            }
        }
        assertTrue(mismatches.isEmpty(), mismatches.size() + " of " + theirs.size() + " dumps differ (" + flags + "), first:\n"
                + String.join("\n", mismatches.subList(0, Math.min(8, mismatches.size()))));
    }

    private static final java.util.regex.Pattern STAMP = java.util.regex.Pattern.compile("(?m)^(?=\\d\\d:\\d\\d:\\d\\d\\.\\d{6} )");

    /** The output split before each timestamp that starts a line. */
    private static List<String> records(String out) {
        return List.of(STAMP.split(out)).stream().filter(r -> !r.isEmpty()).toList();
    }

    /** A record without its first line: the dump. */
    private static String dump(String record) {
        int nl = record.indexOf('\n');
        return nl < 0 ? "" : record.substring(nl + 1);
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
