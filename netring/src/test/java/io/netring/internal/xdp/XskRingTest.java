package io.netring.internal.xdp;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The ring protocol over memory laid out as the kernel lays a ring out, with the test (or a
 * thread) in the kernel's place: cached indexes, indexes past the ring's size, and the
 * acquire/release pairing under a real race.
 */
class XskRingTest {
    private static final VarHandle WORD = JAVA_INT.varHandle();
    /** The kernel's layout: producer and consumer on their own cache lines, then flags, then the entries. */
    private static final XskRing.Offsets OFFSETS = new XskRing.Offsets(0, 64, 192, 128);

    private static MemorySegment mapping(Arena arena, int size, int entrySize) {
        return arena.allocate(OFFSETS.desc() + (long) size * entrySize, 64);
    }

    @Test
    void producerReservesOnlyWhatTheKernelHasConsumed() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment m = mapping(arena, 8, 8);
            XskProducerRing fill = new XskProducerRing(m, OFFSETS, 8, 8, "fill ring");
            assertEquals(5, fill.reserve(5));
            assertEquals(0, fill.startIndex());
            assertEquals(3, fill.reserve(5), "only 3 left");
            assertEquals(5, fill.startIndex());
            for (int i = 0; i < 8; i++) {
                fill.setAddress(i, 4096L * i);
            }
            fill.submit(8);
            assertEquals(8, (int) WORD.getAcquire(m, OFFSETS.producer()));
            assertEquals(0, fill.reserve(1), "full until the kernel consumes");
            WORD.setRelease(m, OFFSETS.consumer(), 3);       // the kernel took three
            assertEquals(3, fill.reserve(4));
            assertEquals(8, fill.startIndex());
            assertEquals(0, fill.descOffset(8), "index 8 wraps to entry 0");
            assertEquals(5, fill.pending(), "8 submitted, 3 consumed");
            assertFalse(fill.needsWakeup());
            m.set(JAVA_INT, OFFSETS.flags(), 1);
            assertTrue(fill.needsWakeup());
        }
    }

    @Test
    void consumerSeesOnlyWhatTheKernelPublishedAndReleasesIt() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment m = mapping(arena, 4, 16);
            XskConsumerRing rx = new XskConsumerRing(m, OFFSETS, 4, 16, "RX ring");
            assertEquals(0, rx.peek(4));
            MemorySegment d = m.asSlice(OFFSETS.desc());
            d.set(JAVA_LONG, 0, 8192L);
            d.set(JAVA_INT, 8, 60);
            d.set(JAVA_LONG, 16, 12288L);
            d.set(JAVA_INT, 24, 1514);
            WORD.setRelease(m, OFFSETS.producer(), 2);
            assertEquals(1, rx.peek(1));
            assertEquals(0, rx.startIndex());
            assertEquals(8192L, rx.address(0));
            assertEquals(60, rx.length(0));
            assertEquals(1, rx.peek(4), "the rest of the cached run");
            assertEquals(1, rx.startIndex());
            assertEquals(1514, rx.length(1));
            rx.release(2);
            assertEquals(2, (int) WORD.getAcquire(m, OFFSETS.consumer()));
        }
    }

    /** A thread plays the kernel producing an RX ring; the reader must see every entry's contents, in order. */
    @Test
    @Timeout(30)
    void aRacingKernelThreadIsSeenInOrderWithItsEntriesWritten() throws Exception {
        int size = 64;
        int total = 2_000_000;
        try (Arena arena = Arena.ofShared()) {
            MemorySegment m = mapping(arena, size, 16);
            XskConsumerRing rx = new XskConsumerRing(m, OFFSETS, size, 16, "RX ring");
            MemorySegment d = m.asSlice(OFFSETS.desc());
            CompletableFuture<Void> kernel = CompletableFuture.runAsync(() -> {
                int prod = 0;
                while (prod != total) {
                    int cons = (int) WORD.getAcquire(m, OFFSETS.consumer());
                    if (prod - cons == size) {
                        Thread.onSpinWait();
                        continue;
                    }
                    long at = (long) (prod & (size - 1)) * 16;
                    d.set(JAVA_LONG, at, prod * 2048L);
                    d.set(JAVA_INT, at + 8, prod);
                    WORD.setRelease(m, OFFSETS.producer(), ++prod);
                }
            });
            long expected = 0;
            while (expected < total) {
                int n = rx.peek(16);
                long start = rx.startIndex();
                for (int i = 0; i < n; i++) {
                    assertEquals(expected, rx.length(start + i), "entry " + expected);
                    assertEquals(expected * 2048L, rx.address(start + i));
                    expected++;
                }
                if (n > 0) {
                    rx.release(n);
                } else {
                    Thread.onSpinWait();
                }
            }
            kernel.get(10, TimeUnit.SECONDS);
        }
    }
}
