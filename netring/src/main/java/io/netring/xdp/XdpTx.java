package io.netring.xdp;

import io.netring.NetringException;
import io.netring.TxSlot;
import io.netring.afpacket.ResourceGuard;
import io.netring.internal.PacketAccess;
import io.netring.internal.TxFrames;
import io.netring.internal.xdp.Umem;
import io.netring.internal.xdp.XskConfig;
import io.netring.internal.xdp.XskConsumerRing;
import io.netring.internal.xdp.XskProducerRing;
import io.netring.internal.xdp.XskSocket;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.locks.LockSupport;

/**
 * Sends frames through an AF_XDP socket's TX ring on one queue of one interface.
 *
 * <pre>{@code
 * try (XdpTx tx = XdpTx.builder().interfaceName("eth0").queue(0).build()) {
 *     for (byte[] frame : frames) {
 *         while (!tx.send(frame)) {           // ring full: let the kernel catch up
 *             tx.flush();
 *         }
 *     }
 *     tx.flush(Duration.ofSeconds(1));         // wait until every frame completed
 * }
 * }</pre>
 *
 * <p>{@code send} copies the frame into a free UMEM frame and queues its descriptor; {@code flush}
 * asks the kernel to send ({@code sendto}) and takes the frames it has finished with back from
 * the completion ring, which is where every frame is recycled from. Nothing is allocated per
 * frame. One thread sends and flushes; {@link #close()} may come from any thread, after which
 * the sender's next call throws {@link IllegalStateException}.
 */
public final class XdpTx implements AutoCloseable {
    private static final ValueLayout.OfShort BIG_ENDIAN_SHORT =
            ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(java.nio.ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfInt BIG_ENDIAN_INT =
            ValueLayout.JAVA_INT_UNALIGNED.withOrder(java.nio.ByteOrder.BIG_ENDIAN);
    private final XskSocket socket;
    private final ResourceGuard guard;
    private final XskProducerRing tx;
    private final XskConsumerRing completion;
    private final Umem umem;
    private final MemorySegment memory;
    private final int headroom;
    private final int capacity;
    /** UMEM addresses of the frames free to send from: a stack, refilled from the completion ring. */
    private final long[] free;
    private int freeCount;
    private long sent;
    private long completed;
    private long discarded;
    /** Slots lent by {@link #allocate} and not yet sent or discarded: each has a TX entry promised. */
    private int heldSlots;
    /** One slot per UMEM frame, made the first time the frame is lent. */
    private final TxSlot[] slots;
    private final UmemFrames frames = new UmemFrames();

    private XdpTx(XskSocket socket) {
        this.socket = socket;
        this.guard = socket.guard();
        this.tx = socket.tx();
        this.completion = socket.completion();
        this.umem = socket.umem();
        this.memory = umem.memory();
        this.headroom = umem.headroom();
        this.capacity = umem.frameSize() - headroom;
        XskConfig config = socket.config();
        this.free = new long[config.txFrameCount()];
        this.slots = new TxSlot[config.frameCount()];
        for (int i = config.frameCount() - 1; i >= config.txFirstFrame(); i--) {
            free[freeCount++] = umem.frameAddress(i);
        }
    }

    /** A builder with the defaults: queue 0, AUTO mode, 4096 frames of 4096 bytes, 2048-entry rings. */
    public static XdpTxBuilder builder() {
        return new XdpTxBuilder();
    }

    static XdpTx open(XskConfig config) throws NetringException {
        return new XdpTx(XskSocket.open(config));
    }

    private IllegalStateException closed() {
        return new IllegalStateException("XdpTx on " + socket.config().interfaceName() + " queue "
                + socket.queue() + " is closed");
    }

    /**
     * Queues a copy of {@code frame}. When no UMEM frame or TX entry is free it flushes once
     * and tries again.
     *
     * @return true when queued, false when the TX ring or the UMEM stayed full
     * @throws IllegalArgumentException when the frame is empty or longer than frameSize - headroom
     * @throws NetringException when the kick fails (interface down or gone)
     */
    public boolean send(MemorySegment frame) throws NetringException {
        Objects.requireNonNull(frame, "frame");
        int length = checkLength(frame.byteSize());
        if (!guard.tryAcquire()) {
            throw closed();
        }
        try {
            if (!queue(frame, length)) {
                flushUnderGuard();
                return queue(frame, length);
            }
            return true;
        } finally {
            guard.release();
        }
    }

    /** {@link #send(MemorySegment)} for a byte array. */
    public boolean send(byte[] frame) throws NetringException {
        Objects.requireNonNull(frame, "frame");
        return send(MemorySegment.ofArray(frame));
    }

    private int checkLength(long length) {
        if (length < 1 || length > capacity) {
            throw new IllegalArgumentException("frame length " + length + ": must be in [1, " + capacity
                    + "], frameSize " + umem.frameSize() + " minus headroom " + headroom
                    + "; raise frameSize for longer frames");
        }
        return (int) length;
    }

    /** Copies the frame into a free UMEM frame and submits its descriptor; false when out of either. */
    private boolean queue(MemorySegment frame, int length) {
        if (freeCount == 0 && reclaim() == 0) {
            return false;
        }
        if (tx.room(heldSlots + 1) <= heldSlots || tx.reserve(1) == 0) {
            return false;                   // the entries left are promised to lent slots
        }
        long address = free[--freeCount] + headroom;
        MemorySegment.copy(frame, 0, memory, address, length);
        tx.setDesc(tx.startIndex(), address, length, 0);
        tx.submit(1);
        sent++;
        return true;
    }

    /**
     * Lends a free UMEM frame to fill in place (zero copy): write it through the slot, then
     * {@link TxSlot#send()} queues its descriptor (it leaves with the next {@link #flush()}) or
     * {@link TxSlot#discard()} gives it back. Slots may be sent in any order.
     *
     * @return the slot, or null when no UMEM frame or TX entry is free (flush, then try again)
     * @throws IllegalArgumentException when {@code length} is not in [1, frameSize - headroom]
     * @throws IllegalStateException when this handle is closed
     */
    public TxSlot allocate(int length) {
        frames.checkLength("length", length);
        if (guard.isClosed()) {
            throw closed();
        }
        if (freeCount == 0 && reclaim() == 0) {
            return null;
        }
        if (tx.room(heldSlots + 1) <= heldSlots) {
            return null;
        }
        long start = free[--freeCount];
        int index = (int) (start / umem.frameSize());
        TxSlot slot = slots[index];
        if (slot == null) {
            slot = PacketAccess.get().txSlot(frames, index, start + headroom);     // once per frame
            slots[index] = slot;
        }
        PacketAccess.get().holdSlot(slot, length);
        heldSlots++;
        return slot;
    }

    /** Takes the frames the kernel has finished sending back from the completion ring. */
    private int reclaim() {
        int n = completion.peek(free.length - freeCount);
        if (n == 0) {
            return 0;
        }
        long start = completion.startIndex();
        for (int i = 0; i < n; i++) {
            free[freeCount++] = umem.frameStart(completion.address(start + i));
        }
        completion.release(n);
        completed += n;
        return n;
    }

    /**
     * Asks the kernel to send what is queued and takes back the frames it has completed. Does
     * not wait: in copy mode one kick sends a few dozen frames, so this kicks again while the
     * kernel keeps taking frames, and stops when it takes none.
     *
     * @return the frames completed by this call
     * @throws NetringException when the interface is down or gone
     */
    public int flush() throws NetringException {
        if (!guard.tryAcquire()) {
            throw closed();
        }
        try {
            return flushUnderGuard();
        } finally {
            guard.release();
        }
    }

    private int flushUnderGuard() throws NetringException {
        long before = completed;
        int pending = tx.pending();
        while (pending > 0) {
            if (!socket.zeroCopy() || tx.needsWakeup()) {
                socket.kickTx();
            }
            reclaim();
            int left = tx.pending();
            if (left >= pending) {
                break;
            }
            pending = left;
        }
        reclaim();
        return (int) (completed - before);
    }

    /**
     * {@link #flush()} until every frame sent has completed, or {@code timeout} has passed.
     *
     * @return true when every frame completed
     */
    public boolean flush(Duration timeout) throws NetringException {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("timeout=" + timeout + ": must not be negative");
        }
        long deadline = System.nanoTime() + saturatedNanos(timeout);
        for (int round = 0; ; round++) {
            flush();
            if (completed == sent) {
                return true;
            }
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                return false;
            }
            if (round < 64) {
                Thread.onSpinWait();        // veth completes within microseconds
            } else {
                LockSupport.parkNanos(Math.min(remaining, 50_000));
            }
        }
    }

    private static long saturatedNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException tooLong) {
            return Long.MAX_VALUE / 2;
        }
    }

    /** Slots given back with {@link TxSlot#discard()}. */
    public long framesDiscarded() {
        return discarded;
    }

    /** Frames queued over the handle's life. */
    public long framesSent() {
        return sent;
    }

    /** Frames the kernel reported done (completion ring) over the handle's life. */
    public long framesCompleted() {
        return completed;
    }

    /** Frames sent and not yet completed: what {@link #flush(Duration)} waits for. */
    public long pendingFrames() {
        return sent - completed;
    }

    /** The kernel's counters for the socket; {@code txInvalidDescs} counts descriptors it refused. */
    public XdpStatistics stats() throws NetringException {
        return socket.statistics();
    }

    /** True when the socket runs in zero-copy mode (the driver supports it and the mode allowed it). */
    public boolean zeroCopy() {
        return socket.zeroCopy();
    }

    /** The queue this handle sends on. */
    public int queue() {
        return socket.queue();
    }

    /** Bytes per UMEM frame. */
    public int frameSize() {
        return umem.frameSize();
    }

    /** The longest frame {@link #send} takes: frameSize minus headroom. */
    public int maxFrameLength() {
        return capacity;
    }

    /** The AF_XDP socket's file descriptor. */
    public int fd() {
        if (guard.isClosed()) {
            throw closed();
        }
        return socket.fd();
    }

    /**
     * Closes the socket and unmaps its rings and UMEM. Frames not yet sent are dropped: call
     * {@link #flush(Duration)} first. Idempotent and safe from any thread.
     */
    @Override
    public void close() {
        if (guard.tryAcquire()) {
            try {
                for (TxSlot slot : slots) {
                    if (slot != null) {
                        PacketAccess.get().releaseSlotOnClose(slot);    // a data() slot of this thread
                    }
                }
            } finally {
                guard.release();
            }
        }
        socket.close();
    }

    /**
     * The UMEM frames as the slots see them. Each access holds a use of the socket, so a close
     * from another thread cannot unmap the UMEM under a write; a slot's data() segment holds one
     * until the slot is done.
     */
    private final class UmemFrames extends TxFrames {
        @Override
        public int frameCapacity() {
            return capacity;
        }

        @Override
        public int checkLength(String name, long length) {
            if (length < 1 || length > capacity) {
                throw new IllegalArgumentException(name + "=" + length + ": must be in [1, " + capacity
                        + "], frameSize " + umem.frameSize() + " minus headroom " + headroom
                        + "; raise frameSize for longer frames");
            }
            return (int) length;
        }

        @Override
        public void holdFrames() {
            if (!guard.tryAcquire()) {
                throw closed();
            }
        }

        @Override
        public void releaseFrames() {
            guard.release();
        }

        @Override
        public MemorySegment frameSegment(int index, int length, Arena arena) {
            return memory.asSlice(umem.frameAddress(index) + headroom, length).reinterpret(arena, null);
        }

        @Override
        public void copyIn(long at, MemorySegment frame, int length) {
            holdFrames();
            try {
                MemorySegment.copy(frame, 0, memory, at, length);
            } finally {
                guard.release();
            }
        }

        @Override
        public void putShort(long at, short value) {
            holdFrames();
            try {
                memory.set(BIG_ENDIAN_SHORT, at, value);
            } finally {
                guard.release();
            }
        }

        @Override
        public void putInt(long at, int value) {
            holdFrames();
            try {
                memory.set(BIG_ENDIAN_INT, at, value);
            } finally {
                guard.release();
            }
        }

        @Override
        public void sendSlot(int index, long dataAt, int length) {
            holdFrames();
            try {
                heldSlots--;
                tx.reserve(1);              // room was promised at allocate
                tx.setDesc(tx.startIndex(), dataAt, length, 0);
                tx.submit(1);
                sent++;
            } finally {
                guard.release();
            }
        }

        @Override
        public void discardSlot(int index) {
            heldSlots--;
            discarded++;
            free[freeCount++] = umem.frameAddress(index);
        }
    }

    @Override
    public String toString() {
        return "XdpTx[" + socket + ", sent " + sent + ", completed " + completed + "]";
    }
}
