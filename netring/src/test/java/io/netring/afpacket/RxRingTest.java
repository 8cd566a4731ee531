package io.netring.afpacket;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static io.netring.internal.linux.LinuxConstants.TP_STATUS_KERNEL;
import static io.netring.internal.linux.LinuxConstants.TP_STATUS_USER;
import static org.junit.jupiter.api.Assertions.*;

/** Block ownership and sequence tracking over a ring in plain memory, a test playing the kernel. */
class RxRingTest {

    @Test
    void walksBlocksInOrderAndHandsThemBack() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment raw = arena.allocate(4 * 4096L, 4096);
            RxRing ring = new RxRing(raw, 4096, 4);
            assertFalse(ring.ready());
            for (int lap = 0; lap < 2; lap++) {
                for (int i = 0; i < 4; i++) {
                    raw.set(ValueLayout.JAVA_INT, i * 4096L + TpacketV3.BLOCK_STATUS_OFFSET, TP_STATUS_USER);
                }
                for (int i = 0; i < 4; i++) {
                    assertEquals(i, ring.currentIndex());
                    assertTrue(ring.ready());
                    ring.release();
                    assertEquals(TP_STATUS_KERNEL, raw.get(ValueLayout.JAVA_INT, i * 4096L + TpacketV3.BLOCK_STATUS_OFFSET));
                }
            }
            assertEquals(0, ring.currentIndex());
        }
    }

    @Test
    void sequenceGapsAreCounted() {
        RxRing ring = new RxRing(MemorySegment.NULL, 4096, 4);
        assertEquals(0, ring.observeSequence(10));
        assertEquals(0, ring.observeSequence(11));
        assertEquals(3, ring.observeSequence(15));
        assertEquals(0, ring.observeSequence(16));
        assertEquals(1, ring.observeSequence(18));
        assertEquals(4, ring.missedBlocks());
    }
}
