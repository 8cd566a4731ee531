package io.netring.reassembly;

/**
 * One TCP connection as a reassembler sees it. The parser state a handler keeps for the stream
 * hangs on it ({@link #attach}), so a handler needs no map lookup per packet.
 */
public final class TcpStream {
    private final long id;
    private Object attachment;

    /** A stream numbered {@code id} (0, 1, 2 … in order of opening). */
    public TcpStream(long id) {
        this.id = id;
    }

    /** 0, 1, 2 … in order of opening. */
    public long id() {
        return id;
    }

    /** What a handler attached to this stream, or null. */
    public Object attachment() {
        return attachment;
    }

    /** Attaches a handler's state to this stream (replacing any earlier one). */
    public void attach(Object attachment) {
        this.attachment = attachment;
    }
}
