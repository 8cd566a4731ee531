package io.netring.internal.xdp;

import io.netring.internal.linux.Mmap;
import io.netring.xdp.XdpMode;
import io.netring.xdp.XdpTx;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import static org.junit.jupiter.api.Assertions.*;

/** Validation of an AF_XDP socket's configuration: the field, the value and the rule, before any system call. */
class XskConfigTest {
    private static final XskConfig OK = XskConfig.of("eth0", 0);

    private static void refused(String message, Executable make) {
        assertEquals(message, assertThrows(IllegalArgumentException.class, make).getMessage());
    }

    @Test
    void defaultsGiveEveryFrameToRx() {
        assertEquals(4096, OK.frameSize());
        assertEquals(4096, OK.frameCount());
        assertEquals(4096, OK.rxFrameCount());
        assertEquals(0, OK.txFrameCount());
        assertEquals(XdpMode.AUTO, OK.mode());
        assertTrue(OK.needWakeup());
        XskConfig both = OK.withRings(2048, 2048, 2048, 2048);
        assertEquals(2048, both.rxFrameCount());
        assertEquals(2048, both.txFirstFrame());
        assertEquals(2048, both.txFrameCount());
    }

    @Test
    void badValuesAreNamedWithTheirRule() {
        refused("interfaceName=null: an interface name is required, e.g. interfaceName(\"eth0\")",
                () -> XskConfig.of(null, 0));
        refused("interfaceName=\"abcdefghijklmnop\": must be at most 15 bytes (IFNAMSIZ)",
                () -> XskConfig.of("abcdefghijklmnop", 0));
        refused("queue=-1: must be 0 or more (a queue id of the interface)", () -> XskConfig.of("eth0", -1));
        refused("frameSize=3000: must be a power of two in [2048, " + Mmap.PAGE_SIZE + "] (the page size)",
                () -> OK.withFrames(3000, 16, 0));
        refused("frameSize=1024: must be a power of two in [2048, " + Mmap.PAGE_SIZE + "] (the page size)",
                () -> OK.withFrames(1024, 16, 0));
        refused("frameCount=0: must be in [1, 1048576]", () -> OK.withFrames(2048, 0, 0));
        refused("frameCount=1: must be in [2, 1048576] (RX and TX each get half of the frames)",
                () -> OK.withFrames(2048, 16, 0).withRings(16, 16, 16, 16).withFrames(2048, 1, 0));
        refused("headroom=1792: must be in [0, 1792): frameSize 2048 minus the kernel's own 256 bytes"
                + " (XDP_PACKET_HEADROOM)", () -> OK.withFrames(2048, 16, 1792));
        refused("rxRingSize=100: must be a power of two in [1, 1048576], or 0 for no such ring",
                () -> OK.withRings(100, 0, 4096, 16));
        refused("rxRingSize=0 and txRingSize=0: a socket needs an RX ring, a TX ring or both",
                () -> OK.withRings(0, 0, 16, 16));
        refused("completionRingSize=0: must be a power of two in [1, 1048576]",
                () -> OK.withRings(16, 0, 4096, 0));
        refused("fillRingSize=1024: must hold the 4096 frames given to RX at open (frameCount 4096)",
                () -> OK.withRings(16, 0, 1024, 16));
        refused("fillRingSize=1024: must hold the 2048 frames given to RX at open (frameCount 4096, half of it"
                + " with a TX ring)", () -> OK.withRings(16, 16, 1024, 16));
        refused("busyPollMicros=-5: must be 0 (off) or more", () -> OK.withBusyPoll(-5, 0, false));
        refused("busyPollBudget=70000: must be in [0, 65535] (0: the kernel's default)",
                () -> OK.withBusyPoll(50, 70000, true));
        assertThrows(NullPointerException.class, () -> OK.withMode(null));
    }

    @Test
    void theTxBuilderChecksBeforeAnySystemCall() {
        refused("ringSize=3: must be a power of two in [1, 1048576]",
                () -> XdpTx.builder().interfaceName("nr-nosuch9").ringSize(3).build());
        refused("frameSize=100: must be a power of two in [2048, " + Mmap.PAGE_SIZE + "] (the page size)",
                () -> XdpTx.builder().interfaceName("nr-nosuch9").frameSize(100).build());
        refused("interfaceName=null: an interface name is required, e.g. interfaceName(\"eth0\")",
                () -> XdpTx.builder().build());
        refused("mode=null: one of [AUTO, COPY, ZERO_COPY]",
                () -> XdpTx.builder().interfaceName("nr-nosuch9").mode(null).build());
    }
}
