package io.netring.kafka;

import io.netring.Packet;
import io.netring.PacketBatch;
import io.netring.internal.Jfr;
import io.netring.internal.PacketAccess;
import io.netring.PacketView;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Publishes captured packets to a Kafka topic in the {@link PacketRecordFormat}, a few packets
 * per record, without ever blocking the capture: packets are packed into a record on the
 * calling thread, records go into a bounded buffer, and a sender thread hands them to the
 * producer (batched and lz4-compressed). When the broker is down or slow the buffer fills and
 * further packets are counted as undelivered instead of stalling the capture; when the broker
 * comes back the sender resumes. {@link #stats()} tells what happened.
 *
 * <pre>{@code
 * try (KafkaPacketPublisher pub = KafkaPacketPublisher.builder()
 *         .bootstrapServers("localhost:9092").topic("packets").source("host1", "eth0").build()) {
 *     batch.dispatch(pub::publish);
 * }
 * }</pre>
 * One thread publishes; {@link #stats()} may be read from any thread.
 */
public final class KafkaPacketPublisher implements AutoCloseable {
    private final String topic;
    private final byte[] key;
    private final String source;
    private final long bufferBytes;
    private final int maxPacketsPerRecord;
    private final long lingerNanos;
    private final Duration closeTimeout;

    private final ByteBuffer record;
    private final int headerSize;
    private int packetsInRecord;
    private long recordStartNanos;
    private long firstMillis;
    private long nextSequence;

    private final AtomicLong packets = new AtomicLong();
    private final DeliveryQueue<byte[], byte[]> delivery;
    private volatile boolean closing;

    private KafkaPacketPublisher(Builder b) {
        this.topic = b.topic;
        this.source = b.host + "/" + b.interfaceName;
        this.key = source.getBytes(StandardCharsets.UTF_8);
        this.bufferBytes = b.bufferBytes;
        this.maxPacketsPerRecord = b.maxPacketsPerRecord;
        this.lingerNanos = b.linger.toNanos();
        this.closeTimeout = b.closeTimeout;
        this.record = ByteBuffer.allocate(b.maxRecordBytes);
        this.headerSize = PacketRecordFormat.headerSize(source);
        record.putInt(PacketRecordFormat.MAGIC).putShort((short) b.linkType).putShort((short) key.length).put(key);
        Map<String, Object> cfg = new HashMap<>();
        cfg.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, b.bootstrapServers);
        cfg.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        cfg.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        cfg.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        cfg.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        cfg.put(ProducerConfig.BATCH_SIZE_CONFIG, 1 << 20);
        cfg.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Math.max(1 << 20, 2 * b.maxRecordBytes));
        cfg.put(ProducerConfig.ACKS_CONFIG, "all");
        // the producer's own buffer is part of the bound; a full one makes send() wait, not fail
        cfg.put(ProducerConfig.BUFFER_MEMORY_CONFIG, Math.max(4L << 20, Math.min(32L << 20, bufferBytes)));
        cfg.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 1000);
        cfg.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000);
        cfg.putAll(b.producerProperties);
        this.delivery = new DeliveryQueue<>(new KafkaProducer<>(cfg), topic, "netring-kafka-" + source, bufferBytes);
        if (Jfr.AVAILABLE) {
            PublisherEvents.opened(this);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The source text records carry: {@code host/interface}. */
    public String source() {
        return source;
    }

    /** Publishes a packet seen in a dispatch (copies its bytes into the current record). */
    public void publish(PacketView view) {
        publish(view.timestampEpochNanos(), view.originalLength(), view.segment(), view.dataOffset(), view.length());
    }

    /**
     * Publishes a packet of a batch, a capture stream or a file (copies its bytes into the current
     * record). Passes the packet on as numbers, so a stream's {@code Packet} need not be allocated.
     */
    public void publish(Packet packet) {
        // Hands on the packet's place as numbers; the body makes the checks (see PacketAccess).
        PacketAccess a = PacketAccess.get();
        publishFrom(0, 0, null, a.data(packet), a.length(packet), a.batch(packet), a.header(packet));
    }

    /** Publishes {@code length} bytes at {@code offset} of {@code data}, stamped {@code timestampNanos}. */
    public void publish(long timestampNanos, int originalLength, MemorySegment data, long offset, int length) {
        publishFrom(timestampNanos, originalLength, data, offset, length, null, 0);
    }

    /**
     * The body of every {@code publish}: from {@code data}, or, when {@code batch} is not null,
     * from that batch's block with the time and wire length read (and checked) from the packet
     * header at {@code header}. Larger than the JIT inlines into a hot caller, so a stream lambda
     * calling {@link #publish(Packet)} stays small enough to be inlined where the stream makes its
     * Packet (see {@code io.netring.internal.PacketAccess}).
     */
    private void publishFrom(long timestampNanos, int originalLength, MemorySegment data, long offset, int length,
                             PacketBatch batch, long header) {
        if (closing) {
            throw new IllegalStateException("KafkaPacketPublisher for " + source + " is closed");
        }
        if (batch != null) {
            PacketAccess a = PacketAccess.get();
            data = a.block(batch);
            originalLength = a.wireLength(batch, header);
            timestampNanos = a.seconds(batch, header) * 1_000_000_000L + a.nanos(batch, header);
        }
        packets.incrementAndGet();
        int captured = Math.min(length, record.capacity() - headerSize - PacketRecordFormat.PACKET_HEADER_SIZE);
        if (record.remaining() < PacketRecordFormat.PACKET_HEADER_SIZE + captured) {
            emit();
        }
        if (packetsInRecord == 0) {
            recordStartNanos = System.nanoTime();
            firstMillis = timestampNanos / 1_000_000L;
            record.position(headerSize);
        }
        record.putLong(timestampNanos).putInt(originalLength).putInt(captured);
        MemorySegment.copy(data, ValueLayout.JAVA_BYTE, offset, record.array(), record.arrayOffset() + record.position(), captured);
        record.position(record.position() + captured);
        packetsInRecord++;
        if (packetsInRecord >= maxPacketsPerRecord) {
            emit();
        }
    }

    /**
     * Hands the current record to the sender when it is older than the linger time; call it
     * when a capture wait times out, so a quiet link does not hold packets back.
     */
    public void tick() {
        if (packetsInRecord > 0 && System.nanoTime() - recordStartNanos >= lingerNanos) {
            emit();
        }
    }

    /** Hands the current record, however small, to the sender. */
    public void flush() {
        if (packetsInRecord > 0) {
            emit();
        }
    }

    /**
     * Flushes and waits until every buffered packet is delivered or given up, at most
     * {@code timeout}; true when nothing is pending.
     */
    public boolean drain(Duration timeout) throws InterruptedException {
        flush();
        return delivery.drain(packets.get(), timeout);
    }

    public PublishStats stats() {
        long p = packets.get(), d = delivery.delivered(), u = delivery.undelivered();
        return new PublishStats(p, d, u, p - d - u, delivery.records());
    }

    /** The last delivery error, or null. */
    public Throwable lastError() {
        return delivery.lastError();
    }

    /** True once the broker has answered (the sender asks for the topic's metadata at once). */
    public boolean brokerReachable() {
        return delivery.reachable();
    }

    private void emit() {
        if (Jfr.AVAILABLE) {
            PublisherEvents.hookWhenRecording();     // Flight Recorder may have started since open
        }
        int n = packetsInRecord;
        record.putLong(headerSize - PacketRecordFormat.AFTER_SOURCE_SIZE, nextSequence);
        record.putInt(headerSize - 4, n);
        nextSequence += n;
        byte[] value = new byte[record.position()];
        System.arraycopy(record.array(), 0, value, 0, value.length);
        packetsInRecord = 0;
        record.position(headerSize);
        delivery.offer(new ProducerRecord<>(topic, null, firstMillis, key, value), n, value.length);
    }

    /**
     * Flushes, waits up to the close timeout (builder, default 10 s) for delivery, then closes
     * the producer; what is still pending then counts as undelivered.
     */
    @Override
    public void close() {
        close(closeTimeout);
    }

    /**
     * As {@link #close()}, all of it within {@code timeout}: a process stopping on a signal has
     * only a moment, and its summary must still come out. After it returns {@link #stats()}
     * holds no pending packets and changes no more.
     */
    public void close(Duration timeout) {
        if (closing) {
            return;
        }
        if (Jfr.AVAILABLE) {
            PublisherEvents.closed(this);
        }
        long deadline = System.nanoTime() + Math.max(0, timeout.toNanos());
        flush();
        closing = true;
        delivery.close(packets.get(), Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
    }

    /** Options of a {@link KafkaPacketPublisher}. */
    public static final class Builder {
        private String bootstrapServers;
        private String topic;
        private String host = defaultHost();
        private String interfaceName = "any";
        private int linkType = PacketRecordFormat.LINKTYPE_ETHERNET;
        private long bufferBytes = 64L << 20;
        private int maxRecordBytes = 256 << 10;
        private int maxPacketsPerRecord = 1024;
        private Duration linger = Duration.ofMillis(50);
        private Duration closeTimeout = Duration.ofSeconds(10);
        private final Map<String, Object> producerProperties = new HashMap<>();

        private Builder() {}

        /** The cluster's {@code bootstrap.servers}, e.g. {@code localhost:9092}; required. */
        public Builder bootstrapServers(String servers) {
            this.bootstrapServers = Objects.requireNonNull(servers, "bootstrapServers");
            return this;
        }

        /** The topic; required. */
        public Builder topic(String topic) {
            this.topic = Objects.requireNonNull(topic, "topic");
            return this;
        }

        /** Where the packets come from: the host (default: this host's name) and the interface. */
        public Builder source(String host, String interfaceName) {
            this.host = Objects.requireNonNull(host, "host");
            this.interfaceName = Objects.requireNonNull(interfaceName, "interfaceName");
            return this;
        }

        /** The pcap LINKTYPE of the packets (default 1, Ethernet). */
        public Builder linkType(int linkType) {
            this.linkType = (int) within("linkType", linkType, 0, 0xFFFF);
            return this;
        }

        /** Bytes of packed records held while the broker is away (default 64 MiB); beyond, packets are counted undelivered. */
        public Builder bufferBytes(long bytes) {
            this.bufferBytes = within("bufferBytes", bytes, 1 << 16, Long.MAX_VALUE);
            return this;
        }

        /** Largest record value (default 256 KiB); a longer packet is truncated to fit. */
        public Builder maxRecordBytes(int bytes) {
            this.maxRecordBytes = (int) within("maxRecordBytes", bytes, 4096, 16 << 20);
            return this;
        }

        /** Packets per record at most (default 1024; 1 makes one record per packet). */
        public Builder maxPacketsPerRecord(int n) {
            this.maxPacketsPerRecord = (int) within("maxPacketsPerRecord", n, 1, Long.MAX_VALUE);
            return this;
        }

        /** How long {@link #tick()} lets a partial record wait (default 50 ms). */
        public Builder linger(Duration linger) {
            this.linger = Objects.requireNonNull(linger, "linger");
            return this;
        }

        /** How long {@link #close()} waits for delivery (default 10 s). */
        public Builder closeTimeout(Duration timeout) {
            this.closeTimeout = Objects.requireNonNull(timeout, "closeTimeout");
            return this;
        }

        /** Any other producer setting (e.g. {@code delivery.timeout.ms}, security); applied last. */
        public Builder producerProperty(String name, Object value) {
            producerProperties.put(name, value);
            return this;
        }

        public KafkaPacketPublisher build() {
            if (bootstrapServers == null || topic == null) {
                throw new IllegalArgumentException("bootstrapServers and topic are required");
            }
            return new KafkaPacketPublisher(this);
        }

        /** {@code value} when in [min, max] ({@link Long#MAX_VALUE}: no upper bound), else an error naming it. */
        private static long within(String name, long value, long min, long max) {
            if (value < min || value > max) {
                throw new IllegalArgumentException(name + "=" + value + ": must be "
                        + (max == Long.MAX_VALUE ? "at least " + min : "in [" + min + ", " + max + "]"));
            }
            return value;
        }

        private static String defaultHost() {
            try {
                return java.net.InetAddress.getLocalHost().getHostName();
            } catch (java.net.UnknownHostException e) {
                return "localhost";
            }
        }
    }
}
