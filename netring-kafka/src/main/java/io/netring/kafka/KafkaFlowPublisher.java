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

/**
 * Publishes flow records as JSON ({@link FlowRecord#toJson()}), one Kafka record each, keyed by
 * the originator's address so one host's flows share a partition. Never blocks the flow table:
 * records go into a bounded buffer (16 MiB) that a sender thread hands to the producer once the
 * broker answers, so a broker that is away or slow to start costs no packets; records that do
 * not fit, or are still held at close, count as undelivered.
 */
public final class KafkaFlowPublisher implements FlowRecordHandler, AutoCloseable {
    private static final long BUFFER_BYTES = 16L << 20;

    private final String topic;
    private final DeliveryQueue<String, String> delivery;
    private long handed;
    private volatile boolean closing;

    private KafkaFlowPublisher(KafkaTarget target) {
        this.topic = target.topic();
        Map<String, Object> cfg = new HashMap<>();
        cfg.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, target.bootstrapServers());
        cfg.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        cfg.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        cfg.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        cfg.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        cfg.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 1000);
        cfg.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000);
        // the sender asks for the topic's metadata at once (creating it where the cluster
        // auto-creates): send() would report missing metadata only to its callback, as a loss
        this.delivery = new DeliveryQueue<>(new KafkaProducer<>(cfg), topic, "netring-kafka-flows-" + topic, BUFFER_BYTES);
    }

    /** Opens a publisher to {@code target}'s topic; returns at once, whether or not the broker is there. */
    public static KafkaFlowPublisher open(KafkaTarget target) {
        return new KafkaFlowPublisher(target);
    }

    /** Hands the record to the sender (from the flow table's thread); never blocks. */
    @Override
    public void onRecord(FlowRecord record) {
        if (closing) {
            throw new IllegalStateException("KafkaFlowPublisher for " + topic + " is closed");
        }
        handed++;
        String json = record.toJson();
        delivery.offer(new ProducerRecord<>(topic, record.src(), json), 1, json.length());
    }

    /** Flow records acknowledged by the broker. */
    public long delivered() {
        return delivery.delivered();
    }

    /** Flow records given up. */
    public long undelivered() {
        return delivery.undelivered();
    }

    /** True once the broker has answered (the sender asks for the topic's metadata at once). */
    public boolean brokerReachable() {
        return delivery.reachable();
    }

    /** Waits up to {@code timeout} for delivery, then closes; what is left counts as undelivered. */
    public void close(Duration timeout) {
        if (!closing) {
            closing = true;
            delivery.close(handed, timeout);
        }
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(10));
    }
}
