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
}
