package io.netring.cli;

import io.netring.PacketDirection;
import io.netring.Timestamp;
import io.netring.pcap.PcapFormat;
import io.netring.pcap.PcapWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link CaptureShortcut}: the command lines it takes end exactly as through picocli (exit
 * code, standard output, standard error, the file written), and the ones it must leave to
 * picocli are left.
 */
@Timeout(60)
class CaptureShortcutTest {
    @TempDir
    Path dir;

    record Result(int code, String out, String err, byte[] file) {}

    private Result run(boolean shortcut, Path written, String... args) throws IOException {
        Files.deleteIfExists(written);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        PrintWriter o = new PrintWriter(out, true);
        PrintWriter e = new PrintWriter(err, true);
        int code = shortcut ? NetringCommand.run(args, o, e) : NetringCommand.runWithPicocli(args, o, e);
        return new Result(code, out.toString(), err.toString(), Files.exists(written) ? Files.readAllBytes(written) : null);
    }

    /** UDP/IPv4 frames, so the printed lines carry addresses and ports. */
    private Path sample(String name, PcapFormat format, int n) throws IOException {
        Path p = dir.resolve(name);
        try (PcapWriter w = PcapWriter.open(p, format)) {
            for (int i = 0; i < n; i++) {
                byte[] f = new byte[60];
                f[12] = 0x08;
                f[14] = 0x45;
                f[17] = 46;                                 // IP total length
                f[22] = 64;
                f[23] = 17;                                 // UDP
                f[26] = 10;
                f[29] = 1;
                f[30] = 10;
                f[33] = 2;
                f[34] = 0x30;
                f[35] = (byte) i;
                f[37] = 53;
                f[39] = 26;                                 // UDP length
                w.write(MemorySegment.ofArray(f), 0, 60, 60, new Timestamp(1_700_000_000L + i, i * 1000), PacketDirection.HOST);
            }
        }
        return p;
    }

    private void assertSame(Path written, String... args) throws IOException {
        assertNotNull(CaptureShortcut.parse(args), String.join(" ", args));
        Result viaShortcut = run(true, written, args);
        Result viaPicocli = run(false, written, args);
        String what = String.join(" ", args);
        assertEquals(viaPicocli.code(), viaShortcut.code(), what);
        assertEquals(viaPicocli.out(), viaShortcut.out(), what);
        assertEquals(viaPicocli.err(), viaShortcut.err(), what);
        assertArrayEquals(viaPicocli.file(), viaShortcut.file(), what);
    }

    @Test
    void takenFormsEndAsThroughPicocli() throws IOException {
        String in = sample("in.pcap", PcapFormat.PCAP, 40).toString();
        String ng = sample("in.pcapng", PcapFormat.PCAPNG, 40).toString();
        Path out = dir.resolve("out.pcap");
        Path outNg = dir.resolve("out.pcapng");
        assertSame(out, "capture", "-r", in, "-n");
        assertSame(out, "capture", "-r", in, "-nn");
        assertSame(out, "capture", "-r", in, "-n", "-n");
        assertSame(out, "capture", "-r", ng);
        assertSame(out, "capture", "-n", "-c", "7", "-r", in);
        assertSame(out, "capture", "-r", in, "-w", out.toString());
        assertSame(out, "capture", "-r", ng, "-w", out.toString(), "-c", "13");
        assertSame(outNg, "capture", "-w", outNg.toString(), "-r", in);
        assertSame(out, "capture", "-r", dir.resolve("missing.pcap").toString(), "-n");
        assertSame(out, "capture", "-r", dir.resolve("missing.pcap").toString(), "-w", out.toString());
    }

    @Test
    void damagedFilesEndAsThroughPicocli() throws IOException {
        byte[] good = Files.readAllBytes(sample("good.pcap", PcapFormat.PCAP, 30));
        Path cut = dir.resolve("cut.pcap");
        Files.write(cut, Arrays.copyOf(good, good.length - 10));
        Path junk = dir.resolve("junk.pcap");
        Files.write(junk, new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
        Path out = dir.resolve("out.pcap");
        assertSame(out, "capture", "-r", cut.toString(), "-n");
        assertSame(out, "capture", "-r", cut.toString(), "-w", out.toString());
        assertSame(out, "capture", "-r", junk.toString(), "-w", out.toString());
        assertSame(out, "capture", "-r", dir.toString(), "-n");
    }

    @Test
    void outputOptionsAreStillCheckedWhenWriting() throws IOException {
        String in = sample("in.pcap", PcapFormat.PCAP, 3).toString();
        Path out = dir.resolve("out.pcap");
        Result r = run(true, out, "capture", "-r", in, "-w", out.toString(), "-T", "bogus");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("-T takes fields or json, was 'bogus'"), r.err());
    }

    @Test
    void everythingElseIsLeftToPicocli() {
        String[][] others = {
                {"capture", "-r"},
                {"capture", "-n", "-w", "x.pcap"},
                {"capture", "-i", "lo", "-n"},
                {"capture", "-r", "a.pcap", "-r", "b.pcap"},
                {"capture", "-r", "a.pcap", "-w", "b", "-w", "c"},
                {"capture", "-r", "a.pcap", "-c", "0"},
                {"capture", "-r", "a.pcap", "-c", "010"},
                {"capture", "-r", "a.pcap", "-c", "-1"},
                {"capture", "-r", "a.pcap", "-c", "1234567890123456789"},
                {"capture", "-r", "a.pcap", "-c", "5", "-c", "6"},
                {"capture", "-r", "-n"},
                {"capture", "-r", "@args"},
                {"capture", "-r", "kafka://localhost:9092/t"},
                {"capture", "-r", "a.pcap", "-w", "kafka://localhost:9092/t"},
                {"capture", "-r", "a.pcap", "tcp"},
                {"capture", "-r", "a.pcap", "-e"},
                {"capture", "-r", "a.pcap", "-nr", "b"},
                {"capture", "-r", "a.pcap", "--verbose"},
                {"capture", "-r", "a\0.pcap"},
                {"flows", "-r", "a.pcap", "-n"},
                {"--verbose", "capture", "-r", "a.pcap"},
        };
        for (String[] args : others) {
            assertNull(CaptureShortcut.parse(args), String.join(" ", args));
        }
    }
}
