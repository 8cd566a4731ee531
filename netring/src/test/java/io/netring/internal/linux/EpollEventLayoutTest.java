package io.netring.internal.linux;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@code struct epoll_event} is packed on x86_64 only. */
class EpollEventLayoutTest {

    @Test
    void x86_64IsPackedTwelveBytesWithDataAtFour() {
        for (String arch : new String[] {"amd64", "x86_64"}) {
            var layout = KernelLayouts.epollEvent(arch);
            assertEquals(12, layout.byteSize(), arch);
            assertEquals(0, KernelLayouts.offset(layout, "events"), arch);
            assertEquals(4, KernelLayouts.offset(layout, "data"), arch);
        }
    }

    @Test
    void aarch64IsNaturallyAlignedSixteenBytesWithDataAtEight() {
        var layout = KernelLayouts.epollEvent("aarch64");
        assertEquals(16, layout.byteSize());
        assertEquals(8, KernelLayouts.offset(layout, "data"));
    }

    @Test
    void theLayoutInUseMatchesThisMachine() {
        String arch = System.getProperty("os.arch");
        long expected = "amd64".equals(arch) || "x86_64".equals(arch) ? 12 : 16;
        assertEquals(expected, KernelLayouts.EPOLL_EVENT.byteSize());
    }
}
