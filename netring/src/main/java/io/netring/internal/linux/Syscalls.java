package io.netring.internal.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Every libc downcall netring makes. Internal: nothing outside this package holds a
 * {@link MethodHandle}.
 *
 * <p>Convention, as in the kernel: a call that fails returns {@code -errno} (for {@code mmap},
 * a negative long) instead of throwing, so that the hot path allocates nothing and each caller
 * decides what a given errno means there (see {@link LinuxErrors}). Handles are
 * {@code static final} and called with {@code invokeExact}; errno is captured by the linker
 * into a per-thread segment ({@link Errno}).
 */
public final class Syscalls {
    private Syscalls() {}

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    private static final Linker.Option ERRNO = Linker.Option.captureCallState("errno");

    private static MethodHandle errnoCall(String name, FunctionDescriptor fd, Linker.Option... extra) {
        Linker.Option[] options = new Linker.Option[extra.length + 1];
        options[0] = ERRNO;
        System.arraycopy(extra, 0, options, 1, extra.length);
        return LINKER.downcallHandle(LIBC.find(name).orElseThrow(() -> new UnsatisfiedLinkError("libc has no " + name)), fd, options);
    }

    private static MethodHandle plainCall(String name, FunctionDescriptor fd) {
        return LINKER.downcallHandle(LIBC.find(name).orElseThrow(() -> new UnsatisfiedLinkError("libc has no " + name)), fd);
    }

    private static final MethodHandle SOCKET = errnoCall("socket",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle SETSOCKOPT = errnoCall("setsockopt",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle GETSOCKOPT = errnoCall("getsockopt",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle BIND = errnoCall("bind",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle GETSOCKNAME = errnoCall("getsockname",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle MMAP = errnoCall("mmap",
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG));
    private static final MethodHandle MUNMAP = errnoCall("munmap",
            FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG));
    private static final MethodHandle USLEEP = plainCall("usleep",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle POLL = errnoCall("poll",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
    private static final MethodHandle CLOSE = errnoCall("close",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle SENDTO = errnoCall("sendto",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle RECV = errnoCall("recv",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
    private static final MethodHandle IF_NAMETOINDEX = errnoCall("if_nametoindex",
            FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private static final MethodHandle IOCTL_PTR = errnoCall("ioctl",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS), Linker.Option.firstVariadicArg(2));
    private static final MethodHandle FCNTL_INT = errnoCall("fcntl",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT), Linker.Option.firstVariadicArg(2));
    private static final MethodHandle EVENTFD = errnoCall("eventfd",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle READ = errnoCall("read",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle WRITE = errnoCall("write",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle OPEN = errnoCall("open",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT), Linker.Option.firstVariadicArg(2));
    private static final MethodHandle SETNS = errnoCall("setns",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle EPOLL_CREATE1 = errnoCall("epoll_create1",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle EPOLL_CTL = errnoCall("epoll_ctl",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS));
    private static final MethodHandle EPOLL_WAIT = errnoCall("epoll_wait",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
    private static final MethodHandle SYSCALL3 = errnoCall("syscall",
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, ADDRESS, JAVA_LONG),
            Linker.Option.firstVariadicArg(1));
    private static final MethodHandle SYSCONF = plainCall("sysconf",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT));
    private static final MethodHandle STRERROR = plainCall("strerror",
            FunctionDescriptor.of(ADDRESS, JAVA_INT));

    private static final int SC_PAGESIZE = 30;

    /** The system page size; ring blocks must be a multiple of it. */
    public static final long PAGE_SIZE = pageSize();

    private static long pageSize() {
        try {
            return (long) SYSCONF.invokeExact(SC_PAGESIZE);
        } catch (Throwable t) {
            throw new ExceptionInInitializerError(t);
        }
    }

    private static int fail(MemorySegment state) {
        return -Errno.read(state);
    }

    private static AssertionError unexpected(Throwable t) {
        // invokeExact on a correctly typed static handle only throws what the target throws,
        // and a native function throws nothing Java can see.
        return new AssertionError("downcall failed unexpectedly", t);
    }

    public static int socket(int domain, int type, int protocol) {
        MemorySegment st = Errno.state();
        try {
            int r = (int) SOCKET.invokeExact(st, domain, type, protocol);
            return r < 0 ? fail(st) : r;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    public static int setsockopt(int fd, int level, int option, MemorySegment value, int length) {
        MemorySegment st = Errno.state();
        try {
            int r = (int) SETSOCKOPT.invokeExact(st, fd, level, option, value, length);
            return r < 0 ? fail(st) : r;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** getsockopt; {@code lengthInOut} is a socklen_t (int) cell holding the buffer size. */
    public static int getsockopt(int fd, int level, int option, MemorySegment value, MemorySegment lengthInOut) {
        MemorySegment st = Errno.state();
        try {
            int r = (int) GETSOCKOPT.invokeExact(st, fd, level, option, value, lengthInOut);
            return r < 0 ? fail(st) : r;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    public static int bind(int fd, MemorySegment address, int length) {
        MemorySegment st = Errno.state();
        try {
            int r = (int) BIND.invokeExact(st, fd, address, length);
            return r < 0 ? fail(st) : r;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** getsockname; 0 or {@code -errno}. */
    public static int getsockname(int fd, MemorySegment address, MemorySegment lengthInOut) {
        MemorySegment st = Errno.state();
        try {
            int r = (int) GETSOCKNAME.invokeExact(st, fd, address, lengthInOut);
            return r < 0 ? fail(st) : r;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** mmap; returns the address, or {@code -errno} (addresses are never negative in user space). */
    public static long mmap(long length, int prot, int flags, int fd, long offset) {
        MemorySegment st = Errno.state();
        try {
            long r = (long) MMAP.invokeExact(st, 0L, length, prot, flags, fd, offset);
            return r == -1L ? fail(st) : r;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    public static int munmap(long address, long length) {
        MemorySegment st = Errno.state();
        try {
            int r = (int) MUNMAP.invokeExact(st, address, length);
            return r < 0 ? fail(st) : r;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /**
     * usleep: the calling thread sleeps {@code micros} microseconds (unsigned) or until a signal;
     * 0, or -1 when a signal cut it short. errno is not captured: either way the caller looks again.
     */
    public static int usleep(int micros) {
        try {
            return (int) USLEEP.invokeExact(micros);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** poll over {@code count} pollfd structs; returns the ready count, 0 on timeout, or -errno. */
    public static int poll(MemorySegment pollfds, long count, int timeoutMillis) {
        MemorySegment st = Errno.state();
        try {
            int r = (int) POLL.invokeExact(st, pollfds, count, timeoutMillis);
            return r < 0 ? fail(st) : r;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    public static int close(int fd) {
        MemorySegment st = Errno.state();
        try {
            int r = (int) CLOSE.invokeExact(st, fd);
            return r < 0 ? fail(st) : r;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** sendto; {@code address} may be {@link MemorySegment#NULL} with length 0. */
    public static long sendto(int fd, MemorySegment buffer, long length, int flags, MemorySegment address, int addressLength) {
        MemorySegment st = Errno.state();
        try {
            long r = (long) SENDTO.invokeExact(st, fd, buffer, length, flags, address, addressLength);
            return r < 0 ? fail(st) : r;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    public static long recv(int fd, MemorySegment buffer, long length, int flags) {
        MemorySegment st = Errno.state();
        try {
            long r = (long) RECV.invokeExact(st, fd, buffer, length, flags);
            return r < 0 ? fail(st) : r;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** if_nametoindex; returns the index, or -errno when there is no such interface. */
    public static int ifNameToIndex(String name) {
        MemorySegment st = Errno.state();
        try (Arena arena = Arena.ofConfined()) {
            int r = (int) IF_NAMETOINDEX.invokeExact(st, arena.allocateFrom(name));
            return r == 0 ? fail(st) : r;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    public static int ioctl(int fd, long request, MemorySegment argument) {
        MemorySegment st = Errno.state();
        try {
            int r = (int) IOCTL_PTR.invokeExact(st, fd, request, argument);
            return r < 0 ? fail(st) : r;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** {@code fcntl(fd, command, argument)} with an int argument; the result or -errno. */
    public static int fcntl(int fd, int command, int argument) {
        MemorySegment st = Errno.state();
        try {
            int r = (int) FCNTL_INT.invokeExact(st, fd, command, argument);
            return r < 0 ? fail(st) : r;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    public static int eventfd(int initial, int flags) {
        MemorySegment st = Errno.state();
        try {
            int r = (int) EVENTFD.invokeExact(st, initial, flags);
            return r < 0 ? fail(st) : r;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    public static long read(int fd, MemorySegment buffer, long length) {
        MemorySegment st = Errno.state();
        try {
            long r = (long) READ.invokeExact(st, fd, buffer, length);
            return r < 0 ? fail(st) : r;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    public static long write(int fd, MemorySegment buffer, long length) {
        MemorySegment st = Errno.state();
        try {
            long r = (long) WRITE.invokeExact(st, fd, buffer, length);
            return r < 0 ? fail(st) : r;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    public static int open(String path, int flags) {
        MemorySegment st = Errno.state();
        try (Arena arena = Arena.ofConfined()) {
            int r = (int) OPEN.invokeExact(st, arena.allocateFrom(path), flags);
            return r < 0 ? fail(st) : r;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** setns: moves the calling thread into the namespace behind {@code fd}. */
    public static int setns(int fd, int nstype) {
        MemorySegment st = Errno.state();
        try {
            int r = (int) SETNS.invokeExact(st, fd, nstype);
            return r < 0 ? fail(st) : r;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    public static int epollCreate1(int flags) {
        MemorySegment st = Errno.state();
        try {
            int r = (int) EPOLL_CREATE1.invokeExact(st, flags);
            return r < 0 ? fail(st) : r;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    public static int epollCtl(int epfd, int op, int fd, MemorySegment event) {
        MemorySegment st = Errno.state();
        try {
            int r = (int) EPOLL_CTL.invokeExact(st, epfd, op, fd, event);
            return r < 0 ? fail(st) : r;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    public static int epollWait(int epfd, MemorySegment events, int maxEvents, int timeoutMillis) {
        MemorySegment st = Errno.state();
        try {
            int r = (int) EPOLL_WAIT.invokeExact(st, epfd, events, maxEvents, timeoutMillis);
            return r < 0 ? fail(st) : r;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** syscall(number, a, ptr, c): enough for bpf(cmd, attr, size). */
    public static long syscall(long number, long a, MemorySegment b, long c) {
        MemorySegment st = Errno.state();
        try {
            long r = (long) SYSCALL3.invokeExact(st, number, a, b, c);
            return r < 0 ? fail(st) : r;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** The C library's description of an errno value ("Cannot allocate memory"). */
    public static String strerror(int errno) {
        try {
            MemorySegment text = (MemorySegment) STRERROR.invokeExact(errno);
            return text.reinterpret(256).getString(0);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }
}
