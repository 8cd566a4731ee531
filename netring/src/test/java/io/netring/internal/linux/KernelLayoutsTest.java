package io.netring.internal.linux;

import org.junit.jupiter.api.Test;

import java.lang.foreign.StructLayout;

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
        assertOffsets(TPACKET3_HDR,
                "tp_next_offset", 0,
                "tp_sec", 4,
                "tp_nsec", 8,
                "tp_snaplen", 12,
                "tp_len", 16,
                "tp_status", 20,
                "tp_mac", 24,
                "tp_net", 26,
                "hv1.tp_rxhash", 28,
                "hv1.tp_vlan_tci", 32,
                "hv1.tp_vlan_tpid", 36);
    }

    @Test
    void blockDescriptorOffsets() {
        assertOffsets(TPACKET_BLOCK_DESC,
                "version", 0,
                "offset_to_priv", 4,
                "hdr.block_status", 8,
                "hdr.num_pkts", 12,
                "hdr.offset_to_first_pkt", 16,
                "hdr.blk_len", 20,
                "hdr.seq_num", 24,
                "hdr.ts_first_pkt.ts_sec", 32,
                "hdr.ts_first_pkt.ts_nsec", 36,
                "hdr.ts_last_pkt.ts_sec", 40);
    }

    @Test
    void requestAndAddressOffsets() {
        assertOffsets(TPACKET_REQ3,
                "tp_retire_blk_tov", 16,
                "tp_feature_req_word", 24);
        assertOffsets(SOCKADDR_LL,
                "sll_protocol", 2,
                "sll_ifindex", 4,
                "sll_pkttype", 10,
                "sll_addr", 12);
        assertOffsets(SOCK_FPROG,
                "filter", 8);
        assertOffsets(TPACKET_STATS_V3,
                "tp_freeze_q_cnt", 8);
    }

    /** Checks each field named in {@code fieldsAndOffsets} ("name", offset, ...) of {@code layout}. */
    private static void assertOffsets(StructLayout layout, Object... fieldsAndOffsets) {
        for (int i = 0; i < fieldsAndOffsets.length; i += 2) {
            String field = (String) fieldsAndOffsets[i];
            assertEquals(((Integer) fieldsAndOffsets[i + 1]).longValue(), offset(layout, field), layout.name().orElse("") + "." + field);
        }
    }
}
