package io.netring.afpacket;

import io.netring.InterfaceNotFoundException;
import io.netring.NetringException;
import io.netring.internal.linux.LinuxErrors;
import io.netring.internal.linux.KernelLayouts;
import io.netring.internal.linux.Syscalls;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;

import static io.netring.internal.linux.KernelLayouts.PACKET_MREQ;
import static io.netring.internal.linux.KernelLayouts.SOCKADDR_LL;
import static io.netring.internal.linux.KernelLayouts.TPACKET_STATS_V3;
import static io.netring.internal.linux.KernelLayouts.offset;
import static io.netring.internal.linux.LinuxConstants.*;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * One AF_PACKET socket: its fd and the options, bind and membership calls made on it.
 *
 * <p>Each method turns a failure into an exception that says which call failed and, for a
 * refused privilege, which capability is missing. Argument structs live in a confined arena
 * for the duration of the call.
 */
public final class PacketSocket {
    private final int fd;
    private final String interfaceName;
    private final int ifIndex;

    private PacketSocket(int fd, String interfaceName, int ifIndex) {
        this.fd = fd;
        this.interfaceName = interfaceName;
        this.ifIndex = ifIndex;
    }

    /** The index of {@code name} in the calling thread's network namespace. */
    public static int interfaceIndex(String name) throws InterfaceNotFoundException {
        int index = Syscalls.ifNameToIndex(name);
        if (index < 0) {
            throw new InterfaceNotFoundException(name, "if_nametoindex", -index);
        }
        return index;
    }

    /**
     * Opens a packet socket with protocol 0: it receives nothing until {@link #bind}, so no
     * packet of another interface can slip into the ring while it is being set up.
     */
    public static PacketSocket open(String interfaceName) throws NetringException {
        int ifIndex = interfaceIndex(interfaceName);
        int fd = Syscalls.socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
        if (fd < 0) {
            throw LinuxErrors.exception("socket(AF_PACKET, SOCK_RAW)", -fd, "CAP_NET_RAW",
                    "cannot open a packet socket for " + interfaceName);
        }
        return new PacketSocket(fd, interfaceName, ifIndex);
    }

    public int fd() {
        return fd;
    }

    public int ifIndex() {
        return ifIndex;
    }

    /**
     * True once the bound interface was deleted: the kernel then sets the socket's interface
     * index to -1 (getsockname reports it), whereas a link that only went down keeps it. Works
     * whatever network namespace the calling thread is in.
     */
    public boolean interfaceDeleted() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment sll = arena.allocate(KernelLayouts.SOCKADDR_LL);
            MemorySegment len = arena.allocateFrom(JAVA_INT, (int) KernelLayouts.SOCKADDR_LL.byteSize());
            if (Syscalls.getsockname(fd, sll, len) < 0) {
                return false;
            }
            return sll.get(JAVA_INT, KernelLayouts.offset(KernelLayouts.SOCKADDR_LL, "sll_ifindex")) != ifIndex;
        }
    }

    public String interfaceName() {
        return interfaceName;
    }

    /** setsockopt with an int value; returns 0 or -errno (callers decide what a failure means). */
    public int trySetInt(int level, int option, int value) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment v = arena.allocateFrom(JAVA_INT, value);
            return Syscalls.setsockopt(fd, level, option, v, Integer.BYTES);
        }
    }

    /** setsockopt with an int value, throwing a NetringException named {@code call}. */
    public void setInt(int level, int option, int value, String call) throws NetringException {
        int r = trySetInt(level, option, value);
        if (r < 0) {
            throw LinuxErrors.exception(call, -r, "CAP_NET_RAW", "on " + interfaceName);
        }
    }

    /** setsockopt with a struct value; returns 0 or -errno. */
    public int trySetStruct(int level, int option, MemorySegment value) {
        return Syscalls.setsockopt(fd, level, option, value, (int) value.byteSize());
    }

    /** getsockopt of an int value. */
    public int getInt(int level, int option, String call) throws NetringException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment v = arena.allocate(JAVA_INT);
            MemorySegment len = arena.allocateFrom(JAVA_INT, Integer.BYTES);
            LinuxErrors.check(Syscalls.getsockopt(fd, level, option, v, len), call);
            return v.get(JAVA_INT, 0);
        }
    }

    /** Selects TPACKET_V3 (V2 for TX fallback); fails clearly on kernels that lack it. */
    public void setVersion(int version) throws NetringException {
        int r = trySetInt(SOL_PACKET, PACKET_VERSION, version);
        if (r < 0) {
            throw LinuxErrors.exception("setsockopt(PACKET_VERSION=" + (version == TPACKET_V3 ? "TPACKET_V3" : version) + ")",
                    -r, "CAP_NET_RAW", "kernel refused the ring version (TPACKET_V3 needs Linux 3.2 or newer)");
        }
    }

    /**
     * Binds to the interface for every protocol. This is the moment the socket starts seeing
     * packets, so it comes after the ring exists.
     */
    public void bind() throws NetringException {
        bind(ETH_P_ALL);
    }

    /**
     * Binds to the interface for {@code protocol} (host order). A TX-only socket binds with 0:
     * it then sends through the interface but receives nothing, so no receive queue builds up.
     */
    public void bind(int protocol) throws NetringException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment sll = sockaddr(arena, ifIndex, protocol);
            int r = Syscalls.bind(fd, sll, (int) SOCKADDR_LL.byteSize());
            if (r < 0) {
                throw LinuxErrors.exception("bind(sockaddr_ll)", -r, "CAP_NET_RAW", "cannot bind to " + interfaceName);
            }
        }
    }

    /** A sockaddr_ll for {@code ifIndex} and {@code protocol} (host order; stored big-endian). */
    public static MemorySegment sockaddr(Arena arena, int ifIndex, int protocol) {
        MemorySegment sll = arena.allocate(SOCKADDR_LL);
        sll.set(JAVA_SHORT, offset(SOCKADDR_LL, "sll_family"), (short) AF_PACKET);
        sll.set(JAVA_SHORT, offset(SOCKADDR_LL, "sll_protocol"), Short.reverseBytes((short) protocol));
        sll.set(JAVA_INT, offset(SOCKADDR_LL, "sll_ifindex"), ifIndex);
        return sll;
    }

    /** Joins (or leaves) promiscuous mode through a membership, which the kernel undoes on close. */
    public void promiscuous(boolean join) throws NetringException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment mreq = arena.allocate(PACKET_MREQ);
            mreq.set(JAVA_INT, offset(PACKET_MREQ, "mr_ifindex"), ifIndex);
            mreq.set(JAVA_SHORT, offset(PACKET_MREQ, "mr_type"), (short) PACKET_MR_PROMISC);
            int option = join ? PACKET_ADD_MEMBERSHIP : PACKET_DROP_MEMBERSHIP;
            int r = trySetStruct(SOL_PACKET, option, mreq);
            if (r < 0) {
                throw LinuxErrors.exception("setsockopt(" + (join ? "PACKET_ADD_MEMBERSHIP" : "PACKET_DROP_MEMBERSHIP")
                        + ", PACKET_MR_PROMISC)", -r, "CAP_NET_ADMIN", "promiscuous mode on " + interfaceName);
            }
        }
    }

    /** Reads and resets the kernel's counters: {packets (drops included), drops, queue freezes}. */
    public int[] readStatistics() throws NetringException {
        try (Arena arena = Arena.ofConfined()) {
            StructLayout layout = TPACKET_STATS_V3;
            MemorySegment st = arena.allocate(layout);
            MemorySegment len = arena.allocateFrom(JAVA_INT, (int) layout.byteSize());
            LinuxErrors.check(Syscalls.getsockopt(fd, SOL_PACKET, PACKET_STATISTICS, st, len),
                    "getsockopt(PACKET_STATISTICS)");
            return new int[] {
                st.get(JAVA_INT, offset(layout, "tp_packets")),
                st.get(JAVA_INT, offset(layout, "tp_drops")),
                st.get(JAVA_INT, offset(layout, "tp_freeze_q_cnt")),
            };
        }
    }

    /** Reads and clears SO_ERROR: the errno a POLLERR stands for. */
    public int pendingError() throws NetringException {
        return getInt(SOL_SOCKET, SO_ERROR, "getsockopt(SO_ERROR)");
    }

    public void close() {
        Syscalls.close(fd);
    }
}
