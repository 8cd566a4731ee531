package io.netring.reassembly;

import java.lang.foreign.MemorySegment;

/**
 * Receives what a {@link TcpReassembler} rebuilds: each direction's bytes in order, the holes
 * it skipped, and the life cycle of each stream. All calls come from the reassembler's thread,
 * in stream order per direction.
 */
public interface StreamHandler {
    /** A new stream (SYN seen, or picked up mid-connection). */
    default void opened(TcpStream stream) {}

    /**
     * In-order bytes of one direction. {@code data} is valid only during the call (in-order data
     * is a slice of the packet itself; out-of-order data released later is a slice of the
     * reassembler's buffer). {@code streamOffset} counts bytes from the direction's first byte
     * (ISN+1, or the first byte seen when picked up mid-connection). {@code frameNumber} is the
     * frame whose arrival made these bytes deliverable (the frame that filled a hole, for bytes
     * held out of order) — tshark shows a PDU's fields on that frame.
     */
    void data(TcpStream stream, StreamSide side, long streamOffset, MemorySegment data, long frameNumber);

    /**
     * The same bytes as {@link #data(TcpStream, StreamSide, long, MemorySegment, long)}, given as
     * {@code length} bytes of {@code segment} from {@code offset} (the packet or the reassembler's
     * buffer, valid only during the call). The reassembler calls this one; by default it slices
     * and calls the other. A handler that passes the bytes on through calls the JIT does not
     * inline overrides it and reads in place, so no slice is made per segment.
     */
    default void data(TcpStream stream, StreamSide side, long streamOffset, MemorySegment segment, long offset,
                      int length, long frameNumber) {
        data(stream, side, streamOffset, segment.asSlice(offset, length), frameNumber);
    }

    /** Bytes that never arrived, skipped (never stitched over): at a bound, at FIN/RST, at the end. */
    default void gap(TcpStream stream, StreamSide side, long streamOffset, long length, long frameNumber) {}

    /**
     * {@code side} sent its FIN and every byte before it was delivered (or reported as a gap):
     * no more data comes from it. {@code frameNumber} is the frame that made it so — the FIN's, or
     * the frame that filled the last hole before it. tshark ends a message that runs "until the
     * connection closes" (an HTTP body without length) on that frame.
     */
    default void finished(TcpStream stream, StreamSide side, long frameNumber) {}

    /** The stream ended (FIN both ways, RST, idle timeout, eviction, end of input). */
    default void closed(TcpStream stream, StreamEnd reason) {}

    /**
     * The stream ended, with the frame that ended it: the one carrying the last FIN or the RST,
     * the first frame past the idle timeout or that needed the evicted stream's room, the last
     * frame offered at {@link TcpReassembler#finish()}. The reassembler calls this one; by
     * default it calls {@link #closed(TcpStream, StreamEnd)}.
     */
    default void closed(TcpStream stream, StreamEnd reason, long frameNumber) {
        closed(stream, reason);
    }
}
