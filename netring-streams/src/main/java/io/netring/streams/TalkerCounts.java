package io.netring.streams;

import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

import java.nio.ByteBuffer;

/**
 * Packets and bytes (on the wire) an address took part in, as source or destination, within
 * one window. Its serde is two big-endian longs.
 */
public record TalkerCounts(long packets, long bytes) {
    /** Nothing yet. */
    public static final TalkerCounts ZERO = new TalkerCounts(0, 0);

    /** The sum of both. */
    public TalkerCounts plus(TalkerCounts other) {
        return new TalkerCounts(packets + other.packets, bytes + other.bytes);
    }

    /** As JSON: {@code {"packets":N,"bytes":M}} with the address and window around it by the topology. */
    String json(String address, long windowStartMillis, long windowEndMillis) {
        return "{\"address\":\"" + address + "\",\"windowStart\":" + windowStartMillis + ",\"windowEnd\":" + windowEndMillis
                + ",\"packets\":" + packets + ",\"bytes\":" + bytes + "}";
    }

    /** Two big-endian longs: packets, bytes. */
    public static Serde<TalkerCounts> serde() {
        Serializer<TalkerCounts> out = (topic, c) -> c == null ? null
                : ByteBuffer.allocate(16).putLong(c.packets).putLong(c.bytes).array();
        Deserializer<TalkerCounts> in = (topic, b) -> {
            if (b == null) {
                return null;
            }
            if (b.length != 16) {
                throw new IllegalArgumentException("talker counts are 16 bytes, got " + b.length);
            }
            ByteBuffer bb = ByteBuffer.wrap(b);
            return new TalkerCounts(bb.getLong(), bb.getLong());
        };
        return Serdes.serdeFrom(out, in);
    }
}
