package io.netring.pcap;

import io.netring.testing.ExternalTool;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs tcpdump, tshark, capinfos and editcap for the interoperability tests. */
final class Tools {
    private Tools() {}

    /** Runs {@code tool} with {@code args}, fails on a non-zero exit, returns stdout's lines. */
    static List<String> run(ExternalTool tool, String... args) throws IOException {
        String[] cmd = tool.command(args);
        Path out = Files.createTempFile("tool", ".out");
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(false).redirectOutput(out.toFile())
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("timed out: " + String.join(" ", cmd));
            }
            if (p.exitValue() != 0) {
                throw new IOException("exit " + p.exitValue() + ": " + String.join(" ", cmd));
            }
            return new ArrayList<>(Files.readAllLines(out, StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        } finally {
            Files.deleteIfExists(out);
        }
    }
}
