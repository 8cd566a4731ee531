package io.netring.cli;

import io.netring.OwnedPacket;
import io.netring.Timestamp;
import io.netring.pcap.PcapFormat;
import io.netring.pcap.PcapWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Kafka URLs with no broker behind them (a localhost port nothing listens on), each command in a
 * process of its own: one line naming the broker, no client log flood, exit 1; and malformed
 * URLs as usage errors.
 */
@Timeout(120)
class KafkaNoBrokerTest {
    private static final Function<List<String>, List<String>> AS_IS = cmd -> cmd;

    @Test
    void readingATopicWithNoBrokerSaysSoInOneLine() throws Exception {
        String url = "kafka://127.0.0.1:" + KafkaBrokerDownTest.deadPort() + "/t";
        long start = System.nanoTime();
        try (CliProcess p = CliProcess.start(AS_IS, "capture", "-r", url, "--broker-timeout", "2s")) {
            assertTrue(p.waitFor(60), "capture -r kafka:// did not end");
            long tookMillis = (System.nanoTime() - start) / 1_000_000;
            assertEquals(1, p.exitValue(), p.err());
            assertEquals("netring: kafka broker " + url.substring(8, url.lastIndexOf('/'))
                    + " unreachable (no answer within 2s)", p.err().strip());
            // 2 s of waiting and a JVM's start, not the 31 s and ~50 warnings of before
            assertTrue(tookMillis < 20_000, "took " + tookMillis + " ms");
        }
        try (CliProcess p = CliProcess.start(AS_IS, "capture", "-r", url, "--broker-timeout", "1s", "--verbose")) {
            assertTrue(p.waitFor(60), "capture -r kafka:// --verbose did not end");
            assertEquals(1, p.exitValue(), p.err());
            assertTrue(p.err().contains("WARN org.apache.kafka"), "--verbose shows Kafka's own warnings: " + p.err());
        }
    }

    @Test
    void writingWithNoBrokerCountsEveryPacketUndeliveredAndExitsOne(@TempDir Path dir) throws Exception {
        Path in = dir.resolve("in.pcap");
        try (PcapWriter w = PcapWriter.open(in, PcapFormat.PCAP)) {
            for (int i = 0; i < 40; i++) {
                byte[] f = KafkaCliTest.udp(i % 2 == 1, 41000 + i % 4, 10 + i);
                w.write(new OwnedPacket(f, new Timestamp(1_767_225_600L + i, 0), f.length));
            }
        }
        int port = KafkaBrokerDownTest.deadPort();
        try (CliProcess p = CliProcess.start(AS_IS, "capture", "-r", in.toString(), "-w", "kafka://127.0.0.1:" + port + "/t",
                "--broker-timeout", "1s")) {
            assertTrue(p.waitFor(60), "capture -w kafka:// did not end");
            assertEquals(1, p.exitValue(), p.err());
            StderrLines.find(p.err(), "reading from file " + java.util.regex.Pattern.quote(in.toString()) + ", .*");
            assertEquals(List.of("kafka: 40 packets, 0 delivered, 40 undelivered, 0 pending, 0 records",
                    "netring: kafka broker 127.0.0.1:" + port + " unreachable (no answer within 1s): 40 packets undelivered "
                            + "to kafka://127.0.0.1:" + port + "/t"), StderrLines.withoutHeader(p.err()));
        }
        try (CliProcess p = CliProcess.start(AS_IS, "flows", "-r", in.toString(), "--kafka", "127.0.0.1:" + port + "/f",
                "--broker-timeout", "1s")) {
            assertTrue(p.waitFor(60), "flows --kafka did not end");
            assertEquals(1, p.exitValue(), p.err());
            assertEquals(4, p.out().lines().count(), p.out());
            assertEquals(List.of("40 packets, 4 flow records",
                    "kafka: 0 flow records delivered, 4 undelivered",
                    "netring: kafka broker 127.0.0.1:" + port + " unreachable (no answer within 1s): 4 flow records undelivered "
                            + "to kafka://127.0.0.1:" + port + "/f"), p.err().lines().toList());
        }
    }

    @Test
    void malformedKafkaUrlsAreUsageErrors() {
        String[][] cases = {
                {"capture", "-r", "kafka://127.0.0.1:9092/"},
                {"capture", "-i", "lo", "-w", "kafka://127.0.0.1/t"},
                {"capture", "-i", "lo", "-w", "kafka://127.0.0.1:9092/t", "--broker-timeout", "0s"},
                {"flows", "-r", "kafka://127.0.0.1:9092/t?z"},
                {"flows", "-i", "lo", "--kafka", "a:b/x"},
        };
        for (String[] args : cases) {
            String[] r = FlowsOnInputErrorTest.run(args);
            assertEquals("2", r[0], String.join(" ", args) + ": " + r[2]);
            assertTrue(r[2].startsWith("netring: "), r[2]);
            assertTrue(r[2].contains("--help' for more information."), r[2]);
        }
        assertTrue(FlowsOnInputErrorTest.run("capture", "-r", "kafka://127.0.0.1:9092/")[2]
                .startsWith("netring: kafka://127.0.0.1:9092: expected kafka://HOST:PORT/TOPIC"));
        assertTrue(FlowsOnInputErrorTest.run("capture", "-i", "lo", "-w", "kafka://127.0.0.1:9092/t", "--broker-timeout", "0s")[2]
                .startsWith("netring: --broker-timeout must be positive, was 0s"));
    }
}
