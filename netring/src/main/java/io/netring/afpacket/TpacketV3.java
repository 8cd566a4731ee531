package io.netring.afpacket;

import io.netring.internal.linux.KernelLayouts;

import java.lang.foreign.ValueLayout;

import static io.netring.internal.NativeMemory.ALL;
import static io.netring.internal.NativeMemory.address;
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

    /** Layouts for the hot walk over a block's headers; unaligned, so no alignment test (docs/ARCHITECTURE.md, "The JIT and memory ordering"). */
    public static final ValueLayout.OfInt WALK_INT = ValueLayout.JAVA_INT_UNALIGNED;
    public static final ValueLayout.OfShort WALK_SHORT = ValueLayout.JAVA_SHORT_UNALIGNED;

    /**
     * The walk step every reader of a block shares ({@code dispatch}, the iterator, the stream):
     * where the data of the packet whose header is at {@code hdr} starts, in the block at address
     * {@code base}, or -1 when the header or the bytes it points at leave {@code [0, limit)}. The
     * kernel writes these; checking them keeps a corrupted or misread block from sending the walk
     * outside the block. Reads go through {@link io.netring.internal.NativeMemory#ALL}, so these
     * checks, made before each read, are its only bounds.
     */
    public static long dataOffset(long base, long hdr, long limit) {
        if (hdr < BLOCK_DESC_SIZE || hdr > limit - PACKET_HDR_LEN) {
            return -1;
        }
        long at = address(base + hdr);
        long mac = Short.toUnsignedLong(ALL.get(WALK_SHORT, at + MAC_OFFSET));
        // Read signed: a packet of 2 GiB or more is refused like one that leaves the block, so
        // every accepted length is a non-negative int (Packet.length(), the size of data()).
        int snaplen = ALL.get(WALK_INT, at + SNAPLEN_OFFSET);
        return mac >= PACKET_HDR_LEN && snaplen >= 0 && hdr + mac + snaplen <= limit ? hdr + mac : -1;
    }

    /** The captured length of the packet at {@code hdr}, once {@link #dataOffset} accepted it. */
    public static int snaplen(long base, long hdr) {
        return ALL.get(WALK_INT, address(base + hdr) + SNAPLEN_OFFSET);
    }

    /**
     * The header after {@code hdr}, once {@link #dataOffset} accepted it, or 0 when
     * {@code tp_next_offset} is 0 (the block's last packet): 0 is below any header, so
     * {@link #dataOffset} refuses to go on from there.
     */
    public static long nextHeader(long base, long hdr) {
        long next = Integer.toUnsignedLong(ALL.get(WALK_INT, address(base + hdr) + NEXT_OFFSET_OFFSET));
        return next == 0 ? 0 : hdr + next;
    }
}
