package io.netring.internal.xdp;

import io.netring.NetringException;
import io.netring.afpacket.Leaks;
import io.netring.afpacket.ResourceGuard;
import io.netring.internal.linux.Errno;
import io.netring.internal.linux.InterfaceQuery;
import io.netring.internal.linux.KernelLayouts;
import io.netring.internal.linux.LinuxErrors;
import io.netring.internal.linux.LinuxSocket;
import io.netring.internal.linux.PollSet;
import io.netring.xdp.XdpMode;
import io.netring.xdp.XdpStatistics;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.ref.Cleaner;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

import static io.netring.internal.linux.KernelLayouts.SOCKADDR_XDP;
import static io.netring.internal.linux.KernelLayouts.XDP_DESC;
import static io.netring.internal.linux.KernelLayouts.offset;
import static io.netring.internal.linux.LinuxConstants.*;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * One AF_XDP socket bound to one queue of one interface, with a UMEM and up to four rings.
 * {@link #open} is the whole set-up in the order of docs/ARCHITECTURE.md ("The AF_XDP rings"),
 * undoing what it did when a step fails. Several queues share one UMEM ({@link #openSharing},
 * XDP_SHARED_UMEM), each socket receiving into a range of frames of its own, so frames never
 * cross between queues and no frame allocator is shared. With RX and TX rings the first half of the frames goes to the fill ring, the second half
 * ({@link XskConfig#txFirstFrame()} on) to the sender. {@link #close()} is idempotent and safe
 * from any thread: uses of {@link #guard()} keep the memory mapped; the cleaner closes a leak.
 */
public final class XskSocket implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("io.netring");
    /** How long a bind waits for a queue that a just-closed socket may still hold. */
    private static final long QUEUE_RELEASE_WAIT_NANOS = 500_000_000L;
    private static final long QUEUE_RELEASE_POLL_NANOS = 5_000_000L;

    private final XskConfig config;
    private final LinuxSocket socket;
    private final int ifIndex;
    private final Umem umem;
    private final XskConsumerRing rx;
    private final XskProducerRing tx;
    private final XskProducerRing fill;
    private final XskConsumerRing completion;
    private final boolean zeroCopy;
    /** The first UMEM frame this socket receives into; 0 unless it shares another socket's UMEM. */
    private final int firstFrame;
    private final PollSet pollSet;
    private final ResourceGuard guard;
    private final Cleaner.Cleanable cleanable;
    private final String description;
    /** Set once the kernel unbound the socket from its deleted interface. */
    private volatile boolean unbound;

    private XskSocket(XskConfig config, Parts parts, boolean zeroCopy, int firstFrame) {
        this.config = config;
        this.firstFrame = firstFrame;
        this.socket = parts.socket;
        this.ifIndex = parts.ifIndex;
        this.umem = parts.umem;
        this.rx = parts.rx;
        this.tx = parts.tx;
        this.fill = parts.fill;
        this.completion = parts.completion;
        this.zeroCopy = zeroCopy;
        this.pollSet = new PollSet(POLLIN, socket.fd());
        this.description = "XskSocket on " + config.interfaceName() + " queue " + config.queue();
        this.guard = new ResourceGuard(parts::release);
        this.cleanable = Leaks.watch(this, guard, "an " + description,
                "closed its AF_XDP socket and unmapped its rings and UMEM");
    }

    /** What {@link #open} has made so far, so a failure can undo exactly that. */
    private static final class Parts {
        LinuxSocket socket;
        int ifIndex;
        Umem umem;
        XskConsumerRing rx;
        XskProducerRing tx;
        XskProducerRing fill;
        XskConsumerRing completion;

        /** The rings, then the socket (which drops the kernel's hold on the UMEM), then the UMEM. */
        void release() {
            for (XskRing ring : new XskRing[] {rx, tx, fill, completion}) {
                if (ring != null) {
                    ring.unmap();
                }
            }
            if (socket != null) {
                socket.close();
            }
            if (umem != null) {
                umem.close();
            }
        }
    }

    /**
     * Opens, sets up and binds a socket for {@code config}.
     *
     * @throws io.netring.InterfaceNotFoundException when the interface does not exist
     * @throws io.netring.PermissionDeniedException without CAP_NET_RAW
     * @throws NetringException when the kernel refuses a step; the message says which and why
     */
    public static XskSocket open(XskConfig config) throws NetringException {
        return open(config, null, 0, config.frameCount());
    }

    /**
     * Opens a socket whose UMEM has room for {@code umemFrames} frames, of which it receives into
     * the first {@code config.frameCount()}; sockets of {@link #openSharing} use the rest.
     */
    public static XskSocket openOwning(XskConfig config, int umemFrames) throws NetringException {
        return open(config, null, 0, umemFrames);
    }

    /**
     * Opens a socket on another queue that shares {@code owner}'s UMEM (XDP_SHARED_UMEM, Linux
     * 5.10 or newer): with fill and completion rings of its own, it receives into frames
     * {@code firstFrame} to {@code firstFrame + config.frameCount() - 1} of that memory, and takes
     * the owner's copy or zero-copy mode and need_wakeup setting.
     */
    public static XskSocket openSharing(XskConfig config, XskSocket owner, int firstFrame) throws NetringException {
        if (firstFrame < 0 || (long) firstFrame + config.frameCount() > owner.umem().frameCount()) {
            throw new IllegalArgumentException("frames " + firstFrame + "+" + config.frameCount() + " are outside the "
                    + owner.umem().frameCount() + "-frame UMEM of " + owner);
        }
        return open(config, owner, firstFrame, 0);
    }

    private static XskSocket open(XskConfig config, XskSocket owner, int firstFrame, int umemFrames) throws NetringException {
        Parts parts = new Parts();
        try {
            String name = config.interfaceName();
            parts.ifIndex = InterfaceQuery.index(name);
            int fd = LinuxSocket.create(AF_XDP, SOCK_RAW | SOCK_CLOEXEC, 0);
            if (fd == -Errno.EAFNOSUPPORT) {
                throw LinuxErrors.exception("socket(AF_XDP)", -fd, XskBindErrors.CAPABILITIES,
                        "this kernel has no AF_XDP sockets (CONFIG_XDP_SOCKETS, Linux 4.18 or newer)");
            }
            if (fd < 0) {
                throw LinuxErrors.exception("socket(AF_XDP)", -fd, XskBindErrors.CAPABILITIES,
                        "cannot open an AF_XDP socket for " + name);
            }
            parts.socket = LinuxSocket.of(fd);
            if (owner == null) {
                parts.umem = Umem.allocate(config.frameSize(), umemFrames, config.headroom());
                parts.umem.register(parts.socket, name);
            } else {
                owner.umem().retain();
                parts.umem = owner.umem();
            }
            // The kernel makes each ring on its setsockopt, then publishes where its words sit.
            setRingSize(parts.socket, XDP_UMEM_FILL_RING, config.fillRingSize(), "fill ring");
            setRingSize(parts.socket, XDP_UMEM_COMPLETION_RING, config.completionRingSize(), "completion ring");
            if (config.rxRingSize() > 0) {
                setRingSize(parts.socket, XDP_RX_RING, config.rxRingSize(), "RX ring");
            }
            if (config.txRingSize() > 0) {
                setRingSize(parts.socket, XDP_TX_RING, config.txRingSize(), "TX ring");
            }
            mapRings(parts, config);
            setBusyPoll(parts.socket, config);
            // Frames are in the fill ring before bind, so the first packet already finds one.
            giveRxFramesToKernel(parts.fill, parts.umem, firstFrame, config.rxFrameCount());
            bind(parts, config, owner);
            boolean zeroCopy = readZeroCopy(parts.socket);
            if (config.mode() == XdpMode.AUTO && !zeroCopy) {
                LOG.log(System.Logger.Level.INFO, "AF_XDP on " + name + " queue " + config.queue()
                        + ": the driver has no zero-copy mode; using copy mode");
            }
            return new XskSocket(config, parts, zeroCopy, firstFrame);
        } catch (NetringException | RuntimeException e) {
            parts.release();
            throw e;
        }
    }

    private static void setRingSize(LinuxSocket socket, int option, int size, String ring) throws NetringException {
        int r = socket.setInt(SOL_XDP, option, size);
        if (r < 0) {
            throw LinuxErrors.exception("setsockopt(" + ring + ", " + size + " entries)", -r, XskBindErrors.CAPABILITIES,
                    "creating the AF_XDP " + ring);
        }
    }

    private static void mapRings(Parts parts, XskConfig config) throws NetringException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment offsets = arena.allocate(KernelLayouts.XDP_MMAP_OFFSETS);
            int r = parts.socket.getStruct(SOL_XDP, XDP_MMAP_OFFSETS, offsets);
            if (r < 0) {
                throw LinuxErrors.exception("getsockopt(XDP_MMAP_OFFSETS)", -r);
            }
            int fd = parts.socket.fd();
            int desc = (int) XDP_DESC.byteSize();
            int address = Long.BYTES;
            XskRing.Offsets fr = ringOffsets(offsets, "fr");
            parts.fill = new XskProducerRing(XskRing.map(fd, XDP_UMEM_PGOFF_FILL_RING, fr, config.fillRingSize(),
                    address, "fill ring"), fr, config.fillRingSize(), address, "fill ring");
            XskRing.Offsets cr = ringOffsets(offsets, "cr");
            parts.completion = new XskConsumerRing(XskRing.map(fd, XDP_UMEM_PGOFF_COMPLETION_RING, cr,
                    config.completionRingSize(), address, "completion ring"), cr, config.completionRingSize(), address,
                    "completion ring");
            if (config.rxRingSize() > 0) {
                XskRing.Offsets o = ringOffsets(offsets, "rx");
                parts.rx = new XskConsumerRing(XskRing.map(fd, XDP_PGOFF_RX_RING, o, config.rxRingSize(), desc,
                        "RX ring"), o, config.rxRingSize(), desc, "RX ring");
            }
            if (config.txRingSize() > 0) {
                XskRing.Offsets o = ringOffsets(offsets, "tx");
                parts.tx = new XskProducerRing(XskRing.map(fd, XDP_PGOFF_TX_RING, o, config.txRingSize(), desc,
                        "TX ring"), o, config.txRingSize(), desc, "TX ring");
            }
        }
    }

    private static XskRing.Offsets ringOffsets(MemorySegment offsets, String ring) {
        return XskRing.Offsets.read(offsets, offset(KernelLayouts.XDP_MMAP_OFFSETS, ring));
    }

    private static void setBusyPoll(LinuxSocket socket, XskConfig config) throws NetringException {
        if (config.busyPollMicros() == 0) {
            return;
        }
        busyPollOption(socket, SO_BUSY_POLL, config.busyPollMicros(), "SO_BUSY_POLL", config);
        if (config.busyPollBudget() > 0) {
            busyPollOption(socket, SO_BUSY_POLL_BUDGET, config.busyPollBudget(), "SO_BUSY_POLL_BUDGET", config);
        }
        if (config.preferBusyPoll()) {
            busyPollOption(socket, SO_PREFER_BUSY_POLL, 1, "SO_PREFER_BUSY_POLL", config);
        }
    }

    private static void busyPollOption(LinuxSocket socket, int option, int value, String name, XskConfig config)
            throws NetringException {
        int r = socket.setInt(SOL_SOCKET, option, value);
        if (r < 0) {
            throw LinuxErrors.exception("setsockopt(" + name + "=" + value + ")", -r, "CAP_NET_ADMIN",
                    "busy polling on " + config.interfaceName());
        }
    }

    private static void giveRxFramesToKernel(XskProducerRing fill, Umem umem, int firstFrame, int frames) {
        if (frames == 0) {
            return;
        }
        int n = fill.reserve(frames);
        if (n != frames) {
            throw new IllegalStateException("the fresh fill ring took " + n + " of " + frames + " frames");
        }
        long start = fill.startIndex();
        for (int i = 0; i < frames; i++) {
            fill.setAddress(start + i, umem.frameAddress(firstFrame + i));
        }
        fill.submit(frames);
    }

    private static void bind(Parts parts, XskConfig config, XskSocket owner) throws NetringException {
        int flags = owner != null ? XDP_SHARED_UMEM : switch (config.mode()) {
            case COPY -> XDP_COPY;
            case ZERO_COPY -> XDP_ZEROCOPY;
            // Neither flag: the kernel tries zero-copy and falls back to copy mode itself.
            case AUTO -> 0;
        };
        // A socket sharing a UMEM may name no mode and no need_wakeup: the kernel takes the owner's.
        if (config.needWakeup() && owner == null) {
            flags |= XDP_USE_NEED_WAKEUP;
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment sxdp = arena.allocate(SOCKADDR_XDP);
            sxdp.set(JAVA_SHORT, offset(SOCKADDR_XDP, "sxdp_family"), (short) AF_XDP);
            sxdp.set(JAVA_SHORT, offset(SOCKADDR_XDP, "sxdp_flags"), (short) flags);
            sxdp.set(JAVA_INT, offset(SOCKADDR_XDP, "sxdp_ifindex"), parts.ifIndex);
            sxdp.set(JAVA_INT, offset(SOCKADDR_XDP, "sxdp_queue_id"), config.queue());
            if (owner != null) {
                sxdp.set(JAVA_INT, offset(SOCKADDR_XDP, "sxdp_shared_umem_fd"), owner.fd());
            }
            int r = parts.socket.bind(sxdp);
            // A closed socket gives its queue back from a kernel work item, a little after close():
            // a socket reopened on the same queue at once may still find it taken.
            long deadline = System.nanoTime() + QUEUE_RELEASE_WAIT_NANOS;
            while (r == -Errno.EBUSY && System.nanoTime() - deadline < 0) {
                LockSupport.parkNanos(QUEUE_RELEASE_POLL_NANOS);
                r = parts.socket.bind(sxdp);
            }
            if (r < 0) {
                throw XskBindErrors.refused(config, -r, owner != null);
            }
        }
    }

    private static boolean readZeroCopy(LinuxSocket socket) throws NetringException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment options = arena.allocate(KernelLayouts.XDP_OPTIONS);
            int r = socket.getStruct(SOL_XDP, XDP_OPTIONS, options);
            if (r < 0) {
                throw LinuxErrors.exception("getsockopt(XDP_OPTIONS)", -r);
            }
            return (options.get(JAVA_INT, offset(KernelLayouts.XDP_OPTIONS, "flags")) & XDP_OPTIONS_ZEROCOPY) != 0;
        }
    }

    /** The guard whose uses keep the rings and the UMEM mapped; hold one around every ring access. */
    public ResourceGuard guard() {
        return guard;
    }

    /** Throws {@link IllegalStateException} when closed. */
    private void checkOpen() {
        if (guard.isClosed()) {
            throw new IllegalStateException(description + " is closed");
        }
    }

    public int fd() {
        checkOpen();
        return socket.fd();
    }

    public Umem umem() {
        checkOpen();
        return umem;
    }

    /** The first UMEM frame this socket receives into. */
    public int firstFrame() {
        return firstFrame;
    }

    /** The frames this socket receives into, from {@link #firstFrame()}. */
    public int frameCount() {
        return config.rxFrameCount();
    }

    /** The RX ring, or null when the socket has none. */
    public XskConsumerRing rx() {
        checkOpen();
        return rx;
    }

    /** The TX ring, or null when the socket has none. */
    public XskProducerRing tx() {
        checkOpen();
        return tx;
    }

    public XskProducerRing fill() {
        checkOpen();
        return fill;
    }

    public XskConsumerRing completion() {
        checkOpen();
        return completion;
    }

    public XskConfig config() {
        return config;
    }

    /** True when the kernel runs this socket in zero-copy mode (XDP_OPTIONS). */
    public boolean zeroCopy() {
        return zeroCopy;
    }

    public int queue() {
        return config.queue();
    }

    public int ifIndex() {
        return ifIndex;
    }

    /** The kernel's counters for this socket (XDP_STATISTICS); totals, not reset by reading. */
    public XdpStatistics statistics() throws NetringException {
        guard.acquire(description);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment st = arena.allocate(KernelLayouts.XDP_STATISTICS);
            int r = socket.getStruct(SOL_XDP, XDP_STATISTICS, st);
            if (r < 0) {
                throw LinuxErrors.exception("getsockopt(XDP_STATISTICS)", -r);
            }
            return new XdpStatistics(stat(st, "rx_dropped"), stat(st, "rx_invalid_descs"), stat(st, "tx_invalid_descs"),
                    stat(st, "rx_ring_full"), stat(st, "rx_fill_ring_empty_descs"), stat(st, "tx_ring_empty_descs"));
        } finally {
            guard.release();
        }
    }

    private static long stat(MemorySegment st, String field) {
        return st.get(JAVA_LONG, offset(KernelLayouts.XDP_STATISTICS, field));
    }

    /**
     * Wakes the driver to go on receiving when the fill ring asks for it ({@code recvfrom} with
     * MSG_DONTWAIT); without need_wakeup it always calls. The answer is not an error to act on:
     * the next wait shows whether frames come.
     */
    public void wakeUpRx() {
        guard.acquire(description);
        try {
            if (!config.needWakeup() || fill.needsWakeup()) {
                socket.receiveEmpty(MSG_DONTWAIT);
            }
        } finally {
            guard.release();
        }
    }

    /**
     * Asks the kernel to send what the TX ring holds ({@code sendto} with MSG_DONTWAIT).
     *
     * @return true when the kernel took the kick; false for "try later" (EAGAIN, EBUSY, ENOBUFS:
     *         the device or the completion ring is full, or more is left than one call sends)
     * @throws io.netring.InterfaceNotFoundException when the interface is gone
     * @throws NetringException when the interface is down, or another error
     */
    public boolean kickTx() throws NetringException {
        guard.acquire(description);
        try {
            long r = socket.sendEmpty(MSG_DONTWAIT, MemorySegment.NULL);
            if (r >= 0) {
                return true;
            }
            int errno = (int) -r;
            if (errno == Errno.EAGAIN || errno == Errno.EBUSY || errno == Errno.ENOBUFS) {
                return false;
            }
            throw socketError(errno, "sendto(AF_XDP TX)");
        } finally {
            guard.release();
        }
    }

    /**
     * Waits up to {@code timeout} for the RX ring to hold frames ({@code poll} POLLIN).
     *
     * @return true when readable; false on timeout or a signal
     * @throws io.netring.InterfaceNotFoundException when the interface is gone
     */
    public boolean pollIn(Duration timeout) throws NetringException {
        guard.acquire(description);
        try {
            long millis = Math.min(Integer.MAX_VALUE, Math.max(0, timeout.toMillis()));
            int r = pollSet.poll(1, (int) millis);
            if (r == 0) {
                // An unbound socket polls as idle, never as an error: ask it why it was quiet.
                checkStillBound();
                return false;
            }
            if (r == -Errno.EINTR) {
                return false;
            }
            if (r < 0) {
                throw LinuxErrors.exception("poll", -r);
            }
            short revents = pollSet.revents(0);
            if ((revents & POLLERR) != 0) {
                throw socketError(LinuxSocket.pendingError(socket.fd()), "poll(POLLERR)");
            }
            return (revents & POLLIN) != 0;
        } finally {
            guard.release();
        }
    }

    /**
     * Throws when the socket lost its interface. The kernel unbinds an AF_XDP socket whose
     * interface is unregistered and leaves ENETDOWN in SO_ERROR; from then on poll reports no
     * event at all, so a quiet wait is the moment to look. SO_ERROR is cleared by reading it,
     * hence the sticky flag.
     */
    private void checkStillBound() throws NetringException {
        if (unbound) {
            throw LinuxErrors.interfaceNotFound(config.interfaceName(), "poll (socket unbound)", Errno.ENETDOWN);
        }
        int errno = LinuxSocket.pendingError(socket.fd());
        if (errno != 0) {
            unbound = errno == Errno.ENETDOWN || errno == Errno.ENXIO || errno == Errno.ENODEV;
            throw socketError(errno, "poll(SO_ERROR)");
        }
    }

    /**
     * The exception for a socket error. The kernel unbinds an AF_XDP socket when its interface
     * is unregistered (deleted, or moved to another namespace): poll then reports ENETDOWN, and
     * a send on the unbound socket fails with ENXIO. A send's ENETDOWN means the link is down.
     */
    private NetringException socketError(int errno, String call) {
        String name = config.interfaceName();
        boolean fromPoll = call.startsWith("poll");
        if (errno == Errno.ENXIO || errno == Errno.ENODEV || (fromPoll && errno == Errno.ENETDOWN)) {
            return LinuxErrors.interfaceNotFound(name, call, errno);
        }
        String what = errno == Errno.ENETDOWN ? "interface " + name + " is down" : "AF_XDP socket error on " + name;
        return LinuxErrors.failure(what + " (" + call + ": " + LinuxErrors.describe(errno) + ")", call, errno);
    }

    /** Closes once: unmaps the rings, closes the socket, unmaps the UMEM (when no use is left). */
    @Override
    public void close() {
        guard.close();
        cleanable.clean();
    }

    @Override
    public String toString() {
        return description + (zeroCopy ? " (zero-copy)" : " (copy)");
    }
}
