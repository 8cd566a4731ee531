package io.netring.reassembly;

/** Why a {@link TcpStream} ended, as {@link StreamHandler#closed} reports it. */
public enum StreamEnd {
    /** Both sides sent FIN and every byte before each FIN arrived (or a new connection took the 5-tuple after a FIN). */
    FIN,
    /** A RST from either side. */
    RESET,
    /** No packet for the idle timeout, in packet time. */
    TIMEOUT,
    /** Given up to make room: the stream table was full, or the 5-tuple was reused without a FIN. */
    EVICTED,
    /** {@link TcpReassembler#finish()} at the end of the input. */
    END_OF_INPUT
}
