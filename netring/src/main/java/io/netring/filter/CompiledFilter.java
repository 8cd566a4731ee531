package io.netring.filter;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * A classic BPF program turned into JVM bytecode by {@link BpfJit}: each program is a hidden
 * class extending this one, whose {@link #run} is the program with its jumps as branches. Same
 * contract as {@link BpfInterpreter#run(MemorySegment, long, long, int)}.
 */
abstract class CompiledFilter {
    /** The loads' layouts, read by the generated code as constants. */
    static final ValueLayout.OfShort BE_SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    static final ValueLayout.OfInt BE_INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    static final ValueLayout.OfByte BYTE = ValueLayout.JAVA_BYTE;

    /**
     * The program's return value for the {@code caplen} captured bytes at {@code base} in
     * {@code frame}, {@code wireLength} long on the wire; the caller has checked the bounds.
     */
    abstract int run(MemorySegment frame, long base, long caplen, int wireLength);
}
