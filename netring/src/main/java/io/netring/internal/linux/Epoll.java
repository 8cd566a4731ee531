package io.netring.internal.linux;

import io.netring.NetringException;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.locks.ReentrantReadWriteLock;

import static io.netring.internal.linux.KernelLayouts.EPOLL_EVENT;
import static io.netring.internal.linux.KernelLayouts.offset;
import static io.netring.internal.linux.LinuxConstants.EPOLL_CLOEXEC;
import static io.netring.internal.linux.LinuxConstants.EPOLL_CTL_ADD;
import static io.netring.internal.linux.LinuxConstants.EPOLL_CTL_DEL;
import static io.netring.internal.linux.LinuxConstants.EPOLL_CTL_MOD;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;

/**
 * One epoll instance: registration calls (safe from any thread, also while another thread
 * waits) and the wait itself with its event array (for the one waiting thread only).
 *
 * <p>Each registered fd carries a 64-bit token in {@code epoll_event.data}; the reactor maps
 * tokens to registrations, so an event for an fd that was deregistered meanwhile finds nothing
 * instead of the wrong owner.
 *
 * <p>Registration calls hold the read side of a lock whose write side {@link #close()} takes,
 * so no {@code epoll_ctl} can reach a closed (and perhaps reused) fd number.
 */
public final class Epoll {
    private static final long EVENTS_OFFSET = offset(EPOLL_EVENT, "events");
    private static final long DATA_OFFSET = offset(EPOLL_EVENT, "data");
    private static final long EVENT_SIZE = EPOLL_EVENT.byteSize();

    private final int fd;
    private final int capacity;
    private final MemorySegment events;
    private final ReentrantReadWriteLock fdLock = new ReentrantReadWriteLock();
    private boolean closed;

    public Epoll(int capacity) throws NetringException {
        this.fd = LinuxErrors.check(Syscalls.epollCreate1(EPOLL_CLOEXEC), "epoll_create1");
        this.capacity = capacity;
        this.events = Arena.ofAuto().allocate(EPOLL_EVENT, capacity);
    }

    public void add(int target, int interest, long token) throws NetringException {
        ctl(EPOLL_CTL_ADD, target, interest, token, "epoll_ctl(EPOLL_CTL_ADD)");
    }

    public void modify(int target, int interest, long token) throws NetringException {
        ctl(EPOLL_CTL_MOD, target, interest, token, "epoll_ctl(EPOLL_CTL_MOD)");
    }

    /** Removes {@code target}; an fd the kernel already dropped (closed) is not an error. */
    public void delete(int target) {
        fdLock.readLock().lock();
        try (Arena arena = Arena.ofConfined()) {
            if (closed) {
                return;
            }
            int r = Syscalls.epollCtl(fd, EPOLL_CTL_DEL, target, arena.allocate(EPOLL_EVENT));
            if (r < 0 && r != -Errno.ENOENT && r != -Errno.EBADF) {
                System.getLogger("io.netring").log(System.Logger.Level.DEBUG,
                        "epoll_ctl(EPOLL_CTL_DEL) of fd " + target + " failed with " + LinuxErrors.describe(-r));
            }
        } finally {
            fdLock.readLock().unlock();
        }
    }

    private void ctl(int op, int target, int interest, long token, String call) throws NetringException {
        fdLock.readLock().lock();
        try (Arena arena = Arena.ofConfined()) {
            if (closed) {
                throw new IllegalStateException("the epoll reactor is closed");
            }
            MemorySegment event = arena.allocate(EPOLL_EVENT);
            event.set(JAVA_INT, EVENTS_OFFSET, interest);
            event.set(JAVA_LONG_UNALIGNED, DATA_OFFSET, token);
            int r = Syscalls.epollCtl(fd, op, target, event);
            if (r < 0) {
                throw LinuxErrors.exception(call + " of fd " + target, -r);
            }
        } finally {
            fdLock.readLock().unlock();
        }
    }

    /** Waits for events (-1: no time limit); returns their count, or -errno. */
    public int await(int timeoutMillis) {
        return Syscalls.epollWait(fd, events, capacity, timeoutMillis);
    }

    /** The event bits of event {@code i} of the last {@link #await}. */
    public int events(int i) {
        return events.get(JAVA_INT, i * EVENT_SIZE + EVENTS_OFFSET);
    }

    /** The token of event {@code i} of the last {@link #await}. */
    public long token(int i) {
        return events.get(JAVA_LONG_UNALIGNED, i * EVENT_SIZE + DATA_OFFSET);
    }

    /** Closes the epoll fd; later registration calls throw, later deletes do nothing. Idempotent. */
    public void close() {
        fdLock.writeLock().lock();
        try {
            if (!closed) {
                closed = true;
                Syscalls.close(fd);
            }
        } finally {
            fdLock.writeLock().unlock();
        }
    }
}
