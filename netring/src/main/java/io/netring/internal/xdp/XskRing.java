package io.netring.internal.xdp;

import io.netring.NetringException;
import io.netring.internal.NativeMemory;
import io.netring.internal.linux.LinuxErrors;
import io.netring.internal.linux.Mmap;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

import static io.netring.internal.linux.KernelLayouts.XDP_RING_OFFSET;
import static io.netring.internal.linux.KernelLayouts.offset;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * One AF_XDP ring's mapping: the producer and consumer words, the flags word and the array of
 * {@code size} entries, at the offsets the kernel gave with XDP_MMAP_OFFSETS.
 *
 * <p>Indexes are the kernel's u32 counters; Java's int arithmetic wraps the same way, so a
 * difference of two indexes is the count between them (at most {@code size}) as it is in C.
 * How the two sides order their accesses is told in docs/ARCHITECTURE.md, "The AF_XDP rings".
 */
public abstract sealed class XskRing permits XskConsumerRing, XskProducerRing {
    /** Plain, acquire and release access to the u32 words; coordinates (segment, offset). */
    static final VarHandle WORD = ValueLayout.JAVA_INT.varHandle();

    /** Where one ring's words sit in its mapping, from {@code struct xdp_ring_offset}. */
    public record Offsets(long producer, long consumer, long desc, long flags) {
        /** The {@code xdp_ring_offset} at {@code at} in an {@code xdp_mmap_offsets} read from the kernel. */
        static Offsets read(MemorySegment mmapOffsets, long at) {
            return new Offsets(
                    mmapOffsets.get(JAVA_LONG, at + offset(XDP_RING_OFFSET, "producer")),
                    mmapOffsets.get(JAVA_LONG, at + offset(XDP_RING_OFFSET, "consumer")),
                    mmapOffsets.get(JAVA_LONG, at + offset(XDP_RING_OFFSET, "desc")),
                    mmapOffsets.get(JAVA_LONG, at + offset(XDP_RING_OFFSET, "flags")));
        }
    }

    final MemorySegment mapping;
    final long producerOffset;
    final long consumerOffset;
    final long flagsOffset;
    private final MemorySegment descriptors;
    /**
     * {@link #descriptors}'s address: entry reads and writes go through {@link NativeMemory#ALL}
     * at this plus {@link #descOffset}, inside the array by construction (the index is masked),
     * so without a segment's per-access tests (docs/ARCHITECTURE.md, "The life of a block").
     */
    final long descriptorBase;
    final int size;
    final int mask;
    final int entrySize;
    private final String name;

    XskRing(MemorySegment mapping, Offsets offsets, int size, int entrySize, String name) {
        this.mapping = mapping;
        this.producerOffset = offsets.producer();
        this.consumerOffset = offsets.consumer();
        this.flagsOffset = offsets.flags();
        this.descriptors = mapping.asSlice(offsets.desc(), (long) size * entrySize);
        this.descriptorBase = NativeMemory.addressable(descriptors);
        this.size = size;
        this.mask = size - 1;
        this.entrySize = entrySize;
        this.name = name;
    }

    /**
     * Maps the ring of {@code size} entries of {@code entrySize} bytes that the socket
     * {@code fd} publishes at page offset {@code pgoff}.
     */
    static MemorySegment map(int fd, long pgoff, Offsets offsets, int size, int entrySize, String name)
            throws NetringException {
        long length = offsets.desc() + (long) size * entrySize;
        long address = Mmap.mapShared(fd, length, pgoff);
        if (address < 0) {
            throw LinuxErrors.exception("mmap(" + name + ", " + length + " bytes)", (int) -address, "CAP_NET_RAW",
                    "cannot map the AF_XDP " + name);
        }
        return MemorySegment.ofAddress(address).reinterpret(length);
    }

    /** The entries, unscoped: valid while the socket's guard keeps the ring mapped. */
    public MemorySegment descriptors() {
        return descriptors;
    }

    /** Byte offset in {@link #descriptors()} of the entry at ring index {@code index} (any u32 index). */
    public long descOffset(long index) {
        return (index & mask) * entrySize;
    }

    /** Entries in the ring, a power of two. */
    public int size() {
        return size;
    }

    /** The ring's name in messages: "RX ring", "fill ring" … */
    public String name() {
        return name;
    }

    /** Unmaps the ring; only when nothing can touch it any more (the owner's guard says when). */
    void unmap() {
        Mmap.unmap(mapping.address(), mapping.byteSize());
    }
}
