package io.netring.internal.xdp;

import io.netring.internal.NativeMemory;

import java.lang.foreign.MemorySegment;

import static io.netring.internal.NativeMemory.ALL;
import static io.netring.internal.linux.KernelLayouts.XDP_DESC;
import static io.netring.internal.linux.KernelLayouts.offset;
import static io.netring.internal.linux.LinuxConstants.XDP_RING_NEED_WAKEUP;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;

/**
 * The user side of a ring the kernel consumes: fill (u64 UMEM addresses) or TX ({@code xdp_desc}
 * entries). {@link #reserve} reads the kernel's consumer word with acquire, and only when the
 * free room it saw last is too small; {@link #submit} publishes the producer word with release
 * after the entries are written (docs/ARCHITECTURE.md, "The AF_XDP rings").
 *
 * <p>One thread uses a ring; the cached indexes are plain fields.
 */
public final class XskProducerRing extends XskRing {
    private static final long DESC_ADDR = offset(XDP_DESC, "addr");
    private static final long DESC_LEN = offset(XDP_DESC, "len");
    private static final long DESC_OPTIONS = offset(XDP_DESC, "options");

    /** The kernel's consumer index as last read, plus size: where the free room ends. */
    private int cachedConsumer;
    /** Entries up to here are reserved. */
    private int cachedProducer;
    /** The producer index as last published to the kernel. */
    private int producer;
    private int start;

    XskProducerRing(MemorySegment mapping, Offsets offsets, int size, int entrySize, String name) {
        super(mapping, offsets, size, entrySize, name);
        this.cachedConsumer = size;
    }

    /**
     * Reserves up to {@code n} free entries, starting at {@link #startIndex()}; returns how many
     * (0 when the ring is full). They go to the kernel with {@link #submit}.
     */
    public int reserve(int n) {
        int free = cachedConsumer - cachedProducer;
        if (free < n) {
            // Acquire pairs with the kernel's release of the consumer word: it has read the
            // entries (and, for TX, the frames) below it, so they may be written again.
            cachedConsumer = (int) WORD.getAcquire(mapping, consumerOffset) + size;
            free = cachedConsumer - cachedProducer;
        }
        int got = Math.min(n, free);
        start = cachedProducer;
        cachedProducer += got;
        return got;
    }

    /**
     * The free entries, at least {@code wanted} if the kernel has freed them: the kernel's
     * consumer word is read only when the room seen last is smaller. Reserves nothing.
     */
    public int room(int wanted) {
        int free = cachedConsumer - cachedProducer;
        if (free < wanted) {
            cachedConsumer = (int) WORD.getAcquire(mapping, consumerOffset) + size;
            free = cachedConsumer - cachedProducer;
        }
        return free;
    }

    /** The ring index (a u32) of the first entry the last {@link #reserve} gave. */
    public long startIndex() {
        return Integer.toUnsignedLong(start);
    }

    /** Writes a fill entry: the UMEM address of a frame the kernel may receive into. */
    public void setAddress(long index, long address) {
        ALL.set(JAVA_LONG_UNALIGNED, NativeMemory.address(descriptorBase + descOffset(index)), address);
    }

    /** Writes a TX descriptor: {@code length} bytes at UMEM address {@code address}. */
    public void setDesc(long index, long address, int length, int options) {
        long at = descOffset(index);
        MemorySegment d = descriptors();
        d.set(JAVA_LONG, at + DESC_ADDR, address);
        d.set(JAVA_INT, at + DESC_LEN, length);
        d.set(JAVA_INT, at + DESC_OPTIONS, options);
    }

    /**
     * Hands the oldest {@code n} reserved entries to the kernel. Release orders the writes of the
     * entries (and of the frames they name) before the producer word, which the kernel reads with
     * acquire before it reads an entry.
     */
    public void submit(int n) {
        producer += n;
        WORD.setRelease(mapping, producerOffset, producer);
    }

    /**
     * Submitted entries the kernel has not consumed yet (reads the consumer word with acquire,
     * and refreshes the cached free room with it).
     */
    public int pending() {
        int kernelConsumer = (int) WORD.getAcquire(mapping, consumerOffset);
        cachedConsumer = kernelConsumer + size;
        return producer - kernelConsumer;
    }

    /**
     * True when the kernel asks for a wakeup (XDP_RING_NEED_WAKEUP) before it goes on with this
     * ring: {@code recvfrom} or {@code poll} for the fill ring, {@code sendto} for TX. An opaque
     * read, as libxdp's plain one: a stale answer costs one needless syscall or delays the
     * wakeup to the next call, and the kernel sets the flag before it stops looking at the ring.
     */
    public boolean needsWakeup() {
        return ((int) WORD.getOpaque(mapping, flagsOffset) & XDP_RING_NEED_WAKEUP) != 0;
    }
}
