package io.netring.cli;

import io.netring.pcap.PcapFormat;
import io.netring.pcap.PcapReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code netring capture -r/-w}: files in, files out, damaged files; no privileges needed. */
@Timeout(60)
class CaptureFileCliTest {
    @TempDir
    Path dir;

    record Result(int code, String out, String err) {}

    private static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = NetringCommand.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(code, out.toString(), err.toString());
    }

    /** {@code n} 60-byte frames of EtherType 0x88B5, one second apart, written as {@code format}. */
    private Path sample(String name, PcapFormat format, int n) throws IOException {
        return SampleFiles.frames(dir.resolve(name), format, n);
    }

    /** Lines that start a packet: tcpdump's hex dump of an unknown EtherType follows on tab-indented lines. */
    private static long packetLines(String out) {
        return out.lines().filter(l -> !l.startsWith("\t")).count();
    }

    private static long count(Path p) throws IOException {
        try (PcapReader r = PcapReader.open(p); var s = r.packets()) {
            return s.count();
        }
    }

    @Test
    void readPrintsOneLinePerPacket() throws IOException {
        Path in = sample("in.pcapng", PcapFormat.PCAPNG, 25);
        Result r = run("capture", "-r", in.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals(25, packetLines(r.out()));
        assertTrue(r.err().startsWith("reading from file " + in + ", link-type EN10MB (Ethernet)"), r.err());
        assertEquals(10, packetLines(run("capture", "-r", in.toString(), "-c", "10").out()));
    }

    @Test
    void readAndWriteConvertsAndHonoursTheCount() throws IOException {
        Path in = sample("in.pcap", PcapFormat.PCAP, 3000);
        Path out = dir.resolve("out.pcapng");
        Result r = run("capture", "-r", in.toString(), "-w", out.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals("", r.out());
        try (PcapReader a = PcapReader.open(in); PcapReader b = PcapReader.open(out);
             var sa = a.packets(); var sb = b.packets()) {
            assertEquals(PcapFormat.PCAPNG, b.format());
            List<String> want = sa.map(p -> p.timestamp() + Arrays.toString(p.toOwned().data())).toList();
            List<String> got = sb.map(p -> p.timestamp() + Arrays.toString(p.toOwned().data())).toList();
            assertEquals(want, got);
        }
        Path limited = dir.resolve("limited");
        assertEquals(0, run("capture", "-r", in.toString(), "-w", limited.toString(), "-F", "pcapng", "-c", "1234").code());
        assertEquals(1234, count(limited));
        try (PcapReader r2 = PcapReader.open(limited)) {
            assertEquals(PcapFormat.PCAPNG, r2.format());
        }
    }

    @Test
    void aDamagedFileIsOneLineExitOneAfterTheGoodPackets() throws IOException {
        Path in = sample("in.pcap", PcapFormat.PCAP, 10);
        byte[] bytes = Files.readAllBytes(in);
        Path cut = dir.resolve("cut.pcap");
        Files.write(cut, Arrays.copyOf(bytes, bytes.length - 7));
        long lastRecord = 24 + 9 * (16 + 60);
        Result printed = run("capture", "-r", cut.toString());
        assertEquals(1, printed.code());
        assertEquals(9, packetLines(printed.out()));
        List<String> err = printed.err().lines().toList();
        assertEquals("netring: " + cut + ": offset " + lastRecord
                + ": record of 60 captured bytes runs past the end of the file (53 left)", err.getLast());
        assertEquals(2, err.size(), printed.err());                 // "reading from file" and the error
        Path out = dir.resolve("saved.pcap");
        Result written = run("capture", "-r", cut.toString(), "-w", out.toString());
        assertEquals(1, written.code());
        assertEquals(9, count(out));
    }

    @Test
    void sourceAndFileOptionsAreUsageErrors() throws IOException {
        Path in = sample("in.pcap", PcapFormat.PCAP, 1);
        assertEquals(2, run("capture").code());
        assertEquals(2, run("capture", "-i", "lo", "-r", in.toString()).code());
        assertEquals(2, run("capture", "-r", in.toString(), "-C", "1").code());
        assertEquals(2, run("capture", "-r", in.toString(), "-w", "x", "-F", "erf").code());
        assertEquals(2, run("capture", "-r", in.toString(), "-w", "x", "-W", "0").code());
        Result missing = run("capture", "-r", dir.resolve("nope.pcap").toString());
        assertEquals(1, missing.code());
        assertTrue(missing.err().contains("nope.pcap"), missing.err());
    }
}
