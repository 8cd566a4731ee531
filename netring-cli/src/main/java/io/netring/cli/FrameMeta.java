package io.netring.cli;

/**
 * What the printers know of a frame besides its bytes: its number in the capture (from 1),
 * timestamp, captured and wire lengths, and whether this host sent it. One instance is
 * refilled for every frame.
 */
final class FrameMeta {
    long number;
    long seconds;
    int nanos;
    int capturedLength;
    int wireLength;
    boolean outgoing;
    /** With defragmentation read from a file: the frame that completed this fragment's datagram, else 0. */
    long reassembledIn;
    /** Whether IP fragments are reassembled (tshark's ip.defragment), which changes a first fragment's communityid. */
    boolean defragmenting;
    /** The HTTP, TLS and DNS values reported on this frame, or null (none, or no such field asked for). */
    ApplicationFields.Values app;

    FrameMeta set(long number, long seconds, int nanos, int capturedLength, int wireLength) {
        this.number = number;
        this.seconds = seconds;
        this.nanos = nanos;
        this.capturedLength = capturedLength;
        this.wireLength = wireLength;
        return this;
    }

    FrameMeta reassembledIn(long frame) {
        this.reassembledIn = frame;
        return this;
    }
}
