package io.netring.adapter;

/** What a {@link ChannelCapture}'s capture thread does when the consumer's queue is full. */
public enum OverflowPolicy {
    /**
     * The capture thread waits for room while keeping its block; the kernel keeps filling the
     * other blocks of the ring, and drops (counted in {@code stats().drops()}) only once the
     * whole ring is full. Nothing is lost while the ring can absorb the consumer's delay.
     */
    BLOCK,

    /**
     * The packet that does not fit is dropped and counted in {@link ChannelCapture#dropped()};
     * the capture thread never waits, so the ring keeps draining and the queue keeps the oldest
     * packets.
     */
    DROP_NEWEST
}
