package io.netring.kafka;

import java.nio.charset.StandardCharsets;

/**
 * The value of a packet record on a Kafka topic: a few packets of one capture source, in
 * order. Big-endian throughout; the record key is the source text (UTF-8), so one source's
 * records stay on one partition and keep their order; the record timestamp is the first
 * packet's time in milliseconds.
 *
 * <pre>
 *  offset  size  field
 *  0       4     magic "NRK1" (0x4E524B31)
 *  4       2     link type (LINKTYPE_* of pcap: 1 = Ethernet)
 *  6       2     source length S
 *  8       S     source, UTF-8: "host/interface"
 *  8+S     8     sequence number of the first packet (per source, from 0, +1 per packet)
 *  16+S    4     packet count N
 *  20+S          N packets, each:
 *                  8  timestamp, nanoseconds since the epoch
 *                  4  original length (on the wire)
 *                  4  captured length C
 *                  C  the captured bytes from the link-layer header on
 * </pre>
 * See docs/SCALING.md.
 */
public final class PacketRecordFormat {
    private PacketRecordFormat() {}

    public static final int MAGIC = 0x4E524B31;
    public static final int MAGIC_OFFSET = 0;
    public static final int LINK_TYPE_OFFSET = 4;
    public static final int SOURCE_LENGTH_OFFSET = 6;
    public static final int SOURCE_OFFSET = 8;
    /** Bytes of the fixed fields after the source: sequence and count. */
    public static final int AFTER_SOURCE_SIZE = 12;
    /** Bytes before each packet's captured bytes: timestamp, original and captured length. */
    public static final int PACKET_HEADER_SIZE = 16;
    /** Ethernet, the link type of AF_PACKET SOCK_RAW captures on Ethernet-like devices. */
    public static final int LINKTYPE_ETHERNET = 1;

    /** Bytes of the record header for {@code source}. */
    public static int headerSize(String source) {
        return SOURCE_OFFSET + source.getBytes(StandardCharsets.UTF_8).length + AFTER_SOURCE_SIZE;
    }
}
