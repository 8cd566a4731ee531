package io.netring.testing;

import io.netring.afpacket.TpacketV3;
import io.netring.internal.linux.KernelLayouts;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;

/**
 * Writes a TPACKET_V3 block into memory the way the kernel does: descriptor, then packets
 * 16-byte aligned and chained by tp_next_offset (0 on the last). For tests that need no
 * privileges and for the kernel-free benchmarks.
 */
public final class SyntheticBlock {
    private SyntheticBlock() {}

    /** Where the kernel places the first packet with no private area. */
    public static final long FIRST_PACKET = KernelLayouts.align(TpacketV3.BLOCK_DESC_SIZE);
    /** Offset of the MAC header from the packet header (no PACKET_RESERVE). */
    public static final int MAC = (int) KernelLayouts.align(KernelLayouts.TPACKET3_HDRLEN);

    /**
     * Fills {@code block} with {@code frames}; returns the number of bytes used.
     * @param status block status bits (TP_STATUS_USER, maybe TP_STATUS_BLK_TMO)
     */
    public static long write(MemorySegment block, long seq, int status, List<byte[]> frames) {
        block.fill((byte) 0);
        long hdr = FIRST_PACKET;
        long prev = -1;
        for (int i = 0; i < frames.size(); i++) {
            byte[] f = frames.get(i);
            block.set(ValueLayout.JAVA_INT, hdr + TpacketV3.SEC_OFFSET, 1_700_000_000 + i);
            block.set(ValueLayout.JAVA_INT, hdr + TpacketV3.NSEC_OFFSET, 1000 * i);
            block.set(ValueLayout.JAVA_INT, hdr + TpacketV3.SNAPLEN_OFFSET, f.length);
            block.set(ValueLayout.JAVA_INT, hdr + TpacketV3.LEN_OFFSET, f.length);
            block.set(ValueLayout.JAVA_INT, hdr + TpacketV3.STATUS_OFFSET, 1);
            block.set(ValueLayout.JAVA_SHORT, hdr + TpacketV3.MAC_OFFSET, (short) MAC);
            block.set(ValueLayout.JAVA_SHORT, hdr + TpacketV3.NET_OFFSET, (short) (MAC + 14));
            block.set(ValueLayout.JAVA_INT, hdr + TpacketV3.RXHASH_OFFSET, 0x1000 + i);
            MemorySegment.copy(f, 0, block, ValueLayout.JAVA_BYTE, hdr + MAC, f.length);
            if (prev >= 0) {
                block.set(ValueLayout.JAVA_INT, prev + TpacketV3.NEXT_OFFSET_OFFSET, (int) (hdr - prev));
            }
            prev = hdr;
            hdr = KernelLayouts.align(hdr + MAC + f.length);
        }
        block.set(ValueLayout.JAVA_INT, TpacketV3.BLOCK_STATUS_OFFSET, status);
        block.set(ValueLayout.JAVA_INT, TpacketV3.NUM_PKTS_OFFSET, frames.size());
        block.set(ValueLayout.JAVA_INT, TpacketV3.FIRST_PKT_OFFSET, (int) FIRST_PACKET);
        block.set(ValueLayout.JAVA_INT, TpacketV3.BLK_LEN_OFFSET, (int) hdr);
        block.set(ValueLayout.JAVA_LONG, TpacketV3.SEQ_NUM_OFFSET, seq);
        block.set(ValueLayout.JAVA_INT, TpacketV3.TS_FIRST_SEC_OFFSET, 1_700_000_000);
        block.set(ValueLayout.JAVA_INT, TpacketV3.TS_LAST_SEC_OFFSET, 1_700_000_000 + Math.max(0, frames.size() - 1));
        return hdr;
    }
}
