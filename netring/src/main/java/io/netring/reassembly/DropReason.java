package io.netring.reassembly;

/** Why {@link IpDefragmenter} gave up a datagram (or refused a fragment). */
public enum DropReason {
    /** Not complete within the timeout, measured in packet time from its first fragment. */
    TIMEOUT,
    /** Its fragments reach past, or its held bytes exceed, the per-datagram bound. */
    TOO_BIG,
    /** Evicted (oldest first) so that all held datagrams stay under the total bound. */
    TOTAL_BOUND,
    /** A fragment cut short by the capture, with no data, or with a broken header: counted per fragment. */
    MALFORMED,
    /** Still incomplete when {@link IpDefragmenter#discardPending()} was called (end of input). */
    UNFINISHED
}
