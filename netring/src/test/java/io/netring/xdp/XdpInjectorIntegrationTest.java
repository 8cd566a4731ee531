package io.netring.xdp;

import io.netring.AfPacketRx;
import io.netring.Injector;
import io.netring.TxSlot;
import io.netring.testing.FrameCollector;
import io.netring.testing.FrameSender;
import io.netring.testing.NamespaceTest;
import io.netring.testing.Privileged;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Injector#over(XdpTx)}: the README's Injector code sending through an AF_XDP TX ring on
 * one veth end, slots filled in place in the UMEM; an AF_PACKET capture on the other end checks
 * every frame, in order and byte-exact.
 */
@Privileged
@Timeout(90)
class XdpInjectorIntegrationTest extends NamespaceTest {

    private XdpTx small(int frames) throws Exception {
        return XdpTx.builder().interfaceName(ns.a).queue(0).mode(XdpMode.COPY).frameSize(2048).frameCount(frames)
                .ringSize(64).build();
    }

    @Test
    void tenThousandFramesThroughSlotsCopiesAndDataSegments() throws Exception {
        int n = 10_000;
        ns.run(() -> {
            try (AfPacketRx rx = AfPacketRx.builder().interfaceName(ns.b).blockSize(1 << 18).blockCount(64)
                    .blockTimeout(Duration.ofMillis(5)).build();
                 Injector inj = Injector.over(small(128))) {
                CompletableFuture<List<byte[]>> received = CompletableFuture.supplyAsync(() -> {
                    try {
                        return FrameCollector.exactly(rx, n);
                    } catch (Exception e) {
                        throw new RuntimeException(e);
                    }
                });
                for (int i = 0; i < n; i++) {
                    byte[] frame = FrameSender.frame(i, 60 + i % 200);
                    switch (i % 3) {
                        case 0 -> {                                  // a slot: template copied, sequence patched
                            TxSlot slot = allocate(inj, frame.length);
                            slot.copyFrom(FrameSender.frame(0, frame.length)).putInt(14, i);
                            for (int k = 18; k < frame.length; k++) {
                                slot.write(k, new byte[] {frame[k]});
                            }
                            slot.send();
                        }
                        case 1 -> {                                  // a slot written through data()
                            TxSlot slot = allocate(inj, frame.length);
                            MemorySegment d = slot.data();
                            MemorySegment.copy(frame, 0, d, ValueLayout.JAVA_BYTE, 0, frame.length);
                            slot.send();
                        }
                        default -> {                                 // a copy
                            while (!inj.send(frame)) {
                                inj.flush();
                            }
                        }
                    }
                }
                assertTrue(inj.flushBlocking(Duration.ofSeconds(30)), "every frame completed");
                assertEquals(n, inj.framesSent());
                assertEquals(0, inj.framesSkipped());
                List<byte[]> got = received.get(60, TimeUnit.SECONDS);
                assertEquals(n, got.size());
                for (int i = 0; i < n; i++) {
                    assertArrayEquals(FrameSender.frame(i, 60 + i % 200), got.get(i), "frame " + i);
                }
                assertEquals(0, inj.unwrapXdp().stats().txInvalidDescs());
            }
        });
    }

    /** A slot, flushing while no UMEM frame or TX entry is free. */
    private static TxSlot allocate(Injector inj, int length) throws Exception {
        TxSlot slot = inj.allocate(length);
        while (slot == null) {
            inj.flush();
            slot = inj.allocate(length);
        }
        return slot;
    }

    @Test
    void misuseIsRefusedAsOnAfPacket() throws Exception {
        ns.run(() -> {
            Injector inj = Injector.over(small(8));
            IllegalArgumentException tooLong = assertThrows(IllegalArgumentException.class, () -> inj.allocate(4000));
            assertEquals("length=4000: must be in [1, 2048], frameSize 2048 minus headroom 0;"
                    + " raise frameSize for longer frames", tooLong.getMessage());
            IllegalStateException notPacket = assertThrows(IllegalStateException.class, inj::unwrap);
            assertTrue(notPacket.getMessage().startsWith("this Injector sends through AF_XDP (XdpTx["), notPacket.getMessage());
            assertTrue(notPacket.getMessage().endsWith("); use unwrapXdp()"), notPacket.getMessage());

            TxSlot slot = inj.allocate(64);
            slot.discard();
            assertEquals(1, inj.framesDiscarded());
            IllegalStateException used = assertThrows(IllegalStateException.class, slot::send);
            assertEquals("TxSlot already sent or discarded (or its sink closed); allocate a new one", used.getMessage());

            // 8 frames: 8 slots lent, the ninth finds none free
            TxSlot[] held = new TxSlot[8];
            for (int i = 0; i < 8; i++) {
                held[i] = inj.allocate(64);
            }
            assertNull(inj.allocate(64), "no frame left");
            assertFalse(inj.send(FrameSender.frame(1, 64)), "a copy finds no frame either");
            for (TxSlot s : held) {
                s.discard();
            }

            MemorySegment data = inj.allocate(64).data();
            inj.close();
            inj.close();        // idempotent
            IllegalStateException closed = assertThrows(IllegalStateException.class, () -> inj.allocate(64));
            assertEquals("XdpTx on " + ns.a + " queue 0 is closed", closed.getMessage());
            assertThrows(IllegalStateException.class, () -> data.get(ValueLayout.JAVA_BYTE, 0),
                    "a data() segment of the closing thread ends with the close");
            assertThrows(IllegalStateException.class, inj::flush);
        });
    }

    @Test
    void anAfPacketInjectorRefusesUnwrapXdp() throws Exception {
        ns.run(() -> {
            try (Injector inj = Injector.builder().interfaceName(ns.a).build()) {
                IllegalStateException e = assertThrows(IllegalStateException.class, inj::unwrapXdp);
                assertTrue(e.getMessage().startsWith("this Injector sends through an AF_PACKET TX ring ("), e.getMessage());
            }
        });
    }
}
