package io.netring.internal.xdp;

import io.netring.InterfaceNotFoundException;
import io.netring.NetringException;
import io.netring.testing.NamespaceTest;
import io.netring.testing.Privileged;
import io.netring.xdp.XdpMode;
import io.netring.xdp.XdpStatistics;
import io.netring.xdp.XdpTx;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.*;

/** Opening AF_XDP sockets on a veth pair: the set-up, the refusals and their messages, closing. */
@Privileged
@Timeout(60)
class XskSocketIntegrationTest extends NamespaceTest {

    private XskConfig small(String ifName) {
        return XskConfig.of(ifName, 0).withFrames(2048, 64, 0).withRings(32, 32, 32, 32).withMode(XdpMode.COPY);
    }

    @Test
    void opensWithEveryRingAndSplitsTheFramesBetweenRxAndTx() throws Exception {
        ns.run(() -> {
            try (XskSocket s = XskSocket.open(small(ns.b))) {
                assertFalse(s.zeroCopy());
                assertEquals(0, s.queue());
                assertTrue(s.ifIndex() > 0);
                assertEquals(64, s.umem().frameCount());
                assertEquals(32, s.rx().size());
                assertEquals(32, s.tx().size());
                assertEquals(32, s.config().rxFrameCount(), "the first half goes to RX");
                assertEquals(32, s.config().txFirstFrame());
                // The fill ring holds the RX frames: it is full, so nothing more can be reserved.
                assertEquals(0, s.fill().reserve(1), "fill ring already holds the 32 RX frames");
                assertEquals(new XdpStatistics(0, 0, 0, 0, 0, 0), s.statistics());
                assertFalse(s.pollIn(Duration.ofMillis(10)), "nothing redirected to the socket without a program");
                assertEquals(0, new XskReceiver(s).take(16));
                assertTrue(s.kickTx(), "an empty TX ring kicks fine");
            }
        });
    }

    @Test
    void aMissingInterfaceIsInterfaceNotFound() throws Exception {
        ns.run(() -> {
            InterfaceNotFoundException e = assertThrows(InterfaceNotFoundException.class,
                    () -> XskSocket.open(small("nr-nosuch7")));
            assertEquals("nr-nosuch7", e.interfaceName());
            assertThrows(InterfaceNotFoundException.class,
                    () -> XdpTx.builder().interfaceName("nr-nosuch7").build());
        });
    }

    @Test
    void zeroCopyOnVethIsRefusedNamingTheDriver() throws Exception {
        ns.run(() -> {
            NetringException e = assertThrows(NetringException.class,
                    () -> XskSocket.open(small(ns.b).withMode(XdpMode.ZERO_COPY)));
            assertEquals("zero-copy AF_XDP is not supported by the driver of " + ns.b + " (veth) (EOPNOTSUPP"
                    + " (Operation not supported)); use XdpMode.COPY, or XdpMode.AUTO, which falls back to copy mode",
                    e.getMessage());
            try (XskSocket auto = XskSocket.open(small(ns.b).withMode(XdpMode.AUTO))) {
                assertFalse(auto.zeroCopy(), "AUTO fell back to copy mode");
            }
        });
    }

    @Test
    void aQueueOutOfRangeNamesTheQueueCount() throws Exception {
        ns.run(() -> {
            NetringException e = assertThrows(NetringException.class,
                    () -> XskSocket.open(XskConfig.of(ns.b, 5).withFrames(2048, 64, 0).withRings(32, 0, 64, 32)));
            assertEquals("queue 5 of " + ns.b + " does not exist: " + ns.b + " has 1 RX queue (queue 0)"
                    + " (EINVAL (Invalid argument)); see `ethtool -l " + ns.b + "`", e.getMessage());
        });
    }

    @Test
    void aSecondSocketOnTheSameQueueIsRefused() throws Exception {
        ns.run(() -> {
            try (XskSocket first = XskSocket.open(small(ns.b))) {
                NetringException e = assertThrows(NetringException.class, () -> XskSocket.open(small(ns.b)));
                assertEquals("queue 0 of " + ns.b + " already has an AF_XDP socket (EBUSY (Device or resource busy));"
                        + " close it first, or use another queue", e.getMessage());
            }
            // The refused socket undid everything, and closing the first frees the queue.
            try (XskSocket again = XskSocket.open(small(ns.b))) {
                assertEquals(0, again.queue());
            }
        });
    }

    @Test
    void aClosedSocketThrowsIllegalStateAndClosesOnce() throws Exception {
        ns.run(() -> {
            XskSocket s = XskSocket.open(small(ns.b));
            s.close();
            s.close();
            String closed = "XskSocket on " + ns.b + " queue 0 is closed";
            assertEquals(closed, assertThrows(IllegalStateException.class, s::fd).getMessage());
            assertEquals(closed, assertThrows(IllegalStateException.class, s::statistics).getMessage());
            assertEquals(closed, assertThrows(IllegalStateException.class, s::rx).getMessage());
            assertEquals(closed, assertThrows(IllegalStateException.class, () -> s.pollIn(Duration.ZERO)).getMessage());
            assertEquals(closed, assertThrows(IllegalStateException.class, s::kickTx).getMessage());
            assertEquals(closed, assertThrows(IllegalStateException.class, s::wakeUpRx).getMessage());
        });
    }

    @Test
    void deletingTheInterfaceMakesPollThrowInterfaceNotFound() throws Exception {
        ns.run(() -> {
            try (XskSocket s = XskSocket.open(small(ns.b))) {
                ns.ip("link", "del", ns.a);   // takes its peer ns.b with it
                InterfaceNotFoundException e = assertThrows(InterfaceNotFoundException.class,
                        () -> s.pollIn(Duration.ofMillis(100)));
                assertThrows(InterfaceNotFoundException.class, () -> s.pollIn(Duration.ZERO), "and on every later wait");
                assertEquals(ns.b, e.interfaceName());
            }
        });
    }

    /** Opens a socket and drops it unclosed. */
    private void leak(String ifName) throws NetringException {
        XskSocket.open(small(ifName));
    }

    @Test
    void aLeakedSocketIsClosedByTheCleanerAndFreesItsQueue() throws Exception {
        ns.run(() -> {
            leak(ns.b);
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            for (;;) {
                System.gc();
                try (XskSocket again = XskSocket.open(small(ns.b))) {
                    assertEquals(0, again.queue(), "the cleaner closed the leaked socket");
                    return;
                } catch (NetringException busy) {
                    if (System.nanoTime() - deadline > 0) {
                        throw busy;
                    }
                }
            }
        });
    }
}
