package io.netring.internal.xdp;

import io.netring.internal.NativeMemory;

import java.lang.foreign.MemorySegment;

import static io.netring.internal.NativeMemory.ALL;
import static io.netring.internal.linux.KernelLayouts.XDP_DESC;
import static io.netring.internal.linux.KernelLayouts.offset;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;

/**
 * The user side of a ring the kernel produces: RX ({@code xdp_desc} entries) or completion (u64
 * UMEM addresses). {@link #peek} reads the kernel's producer word with acquire, and only when
 * the entries it saw last are used up; {@link #release} publishes the consumer word with
 * release once the entries are read (docs/ARCHITECTURE.md, "The AF_XDP rings").
 *
 * <p>One thread uses a ring; the cached indexes are plain fields.
 */
public final class XskConsumerRing extends XskRing {
    private static final long DESC_ADDR = offset(XDP_DESC, "addr");
    private static final long DESC_LEN = offset(XDP_DESC, "len");

    /** The kernel's producer index as last read. */
    private int cachedProducer;
    /** Entries up to here are handed out by {@link #peek}. */
    private int cachedConsumer;
    /** The consumer index as last published to the kernel. */
    private int consumer;
    private int start;

    XskConsumerRing(MemorySegment mapping, Offsets offsets, int size, int entrySize, String name) {
        super(mapping, offsets, size, entrySize, name);
    }

    /**
     * Up to {@code max} entries the kernel has produced and {@link #peek} has not handed out,
     * starting at {@link #startIndex()}; 0 when none.
     */
    public int peek(int max) {
        int ready = cachedProducer - cachedConsumer;
        if (ready == 0) {
            // Acquire pairs with the kernel's release of the producer word (smp_store_release in
            // xskq_prod_submit): every entry below it is written before we read it.
            cachedProducer = (int) WORD.getAcquire(mapping, producerOffset);
            ready = cachedProducer - cachedConsumer;
        }
        int n = Math.min(ready, max);
        start = cachedConsumer;
        cachedConsumer += n;
        return n;
    }

    /** The ring index (a u32) of the first entry the last {@link #peek} handed out. */
    public long startIndex() {
        return Integer.toUnsignedLong(start);
    }

    /**
     * Gives the oldest {@code n} peeked entries back to the kernel. Release orders every read of
     * them (and of the frames they name) before the store, so the kernel, which reads the
     * consumer word with acquire, never overwrites an entry still being read.
     */
    public void release(int n) {
        consumer += n;
        WORD.setRelease(mapping, consumerOffset, consumer);
    }

    /** The UMEM address in entry {@code index}: a completion entry, or an RX descriptor's addr. */
    public long address(long index) {
        return ALL.get(JAVA_LONG_UNALIGNED, NativeMemory.address(descriptorBase + descOffset(index)) + (entrySize == Long.BYTES ? 0 : DESC_ADDR));
    }

    /** The frame length in RX descriptor {@code index}. */
    public int length(long index) {
        return ALL.get(JAVA_INT_UNALIGNED, NativeMemory.address(descriptorBase + descOffset(index)) + DESC_LEN);
    }
}
