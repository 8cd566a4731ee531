package io.netring.internal;

import java.lang.foreign.MemorySegment;

/**
 * The process's address space as one segment, for reads at absolute addresses that the caller
 * has already checked (a packet header inside its block, a field inside its packet).
 *
 * <p>Held in a {@code static final} field, the segment is a constant to the JIT: its class,
 * bounds and scope fold away, so a read costs a load. Read through a segment held in an object
 * field, each read re-tests that segment's class, bounds, scope owner and liveness, some 10
 * instructions, four or five times per packet in a walk (docs/PERFORMANCE.md). What these
 * reads give up, the segment's own bounds, every caller replaces with its own explicit check.
 */
public final class NativeMemory {
    private NativeMemory() {}

    /** Every address: offset 0 is address 0. Never handed to users. */
    public static final MemorySegment ALL = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);

    /** Where user space ends: 2^56 under x86-64's five-level paging, lower elsewhere. */
    private static final long ADDRESS_LIMIT = 1L << 56;
    private static final long ADDRESS_MASK = ADDRESS_LIMIT - 1;

    /**
     * {@code address} with the bits no user-space address has cleared: unchanged for every
     * address checked by {@link #addressable}, and to the JIT a value in [0, 2^56), so that
     * {@link #ALL}'s own bounds test (4 instructions a read, 5 reads a packet) folds away.
     */
    public static long address(long address) {
        return address & ADDRESS_MASK;
    }

    /**
     * The address of {@code memory}, which {@link #address} leaves unchanged for every byte of it.
     * @throws IllegalArgumentException when it reaches above 2^56 (no Linux user space does)
     */
    public static long addressable(MemorySegment memory) {
        long at = memory.address();
        if (at < 0 || at > ADDRESS_LIMIT - memory.byteSize()) {
            throw new IllegalArgumentException("memory at 0x" + Long.toHexString(at) + " (" + memory.byteSize()
                    + " bytes) reaches past 2^56, where user space ends");
        }
        return at;
    }
}
