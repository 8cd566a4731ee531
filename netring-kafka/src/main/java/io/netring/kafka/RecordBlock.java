package io.netring.kafka;

import io.netring.PacketBatch;
import io.netring.afpacket.TpacketV3;
import io.netring.internal.linux.KernelLayouts;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;

/**
 * Lays the packets of one Kafka record out as a TPACKET_V3 block, so that a record read back
 * is an ordinary {@link PacketBatch} and every sink (text, fields, pcap writer, flows) takes it
 * as it takes a ring's block. The buffer grows as needed and comes from an automatic arena, so
 * a batch still held keeps its memory alive.
 */
final class RecordBlock {
    private static final long MAC = KernelLayouts.align(TpacketV3.PACKET_HDR_LEN);
    private static final int TP_STATUS_USER = 1;
    private static final int PKTTYPE_UNKNOWN = 0xFF;

    private MemorySegment buf = Arena.ofAuto().allocate(1 << 16, 16);

    /**
     * Builds a batch from the {@code count} packets at the position of {@code value}
     * (the packet part of a {@link PacketRecordFormat} record; a heap buffer).
     * @throws IllegalArgumentException when a packet runs past the record
     */
    PacketBatch build(ByteBuffer value, int count, long seq) {
        long need = TpacketV3.BLOCK_DESC_SIZE + (long) count * (MAC + 16) + value.remaining();
        if (buf.byteSize() < need) {
            buf = Arena.ofAuto().allocate(Math.max(need, 2 * buf.byteSize()), 16);
        }
        MemorySegment b = buf;
        long pos = KernelLayouts.align(TpacketV3.BLOCK_DESC_SIZE);
        long first = pos;
        long prev = -1;
        long firstTs = 0, lastTs = 0;
        for (int i = 0; i < count; i++) {
            if (value.remaining() < PacketRecordFormat.PACKET_HEADER_SIZE) {
                throw new IllegalArgumentException("packet " + i + " of " + count + ": record ends inside its header");
            }
            long ts = value.getLong();
            int original = value.getInt();
            int captured = value.getInt();
            if (captured < 0 || captured > value.remaining()) {
                throw new IllegalArgumentException("packet " + i + " of " + count + ": captured length " + captured
                        + " runs past the record (" + value.remaining() + " bytes left)");
            }
            if (i == 0) {
                firstTs = ts;
            }
            lastTs = ts;
            b.asSlice(pos, MAC).fill((byte) 0);
            b.set(ValueLayout.JAVA_INT, pos + TpacketV3.SEC_OFFSET, (int) Math.floorDiv(ts, 1_000_000_000L));
            b.set(ValueLayout.JAVA_INT, pos + TpacketV3.NSEC_OFFSET, (int) Math.floorMod(ts, 1_000_000_000L));
            b.set(ValueLayout.JAVA_INT, pos + TpacketV3.SNAPLEN_OFFSET, captured);
            b.set(ValueLayout.JAVA_INT, pos + TpacketV3.LEN_OFFSET, original);
            b.set(ValueLayout.JAVA_INT, pos + TpacketV3.STATUS_OFFSET, TP_STATUS_USER);
            b.set(ValueLayout.JAVA_SHORT, pos + TpacketV3.MAC_OFFSET, (short) MAC);
            b.set(ValueLayout.JAVA_SHORT, pos + TpacketV3.NET_OFFSET, (short) MAC);
            b.set(ValueLayout.JAVA_BYTE, pos + TpacketV3.PKTTYPE_OFFSET, (byte) PKTTYPE_UNKNOWN);
            MemorySegment.copy(value.array(), value.arrayOffset() + value.position(), b, ValueLayout.JAVA_BYTE, pos + MAC, captured);
            value.position(value.position() + captured);
            if (prev >= 0) {
                b.set(ValueLayout.JAVA_INT, prev + TpacketV3.NEXT_OFFSET_OFFSET, (int) (pos - prev));
            }
            prev = pos;
            pos = KernelLayouts.align(pos + MAC + captured);
        }
        b.asSlice(0, TpacketV3.BLOCK_DESC_SIZE).fill((byte) 0);
        b.set(ValueLayout.JAVA_INT, TpacketV3.BLOCK_STATUS_OFFSET, TP_STATUS_USER);
        b.set(ValueLayout.JAVA_INT, TpacketV3.NUM_PKTS_OFFSET, count);
        b.set(ValueLayout.JAVA_INT, TpacketV3.FIRST_PKT_OFFSET, (int) first);
        b.set(ValueLayout.JAVA_INT, TpacketV3.BLK_LEN_OFFSET, (int) pos);
        b.set(ValueLayout.JAVA_LONG, TpacketV3.SEQ_NUM_OFFSET, seq);
        b.set(ValueLayout.JAVA_INT, TpacketV3.TS_FIRST_SEC_OFFSET, (int) Math.floorDiv(firstTs, 1_000_000_000L));
        b.set(ValueLayout.JAVA_INT, TpacketV3.TS_FIRST_NSEC_OFFSET, (int) Math.floorMod(firstTs, 1_000_000_000L));
        b.set(ValueLayout.JAVA_INT, TpacketV3.TS_LAST_SEC_OFFSET, (int) Math.floorDiv(lastTs, 1_000_000_000L));
        b.set(ValueLayout.JAVA_INT, TpacketV3.TS_LAST_NSEC_OFFSET, (int) Math.floorMod(lastTs, 1_000_000_000L));
        return PacketBatch.ofBlock(b.asSlice(0, pos));
    }
}
