package io.netring.reassembly;

/** Why a TCP stream ended. */
public enum StreamEnd {
    /** FIN seen from both sides. */
    FIN,
    /** RST seen. */
    RESET,
    /** No packet for longer than the idle timeout. */
    TIMEOUT,
    /** Evicted to keep memory under the bound. */
    EVICTED,
    /** The input ended with the stream still open. */
    END_OF_INPUT
}
