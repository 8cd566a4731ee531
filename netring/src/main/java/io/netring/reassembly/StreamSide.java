package io.netring.reassembly;

/** One direction of a {@link TcpStream}, named after the endpoint that sends it. */
public enum StreamSide {
    /** Sent by the client: the endpoint that sent the SYN without ACK, else the first packet's sender. */
    CLIENT,
    /** Sent by the other endpoint. */
    SERVER;

    /** The other direction. */
    public StreamSide opposite() {
        return this == CLIENT ? SERVER : CLIENT;
    }
}
