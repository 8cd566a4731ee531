package io.netring.internal.linux;

import static io.netring.internal.linux.LinuxConstants.MAP_ANONYMOUS;
import static io.netring.internal.linux.LinuxConstants.MAP_LOCKED;
import static io.netring.internal.linux.LinuxConstants.MAP_POPULATE;
import static io.netring.internal.linux.LinuxConstants.MAP_PRIVATE;
import static io.netring.internal.linux.LinuxConstants.MAP_SHARED;
import static io.netring.internal.linux.LinuxConstants.PROT_READ;
import static io.netring.internal.linux.LinuxConstants.PROT_WRITE;

/** Shared read-write mappings of an fd (the rings), and the page size they are made of. */
public final class Mmap {
    private Mmap() {}

    /** The system's page size, which ring blocks must be multiples of. */
    public static final long PAGE_SIZE = Syscalls.PAGE_SIZE;

    /** Maps {@code size} bytes of {@code fd} at offset 0, MAP_LOCKED with {@code locked}: the address, or -errno. */
    public static long mapShared(int fd, long size, boolean locked) {
        return Syscalls.mmap(size, PROT_READ | PROT_WRITE, locked ? MAP_SHARED | MAP_LOCKED : MAP_SHARED, fd, 0);
    }

    /**
     * Maps {@code size} bytes of {@code fd} at {@code offset} (the page offsets AF_XDP names its
     * rings by), populated so the first touch does not fault: the address, or -errno.
     */
    public static long mapShared(int fd, long size, long offset) {
        return Syscalls.mmap(size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, fd, offset);
    }

    /** Maps {@code size} bytes of zeroed, page-aligned private memory (an AF_XDP UMEM): the address, or -errno. */
    public static long mapAnonymous(long size) {
        return Syscalls.mmap(size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
    }

    /** Unmaps what a {@code map*} method returned; 0 or -errno. */
    public static int unmap(long address, long size) {
        return Syscalls.munmap(address, size);
    }
}
