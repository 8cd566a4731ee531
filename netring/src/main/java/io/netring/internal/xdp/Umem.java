package io.netring.internal.xdp;

import io.netring.NetringException;
import io.netring.internal.linux.Errno;
import io.netring.internal.linux.KernelLayouts;
import io.netring.internal.linux.LinuxErrors;
import io.netring.internal.linux.LinuxSocket;
import io.netring.internal.linux.Mmap;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static io.netring.internal.linux.KernelLayouts.offset;
import static io.netring.internal.linux.LinuxConstants.XDP_UMEM_REG;
import static io.netring.internal.linux.LinuxConstants.SOL_XDP;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The UMEM: one page-aligned anonymous mapping of {@code frameCount} frames of
 * {@code frameSize} bytes, which every AF_XDP descriptor points into by offset (its "address").
 * Frames are aligned chunks: the kernel finds a frame's start by masking an address with
 * {@code ~(frameSize - 1)}. Sockets on several queues may share one UMEM (XDP_SHARED_UMEM), each
 * receiving into its own range of frames; the memory is unmapped when the last of them closes.
 */
public final class Umem implements AutoCloseable {
    /** Default bytes per frame: one page, the largest chunk aligned mode allows on 4 KiB pages. */
    public static final int DEFAULT_FRAME_SIZE = 4096;
    /** Default number of frames (16 MiB with the default frame size). */
    public static final int DEFAULT_FRAME_COUNT = 4096;
    /** The smallest frame the kernel accepts (XDP_UMEM_MIN_CHUNK_SIZE). */
    public static final int MIN_FRAME_SIZE = 2048;

    private final MemorySegment memory;
    private final int frameSize;
    private final int frameCount;
    private final int headroom;
    private final AtomicBoolean unmapped = new AtomicBoolean();
    /** Sockets using this memory: the one that registered it and those sharing it. */
    private final AtomicInteger users = new AtomicInteger(1);

    private Umem(MemorySegment memory, int frameSize, int frameCount, int headroom) {
        this.memory = memory;
        this.frameSize = frameSize;
        this.frameCount = frameCount;
        this.headroom = headroom;
    }

    /** Maps a UMEM; the sizes are checked by {@link XskConfig}. */
    public static Umem allocate(int frameSize, int frameCount, int headroom) throws NetringException {
        long size = (long) frameSize * frameCount;
        long address = Mmap.mapAnonymous(size);
        if (address < 0) {
            throw LinuxErrors.exception("mmap(UMEM, " + size + " bytes)", (int) -address, "CAP_IPC_LOCK",
                    "cannot allocate the UMEM of " + frameCount + " frames of " + frameSize + " bytes");
        }
        return new Umem(MemorySegment.ofAddress(address).reinterpret(size), frameSize, frameCount, headroom);
    }

    /**
     * Registers this memory with {@code socket} (XDP_UMEM_REG). The kernel pins its pages and
     * charges them to RLIMIT_MEMLOCK unless the process has CAP_IPC_LOCK.
     */
    void register(LinuxSocket socket, String interfaceName) throws NetringException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment reg = arena.allocate(KernelLayouts.XDP_UMEM_REG);
            reg.set(JAVA_LONG, offset(KernelLayouts.XDP_UMEM_REG, "addr"), memory.address());
            reg.set(JAVA_LONG, offset(KernelLayouts.XDP_UMEM_REG, "len"), memory.byteSize());
            reg.set(JAVA_INT, offset(KernelLayouts.XDP_UMEM_REG, "chunk_size"), frameSize);
            reg.set(JAVA_INT, offset(KernelLayouts.XDP_UMEM_REG, "headroom"), headroom);
            int r = socket.setStruct(SOL_XDP, XDP_UMEM_REG, reg);
            if (r == -Errno.ENOBUFS || r == -Errno.ENOMEM) {
                throw LinuxErrors.failure("the kernel refused to pin the " + memory.byteSize() + "-byte UMEM for "
                        + interfaceName + " (" + LinuxErrors.describe(-r) + "): raise `ulimit -l` (RLIMIT_MEMLOCK) "
                        + "or grant CAP_IPC_LOCK, or use fewer or smaller frames", "setsockopt(XDP_UMEM_REG)", -r);
            }
            if (r < 0) {
                throw LinuxErrors.exception("setsockopt(XDP_UMEM_REG)", -r, "CAP_NET_RAW",
                        "registering the UMEM for " + interfaceName);
            }
        }
    }

    /** The whole area, unscoped: valid while the owning socket's guard keeps it mapped. */
    public MemorySegment memory() {
        return memory;
    }

    public int frameSize() {
        return frameSize;
    }

    public int frameCount() {
        return frameCount;
    }

    /** Bytes the kernel leaves free in front of each received frame's data (beside its own 256). */
    public int headroom() {
        return headroom;
    }

    /** The UMEM address (offset into {@link #memory()}) of frame {@code frame}'s first byte. */
    public long frameAddress(int frame) {
        return (long) frame * frameSize;
    }

    /** The start of the frame holding UMEM address {@code address}. */
    public long frameStart(long address) {
        return address & -(long) frameSize;
    }

    /**
     * One more socket uses this memory (it shares the UMEM); its {@link #close()} ends that use.
     * @throws IllegalStateException when the memory is already unmapped
     */
    void retain() {
        if (users.getAndUpdate(n -> n > 0 ? n + 1 : n) <= 0) {
            throw new IllegalStateException("the UMEM is already unmapped");
        }
    }

    /** True once the last socket using this memory closed and it was unmapped. */
    public boolean isUnmapped() {
        return unmapped.get();
    }

    /** Ends one socket's use; the last one unmaps the area, after its socket is closed. */
    @Override
    public void close() {
        if (users.decrementAndGet() == 0 && unmapped.compareAndSet(false, true)) {
            Mmap.unmap(memory.address(), memory.byteSize());
        }
    }
}
