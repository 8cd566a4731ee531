package io.netring.streams;

import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;

/**
 * What {@code netring aggregate} runs: one packets topic in, flow records per source
 * ({@link SourcedFlowRecord} JSON, keyed by source) and top talkers ({@link TopTalkers}) out,
 * exactly once. Flows follow {@code netring flows}: the same {@code FlowTable}, fed each source's
 * packets in capture order, with idle and active timeouts by packet time.
 *
 * <pre>{@code
 * Topology t = Aggregation.topology("packets", "flows", "top-talkers", Aggregation.Settings.DEFAULTS);
 * new KafkaStreams(t, Aggregation.config("netring-aggregate", "broker:9092")).start();
 * }</pre>
 */
public final class Aggregation {
    private Aggregation() {}

    /** The store holding each source's open flows (changelog {@code APPLICATION_ID-flow-tables-changelog}). */
    static final String FLOW_STORE = "flow-tables";
    /**
     * Largest record the flow store's changelog takes (one source's open flows, ~150 bytes each:
     * about 110 000 open flows per source); the producer's request size is raised to match.
     */
    static final int MAX_STATE_BYTES = 16 << 20;

    /**
     * Windows and timeouts.
     *
     * @param window       top talkers' tumbling window
     * @param grace        how late (behind stream time) a packet may come and still count in its
     *                     window; flows of quiet sources end at stream time less this
     * @param idleTimeout  a flow with no packet for this long ends, as {@code netring flows --idle-timeout}
     * @param activeTimeout a flow older than this ends, as {@code netring flows --active-timeout}
     * @param maxFlows     open flows per source at most (the least recently seen is evicted)
     */
    public record Settings(Duration window, Duration grace, Duration idleTimeout, Duration activeTimeout, int maxFlows) {
        /** One-minute windows, 10 s grace, and {@code netring flows}' defaults: 60 s idle, 30 min active, 65 536 flows. */
        public static final Settings DEFAULTS = new Settings(TopTalkers.DEFAULT_WINDOW, TopTalkers.DEFAULT_GRACE,
                Duration.ofSeconds(60), Duration.ofMinutes(30), 1 << 16);

        /** Checks every value. @throws IllegalArgumentException naming the value and the rule */
        public Settings {
            positive("window", window);
            Objects.requireNonNull(grace, "grace");
            if (grace.isNegative()) {
                throw new IllegalArgumentException("grace=" + grace + ": must not be negative");
            }
            positive("idleTimeout", idleTimeout);
            positive("activeTimeout", activeTimeout);
            if (maxFlows < 1) {
                throw new IllegalArgumentException("maxFlows=" + maxFlows + ": must be positive");
            }
        }

        /** These settings with another window. */
        public Settings withWindow(Duration window) {
            return new Settings(window, grace, idleTimeout, activeTimeout, maxFlows);
        }

        private static void positive(String name, Duration d) {
            Objects.requireNonNull(d, name);
            if (d.isZero() || d.isNegative()) {
                throw new IllegalArgumentException(name + "=" + d + ": must be positive");
            }
        }
    }

    /** The topology: {@code packetsTopic} to {@code flowsTopic} and {@code topTalkersTopic}. */
    public static Topology topology(String packetsTopic, String flowsTopic, String topTalkersTopic, Settings settings) {
        Objects.requireNonNull(packetsTopic, "packetsTopic");
        Objects.requireNonNull(flowsTopic, "flowsTopic");
        Objects.requireNonNull(topTalkersTopic, "topTalkersTopic");
        Objects.requireNonNull(settings, "settings");
        StreamsBuilder builder = new StreamsBuilder();
        // Not NetringSerdes.packetRecords(): a malformed value is skipped by the processors, not a deserialization failure.
        KStream<byte[], byte[]> packets = builder.stream(packetsTopic, Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()));
        StoreBuilder<KeyValueStore<String, byte[]>> store = Stores.keyValueStoreBuilder(
                        // in memory (restored from the changelog after a move), not RocksDB: no native library
                        Stores.inMemoryKeyValueStore(FLOW_STORE), Serdes.String(), Serdes.ByteArray())
                .withCachingEnabled()          // one changelog write per source and commit, not per record
                .withLoggingEnabled(Map.of("max.message.bytes", Integer.toString(MAX_STATE_BYTES)));
        builder.addStateStore(store);
        packets.process(() -> new FlowsProcessor(FLOW_STORE, settings.idleTimeout(), settings.activeTimeout(),
                        settings.maxFlows(), settings.grace()), FLOW_STORE)
                .to(flowsTopic, Produced.with(Serdes.String(), NetringSerdes.flowRecords()));
        TopTalkers.addTo(packets, topTalkersTopic, settings.window(), settings.grace());
        return builder.build();
    }

    /**
     * An instance's configuration: {@link TopTalkers#config} (exactly-once v2) and a producer
     * request size that takes the flow store's largest changelog record.
     */
    public static Properties config(String applicationId, String bootstrapServers) {
        Properties p = TopTalkers.config(applicationId, bootstrapServers);
        p.put(StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG), Integer.toString(MAX_STATE_BYTES + (1 << 20)));
        return p;
    }
}
