package io.netring.xdp;

import io.netring.CaptureStats;
import io.netring.InterfaceNotFoundException;
import io.netring.NetringException;
import io.netring.PacketBatch;
import io.netring.PacketSource;
import io.netring.afpacket.Leaks;
import io.netring.afpacket.ResourceGuard;
import io.netring.filter.BpfProgram;
import io.netring.internal.linux.Errno;
import io.netring.internal.linux.EventFd;
import io.netring.internal.linux.InterfaceQuery;
import io.netring.internal.linux.LinuxErrors;
import io.netring.internal.linux.LinuxSocket;
import io.netring.internal.linux.Nap;
import io.netring.internal.linux.PollSet;
import io.netring.internal.xdp.XdpAttachment;
import io.netring.internal.xdp.XdpRedirectProgram;
import io.netring.internal.xdp.XskConfig;
import io.netring.internal.xdp.XskMap;
import io.netring.internal.xdp.XskSocket;

import java.lang.ref.Cleaner;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static io.netring.internal.linux.LinuxConstants.POLLERR;
import static io.netring.internal.linux.LinuxConstants.POLLIN;

/**
 * Receives frames through AF_XDP: an XDP program on the interface redirects the frames of the
 * chosen RX queues into one UMEM this handle maps, and they are read there in place, as
 * {@link PacketBatch}es of the same {@link io.netring.Packet} API as {@link io.netring.AfPacketRx}.
 * A batch is the run of RX descriptors ready when it was taken; closing it gives the frames back
 * to the fill ring. One open batch and one reading thread at a time, as for AF_PACKET.
 *
 * <pre>{@code
 * try (XdpRx rx = XdpRx.builder().interfaceName("eth0").queue(0).build();
 *      Stream<Packet> packets = Capture.stream(rx, Duration.ofMillis(100))) { ... }
 * }</pre>
 */
public final class XdpRx implements PacketSource, AutoCloseable {
    private static final System.Logger LOG = System.getLogger("io.netring");
    /** The longest single wait, so a deleted interface is noticed while idle. */
    private static final int GONE_CHECK_MS = 1000;

    private final XdpRxBuilder.Settings settings;
    private final String handleName;
    private final List<XdpQueue> queues;
    private final XdpAttachment attachment;
    private final XdpRedirectProgram program;
    private final XskMap map;
    private final EventFd wakeup;
    private final PollSet pollSet;
    private final ResourceGuard guard;
    private final Cleaner.Cleanable cleanable;
    private final AtomicReference<Thread> reader = new AtomicReference<>();
    private final Object statsLock = new Object();
    private XdpStatistics lastStatistics = XdpStatistics.ZERO;
    private long lastDelivered;
    private volatile long delivered;
    private final OpenBatch openBatch;
    private int nextQueue;
    private long sequence;
    private long nextGoneCheck = System.nanoTime();
    /** How long after the last frame the reader keeps napping instead of waiting in poll. */
    private static final long NAPPING_SPELL = TimeUnit.MILLISECONDS.toNanos(100);
    /** When the last batch was taken (System.nanoTime()). */
    private long lastFrames = System.nanoTime() - NAPPING_SPELL;
    /** AF_XDP gives no timestamps: each run is stamped when taken, from this base and the monotonic clock. */
    private final long clockBase = clockBase();

    private XdpRx(XdpRxBuilder.Settings settings, List<XdpQueue> queues, XskMap map, XdpRedirectProgram program,
                  XdpAttachment attachment, EventFd wakeup) {
        this.settings = settings;
        this.queues = List.copyOf(queues);
        this.map = map;
        this.program = program;
        this.attachment = attachment;
        this.wakeup = wakeup;
        int[] fds = new int[queues.size() + 1];
        for (int i = 0; i < queues.size(); i++) {
            fds[i] = queues.get(i).socket().fd();
        }
        fds[queues.size()] = wakeup.fd();
        this.pollSet = new PollSet(POLLIN, fds);
        this.handleName = "XdpRx on " + settings.interfaceName() + " queue" + (queues.size() == 1 ? " " : "s ")
                + settings.queueList();
        Parts parts = new Parts(List.copyOf(queues), map, program, attachment, wakeup);
        this.guard = new ResourceGuard(parts::release);
        this.openBatch = new OpenBatch(guard);
        for (XdpQueue q : queues) {
            q.bind(openBatch);
        }
        this.cleanable = Leaks.watch(this, guard, "an " + handleName,
                "detached its XDP program and closed its AF_XDP sockets");
    }

    /** Everything a closed or leaked handle gives back, in the order that stops the redirect first. */
    private record Parts(List<XdpQueue> queues, XskMap map, XdpRedirectProgram program, XdpAttachment attachment,
                         EventFd wakeup) {
        void release() {
            attachment.close();
            program.close();
            map.close();
            for (XdpQueue q : queues) {
                q.socket().close();
            }
            wakeup.close();
        }
    }

    /** A builder; {@link XdpRxBuilder#interfaceName} is required. */
    public static XdpRxBuilder builder() {
        return new XdpRxBuilder();
    }

    /** The sockets, one per queue, in queue order. */
    List<XskSocket> sockets() {
        return queues.stream().map(XdpQueue::socket).toList();
    }

    static XdpRx open(XdpRxBuilder.Settings settings) throws NetringException {
        List<XdpQueue> queues = new ArrayList<>();
        XskMap map = null;
        XdpRedirectProgram program = null;
        XdpAttachment attachment = null;
        EventFd wakeup = null;
        try {
            // One UMEM for every queue: the first socket registers it, the others share it.
            int umemFrames = Math.multiplyExact(settings.template().frameCount(), settings.queueList().size());
            for (int queue : settings.queueList()) {
                XskConfig config = settings.socketConfig(queue);
                XskSocket socket = queues.isEmpty() ? XskSocket.openOwning(config, umemFrames)
                        : XskSocket.openSharing(config, queues.get(0).socket(), queues.size() * config.frameCount());
                queues.add(new XdpQueue(socket, settings.interfaceName()));
            }
            map = settings.newMap();
            for (XdpQueue q : queues) {
                map.put(q.socket().queue(), q.socket().fd());
            }
            program = settings.newProgram(map);
            attachment = settings.attach(program);
            wakeup = new EventFd();
            return new XdpRx(settings, queues, map, program, attachment, wakeup);
        } catch (NetringException | RuntimeException e) {
            // Undo in the order close() would: the program off the interface first.
            for (AutoCloseable c : new AutoCloseable[] {attachment, program, map}) {
                closeQuietly(c, e);
            }
            for (XdpQueue q : queues) {
                q.socket().close();
            }
            if (wakeup != null) {
                wakeup.close();
            }
            throw e;
        }
    }

    private static void closeQuietly(AutoCloseable c, Exception cause) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception e) {
            cause.addSuppressed(e);
        }
    }

    @Override
    public PacketBatch nextBatch() throws NetringException {
        return next(0, false);
    }

    @Override
    public PacketBatch nextBatchBlocking(Duration timeout) throws NetringException {
        return next(checkedNanos(timeout), true);
    }

    /** {@code timeout} in nanoseconds, saturated; refused when null or negative. */
    private static long checkedNanos(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("timeout=" + timeout + ": must not be negative");
        }
        return saturatedNanos(timeout);
    }

    /**
     * The next batch of any queue, round robin, waiting up to {@code timeoutNanos} when
     * {@code blocking} (napping while frames came lately, else in poll); without waiting, and
     * with a wake-up for drivers that ask for one, when not.
     *
     * <p>One method with the queue scan written in, on purpose: it is called once per batch of a
     * few hundred packets, and its bytecode stays above the JIT's limit for inlining a hot
     * callee (FreqInlineSize, 325 bytes). Inlined into the user's batch loop, it used up that
     * compile's node budget before the parser reached {@code batch.iterator()}, which was then
     * left out of line: the iterator escaped, and every packet's walk state went through memory
     * (docs/ARCHITECTURE.md, "The JIT and memory ordering"; PacketMethodShapeTest holds the size).
     */
    private PacketBatch next(long timeoutNanos, boolean blocking) throws NetringException {
        guard.acquire(handleName);
        enterReader();
        try {
            checkNoOpenBatch();
            long deadline = System.nanoTime() + timeoutNanos;
            int queueCount = queues.size();
            for (;;) {
                for (int k = 0; k < queueCount; k++) {
                    XdpQueue q = queues.get(nextQueue);
                    nextQueue = nextQueue + 1 == queueCount ? 0 : nextQueue + 1;
                    q.refill();
                    int count = q.socket().rx().peek(settings.batchSize());
                    if (count > 0) {
                        lastFrames = System.nanoTime();
                        return take(q, count);
                    }
                }
                if (!blocking) {
                    wakeUpQueues();
                    checkInterfaceNowAndThen();
                    return null;
                }
                if (guard.isClosed()) {
                    throw closedWhileWaiting();
                }
                long now = System.nanoTime();
                long remaining = deadline - now;
                if (remaining <= 0) {
                    checkInterfaceNowAndThen();
                    return null;
                }
                long nap = settings.idleNapNanos();
                if (nap > 0 && now - lastFrames < NAPPING_SPELL) {
                    // Frames came lately: nap and look again, rather than be woken for each one.
                    wakeUpQueues();
                    Nap.sleep(Math.min(nap, remaining));
                    checkInterfaceNowAndThen();
                    continue;
                }
                await((int) Math.min(TimeUnit.NANOSECONDS.toMillis(remaining + 999_999), GONE_CHECK_MS));
            }
        } finally {
            leaveReader();
            guard.release();
        }
    }

    /** Nothing ready: a driver that asks for a syscall to go on filling gets one on each queue. */
    private void wakeUpQueues() {
        for (XdpQueue q : queues) {
            q.socket().wakeUpRx();
        }
    }

    /** One poll over every queue's socket and the close wake-up. */
    private void await(int millis) throws NetringException {
        int r = pollSet.poll(queues.size() + 1, millis);
        if (r == -Errno.EINTR) {
            return;
        }
        if (r < 0) {
            throw LinuxErrors.exception("poll", -r);
        }
        if (r == 0) {
            checkInterfaceNowAndThen();
            return;
        }
        if (pollSet.revents(queues.size()) != 0) {
            throw closedWhileWaiting();
        }
        for (int i = 0; i < queues.size(); i++) {
            if ((pollSet.revents(i) & POLLERR) != 0) {
                int errno = LinuxSocket.pendingError(queues.get(i).socket().fd());
                if (errno == Errno.ENETDOWN || errno == Errno.ENXIO || errno == Errno.ENODEV || interfaceGone()) {
                    throw deleted();
                }
                throw LinuxErrors.exception("poll(POLLERR) on " + handleName, errno);
            }
        }
    }

    private PacketBatch take(XdpQueue q, int count) {
        if (!guard.tryAcquire()) {
            throw closedWhileWaiting();
        }
        // The batch holds a use of the handle (so nothing is unmapped under it) until it is released.
        PacketBatch b = q.take(count, sequence++, clockBase + System.nanoTime());
        openBatch.set(b);
        delivered += count;
        return b;
    }

    /** Epoch nanoseconds at open minus {@code System.nanoTime()} then: a stamp per run without a clock object. */
    private static long clockBase() {
        java.time.Instant now = java.time.Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano() - System.nanoTime();
    }

    private static long saturatedNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE / 2;
        }
    }

    private void enterReader() {
        Thread me = Thread.currentThread();
        if (!reader.compareAndSet(null, me)) {
            guard.release();
            Thread other = reader.get();
            throw new IllegalStateException("thread '" + (other == null ? "?" : other.getName()) + "' is already taking "
                    + "a batch from the " + handleName + " (called from '" + me.getName()
                    + "'); AF_XDP rings have one reader at a time: hand packets to other threads with toOwned()");
        }
    }

    private void leaveReader() {
        reader.set(null);
    }

    private void checkNoOpenBatch() {
        PacketBatch open = openBatch.get();
        if (open != null) {
            throw new IllegalStateException("the previous PacketBatch (seq " + open.seqNum()
                    + ") is still open; close it before asking for the next");
        }
    }

    private IllegalStateException closedWhileWaiting() {
        return new IllegalStateException(handleName + " was closed while waiting for a batch");
    }

    private void checkInterfaceNowAndThen() throws InterfaceNotFoundException {
        long now = System.nanoTime();
        if (now - nextGoneCheck < 0) {
            return;
        }
        nextGoneCheck = now + TimeUnit.MILLISECONDS.toNanos(GONE_CHECK_MS);
        if (interfaceGone()) {
            throw deleted();
        }
    }

    /** Whether the interface the sockets are bound to no longer exists under its name and index. */
    private boolean interfaceGone() {
        try {
            return InterfaceQuery.index(settings.interfaceName()) != queues.get(0).socket().ifIndex();
        } catch (InterfaceNotFoundException e) {
            return true;
        }
    }

    private InterfaceNotFoundException deleted() {
        return InterfaceNotFoundException.deleted(settings.interfaceName(), queues.get(0).socket().ifIndex());
    }

    /**
     * Counters since the previous call, as {@link io.netring.AfPacketRx#stats()} gives them:
     * packets delivered plus dropped, drops (the kernel's {@code rx_dropped} and
     * {@code rx_ring_full}), and in {@code freezeCount} the times the fill ring was empty
     * ({@code rx_fill_ring_empty_descs}).
     */
    @Override
    public CaptureStats stats() throws NetringException {
        guard.acquire(handleName);
        try {
            XdpStatistics now = xdpStatisticsHeld();
            synchronized (statsLock) {
                XdpStatistics d = now.minus(lastStatistics);
                long got = delivered - lastDelivered;
                lastStatistics = now;
                lastDelivered += got;
                long drops = d.rxDropped() + d.rxRingFull();
                return new CaptureStats(got + drops, drops, d.rxFillRingEmptyDescs());
            }
        } finally {
            guard.release();
        }
    }

    /** The kernel's XDP_STATISTICS since the sockets were opened, summed over the queues. */
    public XdpStatistics xdpStatistics() throws NetringException {
        guard.acquire(handleName);
        try {
            return xdpStatisticsHeld();
        } finally {
            guard.release();
        }
    }

    private XdpStatistics xdpStatisticsHeld() throws NetringException {
        XdpStatistics sum = XdpStatistics.ZERO;
        for (XdpQueue q : queues) {
            sum = sum.plus(q.socket().statistics());
        }
        return sum;
    }

    /** The first queue's socket fd (for a poll loop of your own; one per queue with {@code allQueues()}). */
    @Override
    public int fd() {
        guard.acquire(handleName);
        guard.release();
        return queues.get(0).socket().fd();
    }

    /** The interface's name. */
    public String interfaceName() {
        return settings.interfaceName();
    }

    /** The RX queue ids read, one socket each. */
    public List<Integer> queues() {
        return settings.queueList();
    }

    /**
     * The frames RX queue {@code queue} has delivered in batches since this handle was opened
     * (read from any thread; exact on the reading thread). With {@code allQueues()} it shows how
     * the NIC's steering spreads the traffic.
     *
     * @throws IllegalArgumentException when {@code queue} is not one of {@link #queues()}
     */
    public long framesReceived(int queue) {
        int i = settings.queueList().indexOf(queue);
        if (i < 0) {
            throw new IllegalArgumentException("queue=" + queue + ": not read by this handle, which reads queues "
                    + settings.queueList());
        }
        return queues.get(i).framesTaken();
    }

    /** Whether every socket runs in zero-copy mode (false: copy mode). */
    public boolean zeroCopy() {
        for (XdpQueue q : queues) {
            if (!q.socket().zeroCopy()) {
                return false;
            }
        }
        return true;
    }

    /** True once {@link #close()} was called. */
    public boolean isClosed() {
        return guard.isClosed();
    }

    /**
     * Detaches the program and closes the sockets; idempotent, from any thread. A thread waiting
     * in {@link #nextBatchBlocking} wakes with an {@link IllegalStateException}; an open batch
     * keeps the UMEM mapped until it is released.
     */
    @Override
    public void close() {
        if (guard.tryAcquire()) {
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
        return handleName + (guard.isClosed() ? ", closed" : "");
    }
}
