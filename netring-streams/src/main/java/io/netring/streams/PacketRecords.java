package io.netring.streams;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Reads the value of a packet record as netring-kafka writes it (docs/SCALING.md, "the record
 * format"): magic {@code NRK1}, link type, source, first sequence number, packet count, then
 * per packet its timestamp in nanoseconds, original and captured length and bytes. No copy: the
 * visitor gets the record's array with each packet's offset.
 */
final class PacketRecords {
    private PacketRecords() {}

    static final int MAGIC = 0x4E524B31;

    /** What a record's packets are handed to. */
    interface Visitor {
        void packet(long timestampNanos, int originalLength, byte[] record, int offset, int capturedLength);
    }

    /** The record's source text ({@code host/interface}). */
    static String source(byte[] value) {
        ByteBuffer b = header(value);
        int length = Short.toUnsignedInt(b.getShort(6));
        return new String(value, 8, length, StandardCharsets.UTF_8);
    }

    /**
     * Hands every packet of {@code value} to {@code visitor}, in order.
     * @throws IllegalArgumentException naming what is wrong when the value is not a whole packet record
     */
    static void forEach(byte[] value, Visitor visitor) {
        ByteBuffer b = header(value);
        int sourceLength = Short.toUnsignedInt(b.getShort(6));
        int at = 8 + sourceLength + 8;
        if (at + 4 > value.length) {
            throw new IllegalArgumentException("packet record of " + value.length + " bytes ends inside its header");
        }
        int count = b.getInt(at);
        at += 4;
        for (int i = 0; i < count; i++) {
            if (at + 16 > value.length) {
                throw new IllegalArgumentException("packet " + i + " of " + count + " runs past the record's " + value.length + " bytes");
            }
            long ts = b.getLong(at);
            int original = b.getInt(at + 8);
            int captured = b.getInt(at + 12);
            at += 16;
            if (captured < 0 || captured > value.length - at) {
                throw new IllegalArgumentException("packet " + i + " of " + count + ": captured length " + captured
                        + " runs past the record's " + value.length + " bytes");
            }
            visitor.packet(ts, original, value, at, captured);
            at += captured;
        }
    }

    private static ByteBuffer header(byte[] value) {
        if (value == null || value.length < 8) {
            throw new IllegalArgumentException("not a packet record: " + (value == null ? "no value" : value.length + " bytes"));
        }
        ByteBuffer b = ByteBuffer.wrap(value);
        if (b.getInt(0) != MAGIC) {
            throw new IllegalArgumentException(String.format("not a packet record: magic 0x%08x, expected 0x%08x (NRK1)", b.getInt(0), MAGIC));
        }
        return b;
    }
}
