package io.netring.reassembly;

/** Why a {@link StreamHandler#gap} skipped bytes that had not arrived. */
public enum GapReason {
    /** The side held {@link TcpReassembler#maxBufferedBytesPerSide()} out of order: its first hole was skipped. */
    SIDE_BOUND,
    /** All streams held {@link TcpReassembler#maxTotalBytes()}: the oldest holder's holes were skipped. */
    TOTAL_BOUND,
    /** The stream ended (RST, timeout, eviction, end of input) with holes or bytes before its FIN missing. */
    CLOSED
}
