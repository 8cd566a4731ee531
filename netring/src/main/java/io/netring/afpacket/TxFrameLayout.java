package io.netring.afpacket;

import io.netring.internal.linux.KernelLayouts;

import static io.netring.internal.linux.KernelLayouts.SOCKADDR_LL;
import static io.netring.internal.linux.KernelLayouts.TPACKET2_HDR;
import static io.netring.internal.linux.KernelLayouts.TPACKET3_HDR;
import static io.netring.internal.linux.KernelLayouts.offset;
import static io.netring.internal.linux.LinuxConstants.TPACKET_V2;
import static io.netring.internal.linux.LinuxConstants.TPACKET_V3;

/**
 * Where the fields of one TX frame lie, for the two header versions a TX ring can use.
 *
 * <pre>
 *  frame (frameSize bytes; frames never straddle a block)
 *  +-----------------------------+ 0
 *  | tpacket3_hdr (48)           |  V3: tp_next_offset (must be 0), tp_len, tp_snaplen, tp_status
 *  |   or tpacket2_hdr (32)      |  V2: tp_status first, then tp_len, tp_snaplen
 *  +-----------------------------+ DATA_OFFSET = TPACKET{3,2}_HDRLEN - sizeof(sockaddr_ll)
 *  | frame bytes, from the       |  48 under V3, 32 under V2 (the kernel reads here unless
 *  | link-layer header on        |  PACKET_TX_HAS_OFF is set, which netring does not use)
 *  +-----------------------------+ frameSize
 * </pre>
 *
 * @param version TPACKET_V3 or TPACKET_V2
 * @param nextOffsetOffset tp_next_offset, or -1 under V2 (which has none)
 */
public record TxFrameLayout(int version, long statusOffset, long lenOffset, long snaplenOffset,
                            long nextOffsetOffset, long dataOffset) {

    /** TPACKET_V3 frames (Linux 4.11 and newer). */
    public static final TxFrameLayout V3 = new TxFrameLayout(TPACKET_V3,
            offset(TPACKET3_HDR, "tp_status"),
            offset(TPACKET3_HDR, "tp_len"),
            offset(TPACKET3_HDR, "tp_snaplen"),
            offset(TPACKET3_HDR, "tp_next_offset"),
            KernelLayouts.TPACKET3_HDRLEN - SOCKADDR_LL.byteSize());

    /** TPACKET_V2 frames: the fallback for kernels without V3 TX rings. */
    public static final TxFrameLayout V2 = new TxFrameLayout(TPACKET_V2,
            offset(TPACKET2_HDR, "tp_status"),
            offset(TPACKET2_HDR, "tp_len"),
            offset(TPACKET2_HDR, "tp_snaplen"),
            -1,
            KernelLayouts.TPACKET2_HDRLEN - SOCKADDR_LL.byteSize());

    /**
     * The data offset users are promised whatever version the kernel grants: the larger (V3)
     * one, so a frame that fits on one kernel fits on every kernel.
     */
    public static final long PORTABLE_DATA_OFFSET = Math.max(V3.dataOffset, V2.dataOffset);

    /** "TPACKET_V3" or "TPACKET_V2", for messages and logs. */
    public String versionName() {
        return version == TPACKET_V3 ? "TPACKET_V3" : "TPACKET_V2";
    }
}
