package io.netring.internal.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static io.netring.internal.linux.KernelLayouts.POLLFD;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * A fixed array of {@code struct pollfd} and the {@code poll(2)} over a prefix of it, made once
 * per handle so a wait allocates nothing.
 */
public final class PollSet {
    // Resolved once: the per-block path runs interpreted (docs/ARCHITECTURE.md, "The JIT and memory ordering").
    private static final long POLLFD_SIZE = POLLFD.byteSize();
    private static final long FD_OFFSET = KernelLayouts.offset(POLLFD, "fd");
    private static final long EVENTS_OFFSET = KernelLayouts.offset(POLLFD, "events");
    private static final long REVENTS_OFFSET = KernelLayouts.offset(POLLFD, "revents");

    private final MemorySegment fds;

    /** Entry {@code i} waits for {@code events} on {@code fds[i]}. */
    public PollSet(int events, int... fds) {
        this.fds = Arena.ofAuto().allocate(POLLFD, fds.length);
        for (int i = 0; i < fds.length; i++) {
            this.fds.set(JAVA_INT, i * POLLFD_SIZE + FD_OFFSET, fds[i]);
            this.fds.set(JAVA_SHORT, i * POLLFD_SIZE + EVENTS_OFFSET, (short) events);
        }
    }

    /** Polls the first {@code count} entries: the number ready, 0 on timeout, or -errno. */
    public int poll(int count, int timeoutMillis) {
        return Syscalls.poll(fds, count, timeoutMillis);
    }

    /** The events returned for entry {@code i} by the last {@link #poll}. */
    public short revents(int i) {
        return fds.get(JAVA_SHORT, i * POLLFD_SIZE + REVENTS_OFFSET);
    }
}
