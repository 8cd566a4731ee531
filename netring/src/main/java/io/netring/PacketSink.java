package io.netring;

import java.time.Duration;

/**
 * Anything that injects frames through a TX ring: fill slots, then hand them to the kernel.
 *
 * <pre>{@code
 * TxSlot slot = sink.allocate(64);
 * if (slot == null) {              // ring full: let the kernel take what is queued
 *     sink.flush();
 * } else {
 *     slot.copyFrom(frame);        // or write through slot.data()
 *     slot.send();                 // queued; goes out with the next flush()
 * }
 * }</pre>
 *
 * <p>One thread fills and flushes a sink; {@code close()} may come from any thread.
 */
public interface PacketSink {

    /**
     * A free frame for a packet of {@code length} bytes, or null when every frame is queued or
     * still being sent. Never blocks and never hands out a frame the kernel has not finished with.
     *
     * @throws IllegalArgumentException when {@code length} is below the link header or above the
     *         frame's capacity (the message names the limit)
     * @throws IllegalStateException when the sink is closed
     */
    TxSlot allocate(int length);

    /**
     * Asks the kernel to send every queued frame, without waiting: frames the device cannot take
     * right now (ENOBUFS, a full socket buffer) stay queued for the next call.
     *
     * @return the number of frames the kernel took during this call
     * @throws FrameTooLongException when the kernel skipped a frame longer than the interface
     *         carries (its MTU shrank after the check in {@link TxSlot#send()}); not in lossy mode
     * @throws NetringException when the kernel refuses to send (interface down or gone)
     * @throws IllegalStateException when the sink is closed
     */
    int flush() throws NetringException;

    /**
     * Flushes and waits until every queued frame has been sent and its frame is free again, or
     * until {@code timeout} passes. Frames queued behind a slot that is still held (allocated,
     * neither sent nor discarded) cannot go before it; the wait then ends at once with false.
     *
     * @return true when the ring drained, false on timeout or when a held slot blocks the rest
     */
    boolean flushBlocking(Duration timeout) throws NetringException;

    /** The socket's file descriptor, for epoll and other low-level use. */
    int fd();
}
