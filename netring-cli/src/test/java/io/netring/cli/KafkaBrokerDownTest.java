package io.netring.cli;

import io.netring.testing.FrameSender;
import io.netring.testing.NamespaceTest;
import io.netring.testing.UdpFrames;
import io.netring.testing.Waits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The Kafka paths of {@code netring} with no broker: a localhost port nothing listens on, in a
 * namespace made for the test, with the command in a process of its own.
 */
@Timeout(90)
class KafkaBrokerDownTest extends NamespaceTest {

    @Test
    void sigtermWithTheBrokerDownStillPrintsTheAccounting() throws Exception {
        int port = deadPort();
        try (CliProcess p = CliProcess.start(ns::exec, "capture", "-i", ns.b, "-w", "kafka://127.0.0.1:" + port + "/t",
                "-B", "block-size=64K", "-B", "block-count=8", "-B", "block-timeout=5ms")) {
            // the publisher's sender thread starts last, just before the capture loop
            Waits.until(() -> p.hasThread("netring-kafka-"), Duration.ofSeconds(30), "the Kafka sink is open");
            sendWhenBound(500);
            Thread.sleep(500);                                // the blocks retire (5 ms) and are read
            long signalled = System.nanoTime();
            p.signal("TERM");
            assertTrue(p.waitFor(15), "capture did not stop on SIGTERM");
            long tookMillis = (System.nanoTime() - signalled) / 1_000_000;
            String err = p.err();
            assertTrue(err.contains("kafka: 500 packets, 0 delivered, 500 undelivered, 0 pending, 0 records"), err);
            assertTrue(err.contains("500 packets captured"), err);
            assertTrue(err.strip().endsWith("500 packets undelivered to kafka://127.0.0.1:" + port + "/t"), err);
            assertEquals(1, p.exitValue(), "packets went undelivered: " + err);
            assertTrue(tookMillis < 4000, "ended " + tookMillis + " ms after the signal");
        }
    }

    @Test
    void flowsCountsThePacketsThatCameWhileTheBrokerWasAway() throws Exception {
        try (CliProcess p = CliProcess.start(ns::exec, "flows", "-i", ns.b, "--kafka", "127.0.0.1:" + deadPort() + "/flows",
                "--timeout", "6s", "-B", "block-size=64K", "-B", "block-count=8", "-B", "block-timeout=5ms")) {
            // the capture opens first: well before the ~10 s a broker that is away could take
            sendWhenBound(100, Duration.ofSeconds(8));
            assertTrue(p.waitFor(40), "flows did not end");
            List<String> records = p.out().lines().toList();
            assertEquals(1, records.size(), p.out() + p.err());
            assertEquals(100, FlowsCliTest.field(records.getFirst(), "packets"), records.getFirst());
            String err = p.err();
            assertTrue(err.contains("100 packets, 1 flow record"), err);
            assertTrue(err.contains("kafka: 0 flow records delivered, 1 undelivered"), err);
            assertEquals(1, p.exitValue(), "a flow record went undelivered: " + err);
        }
    }

    /** Sends {@code n} UDP frames of one flow from vA once the command has bound its socket to vB. */
    private void sendWhenBound(int n) throws Exception {
        sendWhenBound(n, Duration.ofSeconds(30));
    }

    /** As {@link #sendWhenBound(int)}, failing when the socket is not bound {@code within}. */
    private void sendWhenBound(int n, Duration within) throws Exception {
        Waits.until(() -> {
            try {
                return ns.packetSocketsOn(ns.b) > 0;
            } catch (Exception e) {
                return false;
            }
        }, within, "the command bound its socket to " + ns.b);
        ns.run(() -> {
            try (FrameSender tx = new FrameSender(ns.a)) {
                for (int i = 0; i < n; i++) {
                    tx.send(UdpFrames.frame(40000, 53, i, 60));
                }
            }
        });
    }

    /** A localhost port nothing listens on (the test's namespace has no listener at all). */
    static int deadPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
