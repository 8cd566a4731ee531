package io.netring.internal.linux;

import org.junit.jupiter.api.Test;

import static io.netring.internal.linux.KernelLayouts.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Sizes and offsets of the kernel structs, against the values in linux/if_packet.h on 64-bit. */
class KernelLayoutsTest {

    @Test
    void structSizesMatchTheKernel() {
        assertEquals(48, TPACKET3_HDR.byteSize(), "tpacket3_hdr");
        assertEquals(48, TPACKET_BLOCK_DESC.byteSize(), "tpacket_block_desc");
        assertEquals(28, TPACKET_REQ3.byteSize(), "tpacket_req3");
        assertEquals(16, TPACKET_REQ.byteSize(), "tpacket_req");
        assertEquals(20, SOCKADDR_LL.byteSize(), "sockaddr_ll");
        assertEquals(12, TPACKET_STATS_V3.byteSize(), "tpacket_stats_v3");
        assertEquals(32, TPACKET2_HDR.byteSize(), "tpacket2_hdr");
        assertEquals(16, PACKET_MREQ.byteSize(), "packet_mreq");
        assertEquals(8, POLLFD.byteSize(), "pollfd");
        assertEquals(8, SOCK_FILTER.byteSize(), "sock_filter");
        assertEquals(16, SOCK_FPROG.byteSize(), "sock_fprog");
    }

    @Test
    void headerLengthsMatchTheKernelMacros() {
        assertEquals(68, TPACKET3_HDRLEN, "TPACKET3_HDRLEN");
        assertEquals(52, TPACKET2_HDRLEN, "TPACKET2_HDRLEN");
        assertEquals(48, TPACKET3_SOCKADDR_OFFSET);
    }

    @Test
    void tpacket3HeaderOffsets() {
        assertEquals(0, offset(TPACKET3_HDR, "tp_next_offset"));
        assertEquals(4, offset(TPACKET3_HDR, "tp_sec"));
        assertEquals(8, offset(TPACKET3_HDR, "tp_nsec"));
        assertEquals(12, offset(TPACKET3_HDR, "tp_snaplen"));
        assertEquals(16, offset(TPACKET3_HDR, "tp_len"));
        assertEquals(20, offset(TPACKET3_HDR, "tp_status"));
        assertEquals(24, offset(TPACKET3_HDR, "tp_mac"));
        assertEquals(26, offset(TPACKET3_HDR, "tp_net"));
        assertEquals(28, offset(TPACKET3_HDR, "hv1.tp_rxhash"));
        assertEquals(32, offset(TPACKET3_HDR, "hv1.tp_vlan_tci"));
        assertEquals(36, offset(TPACKET3_HDR, "hv1.tp_vlan_tpid"));
    }

    @Test
    void blockDescriptorOffsets() {
        assertEquals(0, offset(TPACKET_BLOCK_DESC, "version"));
        assertEquals(4, offset(TPACKET_BLOCK_DESC, "offset_to_priv"));
        assertEquals(8, offset(TPACKET_BLOCK_DESC, "hdr.block_status"));
        assertEquals(12, offset(TPACKET_BLOCK_DESC, "hdr.num_pkts"));
        assertEquals(16, offset(TPACKET_BLOCK_DESC, "hdr.offset_to_first_pkt"));
        assertEquals(20, offset(TPACKET_BLOCK_DESC, "hdr.blk_len"));
        assertEquals(24, offset(TPACKET_BLOCK_DESC, "hdr.seq_num"));
        assertEquals(32, offset(TPACKET_BLOCK_DESC, "hdr.ts_first_pkt.ts_sec"));
        assertEquals(36, offset(TPACKET_BLOCK_DESC, "hdr.ts_first_pkt.ts_nsec"));
        assertEquals(40, offset(TPACKET_BLOCK_DESC, "hdr.ts_last_pkt.ts_sec"));
    }

    @Test
    void requestAndAddressOffsets() {
        assertEquals(16, offset(TPACKET_REQ3, "tp_retire_blk_tov"));
        assertEquals(24, offset(TPACKET_REQ3, "tp_feature_req_word"));
        assertEquals(2, offset(SOCKADDR_LL, "sll_protocol"));
        assertEquals(4, offset(SOCKADDR_LL, "sll_ifindex"));
        assertEquals(10, offset(SOCKADDR_LL, "sll_pkttype"));
        assertEquals(12, offset(SOCKADDR_LL, "sll_addr"));
        assertEquals(8, offset(SOCK_FPROG, "filter"));
        assertEquals(8, offset(TPACKET_STATS_V3, "tp_freeze_q_cnt"));
    }
}
