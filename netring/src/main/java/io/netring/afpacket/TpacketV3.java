package io.netring.afpacket;

import io.netring.internal.linux.KernelLayouts;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static io.netring.internal.linux.KernelLayouts.SOCKADDR_LL;
import static io.netring.internal.linux.KernelLayouts.TPACKET3_HDR;
import static io.netring.internal.linux.KernelLayouts.TPACKET_BLOCK_DESC;
import static io.netring.internal.linux.KernelLayouts.offset;

/**
 * Offsets into a TPACKET_V3 RX block, derived from {@link KernelLayouts}.
 *
 * <pre>
 *  block (blockSize bytes)
 *  +-------------------------------+ 0
 *  | tpacket_block_desc (48)       |   version, offset_to_priv, hdr.block_status,
 *  |                               |   hdr.num_pkts, hdr.offset_to_first_pkt, hdr.blk_len,
 *  |                               |   hdr.seq_num, hdr.ts_first_pkt, hdr.ts_last_pkt
 *  +-------------------------------+ offset_to_first_pkt
 *  | tpacket3_hdr (48)             |   tp_next_offset -> next header (0 on the last packet)
 *  | sockaddr_ll (20)              |   at TPACKET_ALIGN(48): sll_pkttype, sll_ifindex ...
 *  | ... packet bytes at tp_mac    |   tp_snaplen bytes captured of tp_len on the wire
 *  +-------------------------------+ + tp_next_offset
 *  | tpacket3_hdr ...              |
 * </pre>
 */
public final class TpacketV3 {
    private TpacketV3() {}

    // block descriptor
    public static final long BLOCK_STATUS_OFFSET = offset(TPACKET_BLOCK_DESC, "hdr.block_status");
    public static final long NUM_PKTS_OFFSET = offset(TPACKET_BLOCK_DESC, "hdr.num_pkts");
    public static final long FIRST_PKT_OFFSET = offset(TPACKET_BLOCK_DESC, "hdr.offset_to_first_pkt");
    public static final long BLK_LEN_OFFSET = offset(TPACKET_BLOCK_DESC, "hdr.blk_len");
    public static final long SEQ_NUM_OFFSET = offset(TPACKET_BLOCK_DESC, "hdr.seq_num");
    public static final long TS_FIRST_SEC_OFFSET = offset(TPACKET_BLOCK_DESC, "hdr.ts_first_pkt.ts_sec");
    public static final long TS_FIRST_NSEC_OFFSET = offset(TPACKET_BLOCK_DESC, "hdr.ts_first_pkt.ts_nsec");
    public static final long TS_LAST_SEC_OFFSET = offset(TPACKET_BLOCK_DESC, "hdr.ts_last_pkt.ts_sec");
    public static final long TS_LAST_NSEC_OFFSET = offset(TPACKET_BLOCK_DESC, "hdr.ts_last_pkt.ts_nsec");
    public static final long BLOCK_DESC_SIZE = TPACKET_BLOCK_DESC.byteSize();

    // packet header
    public static final long NEXT_OFFSET_OFFSET = offset(TPACKET3_HDR, "tp_next_offset");
    public static final long SEC_OFFSET = offset(TPACKET3_HDR, "tp_sec");
    public static final long NSEC_OFFSET = offset(TPACKET3_HDR, "tp_nsec");
    public static final long SNAPLEN_OFFSET = offset(TPACKET3_HDR, "tp_snaplen");
    public static final long LEN_OFFSET = offset(TPACKET3_HDR, "tp_len");
    public static final long STATUS_OFFSET = offset(TPACKET3_HDR, "tp_status");
    public static final long MAC_OFFSET = offset(TPACKET3_HDR, "tp_mac");
    public static final long NET_OFFSET = offset(TPACKET3_HDR, "tp_net");
    public static final long RXHASH_OFFSET = offset(TPACKET3_HDR, "hv1.tp_rxhash");
    public static final long VLAN_TCI_OFFSET = offset(TPACKET3_HDR, "hv1.tp_vlan_tci");
    public static final long VLAN_TPID_OFFSET = offset(TPACKET3_HDR, "hv1.tp_vlan_tpid");
    public static final long PKTTYPE_OFFSET =
            KernelLayouts.TPACKET3_SOCKADDR_OFFSET + offset(SOCKADDR_LL, "sll_pkttype");
    public static final long IFINDEX_OFFSET =
            KernelLayouts.TPACKET3_SOCKADDR_OFFSET + offset(SOCKADDR_LL, "sll_ifindex");
    public static final long PROTOCOL_OFFSET =
            KernelLayouts.TPACKET3_SOCKADDR_OFFSET + offset(SOCKADDR_LL, "sll_protocol");
    /** Header plus sockaddr_ll: a packet header must fit this much before its end. */
    public static final long PACKET_HDR_LEN = KernelLayouts.TPACKET3_HDRLEN;

    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;
    private static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT;

    /**
     * Layouts for the hot walk over a block's headers. Unaligned so an access carries no
     * alignment test: the kernel aligns every header to 16 bytes, and x86 and arm64 load
     * unaligned words anyway, so the check would only cost.
     */
    public static final ValueLayout.OfInt WALK_INT = ValueLayout.JAVA_INT_UNALIGNED;
    public static final ValueLayout.OfShort WALK_SHORT = ValueLayout.JAVA_SHORT_UNALIGNED;

    /**
     * True when the packet header at {@code hdr} and the bytes it points at lie inside
     * {@code [0, limit)}. The kernel writes these; checking them keeps a corrupted or
     * misread block from sending the walk outside the block.
     */
    public static boolean packetFits(MemorySegment block, long hdr, long limit) {
        if (hdr < BLOCK_DESC_SIZE || hdr + PACKET_HDR_LEN > limit) {
            return false;
        }
        long mac = Short.toUnsignedLong(block.get(SHORT, hdr + MAC_OFFSET));
        long snaplen = Integer.toUnsignedLong(block.get(INT, hdr + SNAPLEN_OFFSET));
        return mac >= PACKET_HDR_LEN && hdr + mac + snaplen <= limit;
    }

    /**
     * Where the data of the packet at {@code hdr} starts, or -1 when the header or its bytes do
     * not lie inside {@code [0, limit)}: {@link #packetFits} and the data offset in one pass, so
     * a walk reads {@code tp_mac} and {@code tp_snaplen} once per packet.
     */
    public static long dataOffsetIfFits(MemorySegment block, long hdr, long limit) {
        if (hdr < BLOCK_DESC_SIZE || hdr + PACKET_HDR_LEN > limit) {
            return -1;
        }
        long mac = Short.toUnsignedLong(block.get(SHORT, hdr + MAC_OFFSET));
        long snaplen = Integer.toUnsignedLong(block.get(INT, hdr + SNAPLEN_OFFSET));
        return mac >= PACKET_HDR_LEN && hdr + mac + snaplen <= limit ? hdr + mac : -1;
    }

    /** The offset of the header after {@code hdr}, or -1 when tp_next_offset does not move forward. */
    public static long nextPacket(MemorySegment block, long hdr) {
        long next = Integer.toUnsignedLong(block.get(INT, hdr + NEXT_OFFSET_OFFSET));
        return next == 0 ? -1 : hdr + next;
    }
}
