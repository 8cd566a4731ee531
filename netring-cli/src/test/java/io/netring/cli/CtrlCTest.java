package io.netring.cli;

import io.netring.testing.Privileged;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/** {@code netring capture} in its own process, stopped with Ctrl-C (SIGINT): summary and exit 0, as tcpdump. */
@Privileged
@Timeout(60)
class CtrlCTest {

    @Test
    void ctrlCPrintsTheSummaryAndExitsZero() throws Exception {
        assertStopsCleanly("INT");
    }

    @Test
    void sigtermPrintsTheSummaryAndExitsZero() throws Exception {
        assertStopsCleanly("TERM");
    }

    private static void assertStopsCleanly(String signal) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), NetringCommand.class.getName(),
                "capture", "-i", "lo", "--timeout", "40s", "--profile", "MEMORY_CONSTRAINED").start();
        try (DatagramSocket udp = new DatagramSocket()) {
            // The capture is running once it prints a packet: send to loopback until it does.
            CompletableFuture<String> firstLine = CompletableFuture.supplyAsync(() -> {
                try {
                    return new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)).readLine();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            byte[] hello = "netring ctrl-c test".getBytes(StandardCharsets.UTF_8);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!firstLine.isDone()) {
                assertTrue(System.nanoTime() < deadline, "capture printed no packet within 30 s");
                udp.send(new DatagramPacket(hello, hello.length, InetAddress.getLoopbackAddress(), 9));
                Thread.sleep(20);
            }
            if (firstLine.get() == null) {
                fail("capture ended early: " + new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
            }
            Thread.ofPlatform().daemon().start(() -> {       // keep the pipe drained while it runs
                try {
                    p.getInputStream().transferTo(OutputStream.nullOutputStream());
                } catch (IOException ignored) {
                    // the process ended
                }
            });
        }
        new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).start().waitFor();
        try {
            assertTrue(p.waitFor(20, TimeUnit.SECONDS), "capture did not stop on SIG" + signal);
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, p.exitValue(), err);
            // The summary is printed (among the header and any warning, e.g. about ulimit -l without root).
            assertTrue(StderrLines.count(err, "captured") >= 1, err);
            assertTrue(StderrLines.count(err, "received by filter") >= 1, err);
            StderrLines.count(err, "dropped by kernel");
        } finally {
            p.destroyForcibly();
        }
    }
}
