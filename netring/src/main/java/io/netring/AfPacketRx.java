package io.netring;

import io.netring.afpacket.CbpfCode;
import io.netring.afpacket.FieldHandles;
import io.netring.afpacket.Leaks;
import io.netring.afpacket.ResourceGuard;
import io.netring.afpacket.RxChannel;
import io.netring.afpacket.RxConfig;
import io.netring.afpacket.RxRing;
import io.netring.afpacket.SocketFilters;
import io.netring.afpacket.TpacketV3;
import io.netring.filter.BpfProgram;
import io.netring.filter.EbpfProgram;
import io.netring.internal.Jfr;
import io.netring.internal.linux.Errno;
import io.netring.internal.linux.LinuxConstants;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.Cleaner;
import java.time.Duration;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

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

    private final RxConfig config;
    /** "AfPacketRx on IFNAME", built once: the per-batch calls run interpreted (docs/ARCHITECTURE.md, "The JIT and memory ordering"). */
    private final String handleName;
    private final RxChannel channel;
    private final RxRing ring;
    private final ResourceGuard guard;
    private final Cleaner.Cleanable cleanable;
    /** Each block of the mapping as an unscoped slice, made once instead of per batch. */
    private final MemorySegment[] rawBlocks;
    private final PacketView view = new PacketView();
    private final BlockOwner blockOwner = new RingBlockOwner();
    private final Object statsLock = new Object();
    private CaptureStats totals = CaptureStats.ZERO;
    /** Kernel counts read for Flight Recorder or metrics and not yet returned by {@link #stats()}. */
    private CaptureStats unreported = CaptureStats.ZERO;
    /** Blocks handed back to the kernel; written by the reader only. */
    private volatile long blocksRetired;
    /** Bytes the kernel wrote into the blocks it handed over (packets and their headers); the reader's. */
    private volatile long bytesRetired;
    private PacketBatch openBatch;
    private long malformedBlocks;
    private final int fanoutGroupId;
    /** The filter that holds the ring closed while a filter swap drains it. */
    private static final CbpfCode REJECT_ALL = BackendSpecs.classic(BpfProgram.rejectAll());
    private final boolean filterLocked;
    /** How often an idle reader looks whether its interface was deleted. */
    private static final int GONE_CHECK_MS = 1000;
    /** How long a socket error that may stand for a deletion waits for the kernel to forget the index. */
    private static final int DELETION_WINDOW_MS = 1000;
    /** Set (by the reader) once the interface was seen deleted; every later call throws once the ring holds no filled block. */
    private volatile boolean interfaceDeleted;
    /** The block the kernel was filling when the interface went was waited for (by the reader). */
    private boolean lastBlockAwaited;
    private long nextGoneCheck = System.nanoTime();

    /** The thread inside nextBatch/nextBatchBlocking, null between calls. */
    private volatile Thread reader;
    private static final VarHandle READER = FieldHandles.of(MethodHandles.lookup(), "reader", Thread.class);

    /** Puts the filter in force back on after a refused swap; null when it cannot (an eBPF program). */
    private FilterAttach activeFilter;

    private AfPacketRx(RxConfig config, RxChannel channel) {
        this.config = config;
        this.fanoutGroupId = channel.fanoutGroupId();
        this.filterLocked = config.filter().lock();
        CbpfCode initial = config.filter().classic();
        this.activeFilter = initial != null ? () -> SocketFilters.attach(channel.socket(), initial)
                : config.filter().hasEbpf() ? null : () -> SocketFilters.detach(channel.socket());
        this.handleName = "AfPacketRx on " + config.interfaceName();
        this.channel = channel;
        this.ring = channel.ring();
        this.guard = new ResourceGuard(channel::close);
        this.cleanable = Leaks.watch(this, guard, "an " + handleName, "closed its socket and unmapped its ring");
        this.rawBlocks = new MemorySegment[ring.blockCount()];
        for (int i = 0; i < rawBlocks.length; i++) {
            rawBlocks[i] = channel.mapping().raw().asSlice((long) i * ring.blockSize(), ring.blockSize());
        }
        if (Jfr.AVAILABLE) {
            RingEvents.opened(this);
        }
    }

    /** A builder with the defaults (4 MiB blocks, 64 of them, 60 ms block timeout). */
    public static AfPacketRxBuilder builder() { return new AfPacketRxBuilder(); }

    /** Opens the socket and ring (the backend's {@link RxChannel#open}). */
    static AfPacketRx open(RxConfig config) throws NetringException {
        return new AfPacketRx(config, RxChannel.open(config));
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
            long deadline = System.nanoTime() + Deadlines.saturatedNanos(timeout);
            for (;;) {
                int status = ring.status();
                if (RxRing.isUser(status)) {
                    return takeBlock(status);   // also after a deletion: what the kernel filled before it is not lost
                }
                if (interfaceDeleted) {
                    if (!lastBlockAwaited) {
                        lastBlockAwaited = true;         // once: its packets came before the deletion
                        if (channel.awaitLastBlock(config.blockTimeoutMillis())) {
                            continue;
                        }
                    }
                    throw deleted();
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
                RxChannel.Wait woke;
                try {
                    woke = channel.await(Math.min(pollMillis(remaining), GONE_CHECK_MS));
                } catch (NetringException socketError) {
                    NetringException e = deletedOr(socketError);
                    if (e instanceof InterfaceNotFoundException) {
                        continue;               // the blocks still in the ring first, then the deletion
                    }
                    throw e;
                }
                if (woke == RxChannel.Wait.TIMED_OUT) {
                    checkInterfaceNowAndThen();
                    continue;
                }
                if (woke == RxChannel.Wait.WOKEN) {
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
     * {@code nextBatch}/{@code nextBatchBlocking} check by themselves. Looks for up to a second
     * (the kernel forgets a deleted index a moment after the error), so a link that is only down
     * costs that wait.
     *
     * @throws IllegalStateException when this handle is closed
     */
    public void checkInterface() throws InterfaceNotFoundException {
        guard.acquire(handleName);
        try {
            if (lookForDeletion()) {
                throw deleted();
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
            if (!channel.socket().interfaceDeleted()) {
                return;
            }
            interfaceDeleted = true;
        }
        throw deleted();
    }

    /** The socket error the channel reported, or the deletion it stands for (also ENETDOWN). */
    private NetringException deletedOr(NetringException socketError) {
        int err = socketError.errno();
        if (err == Errno.ENETDOWN || err == Errno.ENODEV || err == Errno.ENXIO) {
            if (lookForDeletion()) {
                return deleted();
            }
            if (err == Errno.ENETDOWN && Jfr.AVAILABLE) {
                RingEvents.interfaceDown(config.interfaceName());
            }
        }
        return socketError;
    }

    /**
     * Whether the bound interface is gone, looking for up to {@link #DELETION_WINDOW_MS}: the
     * kernel raises ENETDOWN when it closes a device it deletes and forgets the index only
     * after that, which on a busy machine can be many milliseconds later (the deleting thread
     * waits for a CPU). A link that only went down is therefore reported that much later.
     */
    private boolean lookForDeletion() {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DELETION_WINDOW_MS);
        while (!interfaceDeleted) {
            interfaceDeleted = channel.socket().interfaceDeleted();
            if (interfaceDeleted || System.nanoTime() - deadline > 0) {
                break;
            }
            sleepQuietly(2);
        }
        return interfaceDeleted;
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void checkNoOpenBatch() {
        // One read: the batch's own thread may close it (clearing the field) while another
        // thread, which took the reader's turn in between, is here.
        PacketBatch open = openBatch;
        if (open != null) {
            throw new IllegalStateException("the previous PacketBatch (seq " + open.seqNum()
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
        long seq = raw.get(ValueLayout.JAVA_LONG, TpacketV3.SEQ_NUM_OFFSET);
        long gap = ring.observeSequence(seq);
        if (gap > 0) {
            LOG.log(System.Logger.Level.WARNING, "block sequence gap on " + config.interfaceName() + ": " + gap
                    + " block(s) missing before seq " + seq);
        }
        PacketBatch batch = new PacketBatch(blockOwner, raw, null, status, gap);
        openBatch = batch;
        long blockBytes = Integer.toUnsignedLong(raw.get(ValueLayout.JAVA_INT, TpacketV3.BLK_LEN_OFFSET));
        bytesRetired += blockBytes;                 // one writer, the reader
        if (Jfr.AVAILABLE) {
            RingEvents.blockRetired(config.interfaceName(), seq, raw.get(ValueLayout.JAVA_INT, TpacketV3.NUM_PKTS_OFFSET),
                    blockBytes, batch.timedOut());
        }
        return batch;
    }

    /**
     * The fanout group this socket belongs to: the id given to the builder, or the kernel's choice
     * under {@link FanoutFlag#UNIQUE_ID}. Empty when the socket is in no group.
     */
    public OptionalInt fanoutGroupId() { return fanoutGroupId < 0 ? OptionalInt.empty() : OptionalInt.of(fanoutGroupId); }

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
        CbpfCode code = BackendSpecs.classic(program);
        FilterAttach attach = () -> SocketFilters.attach(channel.socket(), code);
        replaceFilter(() -> SocketFilters.check(channel.socket(), code), attach, attach, program.toString());
    }

    /** Replaces the socket filter with an eBPF program; see {@link #setFilter(BpfProgram)}. */
    public void setFilter(EbpfProgram program) throws NetringException {
        Objects.requireNonNull(program, "program");
        int progFd = program.fd();
        // Not restorable later: the caller may close the program once it is attached.
        replaceFilter(() -> SocketFilters.checkEbpf(channel.socket(), progFd),
                () -> SocketFilters.attachEbpf(channel.socket(), progFd), null, program.toString());
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
            SocketFilters.detach(channel.socket());
            activeFilter = () -> SocketFilters.detach(channel.socket());
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
            PacketBatch open = openBatch;
            if (open != null) {
                throw new IllegalStateException("a PacketBatch (seq " + open.seqNum() + ") is open; close it before "
                        + "replacing the filter, whose swap drops the packets already in the ring");
            }
            check.attach();
            Object swap = Jfr.AVAILABLE ? RingEvents.filterSwapBegin() : null;
            SocketFilters.attach(channel.socket(), REJECT_ALL);
            long dropped = channel.drain(config.blockTimeoutMillis());
            try {
                attach.attach();
            } catch (NetringException refused) {
                restorePrevious(refused);
                throw refused;
            }
            activeFilter = restorer;
            if (swap != null) {
                RingEvents.filterSwapEnd(swap, config.interfaceName(), what, dropped);
            }
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

    /** PACKET_STATISTICS since the previous read, which resets them; with a guard use held. */
    private CaptureStats readKernelCounters() throws NetringException {
        int[] raw = channel.socket().readStatistics();
        return new CaptureStats(Integer.toUnsignedLong(raw[0]), Integer.toUnsignedLong(raw[1]), Integer.toUnsignedLong(raw[2]));
    }

    /** Kernel counters since the last read (which resets them); also added to {@link #totalStats()}. */
    @Override
    public CaptureStats stats() throws NetringException {
        guard.acquire(handleName);
        try {
            CaptureStats now = readKernelCounters();
            synchronized (statsLock) {
                totals = totals.plus(now);
                CaptureStats delta = now.plus(unreported);
                unreported = CaptureStats.ZERO;
                return delta;
            }
        } finally {
            guard.release();
        }
    }

    /**
     * Reads the kernel's counters into {@link #totalStats()} and returns the totals, without
     * taking anything from the next {@link #stats()} delta: for observers (metrics, Flight
     * Recorder) beside a reader that calls {@code stats()} itself. Any thread.
     */
    public CaptureStats refreshTotalStats() throws NetringException {
        guard.acquire(handleName);
        try {
            CaptureStats now = readKernelCounters();
            synchronized (statsLock) {
                totals = totals.plus(now);
                unreported = unreported.plus(now);
                return totals;
            }
        } finally {
            guard.release();
        }
    }

    /**
     * Blocks the kernel has filled and handed to user space that the reader has not given back
     * yet, 0 to {@link #blockCount()}: how far behind the reader is (at {@code blockCount()} the
     * kernel drops). Reads each block's status word; any thread, a moment's picture.
     */
    public int blocksWaiting() {
        guard.acquire(handleName);
        try {
            int waiting = 0;
            for (MemorySegment block : rawBlocks) {
                if ((block.get(ValueLayout.JAVA_INT, TpacketV3.BLOCK_STATUS_OFFSET) & LinuxConstants.TP_STATUS_USER) != 0) {
                    waiting++;
                }
            }
            return waiting;
        } finally {
            guard.release();
        }
    }

    /**
     * Bytes of the blocks the kernel handed over (each block's {@code blk_len}: the packets'
     * captured bytes with each one's TPACKET_V3 header and alignment, several dozen bytes per
     * packet beyond the packet itself): the ring's throughput, counted once per block.
     */
    public long bytesRetired() {
        return bytesRetired;
    }

    /** Blocks handed back to the kernel over the handle's life. */
    public long blocksRetired() {
        return blocksRetired;
    }

    /** Commits a {@code io.netring.RingStatistics} event with the totals; nothing once closed. */
    void emitStatistics() {
        if (guard.isClosed()) {
            return;
        }
        CaptureStats t;
        try {
            t = refreshTotalStats();
        } catch (NetringException | IllegalStateException closedMeanwhile) {
            return;
        }
        RingEvents.ringStatistics(this, config.interfaceName(), fanoutGroupId, t, blocksRetired, ring.missedBlocks());
    }

    /** The running sum of every {@link #stats()} reading so far (does not read the kernel). */
    public CaptureStats totalStats() {
        synchronized (statsLock) {
            return totals;
        }
    }

    /** Blocks skipped according to block sequence numbers, over the handle's life. */
    public long sequenceGaps() { return ring.missedBlocks(); }

    /** Blocks whose packet headers pointed outside the block (the walk stopped there). */
    public long malformedBlocks() { return malformedBlocks; }

    @Override
    public int fd() {
        checkOpen();
        return channel.socket().fd();
    }

    /** The interface this handle captures on. */
    public String interfaceName() { return config.interfaceName(); }

    /** The ring's block size in bytes. */
    public int blockSize() { return ring.blockSize(); }

    /** The number of blocks the kernel granted (fewer than requested if memory was short). */
    public int blockCount() { return ring.blockCount(); }

    /** How long {@code Capture.packets()} waits per poll; from the builder. */
    public Duration pollTimeout() { return config.pollTimeout(); }

    /**
     * A read-only view of the whole ring, for advanced use (inspecting blocks directly). It
     * throws IllegalStateException once this handle is closed.
     */
    public MemorySegment ringSegment() {
        checkOpen();
        return channel.mapping().view();
    }

    /** Throws IllegalStateException naming this handle once it is closed. */
    private void checkOpen() {
        guard.acquire(handleName);
        guard.release();
    }

    /**
     * True once {@link #close()} has started; calls that use the socket then throw
     * {@link IllegalStateException}.
     */
    public boolean isClosed() { return guard.isClosed(); }

    /**
     * Closes the socket and unmaps the ring. Idempotent and safe from any thread: a thread
     * waiting in {@link #nextBatchBlocking} wakes at once, and an open batch keeps the ring
     * mapped until it is released.
     */
    @Override
    public void close() {
        if (Jfr.AVAILABLE) {
            RingEvents.closed(this);
        }
        if (guard.tryAcquire()) {       // hold a use so the eventfd cannot be freed under signal()
            try {
                guard.close();
                channel.wake();
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

    /** The exception for a deleted interface, with a Flight Recorder event. */
    private InterfaceNotFoundException deleted() {
        if (Jfr.AVAILABLE) {
            RingEvents.interfaceGone(config.interfaceName(), channel.socket().ifIndex());
        }
        return InterfaceNotFoundException.deleted(config.interfaceName(), channel.socket().ifIndex());
    }

    private final class RingBlockOwner implements BlockOwner {
        @Override
        public void releaseBlock(PacketBatch batch) {
            ring.release();
            openBatch = null;
            blocksRetired++;                // one writer, the reader
            guard.release();
            if (Jfr.AVAILABLE) {
                RingEvents.hookWhenRecording();
            }
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
}
