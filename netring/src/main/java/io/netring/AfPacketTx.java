package io.netring;

import io.netring.internal.Jfr;
import io.netring.internal.TxFrames;

import io.netring.afpacket.FieldHandles;
import io.netring.afpacket.Leaks;
import io.netring.afpacket.LinkInfo;
import io.netring.afpacket.PacketSocket;
import io.netring.afpacket.ResourceGuard;
import io.netring.afpacket.TxChannel;
import io.netring.afpacket.TxConfig;
import io.netring.afpacket.TxRing;
import io.netring.internal.TxFrames;
import io.netring.internal.linux.Errno;
import io.netring.internal.linux.LinuxErrors;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.Cleaner;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.locks.LockSupport;

import static io.netring.internal.linux.LinuxConstants.*;

/**
 * The low-level transmit handle: one AF_PACKET socket with a TX ring (TPACKET_V3 frames, or
 * TPACKET_V2 on kernels older than 4.11), bound to one interface.
 *
 * <pre>{@code
 * try (AfPacketTx tx = AfPacketTx.builder().interfaceName("eth0").frameCount(1024).build()) {
 *     for (byte[] frame : frames) {
 *         TxSlot slot = tx.allocate(frame.length);
 *         if (slot == null) {                 // ring full: kick the kernel, then retry
 *             tx.flush();
 *             slot = tx.allocate(frame.length);
 *             if (slot == null) continue;     // the device is slower than we are
 *         }
 *         slot.copyFrom(frame);
 *         slot.send();
 *     }
 *     tx.flushBlocking(Duration.ofSeconds(1)); // wait until the ring drained
 * }
 * }</pre>
 *
 * <p>A frame longer than the interface's MTU plus link header throws
 * {@link FrameTooLongException}, or with {@code lossy(true)} is skipped and counted in
 * {@link #framesSkipped()}. One thread allocates, sends and flushes: the first to do any of
 * these; another thread's call throws {@link WrongThreadException}. {@link #close()} may come
 * from any thread, after which the producer's next call throws {@link IllegalStateException}
 * (docs/ARCHITECTURE.md, safety rule 2). Filling slots with {@link TxSlot#copyFrom}, the
 * allocate / fill / send / flush cycle allocates nothing.
 */
public final class AfPacketTx implements PacketSink, AutoCloseable {
    private static final System.Logger LOG = System.getLogger("io.netring");
    private static final ValueLayout.OfShort BIG_ENDIAN_SHORT =
            ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfInt BIG_ENDIAN_INT =
            ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final long ETHERTYPE_OFFSET = 12;
    /** Smallest EtherType; below it the field is an 802.3 length and the kernel works the protocol out itself. */
    private static final int ETHERTYPE_MIN = 0x0600;
    /** {@link #kickProtocol}: the queued frames do not share one EtherType. */
    private static final int MIXED = PacketSocket.MIXED;

    private final TxConfig config;
    private final TxChannel channel;
    private final TxRing ring;
    private final ResourceGuard guard;
    /** The thread that allocates, sends and flushes; set by its first such call. */
    private volatile Thread producer;
    private static final VarHandle PRODUCER = FieldHandles.of(MethodHandles.lookup(), "producer", Thread.class);
    /** The EtherType shared by every frame queued and not yet taken, or MIXED. */
    private int kickProtocol = MIXED;
    private final Cleaner.Cleanable cleanable;
    private final TxSlot[] slots;
    /** What this sink's slots call: the ring's frames. */
    private final TxFrames frames;
    private final int capacity;
    private final int minLength;
    private LinkInfo link;
    private long sent;
    private long skipped;
    private long discarded;
    // scratch of countRejected(), kept in fields so the visitor lambda can update them
    private int firstRejectedLength;
    private int rejectedCount;

    private AfPacketTx(TxConfig config, TxChannel channel) {
        this.config = config;
        this.channel = channel;
        this.ring = channel.ring();
        this.link = channel.link();
        this.capacity = config.geometry().frameCapacity();
        this.minLength = Math.max(1, link.headerLength());
        this.slots = new TxSlot[ring.frameCount()];
        this.frames = new RingFrames();
        this.guard = new ResourceGuard(channel::close);
        this.cleanable = Leaks.watch(this, guard, "an AfPacketTx on " + config.interfaceName(),
                "closed its socket and unmapped its ring");
    }

    /** A builder with the defaults: 2048-byte frames, 1024 of them, traffic control on, strict. */
    public static AfPacketTxBuilder builder() { return new AfPacketTxBuilder(); }

    /** Opens socket and ring (the backend's {@link TxChannel#open}). */
    static AfPacketTx open(TxConfig config) throws NetringException {
        return new AfPacketTx(config, TxChannel.open(config));
    }

    private IllegalStateException closed() {
        return new IllegalStateException("AfPacketTx on " + config.interfaceName() + " is closed");
    }

    /** Checks a frame length against [link header, capacity]; returns it as an int. */
    int checkLength(String name, long length) {
        if (length < minLength || length > capacity) {
            throw new IllegalArgumentException(name + "=" + length + ": must be in [" + minLength + ", " + capacity
                    + "] bytes; " + minLength + " is the link header of " + config.interfaceName() + ", " + capacity
                    + " the data capacity of a frame (frameSize " + config.geometry().frameSize() + " minus "
                    + (config.geometry().frameSize() - capacity) + " bytes of header); raise frameSize for longer frames");
        }
        return (int) length;
    }

    /**
     * The producer's calls come from one thread: the ring's head, tail and pending count are
     * plain fields that a second thread would corrupt (a flush racing a send left the pending
     * count negative and frames never sent). After the first call this is one load and compare.
     */
    private void checkProducer() {
        Thread me = Thread.currentThread();
        if (producer != me && !PRODUCER.compareAndSet(this, null, me)) {
            Thread owner = producer;
            throw new WrongThreadException("the AfPacketTx on " + config.interfaceName() + " belongs to thread '"
                    + (owner == null ? "?" : owner.getName()) + "', the first to allocate, send or flush; called from '"
                    + me.getName() + "'. Its TX ring is not thread-safe: use one injector per thread, or hand frames "
                    + "to the producing thread (close() works from any thread)");
        }
    }

    @Override
    public TxSlot allocate(int length) {
        checkProducer();
        checkLength("length", length);
        if (guard.isClosed()) {
            throw closed();
        }
        int index;
        try {
            index = ring.tryAllocate();
        } catch (IllegalStateException e) {
            throw closedOr(e);
        }
        if (index < 0) {
            return null;
        }
        TxSlot slot = slots[index];
        if (slot == null) {
            slot = new TxSlot(frames, index, ring.dataOffset(index));     // once per frame, on the ring's first lap
            slots[index] = slot;
        }
        slot.hold(length);
        return slot;
    }

    /**
     * Takes a guard use for a slot that hands out its {@link TxSlot#data()} segment: that
     * segment reads the raw mapping, so the ring must stay mapped until the slot is done.
     */
    void holdRing() {
        if (!guard.tryAcquire()) {
            throw closed();
        }
    }

    /** Drops a use taken by {@link #holdRing()}. */
    void releaseRing() {
        guard.release();
    }

    /** The frame's data as a segment of {@code arena}; only while a {@link #holdRing()} use is held. */
    MemorySegment frameSegment(int index, int length, Arena arena) {
        return channel.mapping().raw().asSlice(ring.dataOffset(index), length).reinterpret(arena, null);
    }

    /** Copies {@code length} bytes of {@code frame} to ring offset {@code at}. */
    void copyIn(long at, MemorySegment frame, int length) {
        try {
            MemorySegment.copy(frame, 0, ring.frames(), at, length);
        } catch (IllegalStateException e) {
            throw closedOr(e);
        }
    }

    void putShort(long at, short value) {
        try {
            ring.frames().set(BIG_ENDIAN_SHORT, at, value);
        } catch (IllegalStateException e) {
            throw closedOr(e);
        }
    }

    void putInt(long at, int value) {
        try {
            ring.frames().set(BIG_ENDIAN_INT, at, value);
        } catch (IllegalStateException e) {
            throw closedOr(e);
        }
    }

    /**
     * What a scoped ring access that failed means: the ring was unmapped by a close (reported
     * as this handle being closed), or something else about {@code e}'s segment.
     */
    private IllegalStateException closedOr(IllegalStateException e) {
        if (guard.isClosed()) {
            IllegalStateException closed = closed();
            closed.initCause(e);
            return closed;
        }
        return e;
    }

    int frameCapacity() {
        return capacity;
    }

    /** Queues a filled slot. */
    void sendSlot(int index, long dataAt, int length) throws FrameTooLongException {
        checkProducer();
        if (guard.isClosed()) {
            throw closed();
        }
        try {
            if (length > link.frameLimit() && length > limit(dataAt, length)) {
                rejectOrSkip(index, dataAt, length);
                return;
            }
            noteProtocol(dataAt, length);
            ring.submit(index, length);
        } catch (IllegalStateException e) {
            throw closedOr(e);
        }
    }

    /**
     * Tracks whether every queued frame carries the same EtherType. When they do, the kick names
     * it (as a socket bound to that protocol would), and the kernel skips parsing the link header
     * of each frame to find it (about 17 ns per frame here); it would find the same value.
     */
    private void noteProtocol(long dataAt, int length) {
        int protocol = MIXED;
        if (link.ethernet() && length >= ETH_HLEN) {
            int etherType = Short.toUnsignedInt(ring.frames().get(BIG_ENDIAN_SHORT, dataAt + ETHERTYPE_OFFSET));
            if (etherType >= ETHERTYPE_MIN) {
                protocol = etherType;
            }
        }
        if (ring.queuedFrames() == 0) {
            kickProtocol = protocol;            // a new run of queued frames
        } else if (kickProtocol != protocol) {
            kickProtocol = MIXED;
        }
    }

    /** The longest frame the kernel takes: MTU + link header, 4 more for an 802.1Q-tagged Ethernet frame. */
    private int limit(long dataAt, int length) {
        int limit = link.frameLimit();
        if (link.ethernet() && length >= ETH_HLEN
                && Short.toUnsignedInt(ring.frames().get(BIG_ENDIAN_SHORT, dataAt + ETHERTYPE_OFFSET)) == ETH_P_8021Q) {
            limit += VLAN_HLEN;
        }
        return limit;
    }

    /** A frame over the cached limit. The MTU may have grown since it was read: ask again first. */
    private void rejectOrSkip(int index, long dataAt, int length) throws FrameTooLongException {
        refreshLink();
        int limit = limit(dataAt, length);
        if (length <= limit) {
            noteProtocol(dataAt, length);
            ring.submit(index, length);
            return;
        }
        ring.poison(index);
        skipped++;
        if (!config.lossy()) {
            throw new FrameTooLongException(config.interfaceName(), length, link.mtu(), limit);
        }
    }

    private void refreshLink() {
        try {
            link = channel.readLink();
        } catch (NetringException e) {
            LOG.log(System.Logger.Level.DEBUG, "could not re-read the MTU of " + config.interfaceName(), e);
        }
    }

    void discardSlot(int index) {
        checkProducer();
        if (guard.isClosed()) {
            return;
        }
        try {
            ring.poison(index);
            discarded++;
        } catch (IllegalStateException closedMeanwhile) {
            if (!guard.isClosed()) {
                throw closedMeanwhile;
            }
        }
    }

    @Override
    public int flush() throws NetringException {
        checkProducer();
        if (!guard.tryAcquire()) {
            throw closed();
        }
        try {
            return kick();
        } finally {
            guard.release();
        }
    }

    /**
     * One non-blocking {@code sendto(fd, NULL, 0, MSG_DONTWAIT, NULL, 0)}: the kernel sends queued
     * frames in order until it meets one that is not queued or the device pushes back.
     */
    private int kick() throws NetringException {
        if (!ring.hasWorkForKernel()) {
            ring.completeUnderGuard();
            return 0;
        }
        long r = channel.kick(kickProtocol);
        int handed = ring.reap();
        ring.completeUnderGuard();
        int rejected = 0;
        // The kernel answers with the bytes it sent. Fewer than the frames it took means it skipped
        // some (PACKET_LOSS): the MTU shrank after send() checked them.
        if (r >= 0 && r != ring.lastReapBytes() && ring.lastReapBytes() <= Integer.MAX_VALUE) {
            rejected = countRejected(r);
        }
        handed -= rejected;
        sent += handed;
        if (rejected > 0 && !config.lossy()) {
            throw new FrameTooLongException(config.interfaceName(), firstRejectedLength, link.mtu(), link.frameLimit());
        }
        if (r < 0 && r != -Errno.ENOBUFS && r != -Errno.EAGAIN) {
            throw sendError((int) -r);
        }
        if (ring.stalled()) {
            throw new NetringException("the kernel stopped the TX ring of " + config.interfaceName()
                    + " on a frame it rejected (TP_STATUS_WRONG_FORMAT) although PACKET_LOSS is set; close and reopen",
                    "sendto(PACKET_TX_RING)", Errno.EINVAL);
        }
        return handed;
    }

    private int countRejected(long bytesSent) {
        refreshLink();
        rejectedCount = 0;
        ring.visitLastReap((index, length) -> {
            if (length > limit(ring.dataOffset(index), length)) {
                if (rejectedCount++ == 0) {
                    firstRejectedLength = length;
                }
            }
        });
        if (rejectedCount == 0) {
            LOG.log(System.Logger.Level.WARNING, "the kernel sent " + bytesSent + " of " + ring.lastReapBytes()
                    + " queued bytes on " + config.interfaceName() + " and skipped the rest for a reason other than the MTU");
        }
        skipped += rejectedCount;
        return rejectedCount;
    }

    private NetringException sendError(int errno) {
        String what = switch (errno) {
            case Errno.ENETDOWN -> "interface " + config.interfaceName() + " is down";
            case Errno.ENXIO, Errno.ENODEV -> "interface " + config.interfaceName() + " disappeared";
            default -> "sending the TX ring of " + config.interfaceName();
        };
        return LinuxErrors.exception("sendto(PACKET_TX_RING)", errno, "CAP_NET_RAW", what);
    }

    @Override
    public boolean flushBlocking(Duration timeout) throws NetringException {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("timeout=" + timeout + ": must not be negative");
        }
        checkProducer();
        if (!guard.tryAcquire()) {
            throw closed();
        }
        Object waited = Jfr.AVAILABLE ? RingEvents.txFlushBegin() : null;
        boolean drained = false;
        try {
            long deadline = System.nanoTime() + Deadlines.saturatedNanos(timeout);
            for (int round = 0; ; round++) {
                kick();
                if (ring.drained()) {
                    drained = true;
                    return true;
                }
                if (!ring.hasWorkForKernel() && ring.inFlightFrames() == 0) {
                    return false;           // what is left waits behind a slot this thread still holds
                }
                if (guard.isClosed()) {
                    throw new IllegalStateException("AfPacketTx on " + config.interfaceName()
                            + " was closed while flushing");
                }
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    return false;
                }
                if (round < 64) {
                    Thread.onSpinWait();    // a veth or fast NIC completes within microseconds
                } else {
                    LockSupport.parkNanos(Math.min(remaining, 50_000));
                }
            }
        } finally {
            guard.release();
            if (waited != null) {
                RingEvents.txFlushEnd(waited, config.interfaceName(), drained);
            }
        }
    }

    /**
     * Queues a copy of {@code frame}. When the ring is full it flushes once and tries again.
     * The frame leaves with the next {@link #flush()}.
     *
     * @return true when queued, false when the ring stayed full
     * @throws FrameTooLongException as {@link TxSlot#send()}
     */
    public boolean send(MemorySegment frame) throws NetringException {
        Objects.requireNonNull(frame, "frame");
        int length = checkLength("frame.byteSize()", frame.byteSize());
        TxSlot slot = allocate(length);
        if (slot == null) {
            flush();
            slot = allocate(length);
            if (slot == null) {
                return false;
            }
        }
        slot.copyFrom(frame);
        slot.send();
        return true;
    }

    /** {@link #send(MemorySegment)} for a byte array. */
    public boolean send(byte[] frame) throws NetringException {
        Objects.requireNonNull(frame, "frame");
        return send(MemorySegment.ofArray(frame));
    }

    @Override
    public int fd() {
        if (guard.isClosed()) {
            throw closed();
        }
        return channel.socket().fd();
    }

    /** The interface this handle sends on. */
    public String interfaceName() { return config.interfaceName(); }

    /** Bytes per ring frame, header included. */
    public int frameSize() { return config.geometry().frameSize(); }

    /** Frames in the ring (the request rounded up to whole blocks). */
    public int frameCount() { return ring.frameCount(); }

    /** The MTU as last read from the interface. */
    public int mtu() { return link.mtu(); }

    /** 3 for a TPACKET_V3 ring, 2 when the kernel only offered TPACKET_V2 TX. */
    public int tpacketVersion() { return ring.layout().version() == TPACKET_V3 ? 3 : 2; }

    /** Frames the kernel has taken for sending, over the handle's life. */
    public long framesSent() { return sent; }

    /** Frames skipped because they were longer than the interface carries (lossy mode, or before an exception). */
    public long framesSkipped() { return skipped; }

    /** Slots given back with {@link TxSlot#discard()}. */
    public long framesDiscarded() { return discarded; }

    /** Frames queued or in flight: what {@link #flushBlocking} waits for. */
    public int pendingFrames() { return ring.queuedFrames() + ring.inFlightFrames(); }

    /**
     * True once {@link #close()} has started; calls that use the socket then throw
     * {@link IllegalStateException}.
     */
    public boolean isClosed() { return guard.isClosed(); }

    /**
     * Closes the socket and unmaps the ring. Queued frames not yet taken by the kernel are
     * dropped: call {@link #flushBlocking} first to send them. Idempotent and safe from any thread.
     */
    @Override
    public void close() {
        if (guard.tryAcquire()) {
            try {
                if (guard.close()) {
                    for (TxSlot slot : slots) {
                        if (slot != null) {
                            slot.releaseOnClose();  // drops the use of a data() slot of this thread
                        }
                    }
                }
            } finally {
                guard.release();
            }
        }
        cleanable.clean();
    }

    @Override
    public String toString() {
        return "AfPacketTx[" + config.interfaceName() + ", " + ring.frameCount() + " x " + frameSize() + " bytes, "
                + ring.layout().versionName() + (guard.isClosed() ? ", closed" : "") + "]";
    }

    /** The ring's frames as the slots see them; each call is this handle's own. */
    private final class RingFrames extends TxFrames {
        @Override
        public int frameCapacity() {
            return AfPacketTx.this.frameCapacity();
        }

        @Override
        public int checkLength(String name, long length) {
            return AfPacketTx.this.checkLength(name, length);
        }

        @Override
        public void holdFrames() {
            holdRing();
        }

        @Override
        public void releaseFrames() {
            releaseRing();
        }

        @Override
        public MemorySegment frameSegment(int index, int length, Arena arena) {
            return AfPacketTx.this.frameSegment(index, length, arena);
        }

        @Override
        public void copyIn(long at, MemorySegment frame, int length) {
            AfPacketTx.this.copyIn(at, frame, length);
        }

        @Override
        public void putShort(long at, short value) {
            AfPacketTx.this.putShort(at, value);
        }

        @Override
        public void putInt(long at, int value) {
            AfPacketTx.this.putInt(at, value);
        }

        @Override
        public void sendSlot(int index, long dataAt, int length) throws FrameTooLongException {
            AfPacketTx.this.sendSlot(index, dataAt, length);
        }

        @Override
        public void discardSlot(int index) {
            AfPacketTx.this.discardSlot(index);
        }
    }
}
