package io.netring.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code netring streams}' usage errors (exit 2) and input errors (exit 1), with their text. */
class StreamsCliTest {
    @TempDir
    Path dir;

    private record Result(int code, String err) {}

    private static Result run(String... args) {
        StringWriter err = new StringWriter();
        int code = NetringCommand.run(args, new PrintWriter(new StringWriter(), true), new PrintWriter(err, true));
        return new Result(code, err.toString());
    }

    @Test
    void usageErrorsExitTwoAndSayWhatIsWrong() throws Exception {
        Path pcap = Files.write(dir.resolve("x.pcap"), new byte[0]);
        Path file = Files.writeString(dir.resolve("plain"), "x");
        Result r = run("streams", "-r", pcap.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().startsWith("netring: missing -o DIR: the directory for the stream files\n"), r.err());
        assertTrue(r.err().contains("Try 'netring streams --help'"), r.err());

        r = run("streams", "-r", pcap.toString(), "-o", file.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().startsWith("netring: -o " + file + ": not a directory\n"), r.err());

        r = run("streams", "-r", pcap.toString(), "-o", dir.resolve("absent").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().startsWith("netring: -o " + dir.resolve("absent") + ": no such directory\n"), r.err());

        r = run("streams", "-o", dir.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().startsWith("netring: give exactly one of -i IFACE and -r FILE\n"), r.err());

        r = run("streams", "-r", pcap.toString(), "-i", "lo", "-o", dir.toString());
        assertEquals(2, r.code());

        r = run("streams", "-r", pcap.toString(), "-o", dir.toString(), "tcp", "port");
        assertEquals(2, r.code());
    }

    @Test
    void aMissingFileExitsOne() {
        Result r = run("streams", "-r", dir.resolve("none.pcap").toString(), "-o", dir.toString());
        assertEquals(1, r.code());
        assertTrue(r.err().startsWith("netring: "), r.err());
        assertTrue(r.err().contains("none.pcap"), r.err());
    }

    @Test
    void theFilterKeepsOnlyTheStreamsItMatches() throws Exception {
        java.util.Random rnd = new java.util.Random(5);
        Path pcap = dir.resolve("two.pcap");
        java.util.List<java.util.List<byte[]>> conversations = java.util.List.of(
                StreamsDifferentialTest.conversationOn(rnd, 1111, 0, false, StreamsDifferentialTest.Disturbance.IN_ORDER),
                StreamsDifferentialTest.conversationOn(rnd, 2222, 0, false, StreamsDifferentialTest.Disturbance.IN_ORDER));
        io.netring.testing.FrameCorpus.writePcap(pcap, StreamsDifferentialTest.interleave(rnd, conversations));
        Path out = Files.createDirectory(dir.resolve("out"));
        Result r = run("streams", "-r", pcap.toString(), "-o", out.toString(), "port", "2222");
        assertEquals(0, r.code(), r.err());
        assertEquals(java.util.Set.of("010.000.000.001.02222-010.000.001.002.00080", "010.000.001.002.00080-010.000.000.001.02222"),
                StreamsDifferentialTest.files(out).keySet());
        assertTrue(r.err().contains("1 TCP stream, 2 files written"), r.err());
    }
}
