package io.netring.cli;

import io.netring.testing.FrameSender;
import io.netring.testing.NamespaceTest;
import io.netring.testing.Privileged;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code capture -i IF -w FILE} onto a 64 KiB tmpfs that fills up: the error names the file, the
 * capture's summary still follows, exit 1. The tmpfs is mounted in a mount namespace of the
 * command's own ({@code unshare -m}), so it goes away with the process whatever happens.
 */
@Privileged
@Timeout(90)
class FullDiskTest extends NamespaceTest {
    @TempDir
    Path dir;

    @Test
    void aFullDiskNamesTheFileAndStillPrintsTheSummary() throws Exception {
        Path file = dir.resolve("full.pcap");
        List<String> cmd = new ArrayList<>(List.of("unshare", "-m", "sh", "-c",
                "mount -t tmpfs -o size=64k netring-full \"$0\" && exec \"$@\"", dir.toString()));
        cmd.addAll(ns.exec(NetringProcess.command("capture", "-i", ns.b, "-w", file.toString(),
                "-B", "block-size=64K", "-B", "block-count=16")));
        Path stderr = Files.createTempFile("full-disk", ".err");
        int before = ns.packetSocketsOn(ns.b);
        Process p = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(stderr.toFile()).start();
        try {
            NetringProcess.awaitCapture(ns, ns.b, before, p);
            // 1000-byte frames, far more than 64 KiB of them, until the capture gives up.
            ns.run(() -> {
                try (FrameSender tx = new FrameSender(ns.a)) {
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                    for (int i = 0; p.isAlive() && System.nanoTime() < deadline; i++) {
                        tx.send(FrameSender.frame(i, 1000));
                        if (i % 50 == 0) {
                            Thread.sleep(5);
                        }
                    }
                }
            });
            assertTrue(p.waitFor(20, TimeUnit.SECONDS), "the capture went on with a full disk");
            List<String> err = Files.readAllLines(stderr);
            assertEquals(1, p.exitValue(), String.join("\n", err));
            int at = err.indexOf("netring: " + file + ": No space left on device");
            assertTrue(at >= 0, String.join("\n", err));
            assertEquals(at + 4, err.size(), String.join("\n", err));
            assertTrue(err.get(at + 1).matches("\\d+ packets captured"), err.get(at + 1));
            assertTrue(err.get(at + 2).matches("\\d+ packets received by filter"), err.get(at + 2));
            assertTrue(err.get(at + 3).matches("\\d+ packets dropped by kernel"), err.get(at + 3));
        } finally {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
            Files.deleteIfExists(stderr);
        }
    }
}
