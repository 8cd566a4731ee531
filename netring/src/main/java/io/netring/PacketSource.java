package io.netring;

import java.time.Duration;

/**
 * Anything that hands out captured packets a block at a time. Only one batch may be open at a
 * time: close it (try-with-resources) before asking for the next.
 */
public interface PacketSource {

    /** The next retired block, or null when the kernel has none ready. Never blocks. */
    PacketBatch nextBatch() throws NetringException;

    /**
     * Waits up to {@code timeout} for a retired block.
     *
     * @return the batch, or null when the time ran out
     * @throws IllegalStateException when the source is closed, also by another thread while waiting
     * @throws NetringException when the socket reports an error (ENETDOWN: the interface went
     *         down; capture resumes when it comes back up; ENXIO/ENODEV: it vanished). After a
     *         deletion the blocks the kernel filled before it still come out first.
     */
    PacketBatch nextBatchBlocking(Duration timeout) throws NetringException;

    /** Kernel counters since the previous call; reading resets them. */
    CaptureStats stats() throws NetringException;

    /** The socket's file descriptor, for epoll, eBPF loaders and other low-level use. */
    int fd();
}
