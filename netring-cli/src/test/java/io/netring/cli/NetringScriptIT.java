package io.netring.cli;

import io.netring.PacketDirection;
import io.netring.Timestamp;
import io.netring.pcap.PcapFormat;
import io.netring.pcap.PcapWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@code bin/netring} script as a user runs it, on the jar and {@code target/lib} that
 * {@code package} made: its class path must hold everything the commands load (a missing jar
 * shows only here, as a NoClassDefFoundError before the first line). Runs in the
 * integration-test phase; needs no privileges.
 */
@Timeout(180)
class NetringScriptIT {
    private static final Path SCRIPT = Path.of("").toAbsolutePath().getParent().resolve("bin").resolve("netring");

    @TempDir
    Path dir;

    record Result(int code, String out, String err) {}

    private Result netring(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(SCRIPT.toString()));
        command.addAll(List.of(args));
        Path out = dir.resolve("stdout");
        Path err = dir.resolve("stderr");
        Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("bin/netring " + String.join(" ", args) + " did not end within 120 s");
        }
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    private Path sample() throws IOException {
        Path file = dir.resolve("three.pcap");
        try (PcapWriter w = PcapWriter.open(file, PcapFormat.PCAP)) {
            for (int i = 0; i < 3; i++) {
                byte[] f = new byte[60];
                f[12] = (byte) 0x88;
                f[13] = (byte) 0xB5;
                w.write(MemorySegment.ofArray(f), 0, 60, 60, new Timestamp(1_700_000_000L + i, 0), PacketDirection.HOST);
            }
        }
        return file;
    }

    @Test
    void versionAndHelpStart() throws Exception {
        Result v = netring("--version");
        assertEquals(0, v.code(), v.err());
        assertEquals("netring 0.1.0", v.out().strip());
        Result h = netring("--help");
        assertEquals(0, h.code(), h.err());
        assertTrue(h.out().contains("capture") && h.out().contains("flows"), h.out());
    }

    @Test
    void readsAFileThroughBothParsers() throws Exception {
        Path file = sample();
        Result quick = netring("capture", "-r", file.toString(), "-c", "2", "-n");
        assertEquals(0, quick.code(), quick.err());
        assertEquals(2, quick.out().lines().filter(l -> !l.startsWith("\t")).count(), quick.out());
        assertTrue(quick.err().startsWith("reading from file " + file), quick.err());
        Result picocli = netring("capture", "-r", file.toString(), "-c", "2", "-e");   // -e: not a shortcut form
        assertEquals(0, picocli.code(), picocli.err());
        assertEquals(2, picocli.out().lines().filter(l -> !l.startsWith("\t")).count(), picocli.out());
        Path copy = dir.resolve("copy.pcapng");
        Result written = netring("capture", "-r", file.toString(), "-w", copy.toString());
        assertEquals(0, written.code(), written.err());
        assertTrue(Files.size(copy) > 3 * 60, "pcapng written");
    }
}
