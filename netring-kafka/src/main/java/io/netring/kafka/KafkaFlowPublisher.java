package io.netring.kafka;

import io.netring.flow.FlowRecord;
import io.netring.flow.FlowRecordHandler;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Publishes flow records as JSON ({@link FlowRecord#toJson()}), one Kafka record each, keyed by
 * the originator's address so one host's flows share a partition. Never blocks the flow table
 * for long: when the producer cannot take a record within a second (broker away, buffer full)
 * the record is counted as undelivered.
 */
public final class KafkaFlowPublisher implements FlowRecordHandler, AutoCloseable {
    private final String topic;
    private final KafkaProducer<String, String> producer;
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong undelivered = new AtomicLong();
    private final AtomicLong sent = new AtomicLong();

    private KafkaFlowPublisher(KafkaTarget target) {
        this.topic = target.topic();
        Map<String, Object> cfg = new HashMap<>();
        cfg.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, target.bootstrapServers());
        cfg.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        cfg.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        cfg.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        cfg.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        cfg.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 1000);
        this.producer = new KafkaProducer<>(cfg);
        warmUp(Duration.ofSeconds(10));
    }

    /**
     * Fetches the topic's metadata before the first record (creating the topic where the
     * cluster auto-creates): send() reports missing metadata only to its callback, as a lost
     * record. Gives up quietly after {@code timeout} (10 s), when the broker is away; records then
     * count as undelivered until it returns.
     */
    private void warmUp(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                producer.partitionsFor(topic);
                return;
            } catch (org.apache.kafka.common.errors.TimeoutException e) {
                // not yet: the broker is starting, away, or creating the topic
            }
        }
    }

    /** Opens a publisher to {@code target}'s topic. */
    public static KafkaFlowPublisher open(KafkaTarget target) {
        return new KafkaFlowPublisher(target);
    }

    @Override
    public void onRecord(FlowRecord record) {
        sent.incrementAndGet();
        try {
            producer.send(new ProducerRecord<>(topic, record.src(), record.toJson()), (m, e) -> {
                if (e == null) {
                    delivered.incrementAndGet();
                } else {
                    undelivered.incrementAndGet();
                }
            });
        } catch (RuntimeException e) {
            undelivered.incrementAndGet();
        }
    }

    /** Flow records acknowledged by the broker. */
    public long delivered() {
        return delivered.get();
    }

    /** Flow records given up. */
    public long undelivered() {
        return undelivered.get();
    }

    /** Waits up to {@code timeout} for delivery, then closes; what is left counts as undelivered. */
    public void close(Duration timeout) {
        producer.close(timeout);
        long left = sent.get() - delivered.get() - undelivered.get();
        if (left > 0) {
            undelivered.addAndGet(left);
        }
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(10));
    }
}
