package io.netring.kafka;

import io.netring.Packet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Packets through the real broker and back: bytes, times, lengths, sources and sequences intact. */
class PublishAndReadTest {
    @RegisterExtension
    static final SharedBroker broker = new SharedBroker();

    @Test
    void flowRecordsArePublishedAsJson() throws Exception {
        String topic = "flows";
        List<String> sent = new ArrayList<>();
        try (KafkaFlowPublisher pub = KafkaFlowPublisher.open(KafkaTarget.parse(broker.bootstrap() + "/" + topic))) {
            for (int i = 0; i < 5; i++) {
                var r = new io.netring.flow.FlowRecord(4, 17, 0, 0x0A000001L, 5000 + i, 0, 0x0A000002L, 53, 0, 1, 60, 1, 90,
                        1_767_225_600_000_000_000L, 1_767_225_600_000_001_000L, 0, 0, 0, 0, 0, "",
                        io.netring.flow.FlowEndReason.IDLE_TIMEOUT);
                pub.onRecord(r);
                sent.add(r.toJson());
            }
            pub.close(Duration.ofSeconds(30));
            assertEquals(5, pub.delivered());
            assertEquals(0, pub.undelivered());
        }
        List<String> got = new ArrayList<>();
        try (var c = new org.apache.kafka.clients.consumer.KafkaConsumer<String, String>(Map.of(
                "bootstrap.servers", broker.bootstrap(), "key.deserializer", org.apache.kafka.common.serialization.StringDeserializer.class.getName(),
                "value.deserializer", org.apache.kafka.common.serialization.StringDeserializer.class.getName()))) {
            var tp = new org.apache.kafka.common.TopicPartition(topic, 0);
            c.assign(List.of(tp));
            c.seekToBeginning(List.of(tp));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (got.size() < 5 && System.nanoTime() < deadline) {
                c.poll(Duration.ofMillis(200)).forEach(r -> {
                    assertEquals("10.0.0.1", r.key());
                    got.add(r.value());
                });
            }
        }
        assertEquals(sent, got);
    }

    static byte[] frame(int source, int i) {
        byte[] f = new byte[60 + (i % 200)];
        for (int k = 0; k < f.length; k++) {
            f[k] = (byte) (source * 31 + i + k);
        }
        return f;
    }

    @Test
    void twoSourcesRoundTrip() throws Exception {
        String topic = "roundtrip";
        int perSource = 3000;
        List<KafkaPacketPublisher> pubs = new ArrayList<>();
        for (int s = 0; s < 2; s++) {
            pubs.add(KafkaPacketPublisher.builder().bootstrapServers(broker.bootstrap()).topic(topic)
                    .source("host" + s, "veth" + s).maxPacketsPerRecord(100).build());
        }
        for (int i = 0; i < perSource; i++) {
            for (int s = 0; s < 2; s++) {
                byte[] f = frame(s, i);
                pubs.get(s).publish(1_767_225_600_000_000_000L + i * 1000L + s, f.length + 4, MemorySegment.ofArray(f), 0, f.length);
            }
        }
        for (KafkaPacketPublisher p : pubs) {
            assertTrue(p.drain(Duration.ofSeconds(60)), "delivered in time: " + p.stats());
            p.close();
            assertEquals(new PublishStats(perSource, perSource, 0, 0, perSource / 100), p.stats());
        }

        Map<String, Integer> next = new HashMap<>();
        try (KafkaPacketReader in = KafkaPacketReader.open(KafkaTarget.parse("kafka://" + broker.bootstrap() + "/" + topic))) {
            Batches.untilEnd(in, b -> {
                int s = in.source().equals("host0/veth0") ? 0 : 1;
                int i = next.getOrDefault(in.source(), 0);
                assertEquals(i, in.firstSequence(), "sequence of " + in.source());
                assertEquals(1, in.linkType());
                for (Packet p : b) {
                    byte[] f = frame(s, i);
                    assertArrayEquals(f, p.toOwned().data());
                    assertEquals(f.length + 4, p.originalLength());
                    assertEquals(1_767_225_600_000_000_000L + i * 1000L + s, p.timestamp().toEpochNanos());
                    i++;
                }
                next.put(in.source(), i);
            });
            assertTrue(in.atEnd());
            assertEquals(2L * perSource, in.stats().packets());
        }
        assertEquals(Map.of("host0/veth0", perSource, "host1/veth1", perSource), next);
        assertEquals(List.of("host0/veth0", "host1/veth1"),
                KafkaPacketReader.sources(KafkaTarget.parse(broker.bootstrap() + "/" + topic), Duration.ofSeconds(60)).stream().sorted().toList());
    }
}
