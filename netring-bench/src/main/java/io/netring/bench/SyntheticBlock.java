package io.netring.bench;

import io.netring.afpacket.TpacketV3;
import io.netring.internal.linux.KernelLayouts;
import io.netring.internal.linux.LinuxConstants;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

import static io.netring.internal.linux.KernelLayouts.SOCKADDR_LL;
import static io.netring.internal.linux.KernelLayouts.TPACKET_BLOCK_DESC;
import static io.netring.internal.linux.KernelLayouts.offset;

/**
 * A TPACKET_V3 block built in memory the way the kernel fills one, for benchmarks and tests
 * that need no privileges: a block descriptor, then {@code packets} test frames chained by
 * {@code tp_next_offset}.
 *
 * <p>Placement follows the kernel's for an Ethernet frame with no reserve: the network header
 * at {@code TPACKET_ALIGN(TPACKET3_HDRLEN + 16)} (96), the MAC header 14 bytes before it (82),
 * the next header at {@code TPACKET_ALIGN(mac + snaplen)} (160 for 64-byte frames).
 */
public final class SyntheticBlock {
    private SyntheticBlock() {}

    private static final long FIRST_PACKET = KernelLayouts.align(TPACKET_BLOCK_DESC.byteSize());
    private static final int ETH_HLEN = 14;
    /** The kernel reserves at least 16 bytes for the MAC header before the network header. */
    private static final int MIN_MAC_ROOM = 16;
    private static final long NET = KernelLayouts.align(KernelLayouts.TPACKET3_HDRLEN + MIN_MAC_ROOM);
    private static final long MAC = NET - ETH_HLEN;

    /** Bytes one packet of {@code frameSize} takes in a block. */
    public static long stride(int frameSize) {
        return KernelLayouts.align(MAC + frameSize);
    }

    /** Offset in the block of packet {@code i}'s tpacket3_hdr. */
    public static long headerOffset(int i, int frameSize) {
        return FIRST_PACKET + i * stride(frameSize);
    }

    /** Offset of a packet's first byte from its tpacket3_hdr. */
    public static long macOffset() {
        return MAC;
    }

    /** Bytes a block of {@code packets} frames of {@code frameSize} needs. */
    public static long blockSize(int packets, int frameSize) {
        return FIRST_PACKET + packets * stride(frameSize);
    }

    /**
     * Allocates and fills a retired block (status TP_STATUS_USER) holding frames with sequence
     * numbers {@code firstSeq ..}, each {@code frameSize} bytes.
     */
    public static MemorySegment build(Arena arena, int packets, int frameSize, int firstSeq, long blockSeq) {
        long size = blockSize(packets, frameSize);
        MemorySegment b = arena.allocate(size, 4096);
        long stride = stride(frameSize);
        b.set(ValueLayout.JAVA_INT, offset(TPACKET_BLOCK_DESC, "version"), 1);
        b.set(ValueLayout.JAVA_INT, TpacketV3.BLOCK_STATUS_OFFSET, LinuxConstants.TP_STATUS_USER);
        b.set(ValueLayout.JAVA_INT, TpacketV3.NUM_PKTS_OFFSET, packets);
        b.set(ValueLayout.JAVA_INT, TpacketV3.FIRST_PKT_OFFSET, (int) FIRST_PACKET);
        b.set(ValueLayout.JAVA_INT, TpacketV3.BLK_LEN_OFFSET, (int) size);
        b.set(ValueLayout.JAVA_LONG, TpacketV3.SEQ_NUM_OFFSET, blockSeq);
        long sllProtocol = KernelLayouts.TPACKET3_SOCKADDR_OFFSET + offset(SOCKADDR_LL, "sll_protocol");
        long sllFamily = KernelLayouts.TPACKET3_SOCKADDR_OFFSET + offset(SOCKADDR_LL, "sll_family");
        for (int i = 0; i < packets; i++) {
            long hdr = FIRST_PACKET + i * stride;
            b.set(ValueLayout.JAVA_INT, hdr + TpacketV3.NEXT_OFFSET_OFFSET, i + 1 < packets ? (int) stride : 0);
            b.set(ValueLayout.JAVA_INT, hdr + TpacketV3.SEC_OFFSET, 1_700_000_000);
            b.set(ValueLayout.JAVA_INT, hdr + TpacketV3.NSEC_OFFSET, i);
            b.set(ValueLayout.JAVA_INT, hdr + TpacketV3.SNAPLEN_OFFSET, frameSize);
            b.set(ValueLayout.JAVA_INT, hdr + TpacketV3.LEN_OFFSET, frameSize);
            b.set(ValueLayout.JAVA_INT, hdr + TpacketV3.STATUS_OFFSET, LinuxConstants.TP_STATUS_USER);
            b.set(ValueLayout.JAVA_SHORT, hdr + TpacketV3.MAC_OFFSET, (short) MAC);
            b.set(ValueLayout.JAVA_SHORT, hdr + TpacketV3.NET_OFFSET, (short) NET);
            b.set(ValueLayout.JAVA_SHORT, hdr + sllFamily, (short) LinuxConstants.AF_PACKET);
            b.set(ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN), hdr + sllProtocol,
                    (short) TestFrames.ETHERTYPE);
            b.set(ValueLayout.JAVA_INT, hdr + TpacketV3.IFINDEX_OFFSET, 2);
            b.set(ValueLayout.JAVA_BYTE, hdr + TpacketV3.PKTTYPE_OFFSET, (byte) LinuxConstants.PACKET_BROADCAST);
            TestFrames.write(b, hdr + MAC, firstSeq + i, frameSize);
        }
        return b;
    }
}
