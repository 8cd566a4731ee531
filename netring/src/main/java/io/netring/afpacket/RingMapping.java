package io.netring.afpacket;

import io.netring.NetringException;
import io.netring.internal.linux.Errno;
import io.netring.internal.linux.LinuxErrors;
import io.netring.internal.linux.Mmap;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The ring's shared mapping.
 *
 * <p>{@link #raw()} spans the whole mapping with no lifetime checks; only code that holds a use
 * of the owner's {@link ResourceGuard} touches it. {@link #scoped()} is the same memory scoped
 * to a shared arena that is closed before {@code munmap}: code may touch the ring through it
 * without holding a use, since an access racing the close throws instead of reaching unmapped
 * memory (closing a shared arena waits out every access in progress). {@link #view()} is its
 * read-only form, the one users may see.
 */
public final class RingMapping {
    private static final System.Logger LOG = System.getLogger("io.netring");
    private static final AtomicBoolean LOCK_WARNED = new AtomicBoolean();

    private final long address;
    private final long size;
    private final MemorySegment raw;
    private final Arena viewArena = Arena.ofShared();
    private final MemorySegment scoped;
    private final MemorySegment view;

    private RingMapping(long address, long size) {
        this.address = address;
        this.size = size;
        this.raw = MemorySegment.ofAddress(address).reinterpret(size);
        this.scoped = raw.reinterpret(viewArena, null);
        this.view = scoped.asReadOnly();
    }

    /**
     * Maps {@code size} bytes of the socket's rings. With {@code lock}, asks for MAP_LOCKED first;
     * when the kernel refuses the lock (no CAP_IPC_LOCK, RLIMIT_MEMLOCK too low) it maps again
     * without it and warns once per process.
     *
     * @return the mapping, or null when the kernel answered ENOMEM (the caller may shrink)
     */
    public static RingMapping map(int fd, long size, boolean lock, String interfaceName) throws NetringException {
        long addr;
        if (lock) {
            addr = Mmap.mapShared(fd, size, true);
            if (addr < 0) {
                int errno = (int) -addr;
                if (errno == Errno.EPERM || errno == Errno.EAGAIN || errno == Errno.ENOMEM) {
                    if (LOCK_WARNED.compareAndSet(false, true)) {
                        LOG.log(System.Logger.Level.WARNING, "could not lock the " + RingGeometry.describeBytes(size)
                                + " ring of " + interfaceName + " in memory (mmap MAP_LOCKED: "
                                + Errno.name(errno) + "); continuing unlocked. Grant CAP_IPC_LOCK or raise "
                                + "`ulimit -l` to keep the ring from being paged out.");
                    }
                    addr = Mmap.mapShared(fd, size, false);
                }
            }
        } else {
            addr = Mmap.mapShared(fd, size, false);
        }
        if (addr == -Errno.ENOMEM) {
            return null;
        }
        if (addr < 0) {
            throw LinuxErrors.exception("mmap(" + size + " bytes)", (int) -addr, "CAP_IPC_LOCK",
                    "cannot map the ring of " + interfaceName);
        }
        return new RingMapping(addr, size);
    }

    public long address() {
        return address;
    }

    public long size() {
        return size;
    }

    /** Unchecked view of the whole mapping; valid only while the owner's guard is held. */
    public MemorySegment raw() {
        return raw;
    }

    /**
     * The whole mapping, writable, scoped to the arena closed before {@code munmap}: throws
     * IllegalStateException once the ring is unmapped. For code that does not hold a guard use.
     */
    public MemorySegment scoped() {
        return scoped;
    }

    /** Read-only view for users; throws IllegalStateException once the ring is unmapped. */
    public MemorySegment view() {
        return view;
    }

    /**
     * Tears a ring down in the kernel's examples' order: unmaps {@code mapping} (when there is
     * one yet), then closes {@code socket}.
     */
    static void unmapThenClose(RingMapping mapping, PacketSocket socket) {
        if (mapping != null) {
            mapping.unmap();
        }
        socket.close();
    }

    /**
     * Invalidates the user view, then unmaps. If another thread is reading the view at this very
     * moment the JDK refuses to close its arena; the mapping is then left in place (a leak, never
     * a crash) and the failure logged.
     */
    public void unmap() {
        try {
            viewArena.close();
        } catch (IllegalStateException busy) {
            LOG.log(System.Logger.Level.ERROR, "ring view still in use at close; leaving " + size + " bytes mapped", busy);
            return;
        }
        Mmap.unmap(address, size);
    }
}
