package io.netring;

import io.netring.afpacket.Fanout;
import io.netring.afpacket.FilterSpec;
import io.netring.afpacket.PacketSocket;
import io.netring.afpacket.ResourceGuard;
import io.netring.afpacket.RingMapping;
import io.netring.afpacket.RxConfig;
import io.netring.afpacket.RxRing;
import io.netring.afpacket.RxRingSetup;
import io.netring.afpacket.SocketFilters;
import io.netring.afpacket.TpacketV3;
import io.netring.afpacket.Wakeup;
import io.netring.internal.linux.Errno;
import io.netring.internal.linux.KernelLayouts;
import io.netring.internal.linux.LinuxErrors;
import io.netring.internal.linux.Syscalls;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.Cleaner;
import java.time.Duration;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

import static io.netring.internal.linux.KernelLayouts.POLLFD;
import static io.netring.internal.linux.LinuxConstants.*;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * The low-level receive handle: one AF_PACKET socket with a TPACKET_V3 RX ring, handing out
 * retired blocks as {@link PacketBatch}es.
 *
 * <pre>{@code
 * try (AfPacketRx rx = AfPacketRx.builder().interfaceName("eth0").blockSize(1 << 22).build()) {
 *     while (running) {
 *         try (PacketBatch batch = rx.nextBatchBlocking(Duration.ofMillis(100))) {
 *             if (batch == null) continue;                 // timed out
 *             for (Packet pkt : batch) process(pkt.data());
 *         }                                                // block returned to the kernel
 *     }
 * }
 * }</pre>
 *
 * <p>Thread safety: one thread reads batches; {@link #close()} and {@link #stats()} may come
 * from any thread. Closing while a batch is open or while a thread waits in
 * {@link #nextBatchBlocking} is safe: the waiter wakes and gets an IllegalStateException, and
 * the ring is unmapped only after the open batch is released.
 */
public final class AfPacketRx implements PacketSource, AutoCloseable {
    private static final System.Logger LOG = System.getLogger("io.netring");
    private static final Cleaner CLEANER = Cleaner.create();
    /** Upper bound of the block timeout the kernel derives when asked for 0 (8 ms on unknown links). */
    private static final int DERIVED_BLOCK_TIMEOUT_BOUND_MS = 100;
    private static final int DRAIN_SLACK_MS = 50;
    /** Time for packets that passed the old filter on another CPU to land before the ring is inspected. */
    private static final int SWAP_GRACE_MS = 1;
    /*
     * Resolved once: the per-block path runs a few dozen times a second, too rarely for the JIT,
     * so it runs interpreted, where resolving a layout path costs more than walking a block.
     */
    private static final long POLLFD_SIZE = POLLFD.byteSize();
    private static final long POLL_FD_OFFSET = KernelLayouts.offset(POLLFD, "fd");
    private static final long POLL_EVENTS_OFFSET = KernelLayouts.offset(POLLFD, "events");
    private static final long POLL_REVENTS_OFFSET = KernelLayouts.offset(POLLFD, "revents");

    private final RxConfig config;
    /** "AfPacketRx on IFNAME", built once: the per-batch calls run interpreted, where a concatenation is costly. */
    private final String handleName;
    private final PacketSocket socket;
    private final RingMapping mapping;
    private final RxRing ring;
    private final Wakeup wakeup;
    private final ResourceGuard guard;
    private final Cleaner.Cleanable cleanable;
    private final MemorySegment pollFds;
    /** Each block of the mapping as an unscoped slice, made once instead of per batch. */
    private final MemorySegment[] rawBlocks;
    private final PacketView view = new PacketView();
    private final BlockOwner blockOwner = new RingBlockOwner();
    private final Object statsLock = new Object();
    private CaptureStats totals = CaptureStats.ZERO;
    private PacketBatch openBatch;
    private long malformedBlocks;
    private final int fanoutGroupId;
    private final boolean filterLocked;
    /** How often an idle reader looks whether its interface was deleted. */
    private static final int GONE_CHECK_MS = 1000;
    /** Set (by the reader) once the interface was seen deleted; every later call throws. */
    private volatile boolean interfaceDeleted;
    private long nextGoneCheck = System.nanoTime();

    /** The thread inside nextBatch/nextBatchBlocking, null between calls. */
    private volatile Thread reader;
    private static final VarHandle READER;

    static {
        try {
            READER = MethodHandles.lookup().findVarHandle(AfPacketRx.class, "reader", Thread.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Puts the filter in force back on after a refused swap; null when it cannot (an eBPF program). */
    private FilterAttach activeFilter;

    private AfPacketRx(RxConfig config, PacketSocket socket, RingMapping mapping, RxRing ring, Wakeup wakeup,
                       int fanoutGroupId) {
        this.config = config;
        this.fanoutGroupId = fanoutGroupId;
        this.filterLocked = config.filter().lock();
        BpfProgram initial = config.filter().classic();
        this.activeFilter = initial != null ? () -> SocketFilters.attach(socket, initial)
                : config.filter().ebpf() != null ? null : () -> SocketFilters.detach(socket);
        this.handleName = "AfPacketRx on " + config.interfaceName();
        this.socket = socket;
        this.mapping = mapping;
        this.ring = ring;
        this.wakeup = wakeup;
        // Teardown order: unmap before closing the socket, as the kernel's examples do.
        this.guard = new ResourceGuard(() -> {
            mapping.unmap();
            socket.close();
            wakeup.close();
        });
        this.cleanable = CLEANER.register(this, new LeakAction(guard, config.interfaceName()));
        this.rawBlocks = new MemorySegment[ring.blockCount()];
        for (int i = 0; i < rawBlocks.length; i++) {
            rawBlocks[i] = mapping.raw().asSlice((long) i * ring.blockSize(), ring.blockSize());
        }
        this.pollFds = Arena.ofAuto().allocate(POLLFD, 2);
        pollFds.set(JAVA_INT, POLL_FD_OFFSET, socket.fd());
        pollFds.set(JAVA_SHORT, POLL_EVENTS_OFFSET, POLLIN);
        pollFds.set(JAVA_INT, POLLFD_SIZE + POLL_FD_OFFSET, wakeup.fd());
        pollFds.set(JAVA_SHORT, POLLFD_SIZE + POLL_EVENTS_OFFSET, POLLIN);
    }

    /** A builder with the seed's defaults (4 MiB blocks, 64 of them, 60 ms block timeout). */
    public static AfPacketRxBuilder builder() {
        return new AfPacketRxBuilder();
    }

    /** Opens the socket and ring in the order DESIGN.md gives; closes everything on failure. */
    static AfPacketRx open(RxConfig config) throws NetringException {
        PacketSocket socket = PacketSocket.open(config.interfaceName());
        RingMapping mapping = null;
        Wakeup wakeup = null;
        try {
            socket.setVersion(TPACKET_V3);
            if (config.reserve() > 0) {
                socket.setInt(SOL_PACKET, PACKET_RESERVE, config.reserve(), "setsockopt(PACKET_RESERVE)");
            }
            if (config.timestampSource() != TimestampSource.SOFTWARE) {
                socket.setInt(SOL_PACKET, PACKET_TIMESTAMP, config.timestampSource().sofFlags(),
                        "setsockopt(PACKET_TIMESTAMP=" + config.timestampSource() + ")");
            }
            if (config.ignoreOutgoing()) {
                socket.setInt(SOL_PACKET, PACKET_IGNORE_OUTGOING, 1,
                        "setsockopt(PACKET_IGNORE_OUTGOING) (needs Linux 4.20)");
            }
            if (config.busyPollMicros() > 0) {
                int r = socket.trySetInt(SOL_SOCKET, SO_BUSY_POLL, config.busyPollMicros());
                if (r < 0) {
                    throw LinuxErrors.exception("setsockopt(SO_BUSY_POLL=" + config.busyPollMicros() + "us)", -r,
                            "CAP_NET_ADMIN", "busy polling on " + config.interfaceName());
                }
            }
            // The filter goes on before the ring, so not one packet reaches the ring unfiltered.
            attachInitialFilter(socket, config.filter());
            RxRingSetup.Result ringResult = RxRingSetup.create(socket, config);
            mapping = ringResult.mapping();
            wakeup = new Wakeup();
            socket.bind();
            if (config.promiscuous()) {
                socket.promiscuous(true);
            }
            // The kernel only lets a bound socket join a fanout group.
            int groupId = config.fanout() == null ? -1 : Fanout.join(socket, config.fanout());
            // Last, because a locked socket also refuses a new fanout program.
            if (config.filter().lock()) {
                SocketFilters.lock(socket);
            }
            RxRing ring = new RxRing(mapping.raw(), ringResult.geometry().blockSize(), ringResult.geometry().blockCount());
            return new AfPacketRx(config, socket, mapping, ring, wakeup, groupId);
        } catch (NetringException | RuntimeException e) {
            if (mapping != null) {
                mapping.unmap();
            }
            if (wakeup != null) {
                wakeup.close();
            }
            socket.close();
            throw e;
        }
    }

    private static void attachInitialFilter(PacketSocket socket, FilterSpec filter) throws NetringException {
        if (filter.classic() != null) {
            SocketFilters.attach(socket, filter.classic());
        } else if (filter.ebpf() != null) {
            SocketFilters.attachEbpf(socket, filter.ebpf().fd());
        }
    }

    @Override
    public PacketBatch nextBatch() throws InterfaceNotFoundException {
        guard.acquire(handleName);
        enterReader();
        try {
            checkNoOpenBatch();
            int status = ring.status();
            if (RxRing.isUser(status)) {
                return takeBlock(status);
            }
            checkInterfaceNowAndThen();
            return null;
        } finally {
            leaveReader();
            guard.release();
        }
    }

    /**
     * One thread at a time takes blocks: two would be handed the same block (the ring position
     * and the poll state are this handle's, not theirs). One compare-and-set per block, not per
     * packet. Threads may take turns; only overlapping calls are refused.
     */
    private void enterReader() {
        Thread me = Thread.currentThread();
        if (!READER.compareAndSet(this, null, me)) {
            guard.release();
            Thread other = reader;
            throw new IllegalStateException("thread '" + (other == null ? "?" : other.getName()) + "' is already taking "
                    + "a batch from the AfPacketRx on " + config.interfaceName() + " (called from '" + me.getName()
                    + "'); a ring has one reader at a time: give each thread its own socket in a fanout group, "
                    + "or hand packets to other threads with toOwned()");
        }
    }

    private void leaveReader() {
        READER.setRelease(this, null);
    }

    @Override
    public PacketBatch nextBatchBlocking(Duration timeout) throws NetringException {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("timeout=" + timeout + ": must not be negative");
        }
        guard.acquire(handleName);
        enterReader();
        try {
            checkNoOpenBatch();
            if (interfaceDeleted) {
                throw InterfaceNotFoundException.deleted(config.interfaceName(), socket.ifIndex());
            }
            long deadline = System.nanoTime() + Deadlines.saturatedNanos(timeout);
            for (;;) {
                int status = ring.status();
                if (RxRing.isUser(status)) {
                    return takeBlock(status);
                }
                if (guard.isClosed()) {
                    throw closedWhileWaiting();
                }
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    checkInterfaceNowAndThen();
                    return null;
                }
                // Slices of at most a second: an interface deleted while it was already down
                // sends no error, so an idle wait looks for it between slices.
                int r = Syscalls.poll(pollFds, 2, Math.min(pollMillis(remaining), GONE_CHECK_MS));
                if (r == 0) {
                    checkInterfaceNowAndThen();
                    continue;
                }
                if (r == -Errno.EINTR) {
                    continue;
                }
                if (r < 0) {
                    throw LinuxErrors.exception("poll", -r);
                }
                short socketEvents = pollFds.get(JAVA_SHORT, POLL_REVENTS_OFFSET);
                if ((socketEvents & POLLERR) != 0) {
                    throw socketError();
                }
                short wakeEvents = pollFds.get(JAVA_SHORT, POLLFD_SIZE + POLL_REVENTS_OFFSET);
                if (wakeEvents != 0) {
                    throw closedWhileWaiting();
                }
            }
        } finally {
            leaveReader();
            guard.release();
        }
    }

    /** Rounds up so a sub-millisecond remainder still waits instead of spinning. */
    private static int pollMillis(long nanos) {
        long ms = TimeUnit.NANOSECONDS.toMillis(nanos + 999_999);
        return (int) Math.min(ms, Integer.MAX_VALUE);
    }

    private IllegalStateException closedWhileWaiting() {
        return new IllegalStateException("AfPacketRx on " + config.interfaceName() + " was closed while waiting for a batch");
    }

    /**
     * Throws {@link InterfaceNotFoundException} when the interface this socket is bound to was
     * deleted ({@code ip link del}), which a link that only went down is not: the kernel reports
     * both as ENETDOWN. For code that waits on {@link #fd()} itself (epoll) and saw an error;
     * {@code nextBatch}/{@code nextBatchBlocking} check by themselves. One system call.
     *
     * @throws IllegalStateException when this handle is closed
     */
    public void checkInterface() throws InterfaceNotFoundException {
        guard.acquire(handleName);
        try {
            // Deletion raises ENETDOWN first and forgets the index a moment later: look twice.
            for (int i = 0; i < 10 && !interfaceDeleted; i++) {
                interfaceDeleted = socket.interfaceDeleted();
                if (!interfaceDeleted && i < 9) {
                    sleepQuietly(1);
                }
            }
            if (interfaceDeleted) {
                throw InterfaceNotFoundException.deleted(config.interfaceName(), socket.ifIndex());
            }
        } finally {
            guard.release();
        }
    }

    /**
     * Throws once the bound interface was deleted, and from then on at every call. Looks (one
     * getsockname) at most once per {@link #GONE_CHECK_MS}, so a caller spinning on nextBatch
     * pays a clock read, not a system call.
     */
    private void checkInterfaceNowAndThen() throws InterfaceNotFoundException {
        if (!interfaceDeleted) {
            long now = System.nanoTime();
            if (now - nextGoneCheck < 0) {
                return;
            }
            nextGoneCheck = now + TimeUnit.MILLISECONDS.toNanos(GONE_CHECK_MS);
            if (!socket.interfaceDeleted()) {
                return;
            }
            interfaceDeleted = true;
        }
        throw InterfaceNotFoundException.deleted(config.interfaceName(), socket.ifIndex());
    }

    private NetringException socketError() throws NetringException {
        int err = socket.pendingError();
        if (err == Errno.ENETDOWN || err == Errno.ENODEV || err == Errno.ENXIO) {
            // Deletion also reports ENETDOWN; the kernel forgets the index just after raising it.
            for (int i = 0; i < 10 && !interfaceDeleted; i++) {
                interfaceDeleted = socket.interfaceDeleted();
                if (!interfaceDeleted) {
                    sleepQuietly(1);
                }
            }
            if (interfaceDeleted) {
                return InterfaceNotFoundException.deleted(config.interfaceName(), socket.ifIndex());
            }
        }
        String what = switch (err) {
            case Errno.ENETDOWN -> "interface " + config.interfaceName()
                    + " went down; capture resumes when it comes back up";
            case Errno.ENXIO, Errno.ENODEV -> "interface " + config.interfaceName() + " disappeared";
            default -> "socket error on " + config.interfaceName();
        };
        return new NetringException(what + " (" + LinuxErrors.describe(err) + ")", "poll(POLLERR)", err);
    }

    private void checkNoOpenBatch() {
        if (openBatch != null) {
            throw new IllegalStateException("the previous PacketBatch (seq " + openBatch.seqNum()
                    + ") is still open; close it before asking for the next");
        }
    }

    /** Lends the current block out as a batch; the batch holds a use of the guard until closed. */
    private PacketBatch takeBlock(int status) {
        if (!guard.tryAcquire()) {
            throw closedWhileWaiting();
        }
        // The walk reads `raw`, which the guard use taken above keeps mapped until the batch is
        // released; users see the block through a scope the batch makes when first asked.
        MemorySegment raw = rawBlocks[ring.currentIndex()];
        long seq = raw.get(java.lang.foreign.ValueLayout.JAVA_LONG, TpacketV3.SEQ_NUM_OFFSET);
        long gap = ring.observeSequence(seq);
        if (gap > 0) {
            LOG.log(System.Logger.Level.WARNING, "block sequence gap on " + config.interfaceName() + ": " + gap
                    + " block(s) missing before seq " + seq);
        }
        PacketBatch batch = new PacketBatch(blockOwner, raw, null, status, gap);
        openBatch = batch;
        return batch;
    }

    /**
     * The fanout group this socket belongs to: the id given to the builder, or the kernel's choice
     * under {@link FanoutFlag#UNIQUE_ID}. Empty when the socket is in no group.
     */
    public OptionalInt fanoutGroupId() {
        return fanoutGroupId < 0 ? OptionalInt.empty() : OptionalInt.of(fanoutGroupId);
    }

    /**
     * Replaces the socket filter on the live socket without letting through a packet that
     * {@code program} rejects: a reject-all program goes on first, the packets already in the
     * ring (which passed the old filter) are dropped, then {@code program} goes on. As in
     * libpcap, this costs the packets in flight during the swap, and may wait for the kernel to
     * retire a partly filled block (about one block timeout).
     *
     * <p>Call it from the thread that reads batches, with no batch open.
     *
     * @throws IllegalStateException when a batch is open, the handle is closed, or the filter is
     *         locked ({@link AbstractRxBuilder#lockFilter})
     * @throws NetringException when the kernel refuses the program; the filter in force before
     *         the call stays in force (a program the kernel refuses is found on a scratch socket
     *         before the swap begins)
     */
    public void setFilter(BpfProgram program) throws NetringException {
        Objects.requireNonNull(program, "program");
        FilterAttach attach = () -> SocketFilters.attach(socket, program);
        replaceFilter(() -> SocketFilters.check(socket, program), attach, attach, program.toString());
    }

    /** Replaces the socket filter with an eBPF program; see {@link #setFilter(BpfProgram)}. */
    public void setFilter(EbpfProgram program) throws NetringException {
        Objects.requireNonNull(program, "program");
        int progFd = program.fd();
        // Not restorable later: the caller may close the program once it is attached.
        replaceFilter(() -> SocketFilters.checkEbpf(socket, progFd), () -> SocketFilters.attachEbpf(socket, progFd),
                null, program.toString());
    }

    /**
     * Removes the socket filter (SO_DETACH_FILTER): every packet is captured from now on. Having no
     * filter is not an error.
     * @throws IllegalStateException when the handle is closed or the filter is locked
     */
    public void detachFilter() throws NetringException {
        guard.acquire(handleName);
        try {
            checkNotLocked("detached");
            SocketFilters.detach(socket);
            activeFilter = () -> SocketFilters.detach(socket);
        } finally {
            guard.release();
        }
    }

    private interface FilterAttach {
        void attach() throws NetringException;
    }

    /**
     * The swap. A program the kernel refuses must not leave the reject-all filter in force:
     * {@code check} tries it on a scratch socket first (nothing changes when refused), and should
     * the live socket still refuse it, the previous filter goes back on when it is known.
     *
     * @param restorer what puts this program back on later, or null when that is not possible
     */
    private void replaceFilter(FilterAttach check, FilterAttach attach, FilterAttach restorer, String what)
            throws NetringException {
        guard.acquire(handleName);
        enterReader();                  // the swap walks the ring: not while another thread reads it
        try {
            checkNotLocked("replaced");
            if (openBatch != null) {
                throw new IllegalStateException("a PacketBatch (seq " + openBatch.seqNum() + ") is open; close it before "
                        + "replacing the filter, whose swap drops the packets already in the ring");
            }
            check.attach();
            SocketFilters.attach(socket, BpfProgram.rejectAll());
            long dropped = drainRing();
            try {
                attach.attach();
            } catch (NetringException refused) {
                restorePrevious(refused);
                throw refused;
            }
            activeFilter = restorer;
            LOG.log(System.Logger.Level.DEBUG, "filter on " + config.interfaceName() + " replaced by " + what
                    + "; dropped " + dropped + " packet(s) the old filter had let into the ring");
        } finally {
            leaveReader();
            guard.release();
        }
    }

    private void restorePrevious(NetringException refused) {
        if (activeFilter == null) {
            refused.addSuppressed(new IllegalStateException("the previous filter (an eBPF program) could not be "
                    + "put back; the socket keeps a reject-all filter until setFilter or detachFilter succeeds"));
            return;
        }
        try {
            activeFilter.attach();
        } catch (NetringException e) {
            refused.addSuppressed(e);
        }
    }

    private void checkNotLocked(String verb) {
        if (filterLocked) {
            throw new IllegalStateException("the filter of the AfPacketRx on " + config.interfaceName()
                    + " is locked (lockFilter(true)) and cannot be " + verb + " until the socket is closed");
        }
    }

    /**
     * With the reject-all filter on, gives every block holding packets of the old filter back to
     * the kernel. Packets that passed the old filter on another CPU just before the swap may still
     * land, and the block being filled only reaches user space when the kernel's timer retires it,
     * so this waits, bounded, until the kernel's current block is empty.
     *
     * @return the number of packets dropped
     */
    private long drainRing() {
        int tov = config.blockTimeoutMillis() > 0 ? config.blockTimeoutMillis() : DERIVED_BLOCK_TIMEOUT_BOUND_MS;
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(2L * tov + DRAIN_SLACK_MS);
        long dropped = 0;
        sleepQuietly(SWAP_GRACE_MS);
        for (;;) {
            while (ring.ready()) {
                dropped += Integer.toUnsignedLong(mapping.raw().get(JAVA_INT, ring.currentOffset() + TpacketV3.NUM_PKTS_OFFSET));
                ring.observeSequence(mapping.raw().get(java.lang.foreign.ValueLayout.JAVA_LONG,
                        ring.currentOffset() + TpacketV3.SEQ_NUM_OFFSET));
                ring.release();
            }
            // The kernel's current block is the one after the last we gave back; it counts its
            // packets in num_pkts as it fills it. A block we released that the kernel has not
            // reopened yet still shows its old count; the kernel stamps a new seq_num when it
            // opens a block, so only a sequence number past the last one seen means "filling".
            long seq = mapping.raw().get(java.lang.foreign.ValueLayout.JAVA_LONG,
                    ring.currentOffset() + TpacketV3.SEQ_NUM_OFFSET);
            int filling = seq > ring.lastSequence()
                    ? mapping.raw().get(JAVA_INT, ring.currentOffset() + TpacketV3.NUM_PKTS_OFFSET) : 0;
            if (filling == 0) {
                return dropped;
            }
            if (System.nanoTime() >= deadline) {
                LOG.log(System.Logger.Level.WARNING, "filter swap on " + config.interfaceName() + ": the kernel did not "
                        + "retire its current block in time; up to " + filling + " packet(s) of the old filter may follow");
                return dropped;
            }
            Syscalls.poll(pollFds, 1, 1);
        }
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Kernel counters since the last read (which resets them); also added to {@link #totalStats()}. */
    @Override
    public CaptureStats stats() throws NetringException {
        guard.acquire(handleName);
        try {
            int[] raw = socket.readStatistics();
            CaptureStats now = new CaptureStats(Integer.toUnsignedLong(raw[0]), Integer.toUnsignedLong(raw[1]),
                    Integer.toUnsignedLong(raw[2]));
            synchronized (statsLock) {
                totals = totals.plus(now);
            }
            return now;
        } finally {
            guard.release();
        }
    }

    /** The running sum of every {@link #stats()} reading so far (does not read the kernel). */
    public CaptureStats totalStats() {
        synchronized (statsLock) {
            return totals;
        }
    }

    /** Blocks skipped according to block sequence numbers, over the handle's life. */
    public long sequenceGaps() {
        return ring.missedBlocks();
    }

    /** Blocks whose packet headers pointed outside the block (the walk stopped there). */
    public long malformedBlocks() {
        return malformedBlocks;
    }

    @Override
    public int fd() {
        guard.acquire(handleName);
        guard.release();
        return socket.fd();
    }

    /** The interface this handle captures on. */
    public String interfaceName() {
        return config.interfaceName();
    }

    /** The ring's block size in bytes. */
    public int blockSize() {
        return ring.blockSize();
    }

    /** The number of blocks the kernel granted (fewer than requested if memory was short). */
    public int blockCount() {
        return ring.blockCount();
    }

    /** How long {@code Capture.packets()} waits per poll; from the builder. */
    public Duration pollTimeout() {
        return config.pollTimeout();
    }

    /**
     * A read-only view of the whole ring, for advanced use (inspecting blocks directly). It
     * throws IllegalStateException once this handle is closed.
     */
    public MemorySegment ringSegment() {
        guard.acquire(handleName);
        guard.release();
        return mapping.view();
    }

    public boolean isClosed() {
        return guard.isClosed();
    }

    /**
     * Closes the socket and unmaps the ring. Idempotent and safe from any thread: a thread
     * waiting in {@link #nextBatchBlocking} wakes at once, and an open batch keeps the ring
     * mapped until it is released.
     */
    @Override
    public void close() {
        if (guard.tryAcquire()) {       // hold a use so the eventfd cannot be freed under signal()
            try {
                guard.close();
                wakeup.signal();
            } finally {
                guard.release();
            }
        }
        cleanable.clean();
    }

    @Override
    public String toString() {
        return "AfPacketRx[" + config.interfaceName() + ", " + ring.blockCount() + " x " + ring.blockSize()
                + " bytes" + (guard.isClosed() ? ", closed" : "") + "]";
    }

    private final class RingBlockOwner implements BlockOwner {
        @Override
        public void releaseBlock(PacketBatch batch) {
            ring.release();
            openBatch = null;
            guard.release();
        }

        @Override
        public void reportMalformed(PacketBatch batch, int index, long offset) {
            malformedBlocks++;
            LOG.log(System.Logger.Level.WARNING, "malformed block seq " + batch.seqNum() + " on " + config.interfaceName()
                    + ": packet " + index + " at offset " + offset + " does not fit the block; skipped the rest");
        }

        @Override
        public PacketView view() {
            return view;
        }
    }

    /** Runs when a handle became unreachable without close(): frees fd and mapping, says so. */
    private record LeakAction(ResourceGuard guard, String interfaceName) implements Runnable {
        @Override
        public void run() {
            // A batch or slot left open counts as a use, but it went unreachable with the handle.
            if (guard.closeLeaked()) {
                LOG.log(System.Logger.Level.WARNING, "an AfPacketRx on " + interfaceName
                        + " was not closed; the cleaner closed its socket and unmapped its ring");
            }
        }
    }
}
