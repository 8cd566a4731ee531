package io.netring.pcap;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

/**
 * Native buffers freed by the garbage collector once no segment over them is reachable, as
 * from {@code Arena.ofAuto()}, but zeroed by one native {@code memset}: {@code Arena.allocate}
 * zeroes in a Java loop of 8-byte stores, which a short process runs in the interpreter
 * (about 0.4 M iterations for the reader's and writer's 3 MiB).
 */
final class NativeBuffers {
    private NativeBuffers() {}

    /** {@code size} zeroed bytes at an address that is a multiple of {@code alignment} (a power of two). */
    static MemorySegment allocate(long size, int alignment) {
        if (size > Integer.MAX_VALUE - alignment) {
            throw new IllegalArgumentException("size=" + size + ": larger than a native buffer can be");
        }
        ByteBuffer b = ByteBuffer.allocateDirect((int) size + alignment - 1).alignedSlice(alignment);
        return MemorySegment.ofBuffer(b).asSlice(0, size);
    }
}
