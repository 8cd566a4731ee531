package io.netring.streams;

import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

import java.nio.charset.StandardCharsets;

/**
 * Serdes for netring's topics in a Kafka Streams application of one's own: packet records (the
 * NRK1 value netring-kafka writes; docs/SCALING.md) and flow records with their source (the JSON
 * of {@code netring aggregate}'s flows topic). Values that are not what they claim fail with a
 * {@link SerializationException} naming the fault.
 */
public final class NetringSerdes {
    private NetringSerdes() {}

    /**
     * Packet record values as bytes, checked on the way in: a value that is not a whole packet
     * record (magic, header, every packet inside the value) is refused.
     */
    public static Serde<byte[]> packetRecords() {
        Serializer<byte[]> out = (topic, v) -> v;
        Deserializer<byte[]> in = (topic, v) -> {
            if (v == null) {
                return null;
            }
            try {
                PacketRecords.forEach(v, (ts, original, bytes, offset, captured) -> { });
            } catch (IllegalArgumentException e) {
                throw new SerializationException("topic " + topic + ": " + e.getMessage(), e);
            }
            return v;
        };
        return Serdes.serdeFrom(out, in);
    }

    /** Flow records with their source, as UTF-8 JSON ({@link SourcedFlowRecord#toJson()}) both ways. */
    public static Serde<SourcedFlowRecord> flowRecords() {
        Serializer<SourcedFlowRecord> out = (topic, r) -> r == null ? null : r.toJson().getBytes(StandardCharsets.UTF_8);
        Deserializer<SourcedFlowRecord> in = (topic, b) -> {
            if (b == null) {
                return null;
            }
            try {
                return FlowJson.parse(new String(b, StandardCharsets.UTF_8));
            } catch (IllegalArgumentException | java.time.DateTimeException e) {
                throw new SerializationException("topic " + topic + ": " + e.getMessage(), e);
            }
        };
        return Serdes.serdeFrom(out, in);
    }
}
