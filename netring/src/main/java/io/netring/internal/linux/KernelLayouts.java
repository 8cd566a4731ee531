package io.netring.internal.linux;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

import static io.netring.internal.linux.StructDeclarations.struct;
import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * The kernel structs netring exchanges with AF_PACKET and AF_XDP, as named {@link StructLayout}s.
 *
 * <p>Field names and types are the kernel's, declared as in its headers
 * ({@link StructDeclarations}). Every offset used elsewhere is derived from these layouts
 * with {@link #offset(StructLayout, String)}; none is written as a literal. Unsigned kernel
 * types map to the Java type of the same width and are widened where read.
 */
public final class KernelLayouts {
    private KernelLayouts() {}

    /** {@code struct tpacket_hdr_variant1}: flow hash and VLAN facts of one packet. */
    public static final StructLayout TPACKET_HDR_VARIANT1 = struct("tpacket_hdr_variant1",
            "u32 tp_rxhash, tp_vlan_tci; u16 tp_vlan_tpid, tp_padding");

    /** {@code struct tpacket3_hdr}: the header in front of each packet of a V3 block (48 bytes). */
    public static final StructLayout TPACKET3_HDR = struct("tpacket3_hdr",
            "u32 tp_next_offset, tp_sec, tp_nsec, tp_snaplen, tp_len, tp_status; u16 tp_mac, tp_net",
            TPACKET_HDR_VARIANT1.withName("hv1"),
            "u8 tp_padding[8]");

    /** {@code struct tpacket_bd_ts}: seconds and nanoseconds (V3 fills ts_nsec). */
    public static final StructLayout TPACKET_BD_TS = struct("tpacket_bd_ts", "u32 ts_sec, ts_nsec");

    /** {@code struct tpacket_hdr_v1}: the block header proper. */
    public static final StructLayout TPACKET_HDR_V1 = struct("tpacket_hdr_v1",
            "u32 block_status, num_pkts, offset_to_first_pkt, blk_len; u64 seq_num",
            TPACKET_BD_TS.withName("ts_first_pkt"),
            TPACKET_BD_TS.withName("ts_last_pkt"));

    /** {@code struct tpacket_block_desc}: the start of every V3 RX block (48 bytes). */
    public static final StructLayout TPACKET_BLOCK_DESC = struct("tpacket_block_desc",
            "u32 version, offset_to_priv",
            TPACKET_HDR_V1.withName("hdr"));

    /** {@code struct tpacket_req3}: the ring geometry handed to PACKET_RX_RING (28 bytes). */
    public static final StructLayout TPACKET_REQ3 = struct("tpacket_req3",
            "u32 tp_block_size, tp_block_nr, tp_frame_size, tp_frame_nr, tp_retire_blk_tov, tp_sizeof_priv,"
                    + " tp_feature_req_word");

    /** {@code struct tpacket_req}: the V1/V2 ring geometry (16 bytes). */
    public static final StructLayout TPACKET_REQ = struct("tpacket_req",
            "u32 tp_block_size, tp_block_nr, tp_frame_size, tp_frame_nr");

    /** {@code struct tpacket2_hdr}: the V2 frame header, used by the TX fallback (32 bytes). */
    public static final StructLayout TPACKET2_HDR = struct("tpacket2_hdr",
            "u32 tp_status, tp_len, tp_snaplen; u16 tp_mac, tp_net; u32 tp_sec, tp_nsec;"
                    + " u16 tp_vlan_tci, tp_vlan_tpid; u8 tp_padding[4]");

    /** {@code struct tpacket_stats_v3}: PACKET_STATISTICS under V3 (12 bytes). */
    public static final StructLayout TPACKET_STATS_V3 = struct("tpacket_stats_v3",
            "u32 tp_packets, tp_drops, tp_freeze_q_cnt");

    /** {@code struct sockaddr_ll}: link-level address (20 bytes); sll_protocol is big-endian. */
    public static final StructLayout SOCKADDR_LL = struct("sockaddr_ll",
            "u16 sll_family, sll_protocol; u32 sll_ifindex; u16 sll_hatype; u8 sll_pkttype, sll_halen, sll_addr[8]");

    /** {@code struct packet_mreq}: PACKET_ADD_MEMBERSHIP / PACKET_DROP_MEMBERSHIP (16 bytes). */
    public static final StructLayout PACKET_MREQ = struct("packet_mreq",
            "u32 mr_ifindex; u16 mr_type, mr_alen; u8 mr_address[8]");

    /** {@code struct pollfd} (8 bytes). */
    public static final StructLayout POLLFD = struct("pollfd", "u32 fd; u16 events, revents");

    /** {@code struct sock_filter}: one classic BPF instruction (8 bytes). */
    public static final StructLayout SOCK_FILTER = struct("sock_filter", "u16 code; u8 jt, jf; u32 k");

    /** {@code struct sock_fprog}: a classic BPF program (16 bytes on 64-bit). */
    public static final StructLayout SOCK_FPROG = struct("sock_fprog",
            "u16 len", MemoryLayout.paddingLayout(6), "ptr filter");

    /** {@code struct bpf_insn}: one eBPF instruction (8 bytes); {@code regs} holds dst (low nibble) and src. */
    public static final StructLayout BPF_INSN = struct("bpf_insn", "u8 code, regs; u16 off; u32 imm");

    /**
     * The BPF_PROG_LOAD member of {@code union bpf_attr}, up to {@code expected_attach_type}
     * (72 bytes). The kernel accepts a shorter attr and treats the fields it lacks as zero.
     */
    public static final StructLayout BPF_ATTR_PROG_LOAD = struct("bpf_attr_prog_load",
            "u32 prog_type, insn_cnt; u64 insns, license; u32 log_level, log_size; u64 log_buf;"
                    + " u32 kern_version, prog_flags; u8 prog_name[16]; u32 prog_ifindex, expected_attach_type");

    /** The BPF_MAP_CREATE member of {@code union bpf_attr}, up to {@code map_name} (48 bytes). */
    public static final StructLayout BPF_ATTR_MAP_CREATE = struct("bpf_attr_map_create",
            "u32 map_type, key_size, value_size, max_entries, map_flags, inner_map_fd, numa_node;"
                    + " u8 map_name[16]; u32 map_ifindex");

    /** The BPF_MAP_*_ELEM member of {@code union bpf_attr} (32 bytes). */
    public static final StructLayout BPF_ATTR_MAP_ELEM = struct("bpf_attr_map_elem",
            "u32 map_fd, pad; u64 key, value, flags");

    /** The BPF_PROG_TEST_RUN member of {@code union bpf_attr} (80 bytes). */
    public static final StructLayout BPF_ATTR_TEST_RUN = struct("bpf_attr_test_run",
            "u32 prog_fd, retval, data_size_in, data_size_out; u64 data_in, data_out;"
                    + " u32 repeat, duration, ctx_size_in, ctx_size_out; u64 ctx_in, ctx_out;"
                    + " u32 flags, cpu, batch_size, pad");

    /** The BPF_OBJ_GET_INFO_BY_FD member of {@code union bpf_attr} (16 bytes). */
    public static final StructLayout BPF_ATTR_INFO = struct("bpf_attr_info", "u32 bpf_fd, info_len; u64 info");

    /** The BPF_PROG_GET_FD_BY_ID member of {@code union bpf_attr} (12 bytes). */
    public static final StructLayout BPF_ATTR_GET_ID = struct("bpf_attr_get_id", "u32 prog_id, next_id, open_flags");

    /** The head of {@code struct bpf_prog_info}: its type and id (the kernel fills as much as info_len asks). */
    public static final StructLayout BPF_PROG_INFO_HEAD = struct("bpf_prog_info_head", "u32 type, id");

    /** {@code struct timeval} on 64-bit machines: SO_RCVTIMEO's value (16 bytes). */
    public static final StructLayout TIMEVAL = struct("timeval", "u64 tv_sec, tv_usec");

    /** {@code struct nlmsghdr}: the head of every netlink message (16 bytes). */
    public static final StructLayout NLMSGHDR = struct("nlmsghdr", "u32 nlmsg_len; u16 nlmsg_type, nlmsg_flags; u32 nlmsg_seq, nlmsg_pid");

    /** {@code struct ifinfomsg}: the interface an rtnetlink link request is about (16 bytes). */
    public static final StructLayout IFINFOMSG = struct("ifinfomsg",
            "u8 ifi_family, ifi_pad; u16 ifi_type; u32 ifi_index, ifi_flags, ifi_change");

    /** {@code struct genlmsghdr}: the command of a generic netlink message (4 bytes). */
    public static final StructLayout GENLMSGHDR = struct("genlmsghdr", "u8 cmd, version; u16 reserved");

    /** {@code struct nlattr}: an attribute's length and type, then its value padded to 4 bytes (4 bytes). */
    public static final StructLayout NLATTR = struct("nlattr", "u16 nla_len, nla_type");

    /** {@code struct sockaddr}: family and 14 bytes of address (16 bytes). */
    public static final StructLayout SOCKADDR = struct("sockaddr", "u16 sa_family; u8 sa_data[14]");

    /**
     * {@code struct ifreq} (40 bytes on 64-bit): the interface name, then a union of which
     * SIOCGIFFLAGS, SIOCGIFMTU, SIOCGIFHWADDR and SIOCETHTOOL each use one member. The union is as large as
     * its biggest member, {@code struct ifmap} (24 bytes), hence the padding arm.
     */
    public static final StructLayout IFREQ = struct("ifreq",
            "u8 ifr_name[" + LinuxConstants.IFNAMSIZ + "]",
            MemoryLayout.unionLayout(
                    SOCKADDR.withName("ifr_hwaddr"),
                    JAVA_SHORT.withName("ifr_flags"),
                    JAVA_INT.withName("ifr_mtu"),
                    ADDRESS.withName("ifr_data"),
                    MemoryLayout.paddingLayout(24)).withName("ifr_ifru"));

    /**
     * {@code struct epoll_event}: {@code u32 events} then {@code u64 data}. The kernel declares
     * it packed on x86_64 (12 bytes, data at offset 4) and naturally aligned elsewhere, e.g.
     * aarch64 (16 bytes, data at offset 8). Read {@code data} with an unaligned long layout.
     */
    public static final StructLayout EPOLL_EVENT = epollEvent(System.getProperty("os.arch"));

    /** The {@code epoll_event} layout of {@code arch} (a value of the {@code os.arch} property). */
    static StructLayout epollEvent(String arch) {
        if ("amd64".equals(arch) || "x86_64".equals(arch)) {
            return MemoryLayout.structLayout(
                    JAVA_INT.withName("events"),
                    JAVA_LONG.withByteAlignment(4).withName("data")).withName("epoll_event");
        }
        return MemoryLayout.structLayout(
                JAVA_INT.withName("events"),
                MemoryLayout.paddingLayout(4),
                JAVA_LONG.withName("data")).withName("epoll_event");
    }

    /**
     * {@code struct xdp_umem_reg}: the UMEM handed to XDP_UMEM_REG (32 bytes). Kernels before
     * 6.8 read the last word as padding, so a zero {@code tx_metadata_len} suits them all.
     */
    public static final StructLayout XDP_UMEM_REG = struct("xdp_umem_reg",
            "u64 addr, len; u32 chunk_size, headroom, flags, tx_metadata_len");

    /** {@code struct sockaddr_xdp}: what an AF_XDP socket binds to (16 bytes). */
    public static final StructLayout SOCKADDR_XDP = struct("sockaddr_xdp",
            "u16 sxdp_family, sxdp_flags; u32 sxdp_ifindex, sxdp_queue_id, sxdp_shared_umem_fd");

    /** {@code struct xdp_ring_offset}: where one ring's words and descriptors sit in its mapping (32 bytes). */
    public static final StructLayout XDP_RING_OFFSET = struct("xdp_ring_offset", "u64 producer, consumer, desc, flags");

    /** {@code struct xdp_mmap_offsets}: XDP_MMAP_OFFSETS, the four rings' offsets (128 bytes). */
    public static final StructLayout XDP_MMAP_OFFSETS = struct("xdp_mmap_offsets",
            XDP_RING_OFFSET.withName("rx"), XDP_RING_OFFSET.withName("tx"),
            XDP_RING_OFFSET.withName("fr"), XDP_RING_OFFSET.withName("cr"));

    /** {@code struct xdp_desc}: one RX or TX descriptor (16 bytes); fill and completion entries are a bare u64 address. */
    public static final StructLayout XDP_DESC = struct("xdp_desc", "u64 addr; u32 len, options");

    /** {@code struct xdp_statistics}: XDP_STATISTICS (48 bytes). */
    public static final StructLayout XDP_STATISTICS = struct("xdp_statistics",
            "u64 rx_dropped, rx_invalid_descs, tx_invalid_descs, rx_ring_full, rx_fill_ring_empty_descs,"
                    + " tx_ring_empty_descs");

    /** {@code struct xdp_options}: XDP_OPTIONS (4 bytes). */
    public static final StructLayout XDP_OPTIONS = struct("xdp_options", "u32 flags");

    /** {@code struct ethtool_drvinfo}: ETHTOOL_GDRVINFO, the driver's name and version (196 bytes). */
    public static final StructLayout ETHTOOL_DRVINFO = struct("ethtool_drvinfo",
            "u32 cmd; u8 driver[32], version[32], fw_version[32], bus_info[32], erom_version[32], reserved2[12];"
                    + " u32 n_priv_flags, n_stats, testinfo_len, eedump_len, regdump_len");

    /** {@code struct ethtool_channels}: ETHTOOL_GCHANNELS, the queue counts of a device (36 bytes). */
    public static final StructLayout ETHTOOL_CHANNELS = struct("ethtool_channels",
            "u32 cmd, max_rx, max_tx, max_other, max_combined, rx_count, tx_count, other_count, combined_count");

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
