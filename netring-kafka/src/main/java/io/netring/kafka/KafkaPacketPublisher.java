package io.netring.kafka;

import io.netring.Packet;
import io.netring.PacketBatch;
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
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
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
    private static final System.Logger LOG = System.getLogger(KafkaPacketPublisher.class.getName());

    /** A packed record waiting for the producer. */
    private record Pending(byte[] value, int packets, long firstMillis) {}

    private final String topic;
    private final byte[] key;
    private final String source;
    private final long bufferBytes;
    private final int maxPacketsPerRecord;
    private final long lingerNanos;
    private final Duration closeTimeout;
    private final KafkaProducer<byte[], byte[]> producer;

    private final ByteBuffer record;
    private final int headerSize;
    private int packetsInRecord;
    private long recordStartNanos;
    private long firstMillis;
    private long nextSequence;

    private final BlockingQueue<Pending> queue = new ArrayBlockingQueue<>(1 << 16);
    private final AtomicLong bufferedBytes = new AtomicLong();
    private final AtomicLong packets = new AtomicLong();
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong undelivered = new AtomicLong();
    private final AtomicLong records = new AtomicLong();
    private final Thread sender;
    private volatile boolean closing;
    private volatile Throwable lastError;

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
        this.producer = new KafkaProducer<>(cfg);
        this.sender = Thread.ofPlatform().daemon().name("netring-kafka-" + source).start(this::sendLoop);
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
        long deadline = System.nanoTime() + timeout.toNanos();
        while (stats().pending() > 0) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(5);
        }
        return true;
    }

    public PublishStats stats() {
        long p = packets.get(), d = delivered.get(), u = undelivered.get();
        return new PublishStats(p, d, u, p - d - u, records.get());
    }

    /** The last delivery error, or null. */
    public Throwable lastError() {
        return lastError;
    }

    private void emit() {
        int n = packetsInRecord;
        record.putLong(headerSize - PacketRecordFormat.AFTER_SOURCE_SIZE, nextSequence);
        record.putInt(headerSize - 4, n);
        nextSequence += n;
        byte[] value = new byte[record.position()];
        System.arraycopy(record.array(), 0, value, 0, value.length);
        packetsInRecord = 0;
        record.position(headerSize);
        // the bound: bytes waiting here, so a broker that is down costs memory up to bufferBytes
        if (bufferedBytes.addAndGet(value.length) > bufferBytes || !queue.offer(new Pending(value, n, firstMillis))) {
            bufferedBytes.addAndGet(-value.length);
            undelivered.addAndGet(n);
        }
    }

    private void sendLoop() {
        try {
            while (true) {
                Pending p = queue.poll(100, TimeUnit.MILLISECONDS);
                if (p == null) {
                    if (closing) {
                        return;
                    }
                    continue;
                }
                send(p);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Sends one record, retrying while the producer cannot take it (no broker, full buffer) until closed. */
    private void send(Pending p) throws InterruptedException {
        ProducerRecord<byte[], byte[]> r = new ProducerRecord<>(topic, null, p.firstMillis(), key, p.value());
        while (true) {
            try {
                // metadata first: send() reports a metadata timeout only to the callback, where it
                // would count as a loss; partitionsFor() throws it, so the record is kept and retried
                producer.partitionsFor(topic);
                producer.send(r, (meta, e) -> {
                    if (e == null) {
                        delivered.addAndGet(p.packets());
                        records.incrementAndGet();
                    } else {
                        lastError = e;
                        undelivered.addAndGet(p.packets());
                    }
                });
                bufferedBytes.addAndGet(-p.value().length);
                return;
            } catch (org.apache.kafka.common.errors.TimeoutException e) {
                lastError = e;                       // broker unreachable: keep the record, try again
                if (closing) {
                    bufferedBytes.addAndGet(-p.value().length);
                    undelivered.addAndGet(p.packets());
                    return;
                }
            } catch (RuntimeException e) {
                lastError = e;
                LOG.log(System.Logger.Level.WARNING, "Kafka send for " + source + " failed: " + e);
                bufferedBytes.addAndGet(-p.value().length);
                undelivered.addAndGet(p.packets());
                return;
            }
        }
    }

    /**
     * Flushes, waits up to the close timeout for delivery, then closes the producer; what is
     * still pending then counts as undelivered.
     */
    @Override
    public void close() {
        if (closing) {
            return;
        }
        try {
            drain(closeTimeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closing = true;
        try {
            sender.join(closeTimeout.toMillis() + 2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(Duration.ZERO);
        // records neither acknowledged nor failed by now never will be
        long left = stats().pending();
        if (left > 0) {
            undelivered.addAndGet(left);
        }
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
