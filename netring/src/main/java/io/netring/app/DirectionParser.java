package io.netring.app;

import java.lang.foreign.MemorySegment;

/**
 * The parser of one direction of one stream: fed in-order chunks, it keeps what it needs of
 * them within its bound and reports complete messages. It never throws on bad bytes: it stops
 * ({@link #stopped()}) and the caller drops the rest of the direction.
 */
abstract class DirectionParser {
    /**
     * Parses the next in-order bytes, {@code data} from {@code from} to {@code to}, which arrived
     * complete with frame {@code frameNumber}; read in place, so no slice is made per chunk.
     */
    abstract void data(MemorySegment data, long from, long to, long frameNumber);

    /** {@code length} bytes that never arrived; most parsers cannot go on after a hole. */
    void gap(long length, long frameNumber) {
        stop();
    }

    /** The direction's FIN came after all its bytes, on {@code frameNumber}: nothing more follows. */
    void finished(long frameNumber) {}

    /**
     * The stream ended without this direction's FIN (reset, timeout, eviction, end of input); a
     * parser waiting for the end of a message reports it now, on the frame of its last byte.
     */
    void closed() {}

    /** True once the parser gave up or has nothing more to learn. */
    abstract boolean stopped();

    /** Stops parsing for good. */
    abstract void stop();

    /** Bytes it holds now (its buffers' lengths), for the bound checks in tests. */
    abstract int heldBytes();
}
