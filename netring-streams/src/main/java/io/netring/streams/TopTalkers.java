package io.netring.streams;

import io.netring.decode.AddressText;
import io.netring.flow.FlowExtractor;
import io.netring.flow.FlowPacket;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.Stores;

import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.Objects;
import java.util.Properties;

/**
 * Top talkers across every sensor publishing to one packets topic: for each IP address, the
 * packets and wire bytes it sent or received per tumbling window (one minute by default), by
 * each packet's own capture time (not the record's), to an output topic as one JSON object per
 * address and window: {@code {"address":"10.0.0.1","windowStart":…,"windowEnd":…,"packets":…,"bytes":…}}.
 * A window's result is updated as packets come and final once stream time passes its end plus
 * the grace period; packets later than that are dropped (Kafka Streams counts them in its
 * {@code dropped-records} metric).
 */
public final class TopTalkers {
    private TopTalkers() {}

    /** The default window. */
    public static final Duration DEFAULT_WINDOW = Duration.ofMinutes(1);
    /** The window store's name (its changelog topic is {@code APPLICATION_ID-top-talkers-changelog}). */
    static final String STORE = "top-talkers";
    /** How late a packet may come after its window's end and still count. */
    public static final Duration DEFAULT_GRACE = Duration.ofSeconds(10);

    /**
     * The topology: {@code packetsTopic} (netring packet records) to {@code outputTopic}
     * (address-and-window keys, JSON values).
     */
    public static Topology topology(String packetsTopic, String outputTopic, Duration window, Duration grace) {
        Objects.requireNonNull(packetsTopic, "packetsTopic");
        Objects.requireNonNull(outputTopic, "outputTopic");
        if (window.isZero() || window.isNegative()) {
            throw new IllegalArgumentException("window=" + window + ": must be positive");
        }
        if (grace.isNegative()) {
            throw new IllegalArgumentException("grace=" + grace + ": must not be negative");
        }
        StreamsBuilder builder = new StreamsBuilder();
        addTo(builder.stream(packetsTopic, Consumed.with(Serdes.ByteArray(), Serdes.ByteArray())), outputTopic, window, grace);
        return builder.build();
    }

    /** Adds the counting to {@code packets} (a topology reads a topic once; {@link Aggregation} shares it with flows). */
    static void addTo(KStream<byte[], byte[]> packets, String outputTopic, Duration window, Duration grace) {
        packets.process(PerAddress::new)
                .groupByKey(Grouped.with(Serdes.String(), TalkerCounts.serde()))
                .windowedBy(TimeWindows.ofSizeAndGrace(window, grace))
                // In memory (restored from its changelog topic after a move), not RocksDB: no native library.
                .reduce(TalkerCounts::plus, Materialized.<String, TalkerCounts>as(
                                Stores.inMemoryWindowStore(STORE, window.plus(grace), window, false))
                        .withKeySerde(Serdes.String()).withValueSerde(TalkerCounts.serde()))
                .toStream()
                .map((w, c) -> KeyValue.pair(w.key() + "@" + w.window().start(),
                        c.json(w.key(), w.window().start(), w.window().end())))
                .to(outputTopic, Produced.with(Serdes.String(), Serdes.String()));
    }

    /** The configuration an instance runs with: exactly-once (v2), the given id and brokers. */
    public static Properties config(String applicationId, String bootstrapServers) {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        return p;
    }

    /**
     * Splits a packet record into one (address, counts) record per IP endpoint of each packet,
     * stamped with the packet's capture time; non-IP packets and malformed records count nowhere.
     */
    static final class PerAddress implements Processor<byte[], byte[], String, TalkerCounts> {
        private final FlowExtractor extractor = new FlowExtractor();
        private ProcessorContext<String, TalkerCounts> context;

        @Override
        public void init(ProcessorContext<String, TalkerCounts> context) {
            this.context = context;
        }

        @Override
        public void process(Record<byte[], byte[]> record) {
            byte[] value = record.value();
            MemorySegment segment;
            try {
                segment = MemorySegment.ofArray(value);
                PacketRecords.forEach(value, (ts, original, bytes, offset, captured) -> {
                    if (!extractor.extract(segment, offset, captured, original, ts, 0)) {
                        return;
                    }
                    FlowPacket f = extractor.fields();
                    long millis = Math.floorDiv(ts, 1_000_000L);
                    TalkerCounts one = new TalkerCounts(1, original);
                    context.forward(new Record<>(address(f.ipVersion, f.srcHi, f.srcLo), one, millis));
                    // A packet an address sends to itself (loopback) counts once for it, not twice.
                    if (f.srcHi != f.dstHi || f.srcLo != f.dstLo) {
                        context.forward(new Record<>(address(f.ipVersion, f.dstHi, f.dstLo), one, millis));
                    }
                });
            } catch (IllegalArgumentException | NullPointerException malformed) {
                // not a packet record (or cut short): nothing to count; the packets before the fault were counted
            }
        }

        private static String address(int ipVersion, long hi, long lo) {
            return ipVersion == 6 ? AddressText.ipv6(hi, lo) : AddressText.ipv4((int) lo);
        }
    }
}
