package io.netring.reassembly;

/** The two directions of a TCP stream. */
public enum StreamSide {
    /** The side that sent the SYN (without ACK), else the first packet's sender. */
    CLIENT,
    /** The other side. */
    SERVER
}
