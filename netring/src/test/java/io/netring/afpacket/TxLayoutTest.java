package io.netring.afpacket;

import io.netring.internal.linux.KernelLayouts;
import org.junit.jupiter.api.Test;

import static io.netring.internal.linux.KernelLayouts.IFREQ;
import static io.netring.internal.linux.KernelLayouts.offset;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** TX frame offsets and ifreq against the kernel's headers (x86_64 / aarch64). */
class TxLayoutTest {

    @Test
    void v3FrameOffsets() {
        assertEquals(0, TxFrameLayout.V3.nextOffsetOffset());
        assertEquals(12, TxFrameLayout.V3.snaplenOffset());
        assertEquals(16, TxFrameLayout.V3.lenOffset());
        assertEquals(20, TxFrameLayout.V3.statusOffset());
        assertEquals(48, TxFrameLayout.V3.dataOffset(), "TPACKET3_HDRLEN - sizeof(sockaddr_ll)");
    }

    @Test
    void v2FrameOffsets() {
        assertEquals(0, TxFrameLayout.V2.statusOffset());
        assertEquals(4, TxFrameLayout.V2.lenOffset());
        assertEquals(8, TxFrameLayout.V2.snaplenOffset());
        assertEquals(-1, TxFrameLayout.V2.nextOffsetOffset());
        assertEquals(32, TxFrameLayout.V2.dataOffset(), "TPACKET2_HDRLEN - sizeof(sockaddr_ll)");
        assertEquals(48, TxFrameLayout.PORTABLE_DATA_OFFSET);
    }

    @Test
    void ifreq() {
        assertEquals(40, IFREQ.byteSize());
        assertEquals(16, offset(IFREQ, "ifr_ifru.ifr_mtu"));
        assertEquals(16, offset(IFREQ, "ifr_ifru.ifr_hwaddr.sa_family"));
        assertEquals(16, KernelLayouts.SOCKADDR.byteSize());
    }
}
