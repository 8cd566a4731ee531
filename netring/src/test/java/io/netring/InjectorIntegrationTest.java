package io.netring;

import io.netring.afpacket.TxConfig;
import io.netring.testing.FrameCollector;
import io.netring.testing.FrameSender;
import io.netring.testing.NamespaceTest;
import io.netring.testing.Privileged;
import io.netring.testing.TestRings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.*;

/** The transmit path against the real kernel: inject on one end of a veth pair, capture on the other. */
@Privileged
@Timeout(60)
class InjectorIntegrationTest extends NamespaceTest {
    /** How long the kernel may take to send what was queued, on a loaded machine. */
    private static final Duration FLUSH_DEADLINE = Duration.ofSeconds(30);

    /** Frames are sent before they are read: room for each in a block of its own. */
    private AfPacketRx capture() throws NetringException {
        return AfPacketRx.builder().interfaceName(ns.b).blockSize(TestRings.BLOCK_SIZE)
                .blockCount(TestRings.blocksFor(500)).blockTimeout(Duration.ofMillis(5)).build();
    }

    private InjectorBuilder injector() {
        return Injector.builder().interfaceName(ns.a).frameCount(64);
    }

    private interface InjectorTest {
        void run(Injector inj) throws Exception;
    }

    /** Runs {@code test} in the namespace with an injector of the default shape, closed after. */
    private void withInjector(InjectorTest test) throws Exception {
        ns.run(() -> {
            try (Injector inj = injector().build()) {
                test.run(inj);
            }
        });
    }

    private interface HeldSlotTest {
        void run(Injector inj, TxSlot held, MemorySegment data) throws Exception;
    }

    /** In the namespace: an injector with one slot held and that slot's data; closing it is the test's job. */
    private void withHeldSlot(HeldSlotTest test) throws Exception {
        ns.run(() -> {
            Injector inj = injector().build();
            TxSlot held = inj.allocate(64);
            test.run(inj, held, held.data());
        });
    }

    private static List<Integer> range(int from, int to) {
        return IntStream.range(from, to).boxed().toList();
    }

    /** Sends frame {@code seq} through a slot, writing either through data() or copyFrom(). */
    private static boolean sendViaSlot(PacketSink sink, int seq, int size, boolean viaData) throws NetringException {
        TxSlot slot = sink.allocate(size);
        if (slot == null) {
            return false;
        }
        byte[] frame = FrameSender.frame(seq, size);
        if (viaData) {
            MemorySegment.copy(frame, 0, slot.data(), ValueLayout.JAVA_BYTE, 0, size);
        } else {
            slot.copyFrom(frame);
        }
        slot.send();
        return true;
    }

    @Test
    void framesSentThroughSlotsArriveInOrderAndByteExact() throws Exception {
        int n = 500;
        ns.run(() -> {
            try (AfPacketRx rx = capture(); Injector inj = injector().build()) {
                assertEquals(3, inj.unwrap().tpacketVersion(), "this kernel has V3 TX rings");
                for (int i = 0; i < n; i++) {
                    int size = 60 + i % 300;
                    while (!sendViaSlot(inj, i, size, i % 2 == 0)) {
                        inj.flush();
                    }
                    if (i % 16 == 15) {
                        inj.flush();
                    }
                }
                assertTrue(inj.flushBlocking(FLUSH_DEADLINE), "ring drained");
                assertEquals(n, inj.framesSent());
                FrameCollector.assertFrames(rx, n, i -> FrameSender.frame(i, 60 + i % 300));
            }
        });
    }

    @Test
    void fullRingAllocatesNullAndFlushFreesSlotsWithoutLossOrDuplicates() throws Exception {
        ns.run(() -> {
            try (AfPacketRx rx = capture(); Injector inj = injector().frameCount(8).build()) {
                int frames = inj.unwrap().frameCount();
                int seq = 0;
                for (int lap = 0; lap < 3; lap++) {
                    for (int i = 0; i < frames; i++) {
                        assertTrue(sendViaSlot(inj, seq++, 100, false), "frame " + i + " of lap " + lap);
                    }
                    assertNull(inj.allocate(100), "ring full: every frame queued");
                    assertNull(inj.allocate(100), "still full, and still not blocking");
                    int handed = inj.flush();
                    assertEquals(frames, handed, "flush hands every queued frame over");
                    assertTrue(inj.flushBlocking(FLUSH_DEADLINE));
                }
                assertTrue(sendViaSlot(inj, seq++, 100, true), "free again after the flush");
                inj.flushBlocking(FLUSH_DEADLINE);
                List<byte[]> got = FrameCollector.exactly(rx, seq);
                assertEquals(range(0, seq), FrameCollector.sequences(got), "each frame exactly once, in order");
            }
        });
    }

    @Test
    void discardedSlotsAreNeverSent() throws Exception {
        ns.run(() -> {
            try (AfPacketRx rx = capture(); Injector inj = injector().frameCount(8).build()) {
                sendViaSlot(inj, 0, 80, false);
                TxSlot dropped = inj.allocate(80);
                dropped.copyFrom(FrameSender.frame(1, 80));
                dropped.discard();
                sendViaSlot(inj, 2, 80, false);
                // out of order: the later slot is sent while the earlier one is still held
                TxSlot early = inj.allocate(80);
                early.copyFrom(FrameSender.frame(3, 80));
                assertTrue(sendViaSlot(inj, 4, 80, true));
                assertFalse(inj.flushBlocking(Duration.ofMillis(200)), "frame 4 waits behind the held slot");
                early.discard();
                // laps over the discarded frames: they must come back as free frames
                for (int seq = 5; seq < 25; seq++) {
                    while (!sendViaSlot(inj, seq, 80, false)) {
                        inj.flush();
                    }
                }
                assertTrue(inj.flushBlocking(FLUSH_DEADLINE));
                assertEquals(2, inj.framesDiscarded());
                List<Integer> want = new ArrayList<>(List.of(0, 2, 4));
                want.addAll(range(5, 25));
                assertEquals(want, FrameCollector.sequences(FrameCollector.exactly(rx, want.size())));
            }
        });
    }

    @Test
    void aSlotUsedAfterSendOrDiscardThrows() throws Exception {
        withInjector(inj -> {
            TxSlot slot = inj.allocate(64);
            MemorySegment data = slot.data();
            data.fill((byte) 1);
            slot.send();
            assertThrows(IllegalStateException.class, slot::send);
            assertThrows(IllegalStateException.class, slot::discard);
            assertThrows(IllegalStateException.class, slot::data);
            assertThrows(IllegalStateException.class, () -> slot.length(60));
            assertThrows(IllegalStateException.class, () -> slot.copyFrom(new byte[64]));
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> data.get(ValueLayout.JAVA_BYTE, 0));
            assertTrue(e.getMessage().contains("closed"), e.getMessage());
            TxSlot other = inj.allocate(64);
            other.discard();
            assertThrows(IllegalStateException.class, other::send);
            assertThrows(IllegalStateException.class, other::discard);
            assertFalse(other.isHeld());
        });
    }

    @Test
    void aTemplatePatchedWithPutIntGoesOutWithEachSequenceNumber() throws Exception {
        int n = 200;
        ns.run(() -> {
            try (AfPacketRx rx = capture(); Injector inj = injector().build()) {
                byte[] template = FrameSender.frame(0, 90);
                for (int seq = 0; seq < n; seq++) {
                    TxSlot slot;
                    while ((slot = inj.allocate(template.length)) == null) {
                        inj.flush();
                    }
                    slot.copyFrom(template).putInt(14, seq).putShort(88, (short) 0x0102).send();
                }
                assertTrue(inj.flushBlocking(FLUSH_DEADLINE));
                List<byte[]> got = FrameCollector.exactly(rx, n);
                assertEquals(range(0, n), FrameCollector.sequences(got), "each patched sequence number, in order");
                byte[] last = got.get(n - 1);
                assertEquals(0x01, last[88]);
                assertEquals(0x02, last[89]);
                assertArrayEquals(Arrays.copyOfRange(template, 18, 88), Arrays.copyOfRange(last, 18, 88), "the rest is the template");
            }
        });
    }

    @Test
    void theKernelIsToldTheEtherTypeTheFrameCarriesAfterAPatch() throws Exception {
        // The kick names the queued frames' common EtherType; a slot remembers it from the copy
        // and must forget it when the field is written over. The sender's own outgoing tap
        // shows what the kernel was told (skb->protocol).
        ns.run(() -> {
            try (AfPacketRx out = AfPacketRx.builder().interfaceName(ns.a).blockSize(1 << 16).blockCount(4)
                    .blockTimeout(Duration.ofMillis(5)).build();
                 Injector inj = injector().build()) {
                byte[] template = FrameSender.frame(0, 64);                    // EtherType 0x88B5
                // One frame per kick, so each kick names that frame's EtherType alone.
                inj.allocate(64).copyFrom(template).send();
                assertTrue(inj.flushBlocking(FLUSH_DEADLINE));
                inj.allocate(64).copyFrom(template).putShort(12, (short) 0x88B6).send();
                assertTrue(inj.flushBlocking(FLUSH_DEADLINE));
                inj.allocate(64).copyFrom(template).putInt(10, 0x000188B6).send();
                assertTrue(inj.flushBlocking(FLUSH_DEADLINE));
                inj.allocate(64).copyFrom(template).write(12, new byte[] {(byte) 0x88, (byte) 0xB6}).send();
                assertTrue(inj.flushBlocking(FLUSH_DEADLINE));
                List<Integer> told = new ArrayList<>();
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (told.size() < 4 && System.nanoTime() < deadline) {
                    try (PacketBatch batch = out.nextBatchBlocking(Duration.ofMillis(100))) {
                        if (batch != null) {
                            batch.dispatch(v -> {
                                int type = v.shortAt(12) & 0xFFFF;
                                if (type == 0x88B5 || type == 0x88B6) {
                                    assertEquals(type, v.protocol(), "skb->protocol matches the frame's EtherType");
                                    told.add(v.protocol());
                                }
                            });
                        }
                    }
                }
                assertEquals(List.of(0x88B5, 0x88B6, 0x88B6, 0x88B6), told);
            }
        });
    }

    @Test
    void fieldWritesOutsideTheFrameThrowAndEndWithTheSlot() throws Exception {
        withInjector(inj -> {
            TxSlot slot = inj.allocate(64);
            int capacity = slot.capacity();
            IndexOutOfBoundsException past = assertThrows(IndexOutOfBoundsException.class,
                    () -> slot.putInt(capacity - 3, 1));
            assertEquals("bytes " + (capacity - 3) + ".." + capacity + " outside the frame's " + capacity + " bytes",
                    past.getMessage());
            assertThrows(IndexOutOfBoundsException.class, () -> slot.putShort(-1, (short) 1));
            slot.putShort(capacity - 2, (short) 1);    // the last two bytes are inside
            slot.discard();
            assertThrows(IllegalStateException.class, () -> slot.putInt(14, 1));
        });
    }

    @Test
    void closeFromAnotherThreadMakesTheProducersNextCallThrow() throws Exception {
        ns.run(() -> {
            Injector inj = injector().build();
            TxSlot slot = inj.allocate(64);
            slot.copyFrom(new byte[64]);
            Thread closer = Thread.ofPlatform().start(inj::close);
            closer.join();
            // No data() segment is out, so nothing held the ring: it is gone, and every path
            // that would touch it says so instead of reaching unmapped memory.
            String closed = "AfPacketTx on " + ns.a + " is closed";
            assertEquals(closed, assertThrows(IllegalStateException.class, () -> slot.copyFrom(new byte[64])).getMessage());
            assertEquals(closed, assertThrows(IllegalStateException.class, () -> slot.putInt(14, 1)).getMessage());
            assertEquals(closed, assertThrows(IllegalStateException.class, slot::send).getMessage());
            assertEquals(closed, assertThrows(IllegalStateException.class, () -> inj.allocate(64)).getMessage());
            assertThrows(IllegalStateException.class, inj::flush);
        });
    }

    @Test
    void badLengthsAreRejectedNamingTheLimit() throws Exception {
        ns.run(() -> {
            try (Injector inj = injector().frameSize(256).build()) {
                int capacity = 256 - 48;
                for (int bad : new int[] {0, -1, 13, capacity + 1, Integer.MAX_VALUE}) {
                    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> inj.allocate(bad));
                    assertTrue(e.getMessage().startsWith("length=" + bad + ": must be in [14, " + capacity + "]"),
                            e.getMessage());
                }
                TxSlot slot = inj.allocate(capacity);
                assertEquals(capacity, slot.capacity());
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> slot.length(capacity + 1));
                assertTrue(e.getMessage().contains(String.valueOf(capacity)), e.getMessage());
                assertThrows(IllegalArgumentException.class, () -> slot.copyFrom(new byte[capacity + 1]));
                assertThrows(IllegalArgumentException.class, () -> slot.write(capacity - 1, new byte[2]));
                // offset + length would overflow to a negative sum and pass a naive check.
                IllegalArgumentException huge = assertThrows(IllegalArgumentException.class,
                        () -> slot.write(Long.MAX_VALUE, new byte[2]));
                assertEquals("offset=" + Long.MAX_VALUE + ", frame.length=2: must fit in the frame's " + capacity
                        + " bytes", huge.getMessage());
                assertThrows(IllegalArgumentException.class, () -> slot.write(Long.MAX_VALUE - 1, new byte[2]));
                assertThrows(IllegalArgumentException.class, () -> slot.write(-1, new byte[2]));
                slot.write(capacity - 2, new byte[2]);
                assertThrows(IllegalArgumentException.class, () -> inj.send(new byte[capacity + 1]));
                assertTrue(slot.isHeld(), "a rejected length leaves the slot usable");
                slot.discard();
            }
        });
    }

    @Test
    void frameAboveTheMtuThrowsNamingLengthAndMtuAndLaterFramesStillGo() throws Exception {
        ns.run(() -> {
            try (AfPacketRx rx = capture(); Injector inj = injector().build()) {
                assertEquals(1500, inj.unwrap().mtu());
                sendViaSlot(inj, 0, 100, false);
                FrameTooLongException e = assertThrows(FrameTooLongException.class, () -> sendViaSlot(inj, 1, 1600, true));
                assertEquals(1600, e.frameLength());
                assertEquals(1500, e.mtu());
                assertEquals(1514, e.limit());
                assertTrue(e.getMessage().contains("1600 bytes") && e.getMessage().contains("MTU 1500"), e.getMessage());
                assertTrue(sendViaSlot(inj, 2, 1514, false), "exactly MTU + Ethernet header fits");
                sendViaSlot(inj, 3, 100, false);
                assertTrue(inj.flushBlocking(FLUSH_DEADLINE));
                assertEquals(1, inj.framesSkipped());
                assertEquals(List.of(0, 2, 3), FrameCollector.sequences(FrameCollector.exactly(rx, 3)));
            }
        });
    }

    @Test
    void lossyModeSkipsFramesAboveTheMtu() throws Exception {
        ns.run(() -> {
            try (AfPacketRx rx = capture(); Injector inj = injector().lossy(true).build()) {
                for (int seq = 0; seq < 6; seq++) {
                    assertTrue(inj.send(FrameSender.frame(seq, seq % 3 == 1 ? 1800 : 200)));
                }
                assertTrue(inj.flushBlocking(FLUSH_DEADLINE));
                assertEquals(2, inj.framesSkipped());
                assertEquals(4, inj.framesSent());
                assertEquals(List.of(0, 2, 3, 5), FrameCollector.sequences(FrameCollector.exactly(rx, 4)));
            }
        });
    }

    @Test
    void mtuLoweredAfterOpenIsCaughtWhenTheKernelSkipsTheFrame() throws Exception {
        ns.run(() -> {
            try (AfPacketRx rx = capture(); Injector inj = injector().build()) {
                ns.ip("link", "set", ns.a, "mtu", "1000");
                sendViaSlot(inj, 0, 100, false);
                sendViaSlot(inj, 1, 1200, false);   // passes the MTU read at open, the kernel skips it
                sendViaSlot(inj, 2, 100, false);
                FrameTooLongException e = assertThrows(FrameTooLongException.class, inj::flush);
                assertEquals(1200, e.frameLength());
                assertEquals(1000, e.mtu());
                assertEquals(1000, inj.unwrap().mtu(), "the MTU was read again");
                assertThrows(FrameTooLongException.class, () -> sendViaSlot(inj, 3, 1200, false), "now checked at send()");
                sendViaSlot(inj, 4, 100, false);
                assertTrue(inj.flushBlocking(FLUSH_DEADLINE));
                assertEquals(3, inj.framesSent());
                assertEquals(2, inj.framesSkipped());
                assertEquals(List.of(0, 2, 4), FrameCollector.sequences(FrameCollector.exactly(rx, 3)));
            }
        });
    }

    @Test
    void vlanTaggedFrameMayExceedTheLimitByTheTag() throws Exception {
        withInjector(inj -> {
            byte[] tagged = new byte[1518];
            tagged[12] = (byte) 0x81;      // EtherType 0x8100: an 802.1Q tag follows
            tagged[13] = 0x00;
            assertTrue(inj.send(tagged));
            assertThrows(FrameTooLongException.class, () -> inj.send(new byte[1518]), "untagged: 4 bytes too long");
            assertTrue(inj.flushBlocking(FLUSH_DEADLINE));
            assertEquals(1, inj.framesSent());
        });
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void bothQdiscModesDeliver(boolean bypass) throws Exception {
        int n = 200;
        ns.run(() -> {
            try (AfPacketRx rx = capture(); Injector inj = injector().qdiscBypass(bypass).build()) {
                for (int i = 0; i < n; i++) {
                    while (!inj.send(FrameSender.frame(i, 64))) {
                        inj.flushBlocking(Duration.ofMillis(10));
                    }
                }
                assertTrue(inj.flushBlocking(FLUSH_DEADLINE));
                assertEquals(range(0, n), FrameCollector.sequences(FrameCollector.exactly(rx, n)));
            }
        });
    }

    @Test
    void tpacketV2FallbackBehavesTheSame() throws Exception {
        ns.run(() -> {
            TxConfig config = Injector.builder().interfaceName(ns.a).frameCount(8).config().withV2Only();
            try (AfPacketRx rx = capture(); AfPacketTx tx = AfPacketTx.open(config)) {
                assertEquals(2, tx.tpacketVersion());
                int seq = 0;
                List<Integer> want = new ArrayList<>();
                for (int i = 0; i < 30; i++, seq++) {
                    TxSlot slot = tx.allocate(120);
                    if (slot == null) {
                        tx.flushBlocking(FLUSH_DEADLINE);
                        slot = tx.allocate(120);
                    }
                    slot.copyFrom(FrameSender.frame(seq, 120));
                    if (i % 7 == 3) {
                        slot.discard();
                    } else {
                        slot.send();
                        want.add(seq);
                    }
                }
                assertThrows(FrameTooLongException.class, () -> tx.send(FrameSender.frame(99, 1600)));
                assertTrue(tx.send(FrameSender.frame(seq, 120)));
                want.add(seq);
                assertTrue(tx.flushBlocking(FLUSH_DEADLINE));
                assertEquals(want, FrameCollector.sequences(FrameCollector.exactly(rx, want.size())));
            }
        });
    }

    @Test
    void closedHandlesThrowIllegalStateException() throws Exception {
        withHeldSlot((inj, held, data) -> {
            inj.close();
            inj.close(); // idempotent
            assertThrows(IllegalStateException.class, () -> inj.allocate(64));
            assertThrows(IllegalStateException.class, inj::flush);
            assertThrows(IllegalStateException.class, () -> inj.flushBlocking(Duration.ZERO));
            assertThrows(IllegalStateException.class, () -> inj.send(new byte[64]));
            assertThrows(IllegalStateException.class, inj::fd);
            assertThrows(IllegalStateException.class, held::send, "the slot ended with the close");
            assertThrows(IllegalStateException.class, () -> data.get(ValueLayout.JAVA_BYTE, 0));
            assertTrue(inj.unwrap().isClosed());
        });
    }

    @Test
    void closeFromAnotherThreadKeepsTheRingUntilItsSlotIsDone() throws Exception {
        withHeldSlot((inj, held, data) -> {
            Thread closer = Thread.ofPlatform().start(inj::close);
            closer.join();
            data.fill((byte) 7);                // still mapped: the slot holds the ring
            assertThrows(IllegalStateException.class, held::send);
            assertThrows(IllegalStateException.class, () -> data.get(ValueLayout.JAVA_BYTE, 0));
        });
    }

    @Test
    void unknownInterfaceIsReported() {
        InterfaceNotFoundException e = assertThrows(InterfaceNotFoundException.class,
                () -> ns.run(() -> Injector.open("nosuch0").close()));
        assertEquals("nosuch0", e.interfaceName());
    }
}
