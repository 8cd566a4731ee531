package io.netring.afpacket;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

import static io.netring.internal.linux.LinuxConstants.TP_STATUS_AVAILABLE;
import static io.netring.internal.linux.LinuxConstants.TP_STATUS_SENDING;
import static io.netring.internal.linux.LinuxConstants.TP_STATUS_SEND_REQUEST;
import static io.netring.internal.linux.LinuxConstants.TP_STATUS_WRONG_FORMAT;
import static org.junit.jupiter.api.Assertions.*;

/** The TX ring's bookkeeping against a simulated kernel that follows af_packet's TX rules. */
class TxRingTest {
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;

    /**
     * Plays the kernel's tpacket_snd: from its own cursor, takes frames while they are
     * SEND_REQUEST; a malformed one is skipped with PACKET_LOSS, else marked WRONG_FORMAT and the
     * walk stops there for good. Addresses frames with its own arithmetic, not the ring's.
     */
    static final class FakeKernel {
        final TxRing ring;
        final MemorySegment mem;
        final TxFrameLayout layout;
        final TxGeometry g;
        final boolean loss;
        final int sizeMax;
        int head;
        final List<Integer> sentLengths = new ArrayList<>();
        final List<Integer> inFlight = new ArrayList<>();

        FakeKernel(TxRing ring, TxFrameLayout layout, TxGeometry g, boolean loss) {
            this.ring = ring;
            this.mem = ring.frames();
            this.layout = layout;
            this.g = g;
            this.loss = loss;
            this.sizeMax = g.frameSize() - (int) layout.dataOffset();
        }

        long frame(int i) {
            return (long) (i / g.framesPerBlock()) * g.blockSize() + (long) (i % g.framesPerBlock()) * g.frameSize();
        }

        /** One kick; {@code completeNow} false leaves taken frames SENDING (a slow device). */
        long kick(boolean completeNow) {
            long bytes = 0;
            for (;;) {
                long f = frame(head);
                if (mem.get(INT, f + layout.statusOffset()) != TP_STATUS_SEND_REQUEST) {
                    return bytes;
                }
                int len = mem.get(INT, f + layout.lenOffset());
                boolean bad = (layout.nextOffsetOffset() >= 0 && mem.get(INT, f + layout.nextOffsetOffset()) != 0)
                        || len > sizeMax || len < 0;
                if (bad && !loss) {
                    mem.set(INT, f + layout.statusOffset(), TP_STATUS_WRONG_FORMAT);
                    return bytes;
                }
                if (bad) {
                    mem.set(INT, f + layout.statusOffset(), TP_STATUS_AVAILABLE);
                } else {
                    sentLengths.add(len);
                    bytes += len;
                    if (completeNow) {
                        mem.set(INT, f + layout.statusOffset(), TP_STATUS_AVAILABLE);
                    } else {
                        mem.set(INT, f + layout.statusOffset(), TP_STATUS_SENDING);
                        inFlight.add(head);
                    }
                }
                head = (head + 1) % g.frameCount();
            }
        }

        void completeAll() {
            for (int i : inFlight) {
                mem.set(INT, frame(i) + layout.statusOffset(), TP_STATUS_AVAILABLE);
            }
            inFlight.clear();
        }
    }

    private final Arena arena = Arena.ofAuto();

    private TxRing ring(TxGeometry g, TxFrameLayout layout) {
        return new TxRing(arena.allocate(g.totalBytes(), 16), layout, g);
    }

    /** Queues a discarded frame, then a 64-byte frame behind it. */
    private static void queueDiscardedThen64Bytes(TxRing r) {
        int a = r.tryAllocate();
        int b = r.tryAllocate();
        r.poison(a);
        r.submit(b, 64);
    }

    /** A ring of {@code frames} frames of {@code frameSize} bytes, and the kernel that serves it. */
    private FakeKernel kernel(int frameSize, int frames, TxFrameLayout layout, boolean loss) {
        TxGeometry g = TxGeometry.validate(frameSize, frames, 0);
        return new FakeKernel(ring(g, layout), layout, g, loss);
    }

    @Test
    void framesNeverStraddleBlocks() {
        TxGeometry g = TxGeometry.validate(1536, 5, 0);
        assertEquals(4096, g.blockSize());
        assertEquals(2, g.framesPerBlock());
        assertEquals(6, g.frameCount(), "rounded up to whole blocks");
        TxRing r = ring(g, TxFrameLayout.V3);
        assertEquals(0, r.frameOffset(0));
        assertEquals(1536, r.frameOffset(1));
        assertEquals(4096, r.frameOffset(2));
        assertEquals(4096 + 1536 + 48, r.dataOffset(3));
        TxGeometry jumbo = TxGeometry.validate(9280, 4, 0);
        assertEquals(16384, jumbo.blockSize());
        assertEquals(1, jumbo.framesPerBlock());
        assertEquals(9280 - 48, jumbo.frameCapacity());
    }

    @Test
    void fullRingReturnsMinusOneUntilTheKernelTookAndFinishedFrames() {
        FakeKernel k = kernel(2048, 4, TxFrameLayout.V3, true);
        TxRing r = k.ring;
        for (int i = 0; i < 4; i++) {
            int idx = r.tryAllocate();
            assertEquals(i, idx);
            r.submit(idx, 100 + i);
        }
        assertEquals(-1, r.tryAllocate(), "every frame queued");
        assertTrue(r.hasWorkForKernel());
        assertEquals(100 + 101 + 102 + 103, k.kick(false));
        assertEquals(4, r.reap());
        assertEquals(406, r.lastReapBytes());
        assertEquals(4, r.inFlightFrames());
        assertEquals(-1, r.tryAllocate(), "taken but still SENDING: the kernel may still read them");
        k.completeAll();
        assertEquals(0, r.tryAllocate(), "completed: reused in ring order");
        assertEquals(List.of(100, 101, 102, 103), k.sentLengths);
    }

    @Test
    void heldFrameStopsTheKernelAndPoisonedFramesAreSkippedWithPacketLoss() {
        FakeKernel k = kernel(2048, 8, TxFrameLayout.V3, true);
        TxRing r = k.ring;
        int a = r.tryAllocate();
        int b = r.tryAllocate();
        int c = r.tryAllocate();
        r.submit(b, 200);
        r.submit(c, 300);
        assertFalse(r.hasWorkForKernel(), "frame a is held at the kernel's cursor");
        assertEquals(0, k.kick(true));
        assertEquals(0, r.reap());
        r.poison(a);                                  // discard: queued, but the kernel skips it
        assertTrue(r.hasWorkForKernel());
        assertEquals(500, k.kick(true));
        assertEquals(2, r.reap(), "the poisoned frame is not counted as sent");
        assertEquals(500, r.lastReapBytes());
        assertTrue(r.drained(), "the kernel finished them during the kick: the same pass frees them");
        assertEquals(List.of(200, 300), k.sentLengths);
        List<Integer> visited = new ArrayList<>();
        r.visitLastReap((index, length) -> visited.add(index));
        assertEquals(List.of(b, c), visited);
    }

    @Test
    void framesStillSendingAfterTheKickCompleteLaterInRingOrder() {
        FakeKernel k = kernel(2048, 8, TxFrameLayout.V3, true);
        TxRing r = k.ring;
        for (int i = 0; i < 3; i++) {
            r.submit(r.tryAllocate(), 100 + i);
        }
        k.kick(false);                                // a slow device: all three stay SENDING
        assertEquals(3, r.reap());
        assertEquals(3, r.inFlightFrames(), "taken, not completed");
        assertFalse(r.drained());
        r.submit(r.tryAllocate(), 200);
        k.completeAll();
        k.kick(true);                                 // the fourth is taken and finished at once
        assertEquals(1, r.reap());
        assertEquals(4, r.inFlightFrames(), "not freed ahead of the three before it");
        r.complete();
        assertTrue(r.drained());
        assertEquals(List.of(100, 101, 102, 200), k.sentLengths);
    }

    @Test
    void v2PoisonIsRejectedByLengthAndSkipped() {
        FakeKernel k = kernel(2048, 4, TxFrameLayout.V2, true);
        TxRing r = k.ring;
        queueDiscardedThen64Bytes(r);
        assertEquals(64, k.kick(true));
        assertEquals(1, r.reap());
        assertEquals(List.of(64), k.sentLengths);
        assertEquals(32, r.dataOffset(0), "V2 data follows the 32-byte tpacket2_hdr");
    }

    @Test
    void withoutPacketLossARejectedFrameStallsTheRingForGood() {
        FakeKernel k = kernel(2048, 4, TxFrameLayout.V3, false);
        TxRing r = k.ring;
        queueDiscardedThen64Bytes(r);
        k.kick(true);
        r.reap();
        assertTrue(r.stalled(), "this is why the socket always has PACKET_LOSS set");
        assertEquals(0, k.kick(true), "the kernel does not move past the WRONG_FORMAT frame");
    }

    @Test
    void poisonedFramesComeBackWithZeroNextOffsetAndSubmitWritesAWellFormedV3Header() {
        FakeKernel k = kernel(2048, 2, TxFrameLayout.V3, true);
        TxRing r = k.ring;
        MemorySegment mem = r.frames();
        long next = TxFrameLayout.V3.nextOffsetOffset();
        for (int j = 0; j < r.frameCount(); j++) {
            int i = r.tryAllocate();
            r.poison(i);                              // every frame discarded: tp_next_offset 1
            assertEquals(1, mem.get(INT, r.frameOffset(i) + next));
        }
        k.kick(true);
        r.reap();
        r.complete();
        assertTrue(r.drained(), "the kernel skipped them all");
        for (int j = 0; j < r.frameCount(); j++) {
            assertEquals(0, mem.get(INT, r.frameOffset(j) + next), "free frame " + j + " has tp_next_offset 0 again");
        }
        int i = r.tryAllocate();
        r.submit(i, 1234);
        long f = r.frameOffset(i);
        assertEquals(1234, mem.get(INT, f + TxFrameLayout.V3.lenOffset()));
        assertEquals(1234, mem.get(INT, f + TxFrameLayout.V3.snaplenOffset()));
        assertEquals(0, mem.get(INT, f + next));
        assertEquals(TP_STATUS_SEND_REQUEST, mem.get(INT, f + TxFrameLayout.V3.statusOffset()));
        assertNotEquals(TP_STATUS_SENDING, TP_STATUS_SEND_REQUEST);
        assertEquals(1234, k.kick(true), "and the kernel sends it");
    }

    @Test
    void manyLapsKeepOrderAndCounts() {
        FakeKernel k = kernel(128, 32, TxFrameLayout.V3, true);
        TxRing r = k.ring;
        List<Integer> want = new ArrayList<>();
        long sent = 0;
        for (int seq = 0; seq < 10_000; seq++) {
            int idx = r.tryAllocate();
            if (idx < 0) {
                k.kick(seq % 3 != 0);
                sent += r.reap();
                k.completeAll();
                idx = r.tryAllocate();
                assertTrue(idx >= 0, "free after the kernel finished");
            }
            int len = 14 + seq % 60;
            if (seq % 11 == 0) {
                r.poison(idx);
            } else {
                r.submit(idx, len);
                want.add(len);
            }
        }
        k.kick(true);
        sent += r.reap();
        r.complete();
        assertTrue(r.drained());
        assertEquals(want, k.sentLengths);
        assertEquals(want.size(), sent);
    }
}
