package io.netring.internal.linux;

import io.netring.NetringException;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * An eventfd polled beside the packet socket, so that {@code close()} from another thread can
 * wake a thread blocked in {@code poll()}: closing an fd does not wake a poller on Linux.
 */
public final class EventFd {
    private final int fd;
    private final MemorySegment one = Arena.ofAuto().allocate(ValueLayout.JAVA_LONG);

    public EventFd() throws NetringException {
        int r = Syscalls.eventfd(0, LinuxConstants.EFD_CLOEXEC | LinuxConstants.EFD_NONBLOCK);
        this.fd = LinuxErrors.check(r, "eventfd");
        one.set(ValueLayout.JAVA_LONG, 0, 1L);
    }

    public int fd() {
        return fd;
    }

    /** Makes the eventfd readable for good: every later poll including it returns at once. */
    public void signal() {
        Syscalls.write(fd, one, Long.BYTES);
    }

    public void close() {
        Syscalls.close(fd);
    }
}
