package io.netring.testing;

import io.netring.afpacket.TpacketV3;
import io.netring.internal.linux.KernelLayouts;
import io.netring.internal.linux.LinuxConstants;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.List;

/**
 * Writes a TPACKET_V3 block into memory the way the kernel fills one, for tests that need no
 * privileges and for the kernel-free benchmarks: descriptor, then packets chained by
 * {@code tp_next_offset} (0 on the last).
 *
 * <p>Placement follows the kernel's for an Ethernet frame with no reserve: the network header
 * at {@code TPACKET_ALIGN(TPACKET3_HDRLEN + 16)} (96), the MAC header 14 bytes before it (82),
 * the next header at {@code TPACKET_ALIGN(mac + snaplen)}.
 */
public final class SyntheticBlock {
    private SyntheticBlock() {}

    /** Where the kernel places the first packet with no private area. */
    public static final long FIRST_PACKET = KernelLayouts.align(TpacketV3.BLOCK_DESC_SIZE);
    private static final int ETH_HLEN = 14;
    /** The kernel reserves at least 16 bytes for the MAC header before the network header. */
    private static final int MIN_MAC_ROOM = 16;
    /** Offset of the network header from the packet header. */
    public static final int NET = (int) KernelLayouts.align(KernelLayouts.TPACKET3_HDRLEN + MIN_MAC_ROOM);
    /** Offset of the MAC header from the packet header. */
    public static final int MAC = NET - ETH_HLEN;
    private static final ValueLayout.OfShort BE_SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final int IFINDEX = 2;
    private static final long VERSION_OFFSET = KernelLayouts.offset(KernelLayouts.TPACKET_BLOCK_DESC, "version");

    /** Bytes one packet of {@code frameSize} takes in a block. */
    public static long stride(int frameSize) {
        return KernelLayouts.align(MAC + frameSize);
    }

    /** Allocates a page-aligned block just large enough for {@code frames} and fills it; see {@link #write}. */
    public static MemorySegment allocate(Arena arena, long seq, int status, List<byte[]> frames) {
        long size = FIRST_PACKET;
        for (byte[] f : frames) {
            size += stride(f.length);
        }
        MemorySegment block = arena.allocate(size, 4096);
        write(block, seq, status, frames);
        return block;
    }

    /**
     * Fills {@code block} with {@code frames}; returns the number of bytes used. Packet {@code i}
     * has timestamp {@code 1_700_000_000 + i} s and {@code 1000 * i} ns, rx hash {@code 0x1000 + i},
     * arrived as a broadcast on interface 2, with the frame's own EtherType as its protocol.
     *
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
            block.set(ValueLayout.JAVA_INT, hdr + TpacketV3.STATUS_OFFSET, LinuxConstants.TP_STATUS_USER);
            block.set(ValueLayout.JAVA_SHORT, hdr + TpacketV3.MAC_OFFSET, (short) MAC);
            block.set(ValueLayout.JAVA_SHORT, hdr + TpacketV3.NET_OFFSET, (short) NET);
            block.set(ValueLayout.JAVA_INT, hdr + TpacketV3.RXHASH_OFFSET, 0x1000 + i);
            block.set(ValueLayout.JAVA_SHORT, hdr + KernelLayouts.TPACKET3_SOCKADDR_OFFSET, (short) LinuxConstants.AF_PACKET);
            if (f.length >= ETH_HLEN) {
                block.set(BE_SHORT, hdr + TpacketV3.PROTOCOL_OFFSET, (short) (((f[12] & 0xFF) << 8) | (f[13] & 0xFF)));
            }
            block.set(ValueLayout.JAVA_INT, hdr + TpacketV3.IFINDEX_OFFSET, IFINDEX);
            block.set(ValueLayout.JAVA_BYTE, hdr + TpacketV3.PKTTYPE_OFFSET, (byte) LinuxConstants.PACKET_BROADCAST);
            MemorySegment.copy(f, 0, block, ValueLayout.JAVA_BYTE, hdr + MAC, f.length);
            if (prev >= 0) {
                block.set(ValueLayout.JAVA_INT, prev + TpacketV3.NEXT_OFFSET_OFFSET, (int) (hdr - prev));
            }
            prev = hdr;
            hdr += stride(f.length);
        }
        block.set(ValueLayout.JAVA_INT, VERSION_OFFSET, 1);
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
