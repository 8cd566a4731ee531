package io.netring.internal.linux;

import io.netring.NetringException;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static io.netring.internal.linux.LinuxConstants.SOL_SOCKET;
import static io.netring.internal.linux.LinuxConstants.SO_ERROR;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * A socket file descriptor and the calls made on it, as Netty's {@code LinuxSocket}: options,
 * bind, the empty {@code sendto} that kicks a TX ring, close. Calls return 0 (or a count) or
 * {@code -errno}, so the caller words the failure; argument structs live in a confined arena
 * for the duration of a call.
 */
public final class LinuxSocket {
    private final int fd;

    private LinuxSocket(int fd) {
        this.fd = fd;
    }

    /** {@code socket(domain, type, protocol)}: the new fd, or -errno. */
    public static int create(int domain, int type, int protocol) {
        return Syscalls.socket(domain, type, protocol);
    }

    /** The socket whose fd {@link #create} returned; it owns the fd from now on. */
    public static LinuxSocket of(int fd) {
        return new LinuxSocket(fd);
    }

    public int fd() {
        return fd;
    }

    /** setsockopt with an int value; 0 or -errno. */
    public int setInt(int level, int option, int value) {
        try (Arena arena = Arena.ofConfined()) {
            return Syscalls.setsockopt(fd, level, option, arena.allocateFrom(JAVA_INT, value), Integer.BYTES);
        }
    }

    /** setsockopt with a struct value; 0 or -errno. */
    public int setStruct(int level, int option, MemorySegment value) {
        return Syscalls.setsockopt(fd, level, option, value, (int) value.byteSize());
    }

    /** getsockopt of an int value, throwing a NetringException named {@code call}. */
    public int getInt(int level, int option, String call) throws NetringException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment v = arena.allocate(JAVA_INT);
            MemorySegment len = arena.allocateFrom(JAVA_INT, Integer.BYTES);
            LinuxErrors.check(Syscalls.getsockopt(fd, level, option, v, len), call);
            return v.get(JAVA_INT, 0);
        }
    }

    /** getsockopt filling {@code value} (its size is the length given); 0 or -errno. */
    public int getStruct(int level, int option, MemorySegment value) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment len = arena.allocateFrom(JAVA_INT, (int) value.byteSize());
            return Syscalls.getsockopt(fd, level, option, value, len);
        }
    }

    /** bind to {@code address}; 0 or -errno. */
    public int bind(MemorySegment address) {
        return Syscalls.bind(fd, address, (int) address.byteSize());
    }

    /**
     * {@code sendto(fd, NULL, 0, flags, address)}, address NULL for none: bytes sent or
     * -errno. With nothing to send, it asks the kernel to send what a TX ring holds.
     */
    public long sendEmpty(int flags, MemorySegment address) {
        int length = address.equals(MemorySegment.NULL) ? 0 : (int) address.byteSize();
        return Syscalls.sendto(fd, MemorySegment.NULL, 0, flags, address, length);
    }

    /**
     * {@code recvfrom(fd, NULL, 0, flags, NULL, NULL)}: 0 or -errno. On an AF_XDP socket it
     * wakes the driver to go on filling the RX ring from the fill ring.
     */
    public long receiveEmpty(int flags) {
        return Syscalls.recv(fd, MemorySegment.NULL, 0, flags);
    }

    /** Reads and clears SO_ERROR of {@code fd}: the errno a POLLERR stands for, 0 for none (or getsockopt's own errno). */
    public static int pendingError(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment value = arena.allocate(JAVA_INT);
            MemorySegment length = arena.allocateFrom(JAVA_INT, (int) JAVA_INT.byteSize());
            int r = Syscalls.getsockopt(fd, SOL_SOCKET, SO_ERROR, value, length);
            return r < 0 ? -r : value.get(JAVA_INT, 0);
        }
    }

    /**
     * The interface index getsockname reports for this packet socket, or {@code Integer.MIN_VALUE}
     * when getsockname fails. The kernel sets it to -1 once the bound interface is deleted.
     */
    public int boundIfIndex() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment sll = arena.allocate(KernelLayouts.SOCKADDR_LL);
            MemorySegment len = arena.allocateFrom(JAVA_INT, (int) KernelLayouts.SOCKADDR_LL.byteSize());
            if (Syscalls.getsockname(fd, sll, len) < 0) {
                return Integer.MIN_VALUE;
            }
            return sll.get(JAVA_INT, KernelLayouts.offset(KernelLayouts.SOCKADDR_LL, "sll_ifindex"));
        }
    }

    public void close() {
        Syscalls.close(fd);
    }
}
