package io.netring.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** tcpdump, tshark and capinfos for the command's tests: present, or a skip with the reason (a failure in CI). */
final class ReferenceTools {
    private ReferenceTools() {}

    /** Skips the test when {@code tool} is missing; under NETRING_REQUIRE_PRIVILEGED=1 (.ci/run) fails it. */
    static void require(String tool) {
        boolean found = false;
        for (String d : System.getenv().getOrDefault("PATH", "/usr/bin:/usr/sbin").split(":")) {
            found |= Files.isExecutable(Path.of(d, tool));
        }
        String why = tool + " not installed (apt-get install tcpdump tshark wireshark-common)";
        if ("1".equals(System.getenv("NETRING_REQUIRE_PRIVILEGED"))) {
            assertTrue(found, why);
        }
        assumeTrue(found, why);
    }

    /** The packets in {@code files} together, as capinfos counts them. */
    static long capinfosPackets(List<Path> files) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("capinfos", "-c", "-M", "-T", "-r"));
        files.forEach(f -> cmd.add(f.toString()));
        long sum = 0;
        for (String line : run(cmd)) {
            String[] cells = line.split("\t");
            sum += Long.parseLong(cells[cells.length - 1].trim());
        }
        return sum;
    }

    /** Runs {@code cmd}; its stdout's lines, or an IOException naming the exit status and stderr. */
    static List<String> run(List<String> cmd) throws IOException {
        Path out = Files.createTempFile("tool", ".out");
        Path err = Files.createTempFile("tool", ".err");
        try {
            Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("timed out: " + String.join(" ", cmd));
            }
            if (p.exitValue() != 0) {
                throw new IOException("exit " + p.exitValue() + ": " + String.join(" ", cmd) + ": "
                        + Files.readString(err));
            }
            return Files.readAllLines(out, StandardCharsets.UTF_8);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
