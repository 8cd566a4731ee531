package io.netring.kafka;

import io.netring.CaptureStats;
import io.netring.PacketBatch;
import io.netring.PacketSource;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads packet records ({@link PacketRecordFormat}) back from a topic as a {@link PacketSource}:
 * one {@link PacketBatch} per record, so any sink that takes a capture takes this too. Reads
 * every partition from the beginning without a consumer group; stops at the end the topic
 * had when the reader opened ({@link #atEnd()}), unless it follows new records.
 * {@link #source()}, {@link #linkType()} and {@link #firstSequence()} describe the last batch.
 *
 * <pre>{@code
 * try (KafkaPacketReader in = KafkaPacketReader.open(KafkaTarget.parse("kafka://localhost:9092/packets"))) {
 *     PacketBatch b;
 *     while ((b = in.nextBatchBlocking(Duration.ofSeconds(1))) != null || !in.atEnd()) { ... }
 * }
 * }</pre>
 */
public final class KafkaPacketReader implements PacketSource, AutoCloseable {
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final boolean follow;
    private final Map<TopicPartition, Long> endOffsets;
    private final ArrayDeque<ConsumerRecord<byte[], byte[]>> pending = new ArrayDeque<>();
    private final RecordBlock block = new RecordBlock();
    private PacketBatch open;
    private long batches;
    private long packets;
    private String source;
    private int linkType;
    private long firstSequence;
    private boolean closed;

    private KafkaPacketReader(KafkaConsumer<byte[], byte[]> consumer, String topic, boolean follow, Duration openTimeout) {
        this.consumer = consumer;
        this.follow = follow;
        List<PartitionInfo> parts = waitForPartitions(consumer, topic, openTimeout);
        List<TopicPartition> tps = parts.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
        consumer.assign(tps);
        consumer.seekToBeginning(tps);
        this.endOffsets = new HashMap<>(consumer.endOffsets(tps, openTimeout));
    }

    /** Opens a reader of {@code target} (its {@code ?follow} decides whether it stops at the end); waits up to 30 s for the topic. */
    public static KafkaPacketReader open(KafkaTarget target) {
        return open(target, Duration.ofSeconds(30));
    }

    /** As {@link #open(KafkaTarget)}, waiting at most {@code openTimeout} for the cluster and the topic. */
    public static KafkaPacketReader open(KafkaTarget target, Duration openTimeout) {
        Map<String, Object> cfg = new HashMap<>();
        cfg.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, target.bootstrapServers());
        cfg.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        cfg.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        cfg.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        cfg.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        cfg.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 8 << 20);
        KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(cfg);
        try {
            return new KafkaPacketReader(c, target.topic(), target.follow(), openTimeout);
        } catch (RuntimeException e) {
            c.close(Duration.ZERO);
            throw e;
        }
    }

    private static List<PartitionInfo> waitForPartitions(KafkaConsumer<byte[], byte[]> c, String topic, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            // within what is left of the one timeout: a broker that is away fails at the deadline, not later
            Duration left = Duration.ofNanos(Math.max(1_000_000L, deadline - System.nanoTime()));
            List<PartitionInfo> parts = c.partitionsFor(topic, left);
            if (parts != null && !parts.isEmpty()) {
                return parts;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("topic " + topic + " does not exist (waited " + timeout.toSeconds() + " s)");
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for topic " + topic, e);
            }
        }
    }

    /**
     * The sources ({@code host/interface}) of every record now in {@code target}'s topic, in
     * the order first seen: a first pass for writers that must declare their interfaces before
     * the packets (a pcapng file with one interface per source).
     */
    public static List<String> sources(KafkaTarget target, Duration timeout) {
        KafkaTarget upToNow = new KafkaTarget(target.bootstrapServers(), target.topic(), false);
        java.util.LinkedHashSet<String> seen = new java.util.LinkedHashSet<>();
        try (KafkaPacketReader r = open(upToNow, timeout)) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!r.atEnd()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("listing the sources of " + target + " took longer than " + timeout.toSeconds() + " s");
                }
                if (r.pending.isEmpty()) {
                    for (ConsumerRecord<byte[], byte[]> rec : r.consumer.poll(Duration.ofMillis(200))) {
                        r.pending.add(rec);
                    }
                    continue;
                }
                ConsumerRecord<byte[], byte[]> rec = r.pending.poll();
                seen.add(rec.key() == null ? "" : new String(rec.key(), StandardCharsets.UTF_8));
            }
        }
        return List.copyOf(seen);
    }

    /** True when not following and every partition has been read up to the end it had at open. */
    public boolean atEnd() {
        if (follow || !pending.isEmpty()) {
            return false;
        }
        for (Map.Entry<TopicPartition, Long> e : endOffsets.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    /** The {@code host/interface} of the last batch's record. */
    public String source() {
        return source;
    }

    /** The pcap link type of the last batch's packets. */
    public int linkType() {
        return linkType;
    }

    /** The source's sequence number of the last batch's first packet (a gap means lost packets). */
    public long firstSequence() {
        return firstSequence;
    }

    @Override
    public PacketBatch nextBatch() {
        return next(Duration.ZERO);
    }

    @Override
    public PacketBatch nextBatchBlocking(Duration timeout) {
        return next(timeout);
    }

    private PacketBatch next(Duration timeout) {
        if (closed) {
            throw new IllegalStateException("KafkaPacketReader is closed");
        }
        if (open != null && open.isOpen()) {
            throw new IllegalStateException("the previous PacketBatch of the Kafka reader is still open: close it first");
        }
        if (pending.isEmpty()) {
            if (atEnd()) {
                return null;
            }
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(timeout)) {
                pending.add(r);
            }
            if (pending.isEmpty()) {
                return null;
            }
        }
        ConsumerRecord<byte[], byte[]> r = pending.poll();
        ByteBuffer v = ByteBuffer.wrap(r.value());
        if (v.remaining() < PacketRecordFormat.SOURCE_OFFSET || v.getInt() != PacketRecordFormat.MAGIC) {
            throw new IllegalArgumentException("record at " + r.topic() + "-" + r.partition() + "@" + r.offset()
                    + " is not a netring packet record (no NRK1 magic)");
        }
        linkType = v.getShort() & 0xFFFF;
        int sourceLength = v.getShort() & 0xFFFF;
        if (v.remaining() < sourceLength + PacketRecordFormat.AFTER_SOURCE_SIZE) {
            throw new IllegalArgumentException("record at " + r.topic() + "-" + r.partition() + "@" + r.offset() + " is truncated");
        }
        source = new String(r.value(), v.position(), sourceLength, StandardCharsets.UTF_8);
        v.position(v.position() + sourceLength);
        firstSequence = v.getLong();
        int count = v.getInt();
        open = block.build(v, count, batches++);
        packets += count;
        return open;
    }

    /** Packets read so far; nothing is dropped by a reader. */
    @Override
    public CaptureStats stats() {
        return new CaptureStats(packets, 0, 0);
    }

    /** No file descriptor: a Kafka consumer cannot be polled with epoll. */
    @Override
    public int fd() {
        return -1;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            if (open != null) {
                open.close();
            }
            consumer.close(Duration.ofSeconds(5));
        }
    }
}
