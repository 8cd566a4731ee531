package io.netring.afpacket;

import io.netring.InterfaceNotFoundException;
import io.netring.NetringException;
import io.netring.internal.linux.InterfaceQuery;
import io.netring.internal.linux.LinuxErrors;
import io.netring.internal.linux.LinuxSocket;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

import static io.netring.internal.linux.KernelLayouts.PACKET_MREQ;
import static io.netring.internal.linux.KernelLayouts.SOCKADDR_LL;
import static io.netring.internal.linux.KernelLayouts.TPACKET_STATS_V3;
import static io.netring.internal.linux.KernelLayouts.offset;
import static io.netring.internal.linux.LinuxConstants.*;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * One AF_PACKET socket: its fd and one typed method per option, bind and membership call made
 * on it, so that setting a socket up reads as a list of intents.
 *
 * <p>Each method turns a failure into an exception that says which call failed and, for a
 * refused privilege, which capability is missing.
 */
public final class PacketSocket {
    /** {@link #kick(int)}: the queued frames do not share one EtherType. */
    public static final int MIXED = -1;
    private static final ValueLayout.OfShort BIG_ENDIAN_SHORT =
            ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final long SLL_PROTOCOL_OFFSET = offset(SOCKADDR_LL, "sll_protocol");

    private final LinuxSocket socket;
    private final String interfaceName;
    private final int ifIndex;
    /** sockaddr_ll for kicks that name a protocol; made on the first such kick. */
    private MemorySegment kickAddress;
    private int kickAddressProtocol = MIXED;

    private PacketSocket(LinuxSocket socket, String interfaceName, int ifIndex) {
        this.socket = socket;
        this.interfaceName = interfaceName;
        this.ifIndex = ifIndex;
    }

    /** The index of {@code name} in the calling thread's network namespace. */
    public static int interfaceIndex(String name) throws InterfaceNotFoundException {
        return InterfaceQuery.index(name);
    }

    /**
     * Opens a packet socket with protocol 0: it receives nothing until {@link #bind}, so no
     * packet of another interface can slip into the ring while it is being set up.
     */
    public static PacketSocket open(String interfaceName) throws NetringException {
        int ifIndex = interfaceIndex(interfaceName);
        int fd = LinuxSocket.create(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
        if (fd < 0) {
            throw LinuxErrors.exception("socket(AF_PACKET, SOCK_RAW)", -fd, "CAP_NET_RAW",
                    "cannot open a packet socket for " + interfaceName);
        }
        return new PacketSocket(LinuxSocket.of(fd), interfaceName, ifIndex);
    }

    public int fd() {
        return socket.fd();
    }

    /**
     * True once the bound interface was deleted: the kernel then sets the socket's interface
     * index to -1 (getsockname reports it), whereas a link that only went down keeps it. Works
     * whatever network namespace the calling thread is in.
     */
    public boolean interfaceDeleted() {
        int bound = socket.boundIfIndex();
        return bound != Integer.MIN_VALUE && bound != ifIndex;
    }

    public int ifIndex() {
        return ifIndex;
    }

    public String interfaceName() {
        return interfaceName;
    }

    /** setsockopt with an int value; returns 0 or -errno (callers decide what a failure means). */
    int trySetInt(int level, int option, int value) {
        return socket.setInt(level, option, value);
    }

    /** setsockopt with an int value, throwing a NetringException named {@code call}. */
    private void setInt(int level, int option, int value, String call) throws NetringException {
        int r = trySetInt(level, option, value);
        if (r < 0) {
            throw LinuxErrors.exception(call, -r, "CAP_NET_RAW", "on " + interfaceName);
        }
    }

    /** setsockopt with a struct value; returns 0 or -errno. */
    int trySetStruct(int level, int option, MemorySegment value) {
        return socket.setStruct(level, option, value);
    }

    /** getsockopt of an int value. */
    int getInt(int level, int option, String call) throws NetringException {
        return socket.getInt(level, option, call);
    }

    /** Selects TPACKET_V3 (V2 for TX fallback); fails clearly on kernels that lack it. */
    public void setVersion(int version) throws NetringException {
        int r = trySetInt(SOL_PACKET, PACKET_VERSION, version);
        if (r < 0) {
            throw LinuxErrors.exception("setsockopt(PACKET_VERSION=" + (version == TPACKET_V3 ? "TPACKET_V3" : version) + ")",
                    -r, "CAP_NET_RAW", "kernel refused the ring version (TPACKET_V3 needs Linux 3.2 or newer)");
        }
    }

    /** PACKET_RESERVE: {@code bytes} of headroom before each packet; only before a ring exists. */
    public void setReserve(int bytes) throws NetringException {
        setInt(SOL_PACKET, PACKET_RESERVE, bytes, "setsockopt(PACKET_RESERVE)");
    }

    /** PACKET_TIMESTAMP with SOF_TIMESTAMPING_* {@code flags}; {@code clock} names them in a message. */
    public void setTimestamping(int flags, String clock) throws NetringException {
        setInt(SOL_PACKET, PACKET_TIMESTAMP, flags, "setsockopt(PACKET_TIMESTAMP=" + clock + ")");
    }

    /** PACKET_IGNORE_OUTGOING: the socket sees no packet this host sends. */
    public void setIgnoreOutgoing() throws NetringException {
        setInt(SOL_PACKET, PACKET_IGNORE_OUTGOING, 1, "setsockopt(PACKET_IGNORE_OUTGOING) (needs Linux 4.20)");
    }

    /** SO_BUSY_POLL of {@code micros}; raising it above the system default needs CAP_NET_ADMIN. */
    public void setBusyPoll(int micros) throws NetringException {
        int r = trySetInt(SOL_SOCKET, SO_BUSY_POLL, micros);
        if (r < 0) {
            throw LinuxErrors.exception("setsockopt(SO_BUSY_POLL=" + micros + "us)", -r,
                    "CAP_NET_ADMIN", "busy polling on " + interfaceName);
        }
    }

    /** PACKET_LOSS: the kernel steps over a TX frame it rejects instead of stopping on it. */
    public void setLoss() throws NetringException {
        setInt(SOL_PACKET, PACKET_LOSS, 1, "setsockopt(PACKET_LOSS)");
    }

    /** PACKET_QDISC_BYPASS: TX frames go straight to the driver, skipping traffic control. */
    public void setQdiscBypass() throws NetringException {
        setInt(SOL_PACKET, PACKET_QDISC_BYPASS, 1, "setsockopt(PACKET_QDISC_BYPASS) (needs Linux 3.14)");
    }

    /** SO_LOCK_FILTER: from now on the filter cannot be changed or removed until the socket closes. */
    public void lockFilter() throws NetringException {
        setInt(SOL_SOCKET, SO_LOCK_FILTER, 1, "setsockopt(SO_LOCK_FILTER)");
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
            int r = socket.bind(sockaddr(arena, ifIndex, protocol));
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
    public void setPromiscuous(boolean join) throws NetringException {
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
            LinuxErrors.check(socket.getStruct(SOL_PACKET, PACKET_STATISTICS, st), "getsockopt(PACKET_STATISTICS)");
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

    /**
     * Asks the kernel to send what the TX ring holds ({@code sendto} with no data, MSG_DONTWAIT),
     * naming {@code address} (a sockaddr_ll, or NULL): bytes sent, or -errno.
     */
    public long kick(MemorySegment address) {
        return socket.sendEmpty(MSG_DONTWAIT, address);
    }

    /**
     * {@link #kick(MemorySegment)} naming {@code protocol}, when every queued frame has that
     * EtherType: the kernel then need not parse each frame's link header to find it (as for a
     * socket bound to it). {@link #MIXED} names none.
     */
    public long kick(int protocol) {
        if (protocol == MIXED) {
            return kick(MemorySegment.NULL);
        }
        if (kickAddress == null) {
            kickAddress = sockaddr(Arena.ofAuto(), ifIndex, 0);
        }
        if (kickAddressProtocol != protocol) {
            kickAddress.set(BIG_ENDIAN_SHORT, SLL_PROTOCOL_OFFSET, (short) protocol);
            kickAddressProtocol = protocol;
        }
        return kick(kickAddress);
    }

    public void close() {
        socket.close();
    }
}
