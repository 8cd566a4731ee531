package io.netring.cli;

import io.netring.testing.FrameSender;
import io.netring.testing.NamespaceTest;
import io.netring.testing.Privileged;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code kill -9} in the middle of {@code capture -i IF -w FILE}: the file has its header at once
 * and is flushed at least once a second (each batch with {@code -U}), so capinfos reads every
 * packet but those of the last moment.
 */
@Privileged
@Timeout(90)
class KilledCaptureFileTest extends NamespaceTest {
    private static final int RATE_PER_SECOND = 100;
    private static final Duration SENDING = Duration.ofSeconds(3);

    @TempDir
    Path dir;

    @Test
    void aKilledCaptureLeavesAllButTheLastSecond() throws Exception {
        assertKilledCaptureKeeps(dir.resolve("killed.pcap"), List.of(), Duration.ofMillis(1500));
    }

    @Test
    void aKilledPacketBufferedCaptureLeavesAllButTheLastBatch() throws Exception {
        assertKilledCaptureKeeps(dir.resolve("killed-u.pcapng"), List.of("-U"), Duration.ofMillis(500));
    }

    /**
     * Sends at a steady rate for a few seconds, kills the capture, and checks that every packet
     * sent more than {@code lost} before the kill is in the file.
     */
    private void assertKilledCaptureKeeps(Path file, List<String> options, Duration lost) throws Exception {
        ReferenceTools.require("capinfos");
        List<String> cmd = new ArrayList<>(NetringProcess.command("capture", "-i", ns.b, "-w", file.toString(),
                "-B", "block-size=64K", "-B", "block-count=16"));
        cmd.addAll(options);
        int before = ns.packetSocketsOn(ns.b);
        Process p = new ProcessBuilder(ns.exec(cmd)).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(dir.resolve("stderr").toFile()).start();
        long keptBeforeKill;
        try {
            NetringProcess.awaitCapture(ns, ns.b, before, p);
            assertTrue(p.isAlive(), "capture ended early");
            long[] sentAt = new long[(int) (SENDING.toSeconds() * RATE_PER_SECOND)];
            ns.run(() -> {
                try (FrameSender tx = new FrameSender(ns.a)) {
                    long start = System.nanoTime();
                    for (int i = 0; i < sentAt.length; i++) {
                        long due = start + i * 1_000_000_000L / RATE_PER_SECOND;
                        long wait = due - System.nanoTime();
                        if (wait > 0) {
                            TimeUnit.NANOSECONDS.sleep(wait);
                        }
                        tx.send(FrameSender.frame(i, 60));
                        sentAt[i] = System.nanoTime();
                    }
                }
            });
            long killedAt = System.nanoTime();
            kill9(p);
            keptBeforeKill = 0;
            while (keptBeforeKill < sentAt.length && killedAt - sentAt[(int) keptBeforeKill] > lost.toNanos()) {
                keptBeforeKill++;
            }
        } finally {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
        long inFile = ReferenceTools.capinfosPackets(List.of(file));
        assertTrue(inFile >= keptBeforeKill && inFile <= SENDING.toSeconds() * RATE_PER_SECOND,
                file.getFileName() + ": " + inFile + " packets in the file, " + keptBeforeKill
                        + " were sent more than " + lost.toMillis() + " ms before the kill");
    }

    /** {@code kill -9} as an operator types it ({@code ip netns exec} execs java: same pid), then the wait for the end. */
    private static void kill9(Process p) throws Exception {
        new ProcessBuilder("kill", "-9", Long.toString(p.pid())).start().waitFor(10, TimeUnit.SECONDS);
        assertTrue(p.waitFor(10, TimeUnit.SECONDS), "the process outlived kill -9");
    }
}
