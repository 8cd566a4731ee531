package io.netring.internal;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static org.junit.jupiter.api.Assertions.*;

/** The masked addresses reads through {@link NativeMemory#ALL} use are the addresses themselves. */
class NativeMemoryTest {

    @Test
    void everyByteOfMappedMemoryKeepsItsAddress() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment block = arena.allocate(1 << 20);
            long base = NativeMemory.addressable(block);
            assertEquals(block.address(), base);
            for (long at : new long[] {0, 1, 4095, block.byteSize() - 1}) {
                assertEquals(base + at, NativeMemory.address(base + at));
            }
            block.set(ValueLayout.JAVA_INT, 64, 0x1234_5678);
            assertEquals(0x1234_5678, NativeMemory.ALL.get(ValueLayout.JAVA_INT, NativeMemory.address(base + 64)));
        }
    }

    @Test
    void memoryReachingAboveUserSpaceIsRefused() {
        long limit = 1L << 56;
        assertEquals(limit - 16, NativeMemory.addressable(MemorySegment.ofAddress(limit - 16).reinterpret(16)),
                "the last 16 bytes below 2^56 are addressable");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NativeMemory.addressable(MemorySegment.ofAddress(limit - 16).reinterpret(17)));
        assertEquals("memory at 0xfffffffffffff0 (17 bytes) reaches past 2^56, where user space ends",
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> NativeMemory.addressable(MemorySegment.ofAddress(limit).reinterpret(1)));
    }
}
