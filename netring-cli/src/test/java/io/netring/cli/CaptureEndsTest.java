package io.netring.cli;

import io.netring.testing.FrameSender;
import io.netring.testing.NamespaceTest;
import io.netring.testing.Waits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.*;

/** How {@code netring capture -i} ends when it is not a timeout or a count: a signal, a deleted interface. */
@Timeout(60)
class CaptureEndsTest extends NamespaceTest {

    @Test
    void sigintStopsACaptureStartedWithSigintIgnored(@TempDir Path dir) throws Exception {
        // what `netring capture … &` in a script gets: bash starts background jobs with SIGINT ignored
        try (CliProcess p = CliProcess.start(cmd -> {
            List<String> shell = new ArrayList<>(List.of("bash", "-c", "trap '' INT; exec \"$@\"", "bash"));
            shell.addAll(cmd);
            return ns.exec(shell);
        }, "capture", "-i", ns.b, "-w", dir.resolve("x.pcap").toString(), "-B", "block-timeout=5ms")) {
            awaitBound();
            sendFrames(20);
            Thread.sleep(300);
            p.signal("INT");
            assertTrue(p.waitFor(15), "capture did not stop on SIGINT inherited ignored");
            assertEquals(0, p.exitValue(), p.err());
            assertTrue(p.err().contains("20 packets captured"), p.err());
        }
    }

    @Test
    void aDeletedInterfaceStillGetsTheSummaryWithEveryPacketInTheRing(@TempDir Path dir) throws Exception {
        AtomicReference<String[]> result = new AtomicReference<>();
        Thread cli = ns.call(() -> Thread.ofPlatform().start(() -> result.set(FlowsOnInputErrorTest.run(
                "capture", "-i", ns.b, "-w", dir.resolve("x.pcap").toString(), "--timeout", "30s",
                "-B", "block-size=64K", "-B", "block-count=8", "-B", "block-timeout=50ms"))));
        awaitBound();
        sendFrames(300);
        ns.ip("link", "del", ns.a);                          // at once: the last block is still in the ring
        cli.join(20_000);
        String[] r = result.get();
        assertNotNull(r, "capture ended after the interface was deleted");
        assertEquals("1", r[0], r[2]);
        assertEquals(300, StderrLines.count(r[2], "captured"), r[2]);
        assertEquals(300, StderrLines.count(r[2], "received by filter"), r[2]);
        assertEquals(0, StderrLines.count(r[2], "dropped by kernel"), r[2]);
        String last = r[2].lines().reduce((a, b) -> b).orElse("");
        assertTrue(last.startsWith("netring: ") && last.contains("was deleted"), "the error follows the summary: " + r[2]);
    }

    private void awaitBound() throws InterruptedException {
        Waits.until(() -> {
            try {
                return ns.packetSocketsOn(ns.b) > 0;
            } catch (Exception e) {
                return false;
            }
        }, Duration.ofSeconds(30), "the capture bound its socket to " + ns.b);
    }

    private void sendFrames(int n) throws Exception {
        ns.run(() -> {
            try (FrameSender tx = new FrameSender(ns.a)) {
                tx.sendSequence(0, n, 60);
            }
        });
    }
}
