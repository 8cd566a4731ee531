package io.netring.internal.linux;

import static io.netring.internal.linux.LinuxConstants.MAP_LOCKED;
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

    /** Unmaps what {@link #mapShared} returned; 0 or -errno. */
    public static int unmap(long address, long size) {
        return Syscalls.munmap(address, size);
    }
}
