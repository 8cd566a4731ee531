package io.netring.bench;

import io.netring.testing.FrameSender;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/** The frames the bench writes in place are the test kit's frames, byte for byte. */
class TestFramesTest {
    @Test
    void writeGivesTheTestKitFrame() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment dst = arena.allocate(256);
            for (int size = 18; size <= 200; size += 13) {
                int seq = 0x01020304 * size;
                TestFrames.write(dst, 16, seq, size);
                assertArrayEquals(FrameSender.frame(seq, size), dst.asSlice(16, size).toArray(ValueLayout.JAVA_BYTE), "size " + size);
            }
        }
    }
}
