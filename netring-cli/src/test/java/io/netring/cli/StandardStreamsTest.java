package io.netring.cli;

import io.netring.pcap.PcapFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code -w -} and {@code -r -} are standard output and standard input, as in tcpdump: the
 * command runs in its own process at one end of a real pipe, tshark or cat at the other.
 */
@Timeout(120)
class StandardStreamsTest {
    private static final int PACKETS = 500;

    @TempDir
    Path dir;

    private Path sample() throws IOException {
        return SampleFiles.frames(dir.resolve("in.pcap"), PcapFormat.PCAP, PACKETS);
    }

    private static ProcessBuilder netring(String... args) {
        return new ProcessBuilder(NetringProcess.command(args));
    }

    /** What a pipeline left: the last stage's standard output, and each stage's standard error. */
    private record Piped(String out, List<List<String>> errors) {}

    /** Runs the processes as one pipeline and checks every one ended with 0. */
    private Piped pipeline(ProcessBuilder... stages) throws Exception {
        Path[] errs = new Path[stages.length];
        for (int i = 0; i < stages.length; i++) {
            errs[i] = dir.resolve("stage" + i + ".err");
            stages[i].redirectError(errs[i].toFile());
        }
        List<Process> ps = ProcessBuilder.startPipeline(List.of(stages));
        String out = new String(ps.getLast().getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        for (int i = 0; i < ps.size(); i++) {
            Process p = ps.get(i);
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "stage " + i + " did not end");
            assertEquals(0, p.exitValue(), "stage " + i + ": " + Files.readString(errs[i]));
        }
        List<List<String>> errors = new ArrayList<>();
        for (Path e : errs) {
            errors.add(Files.readAllLines(e));
        }
        return new Piped(out, errors);
    }

    @Test
    void writeDashIsAPcapOnStandardOutputThatTsharkReads() throws Exception {
        ReferenceTools.require("tshark");
        Path in = sample();
        Piped piped = pipeline(netring("capture", "-r", in.toString(), "-w", "-"),
                new ProcessBuilder("tshark", "-r", "-", "-T", "fields", "-e", "frame.number"));
        assertEquals(PACKETS, piped.out().lines().count(), piped.out());
        assertEquals(List.of("reading from file " + in + ", link-type EN10MB (Ethernet), snapshot length 262144"),
                piped.errors().getFirst(), "stderr: the header line only");
        assertTrue(Files.notExists(Path.of("-")), "no file named -");
    }

    @Test
    void readDashReadsStandardInput() throws Exception {
        Path in = sample();
        Path out = dir.resolve("out.pcapng");
        Piped piped = pipeline(new ProcessBuilder("cat", in.toString()), netring("capture", "-r", "-", "-w", out.toString()));
        assertEquals(List.of("reading from file -, link-type EN10MB (Ethernet), snapshot length 262144"), piped.errors().getLast());
        StringWriter lines = new StringWriter();
        assertEquals(0, NetringCommand.run(new String[] {"capture", "-r", out.toString(), "-n"},
                new PrintWriter(lines, true), new PrintWriter(new StringWriter(), true)));
        assertEquals(PACKETS, lines.toString().lines().filter(l -> !l.startsWith("\t")).count());
    }

    @Test
    void rotationOfStandardOutputIsAUsageError() {
        StringWriter err = new StringWriter();
        int code = NetringCommand.run(new String[] {"capture", "-i", "lo", "-w", "-", "-C", "1"},
                new PrintWriter(new StringWriter(), true), new PrintWriter(err, true));
        assertEquals(2, code);
        assertTrue(err.toString().startsWith("netring: -C and -G need a file to rotate, not -w - (standard output)"),
                err.toString());
    }
}
