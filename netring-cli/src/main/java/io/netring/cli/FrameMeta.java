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

    FrameMeta set(long number, long seconds, int nanos, int capturedLength, int wireLength) {
        this.number = number;
        this.seconds = seconds;
        this.nanos = nanos;
        this.capturedLength = capturedLength;
        this.wireLength = wireLength;
        return this;
    }
}
