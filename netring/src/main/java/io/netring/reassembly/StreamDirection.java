package io.netring.reassembly;

/**
 * The reassembly state of one direction of a {@link TcpStream}: where the delivered bytes end
 * (as a stream offset and as the 32-bit sequence number that comes next), where the FIN is once
 * seen, and the segments held out of order.
 */
final class StreamDirection {
    static final long NO_FIN = -1;

    boolean started;
    /** True when the direction began with a SYN, whose sequence number is {@link #isn}. */
    boolean sawSyn;
    int isn;
    /** The sequence number of the next byte to deliver, modulo 2^32. */
    int nextSeq;
    /** Stream offset of the next byte to deliver: every byte before it was delivered or reported as a gap. */
    long delivered;
    /** Stream offset just past the last byte before FIN, or {@link #NO_FIN}. */
    long finOffset = NO_FIN;
    /** True once the handler heard that every byte up to the FIN is through. */
    boolean finReported;
    /** Bytes charged for held segments (data and bookkeeping). */
    long heldBytes;
    final HeldSegments held = new HeldSegments();

    void start(int firstSeq) {
        started = true;
        nextSeq = firstSeq;
    }

    /**
     * The stream offset of sequence number {@code seq}, taken as the nearest one to the next
     * byte expected: within 2^31 either way, which carries the count across the 2^32 wrap.
     */
    long offsetOf(int seq) {
        return delivered + (seq - nextSeq);
    }

    void advance(long bytes) {
        delivered += bytes;
        nextSeq += (int) bytes;
    }

    boolean finished() {
        return finOffset != NO_FIN && delivered >= finOffset;
    }
}
