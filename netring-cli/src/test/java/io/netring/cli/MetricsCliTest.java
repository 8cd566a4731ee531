package io.netring.cli;

import io.netring.testing.FrameSender;
import io.netring.testing.NamespaceTest;
import io.netring.testing.Privileged;
import io.netring.testing.Waits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code --metrics-port}: a capture on a veth pair serves the Prometheus text format, scraped
 * with an HTTP client inside the namespace while the capture runs, its counters checked against
 * the frames sent and the kernel's statistics the command prints at the end; the usage errors;
 * {@code stats --json}.
 */
@Privileged
@Timeout(60)
class MetricsCliTest extends NamespaceTest {
    @TempDir
    Path dir;

    private CliRun run(String... args) throws Exception {
        return CliRun.in(ns, args);
    }

    /** A port nothing listens on in the namespace now. */
    private int freePort() throws Exception {
        return ns.call(() -> {
            try (ServerSocket s = new ServerSocket(0)) {
                return s.getLocalPort();
            }
        });
    }

    /** GET http://127.0.0.1:PORT/metrics from inside the namespace (the connection is this thread's). */
    private String scrape(int port) throws Exception {
        return ns.call(() -> {
            HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + "/metrics").toURL().openConnection();
            c.setConnectTimeout(2000);
            c.setReadTimeout(5000);
            try (InputStream in = c.getInputStream()) {
                assertEquals(200, c.getResponseCode());
                assertTrue(c.getContentType().startsWith("text/plain; version=0.0.4"), c.getContentType());
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } finally {
                c.disconnect();
            }
        });
    }

    private static long value(String text, String series) {
        Matcher m = Pattern.compile("^" + Pattern.quote(series) + " (\\d+)$", Pattern.MULTILINE).matcher(text);
        assertTrue(m.find(), series + " in:\n" + text);
        return Long.parseLong(m.group(1));
    }

    @Test
    void aLiveCaptureServesItsCountersWhileItRuns() throws Exception {
        int n = 300;
        int port = freePort();
        AtomicReference<CliRun> result = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicReference<String> during = new AtomicReference<>();
        ns.run(() -> {
            Thread cli = Thread.ofPlatform().start(() -> {
                try {
                    result.set(run("capture", "-i", ns.b, "-c", String.valueOf(n + 1), "--metrics-port", String.valueOf(port)));
                } catch (Throwable t) {
                    failure.set(t);
                }
            });
            Waits.until(() -> {
                try {
                    scrape(port);
                    return true;
                } catch (Exception notYet) {
                    return !cli.isAlive();
                }
            }, Duration.ofSeconds(30), "the metrics endpoint is up");
            try (FrameSender tx = new FrameSender(ns.a)) {
                tx.sendSequence(0, n, 64);
                Waits.until(() -> {
                    try {
                        String text = scrape(port);
                        during.set(text);
                        String iface = "{interface=\"" + ns.b + "\"}";
                        // bytes count as the command takes each block, a little after the kernel counts packets
                        return value(text, "netring_packets_total" + iface) >= n && value(text, "netring_bytes_total" + iface) >= 64L * n;
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }, Duration.ofSeconds(20), "the scraped packets and bytes reach the frames sent");
                tx.send(FrameSender.frame(n, 64));      // the last one the command waits for
            }
            cli.join(Duration.ofSeconds(30));
        });
        assertNull(failure.get());
        CliRun r = result.get();
        assertEquals(0, r.code(), r.err());
        String text = during.get();
        String iface = "{interface=\"" + ns.b + "\"}";
        long scraped = value(text, "netring_packets_total" + iface);
        assertEquals(0, value(text, "netring_drops_total" + iface));
        assertEquals(0, value(text, "netring_freezes_total" + iface));
        value(text, "netring_blocks_total" + iface);
        assertTrue(value(text, "netring_bytes_total" + iface) >= 64L * n, text);
        assertTrue(text.contains("# TYPE netring_ring_fill_ratio gauge\nnetring_ring_fill_ratio" + iface + " "), text);
        assertTrue(text.contains("# TYPE netring_packets_total counter"), text);
        assertTrue(value(text, "jvm_memory_used_bytes{area=\"heap\"}") > 0);
        assertTrue(text.contains("process_cpu_seconds_total "), text);
        // The scrapes took nothing from the command's own statistics: its total counts them too.
        long received = StderrLines.count(r.err(), "received by filter");
        assertTrue(received >= scraped && scraped >= n, "scraped " + scraped + ", received " + received + "\n" + r.err());
    }

    @Test
    void misusedMetricsOptionsAreUsageErrorsAndABusyPortARuntimeError() throws Exception {
        CliRun range = run("capture", "-i", ns.b, "--metrics-port", "70000", "-c", "1");
        assertEquals(2, range.code());
        assertTrue(range.err().contains("--metrics-port must be in [1, 65535], was 70000"), range.err());
        Path file = dir.resolve("empty.pcap");
        Files.write(file, new byte[] {(byte) 0xd4, (byte) 0xc3, (byte) 0xb2, (byte) 0xa1, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                (byte) 0xff, (byte) 0xff, 0, 0, 1, 0, 0, 0});
        CliRun offline = run("capture", "-r", file.toString(), "--metrics-port", "9100");
        assertEquals(2, offline.code());
        assertTrue(offline.err().contains("--metrics-port serves a live capture's counters; it cannot be used with -r"), offline.err());
        CliRun address = run("stats", "-i", ns.b, "--metrics-address", "0.0.0.0", "-n", "1");
        assertEquals(2, address.code());
        assertTrue(address.err().contains("--metrics-address needs --metrics-port"), address.err());

        int port = freePort();
        CliRun busy = ns.call(() -> {
            try (ServerSocket taken = new ServerSocket(port, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
                return run("stats", "-i", ns.b, "--metrics-port", String.valueOf(port), "-n", "1", "--interval", "100ms");
            }
        });
        assertEquals(1, busy.code(), busy.err());
        assertTrue(busy.err().contains("cannot serve metrics on 127.0.0.1:" + port), busy.err());
    }

    @Test
    void statsJsonPrintsAnObjectPerIntervalAndTheTotals() throws Exception {
        CliRun r = run("stats", "-i", ns.b, "--json", "-n", "2", "--interval", "100ms");
        assertEquals(0, r.code(), r.err());
        List<String> lines = r.outLines();
        assertEquals(3, lines.size(), r.out());
        for (String line : lines.subList(0, 2)) {
            assertTrue(line.matches("\\{\"time\":\"\\d\\d:\\d\\d:\\d\\d\",\"seconds\":[0-9.]+,\"pps\":\\d+,\"interface\":\""
                    + Pattern.quote(ns.b) + "\",\"packets\":\\d+,\"drops\":\\d+,\"freezes\":\\d+}"), line);
        }
        assertTrue(lines.get(2).matches("\\{\"total\":true,\"interface\":\"" + Pattern.quote(ns.b)
                + "\",\"packets\":\\d+,\"drops\":\\d+,\"freezes\":\\d+}"), lines.get(2));
    }

    static {
        // the endpoint must not be reached through a proxy the environment names
        System.setProperty("http.nonProxyHosts", "127.0.0.1|localhost");
    }
}
