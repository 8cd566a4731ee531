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
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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

    /** bin/netring without its AOT cache: these tests are about the class path. */
    private Result netring(String... args) throws IOException, InterruptedException {
        return netring(Map.of("NETRING_AOT", "off"), args);
    }

    private Result netring(Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(SCRIPT.toString()));
        command.addAll(List.of(args));
        Path out = dir.resolve("stdout");
        Path err = dir.resolve("stderr");
        ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().remove("JDK_JAVA_OPTIONS");
        pb.environment().putAll(env);
        Process p = pb.start();
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

    /**
     * The first run makes the AOT caches (the full one and the short one a small file's run
     * starts from) and says so in one line; the next starts from them
     * ({@code -XX:AOTMode=on} makes the JVM refuse to start when the cache is missing or
     * unusable, say made for other jars); a cache older than the jars is made again.
     */
    @Test
    void firstRunMakesTheStartupCacheAndLaterRunsUseIt() throws Exception {
        Path file = sample();
        Path cacheDir = dir.resolve("cache");
        Path cache = cacheDir.resolve("netring.aot");
        Map<String, String> env = Map.of("NETRING_AOT_DIR", cacheDir.toString());
        String making = "netring: making the start-up cache " + cache;

        Result first = netring(env, "capture", "-r", file.toString(), "-n");
        assertEquals(0, first.code(), first.err());
        assertTrue(first.err().startsWith(making), first.err());
        assertEquals(1, first.err().lines().filter(l -> l.contains("start-up cache")).count(), first.err());
        assertTrue(Files.size(cache) > 0, "cache written");
        assertTrue(Files.size(cacheDir.resolve("netring-short.aot")) > 0, "short cache written");
        assertEquals(3, first.out().lines().filter(l -> !l.startsWith("\t")).count(), first.out());

        Map<String, String> strict = new java.util.HashMap<>(env);
        strict.put("JDK_JAVA_OPTIONS", "-XX:AOTMode=on");
        Result second = netring(strict, "capture", "-r", file.toString(), "-n");
        assertEquals(0, second.code(), second.err());
        assertFalse(second.err().contains("start-up cache"), second.err());
        assertFalse(second.err().contains("[aot]"), "the JVM started from the cache: " + second.err());
        assertEquals(first.out(), second.out());
        // A command line picocli parses starts from the full cache, as strictly.
        Result parsed = netring(strict, "capture", "-r", file.toString(), "-n", "-e");
        assertEquals(0, parsed.code(), parsed.err());
        assertFalse(parsed.err().contains("[aot]"), "the JVM started from the full cache: " + parsed.err());
        assertEquals(3, parsed.out().lines().filter(l -> !l.startsWith("\t")).count(), parsed.out());

        Files.setLastModifiedTime(cache, FileTime.fromMillis(0));
        Result stale = netring(env, "capture", "-r", file.toString(), "-n");
        assertEquals(0, stale.code(), stale.err());
        assertTrue(stale.err().startsWith(making), "a cache older than the jars is made again: " + stale.err());
        assertTrue(Files.getLastModifiedTime(cache).toMillis() > 0, "cache replaced");
    }
}
