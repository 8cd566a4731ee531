package io.netring.afpacket;

import io.netring.NetringException;
import io.netring.internal.linux.Errno;
import io.netring.internal.linux.LinuxErrors;
import io.netring.internal.linux.LinuxSocket;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static io.netring.internal.linux.KernelLayouts.SOCK_FILTER;
import static io.netring.internal.linux.KernelLayouts.SOCK_FPROG;
import static io.netring.internal.linux.KernelLayouts.offset;
import static io.netring.internal.linux.LinuxConstants.*;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * Socket filters on a packet socket: attach a classic program (SO_ATTACH_FILTER) or an eBPF
 * one (SO_ATTACH_BPF), detach. Locking is {@link PacketSocket#lockFilter()}; replacing a filter
 * on a live ring, which also drains the ring, is {@link RxChannel#drain}'s part.
 */
public final class SocketFilters {
    private SocketFilters() {}

    /** A {@code struct sock_fprog} pointing at the program's {@code sock_filter} array, both in {@code arena}. */
    public static MemorySegment fprog(Arena arena, CbpfCode program) {
        MemorySegment insns = arena.allocate(SOCK_FILTER, program.size());
        long size = SOCK_FILTER.byteSize();
        for (int i = 0; i < program.size(); i++) {
            long base = i * size;
            insns.set(JAVA_SHORT, base + offset(SOCK_FILTER, "code"), (short) program.code(i));
            insns.set(JAVA_BYTE, base + offset(SOCK_FILTER, "jt"), (byte) program.jt(i));
            insns.set(JAVA_BYTE, base + offset(SOCK_FILTER, "jf"), (byte) program.jf(i));
            insns.set(JAVA_INT, base + offset(SOCK_FILTER, "k"), program.k(i));
        }
        MemorySegment fprog = arena.allocate(SOCK_FPROG);
        fprog.set(JAVA_SHORT, offset(SOCK_FPROG, "len"), (short) program.size());
        fprog.set(ADDRESS, offset(SOCK_FPROG, "filter"), insns);
        return fprog;
    }

    /** Attaches what {@code filter} holds, if anything (the lock comes last, separately). */
    public static void attach(PacketSocket socket, FilterSpec filter) throws NetringException {
        if (filter.classic() != null) {
            attach(socket, filter.classic());
        } else if (filter.hasEbpf()) {
            attachEbpf(socket, filter.ebpfFd());
        }
    }

    /** SO_ATTACH_FILTER: replaces whatever filter the socket had, atomically for the kernel. */
    public static void attach(PacketSocket socket, CbpfCode program) throws NetringException {
        try (Arena arena = Arena.ofConfined()) {
            int r = socket.trySetStruct(SOL_SOCKET, SO_ATTACH_FILTER, fprog(arena, program));
            if (r < 0) {
                throw refused("setsockopt(SO_ATTACH_FILTER)", -r, socket,
                        "classic BPF program of " + program.size() + " instructions");
            }
        }
    }

    /**
     * Attaches {@code program} to a scratch UDP socket and closes it: the kernel checks a program
     * the same way on any socket, so a program it refuses is known before the live filter of
     * {@code socket} is touched. Nothing is checked when no scratch socket can be had.
     * @throws NetringException as {@link #attach} would, naming {@code socket}'s interface
     */
    public static void check(PacketSocket socket, CbpfCode program) throws NetringException {
        int fd = LinuxSocket.create(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        if (fd < 0) {
            return;
        }
        LinuxSocket scratch = LinuxSocket.of(fd);
        try (Arena arena = Arena.ofConfined()) {
            int r = scratch.setStruct(SOL_SOCKET, SO_ATTACH_FILTER, fprog(arena, program));
            if (r < 0) {
                throw refused("setsockopt(SO_ATTACH_FILTER)", -r, socket,
                        "classic BPF program of " + program.size() + " instructions");
            }
        } finally {
            scratch.close();
        }
    }

    /** {@link #check(PacketSocket, CbpfCode)} for an eBPF program fd. */
    public static void checkEbpf(PacketSocket socket, int programFd) throws NetringException {
        int fd = LinuxSocket.create(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        if (fd < 0) {
            return;
        }
        LinuxSocket scratch = LinuxSocket.of(fd);
        try {
            int r = scratch.setInt(SOL_SOCKET, SO_ATTACH_BPF, programFd);
            if (r < 0) {
                throw refused("setsockopt(SO_ATTACH_BPF)", -r, socket, "eBPF program fd " + programFd);
            }
        } finally {
            scratch.close();
        }
    }

    /** SO_ATTACH_BPF with the fd of a loaded BPF_PROG_TYPE_SOCKET_FILTER program. */
    public static void attachEbpf(PacketSocket socket, int programFd) throws NetringException {
        int r = socket.trySetInt(SOL_SOCKET, SO_ATTACH_BPF, programFd);
        if (r < 0) {
            throw refused("setsockopt(SO_ATTACH_BPF)", -r, socket, "eBPF program fd " + programFd);
        }
    }

    /** SO_DETACH_FILTER; having no filter is not an error. */
    public static void detach(PacketSocket socket) throws NetringException {
        int r = socket.trySetInt(SOL_SOCKET, SO_DETACH_FILTER, 0);
        if (r < 0 && r != -Errno.ENOENT) {
            throw refused("setsockopt(SO_DETACH_FILTER)", -r, socket, "detaching the filter");
        }
    }

    private static NetringException refused(String call, int errno, PacketSocket socket, String what) {
        String context = switch (errno) {
            case Errno.EINVAL -> "the kernel rejected the " + what + " on " + socket.interfaceName()
                    + " (invalid opcode, jump or memory slot, or the wrong program type)";
            case Errno.EBADF -> "the " + what + " is not an open BPF program";
            case Errno.EPERM -> "the filter of the socket on " + socket.interfaceName()
                    + " is locked (SO_LOCK_FILTER) and cannot be changed";
            case Errno.ENOMEM -> "the " + what + " does not fit the socket's option memory (net.core.optmem_max)";
            default -> what + " on " + socket.interfaceName();
        };
        if (errno == Errno.EPERM) {
            return LinuxErrors.failure(context + ": " + call + " failed with " + LinuxErrors.describe(errno), call, errno);
        }
        return LinuxErrors.exception(call, errno, "CAP_NET_RAW", context);
    }
}
