package io.netring.internal.linux;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * The kernel structs netring exchanges with AF_PACKET, as named {@link StructLayout}s.
 *
 * <p>Field names are the kernel's. Every offset used elsewhere is derived from these layouts
 * with {@link #offset(StructLayout, String)}; none is written as a literal. Unsigned kernel
 * types map to the Java type of the same width and are widened where read.
 */
public final class KernelLayouts {
    private KernelLayouts() {}

    /** {@code struct tpacket_hdr_variant1}: flow hash and VLAN facts of one packet. */
    public static final StructLayout TPACKET_HDR_VARIANT1 = MemoryLayout.structLayout(
            JAVA_INT.withName("tp_rxhash"),
            JAVA_INT.withName("tp_vlan_tci"),
            JAVA_SHORT.withName("tp_vlan_tpid"),
            JAVA_SHORT.withName("tp_padding")).withName("tpacket_hdr_variant1");

    /** {@code struct tpacket3_hdr}: the header in front of each packet of a V3 block (48 bytes). */
    public static final StructLayout TPACKET3_HDR = MemoryLayout.structLayout(
            JAVA_INT.withName("tp_next_offset"),
            JAVA_INT.withName("tp_sec"),
            JAVA_INT.withName("tp_nsec"),
            JAVA_INT.withName("tp_snaplen"),
            JAVA_INT.withName("tp_len"),
            JAVA_INT.withName("tp_status"),
            JAVA_SHORT.withName("tp_mac"),
            JAVA_SHORT.withName("tp_net"),
            TPACKET_HDR_VARIANT1.withName("hv1"),
            MemoryLayout.sequenceLayout(8, JAVA_BYTE).withName("tp_padding")).withName("tpacket3_hdr");

    /** {@code struct tpacket_bd_ts}: seconds and nanoseconds (V3 fills ts_nsec). */
    public static final StructLayout TPACKET_BD_TS = MemoryLayout.structLayout(
            JAVA_INT.withName("ts_sec"),
            JAVA_INT.withName("ts_nsec")).withName("tpacket_bd_ts");

    /** {@code struct tpacket_hdr_v1}: the block header proper. */
    public static final StructLayout TPACKET_HDR_V1 = MemoryLayout.structLayout(
            JAVA_INT.withName("block_status"),
            JAVA_INT.withName("num_pkts"),
            JAVA_INT.withName("offset_to_first_pkt"),
            JAVA_INT.withName("blk_len"),
            JAVA_LONG.withName("seq_num"),
            TPACKET_BD_TS.withName("ts_first_pkt"),
            TPACKET_BD_TS.withName("ts_last_pkt")).withName("tpacket_hdr_v1");

    /** {@code struct tpacket_block_desc}: the start of every V3 RX block (48 bytes). */
    public static final StructLayout TPACKET_BLOCK_DESC = MemoryLayout.structLayout(
            JAVA_INT.withName("version"),
            JAVA_INT.withName("offset_to_priv"),
            TPACKET_HDR_V1.withName("hdr")).withName("tpacket_block_desc");

    /** {@code struct tpacket_req3}: the ring geometry handed to PACKET_RX_RING (28 bytes). */
    public static final StructLayout TPACKET_REQ3 = MemoryLayout.structLayout(
            JAVA_INT.withName("tp_block_size"),
            JAVA_INT.withName("tp_block_nr"),
            JAVA_INT.withName("tp_frame_size"),
            JAVA_INT.withName("tp_frame_nr"),
            JAVA_INT.withName("tp_retire_blk_tov"),
            JAVA_INT.withName("tp_sizeof_priv"),
            JAVA_INT.withName("tp_feature_req_word")).withName("tpacket_req3");

    /** {@code struct tpacket_req}: the V1/V2 ring geometry (16 bytes). */
    public static final StructLayout TPACKET_REQ = MemoryLayout.structLayout(
            JAVA_INT.withName("tp_block_size"),
            JAVA_INT.withName("tp_block_nr"),
            JAVA_INT.withName("tp_frame_size"),
            JAVA_INT.withName("tp_frame_nr")).withName("tpacket_req");

    /** {@code struct tpacket2_hdr}: the V2 frame header, used by the TX fallback (32 bytes). */
    public static final StructLayout TPACKET2_HDR = MemoryLayout.structLayout(
            JAVA_INT.withName("tp_status"),
            JAVA_INT.withName("tp_len"),
            JAVA_INT.withName("tp_snaplen"),
            JAVA_SHORT.withName("tp_mac"),
            JAVA_SHORT.withName("tp_net"),
            JAVA_INT.withName("tp_sec"),
            JAVA_INT.withName("tp_nsec"),
            JAVA_SHORT.withName("tp_vlan_tci"),
            JAVA_SHORT.withName("tp_vlan_tpid"),
            MemoryLayout.sequenceLayout(4, JAVA_BYTE).withName("tp_padding")).withName("tpacket2_hdr");

    /** {@code struct tpacket_stats_v3}: PACKET_STATISTICS under V3 (12 bytes). */
    public static final StructLayout TPACKET_STATS_V3 = MemoryLayout.structLayout(
            JAVA_INT.withName("tp_packets"),
            JAVA_INT.withName("tp_drops"),
            JAVA_INT.withName("tp_freeze_q_cnt")).withName("tpacket_stats_v3");

    /** {@code struct sockaddr_ll}: link-level address (20 bytes); sll_protocol is big-endian. */
    public static final StructLayout SOCKADDR_LL = MemoryLayout.structLayout(
            JAVA_SHORT.withName("sll_family"),
            JAVA_SHORT.withName("sll_protocol"),
            JAVA_INT.withName("sll_ifindex"),
            JAVA_SHORT.withName("sll_hatype"),
            JAVA_BYTE.withName("sll_pkttype"),
            JAVA_BYTE.withName("sll_halen"),
            MemoryLayout.sequenceLayout(8, JAVA_BYTE).withName("sll_addr")).withName("sockaddr_ll");

    /** {@code struct packet_mreq}: PACKET_ADD_MEMBERSHIP / PACKET_DROP_MEMBERSHIP (16 bytes). */
    public static final StructLayout PACKET_MREQ = MemoryLayout.structLayout(
            JAVA_INT.withName("mr_ifindex"),
            JAVA_SHORT.withName("mr_type"),
            JAVA_SHORT.withName("mr_alen"),
            MemoryLayout.sequenceLayout(8, JAVA_BYTE).withName("mr_address")).withName("packet_mreq");

    /** {@code struct pollfd} (8 bytes). */
    public static final StructLayout POLLFD = MemoryLayout.structLayout(
            JAVA_INT.withName("fd"),
            JAVA_SHORT.withName("events"),
            JAVA_SHORT.withName("revents")).withName("pollfd");

    /** {@code struct sock_filter}: one classic BPF instruction (8 bytes). */
    public static final StructLayout SOCK_FILTER = MemoryLayout.structLayout(
            JAVA_SHORT.withName("code"),
            JAVA_BYTE.withName("jt"),
            JAVA_BYTE.withName("jf"),
            JAVA_INT.withName("k")).withName("sock_filter");

    /** {@code struct sock_fprog}: a classic BPF program (16 bytes on 64-bit). */
    public static final StructLayout SOCK_FPROG = MemoryLayout.structLayout(
            JAVA_SHORT.withName("len"),
            MemoryLayout.paddingLayout(6),
            ADDRESS.withName("filter")).withName("sock_fprog");

    /** {@code struct sockaddr}: the generic address inside {@code ifreq} (16 bytes). */
    public static final StructLayout SOCKADDR = MemoryLayout.structLayout(
            JAVA_SHORT.withName("sa_family"),
            MemoryLayout.sequenceLayout(14, JAVA_BYTE).withName("sa_data")).withName("sockaddr");

    /**
     * {@code struct ifreq} (40 bytes on 64-bit): the interface name, then a union of which netring
     * reads {@code ifru_mtu} (SIOCGIFMTU) and {@code ifru_hwaddr.sa_family} (SIOCGIFHWADDR).
     */
    public static final StructLayout IFREQ = MemoryLayout.structLayout(
            MemoryLayout.sequenceLayout(LinuxConstants.IFNAMSIZ, JAVA_BYTE).withName("ifr_name"),
            MemoryLayout.unionLayout(
                    SOCKADDR.withName("ifru_hwaddr"),
                    JAVA_INT.withName("ifru_mtu"),
                    MemoryLayout.sequenceLayout(3, JAVA_LONG).withName("ifru_map_space")).withName("ifr_ifru"))
            .withName("ifreq");

    /** TPACKET_ALIGN(sizeof(struct tpacket3_hdr)): where the sockaddr_ll follows the header. */
    public static final long TPACKET3_SOCKADDR_OFFSET = align(TPACKET3_HDR.byteSize());

    /** TPACKET3_HDRLEN: the smallest legal V3 frame (68). */
    public static final long TPACKET3_HDRLEN = TPACKET3_SOCKADDR_OFFSET + SOCKADDR_LL.byteSize();

    /** TPACKET2_HDRLEN: header plus sockaddr_ll under V2 (52). */
    public static final long TPACKET2_HDRLEN = align(TPACKET2_HDR.byteSize()) + SOCKADDR_LL.byteSize();

    /** The byte offset of a (possibly nested, dot-separated) field: {@code offset(L, "hdr.seq_num")}. */
    public static long offset(StructLayout layout, String path) {
        String[] names = path.split("\\.");
        MemoryLayout.PathElement[] elements = new MemoryLayout.PathElement[names.length];
        for (int i = 0; i < names.length; i++) {
            elements[i] = groupElement(names[i]);
        }
        return layout.byteOffset(elements);
    }

    /** TPACKET_ALIGN: rounds up to a multiple of 16. */
    public static long align(long x) {
        return (x + LinuxConstants.TPACKET_ALIGNMENT - 1) & -LinuxConstants.TPACKET_ALIGNMENT;
    }
}
