package io.netring.reassembly;

import io.netring.PacketDirection;
import io.netring.Timestamp;
import io.netring.pcap.PcapFormat;
import io.netring.pcap.PcapWriter;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Writes frames to a pcap with the library's writer and reads tshark's {@code -T fields} of it. */
public final class Tshark {
    /** Frame {@code i} (0-based) is stamped {@code FIRST_SECOND + i} milliseconds. */
    static final long FIRST_SECOND = 1_700_000_000L;

    private Tshark() {}

    /** Skips without tshark; fails instead where CI demands every tool (NETRING_REQUIRE_PRIVILEGED=1). */
    public static void require() {
        boolean found = false;
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            found |= Files.isExecutable(Path.of(dir, "tshark"));
        }
        String why = "tshark not installed (apt-get install tshark)";
        if ("1".equals(System.getenv("NETRING_REQUIRE_PRIVILEGED"))) {
            assertTrue(found, why);
        }
        assumeTrue(found, why);
    }

    static long timeNanos(int index) {
        return FIRST_SECOND * 1_000_000_000L + index * 1_000_000L;
    }

    static void writePcap(Path file, List<byte[]> frames) throws IOException {
        try (PcapWriter w = PcapWriter.open(file, PcapFormat.PCAP)) {
            for (int i = 0; i < frames.size(); i++) {
                byte[] f = frames.get(i);
                long t = timeNanos(i);
                w.write(MemorySegment.ofArray(f), 0, f.length, f.length,
                        new Timestamp(t / 1_000_000_000L, (int) (t % 1_000_000_000L)), PacketDirection.HOST);
            }
        }
    }

    /** One row per frame, one cell per field ({@code ""} when tshark shows none). */
    public static List<String[]> fields(Path file, List<String> options, String... fields) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("tshark", "-n", "-r", file.toString()));
        cmd.addAll(options);
        cmd.addAll(List.of("-T", "fields"));
        for (String f : fields) {
            cmd.add("-e");
            cmd.add(f);
        }
        Path out = Files.createTempFile("tshark", ".out");
        try {
            Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile())
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("tshark did not finish in 60 s: " + cmd);
            }
            if (p.exitValue() != 0) {
                throw new IOException("exit " + p.exitValue() + ": " + cmd);
            }
            List<String[]> rows = new ArrayList<>();
            for (String line : Files.readAllLines(out, StandardCharsets.UTF_8)) {
                rows.add(line.split("\t", -1));
            }
            return rows;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        } finally {
            Files.deleteIfExists(out);
        }
    }
}
