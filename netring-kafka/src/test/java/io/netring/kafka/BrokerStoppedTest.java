package io.netring.kafka;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Capture goes on while the broker is down: the publisher keeps a bounded buffer, counts what
 * does not fit as undelivered, and delivers the rest when the broker comes back. The reader
 * then finds exactly the delivered packets, the sequence gaps adding up to the undelivered.
 */
class BrokerStoppedTest {

    @Test
    void boundedBufferWhileTheBrokerIsAway(@TempDir Path dir) throws Exception {
        Random rnd = new Random(3);
        byte[] frame = new byte[200];
        String topic = "outage";
        try (LocalBroker broker = LocalBroker.start(dir.resolve("data"))) {
            KafkaPacketPublisher pub = KafkaPacketPublisher.builder().bootstrapServers(broker.bootstrap()).topic(topic)
                    .source("h", "eth0").maxPacketsPerRecord(50).bufferBytes(1 << 16)
                    // a small producer buffer too, so the bound shows within a few megabytes
                    .producerProperty("batch.size", 1 << 16).producerProperty("buffer.memory", 1 << 18)
                    .producerProperty("delivery.timeout.ms", 300_000).producerProperty("request.timeout.ms", 10_000)
                    .build();
            long t = 1_767_225_600_000_000_000L;
            // 200 packets at a time fit the 64 KiB buffer even while the first send waits for the topic
            for (int i = 0; i < 1000; i++) {
                rnd.nextBytes(frame);
                pub.publish(t++, frame.length, MemorySegment.ofArray(frame), 0, frame.length);
                if (i % 200 == 199) {
                    assertTrue(pub.drain(Duration.ofSeconds(60)), "first packets delivered: " + pub.stats());
                }
            }
            assertEquals(1000, pub.stats().delivered());

            broker.stop();
            // 4 MB of incompressible packets, far more than 64 KiB + 256 KiB of buffers
            for (int i = 0; i < 20_000; i++) {
                rnd.nextBytes(frame);
                pub.publish(t++, frame.length, MemorySegment.ofArray(frame), 0, frame.length);
            }
            pub.flush();
            PublishStats away = pub.stats();
            assertEquals(21_000, away.packets());
            assertTrue(away.undelivered() > 10_000, "most packets counted undelivered while the broker is away: " + away);
            assertTrue(away.pending() > 0, "some packets held in the bounded buffer: " + away);

            broker.startProcess();
            assertTrue(pub.drain(Duration.ofSeconds(120)), "buffered packets delivered once the broker is back: " + pub.stats());
            long before = pub.stats().delivered();
            for (int i = 0; i < 1000; i++) {
                rnd.nextBytes(frame);
                pub.publish(t++, frame.length, MemorySegment.ofArray(frame), 0, frame.length);
                if (i % 200 == 199) {
                    assertTrue(pub.drain(Duration.ofSeconds(60)), "packets after the outage delivered: " + pub.stats());
                }
            }
            assertEquals(before + 1000, pub.stats().delivered(), "capture resumed: " + pub.stats());
            pub.close();
            PublishStats end = pub.stats();
            System.out.println("broker outage: " + away + " -> " + end);
            assertEquals(22_000, end.packets());
            assertEquals(0, end.pending());
            assertEquals(end.packets(), end.delivered() + end.undelivered());
            assertTrue(end.delivered() > 2000, "the held packets arrived too: " + end);

            var seq = new Object() {
                long read, gaps, expected;
            };
            try (KafkaPacketReader in = KafkaPacketReader.open(KafkaTarget.parse("kafka://" + broker.bootstrap() + "/" + topic))) {
                Batches.untilEnd(in, b -> {
                    assertTrue(in.firstSequence() >= seq.expected, "sequence never goes back");
                    seq.gaps += in.firstSequence() - seq.expected;
                    seq.expected = in.firstSequence() + b.size();
                    seq.read += b.size();
                });
            }
            seq.gaps += end.packets() - seq.expected;
            assertEquals(end.delivered(), seq.read, "the reader finds every delivered packet once");
            assertEquals(end.undelivered(), seq.gaps, "sequence gaps are the undelivered packets");
        }
    }
}
