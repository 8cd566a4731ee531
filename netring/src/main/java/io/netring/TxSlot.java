package io.netring;

import io.netring.internal.TxFrames;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Objects;

/**
 * One frame of a TX ring (or of an AF_XDP UMEM), lent to the caller to fill: write the packet
 * (from the link-layer header on), then {@link #send()} it or {@link #discard()} it. A slot that
 * is neither sent nor discarded is never transmitted; on a TPACKET_V3 ring it also holds back
 * every frame queued after it, because the kernel sends the ring strictly in order.
 *
 * <p>Two ways to fill it: {@link #data()} gives a writable segment over the frame, scoped to
 * this slot (it throws IllegalStateException once the slot is sent or discarded); creating that
 * scope costs a few small objects per slot. {@link #copyFrom(MemorySegment)} and
 * {@link #copyFrom(byte[])} copy a prepared frame in and allocate nothing.
 *
 * <p>A slot is confined to the thread that allocated it. Do not keep it after send() or
 * discard(): the same object stands for the same ring frame again one lap of the ring later.
 */
public final class TxSlot {
    private final TxFrames owner;
    private final int index;
    /** Ring offset of the frame's first data byte: fixed for the frame, so worked out once. */
    private final long dataAt;
    private int length;
    private boolean held;
    private Thread holder;
    private Arena arena;

    TxSlot(TxFrames owner, int index, long dataAt) {
        this.owner = owner;
        this.index = index;
        this.dataAt = dataAt;
    }

    void hold(int length) {
        this.length = length;
        this.held = true;
    }

    /**
     * The frame's bytes, {@link #length()} long, writable. Valid until {@link #send()},
     * {@link #discard()} or the sink's close (when closed by this thread).
     */
    public MemorySegment data() {
        checkHeld();
        if (arena == null) {
            owner.holdFrames();                   // the segment keeps the ring mapped until send or discard
            holder = Thread.currentThread();
            arena = Arena.ofConfined();
        }
        return owner.frameSegment(index, length, arena);
    }

    /** The number of bytes that {@link #send()} transmits. */
    public int length() {
        return length;
    }

    /**
     * Sets the number of bytes to transmit (Rust: {@code set_len}).
     * @throws IllegalArgumentException outside [link header, {@link #capacity()}]
     */
    public TxSlot length(int length) {
        checkHeld();
        owner.checkLength("length", length);
        this.length = length;
        return this;
    }

    /** The most bytes a frame of this ring holds. */
    public int capacity() {
        return owner.frameCapacity();
    }

    /** Copies {@code frame} into the slot and sets the length to its size; allocates nothing. */
    public TxSlot copyFrom(MemorySegment frame) {
        Objects.requireNonNull(frame, "frame");
        checkHeld();
        int len = owner.checkLength("frame.byteSize()", frame.byteSize());
        owner.copyIn(dataAt, frame, len);
        this.length = len;
        return this;
    }

    /** Copies {@code frame} into the slot and sets the length to its size; allocates nothing. */
    public TxSlot copyFrom(byte[] frame) {
        Objects.requireNonNull(frame, "frame");
        return copyFrom(MemorySegment.ofArray(frame));
    }

    /**
     * Writes {@code frame} at {@code offset} inside the slot, leaving the length as it is.
     * @throws IllegalArgumentException when the bytes would not fit inside the frame's capacity
     */
    public TxSlot write(long offset, byte[] frame) {
        Objects.requireNonNull(frame, "frame");
        checkHeld();
        // offset > capacity - length, not offset + length > capacity: that sum overflows for a huge offset.
        if (offset < 0 || offset > owner.frameCapacity() - frame.length) {
            throw new IllegalArgumentException("offset=" + offset + ", frame.length=" + frame.length
                    + ": must fit in the frame's " + owner.frameCapacity() + " bytes");
        }
        owner.copyIn(dataAt + offset, MemorySegment.ofArray(frame), frame.length);
        return this;
    }

    /**
     * Writes {@code value} at {@code index} of the frame in network byte order (big-endian),
     * e.g. an EtherType at 12. With {@link #putInt} it patches a template copied in with
     * {@link #copyFrom}: cheaper than changing the template and copying it again.
     * @throws IndexOutOfBoundsException when the two bytes are not inside the frame's capacity
     */
    public TxSlot putShort(int index, short value) {
        checkHeld();
        owner.putShort(dataAt + checkField(index, Short.BYTES), value);
        return this;
    }

    /**
     * Writes {@code value} at {@code index} of the frame in network byte order (big-endian),
     * e.g. a sequence number or an IPv4 address. See {@link #putShort}.
     * @throws IndexOutOfBoundsException when the four bytes are not inside the frame's capacity
     */
    public TxSlot putInt(int index, int value) {
        checkHeld();
        owner.putInt(dataAt + checkField(index, Integer.BYTES), value);
        return this;
    }

    private int checkField(int index, int size) {
        return FieldBounds.check(index, size, owner.frameCapacity(), "the frame's ");
    }

    /** True until the slot is sent or discarded. */
    public boolean isHeld() {
        return held;
    }

    /**
     * Queues the frame; it leaves with the next {@link PacketSink#flush()}.
     *
     * @throws FrameTooLongException when the frame is longer than the interface carries (MTU plus
     *         link header); the frame is then dropped and the slot is used up. Injectors built
     *         with {@code lossy(true)} skip and count it instead.
     * @throws IllegalStateException when the slot was already sent or discarded, or the sink closed
     */
    public void send() throws FrameTooLongException {
        checkHeld();
        release();
        owner.sendSlot(index, dataAt, length);
    }

    /** Gives the frame back unsent: it is never transmitted. */
    public void discard() {
        checkHeld();
        release();
        owner.discardSlot(index);
    }

    /**
     * Closes the data scope first: if this is the wrong thread that throws and nothing changes.
     * Then drops the ring use that {@link #data()} took.
     */
    private void release() {
        Arena a = arena;
        if (a != null) {
            a.close();
            arena = null;
            holder = null;
            owner.releaseFrames();
        }
        held = false;
    }

    /**
     * The sink is closing on this thread: a slot whose {@link #data()} segment is out ends, so
     * the ring can be unmapped. A slot of another thread keeps the ring mapped until that thread
     * sends or discards it (it may be writing right now); a slot without a data() segment holds
     * no use of the ring, and its next call reports the close.
     */
    void releaseOnClose() {
        if (held && arena != null && holder == Thread.currentThread()) {
            release();
        }
    }

    private void checkHeld() {
        if (!held) {
            throw new IllegalStateException("TxSlot already sent or discarded (or its sink closed); allocate a new one");
        }
    }

    @Override
    public String toString() {
        return "TxSlot[frame " + index + ", " + length + " bytes" + (held ? "" : ", done") + "]";
    }
}
