package io.netring.afpacket;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

import static io.netring.internal.linux.LinuxConstants.TP_STATUS_SENDING;
import static io.netring.internal.linux.LinuxConstants.TP_STATUS_SEND_REQUEST;
import static io.netring.internal.linux.LinuxConstants.TP_STATUS_WRONG_FORMAT;

/**
 * Frame ownership on a TX ring: which frame the producer fills next, which frames the kernel
 * has taken, which have completed and may be reused. It mirrors the kernel's cursor with three
 * counters, {@code allocated >= taken >= completed}, reuses a frame only once it completed, and
 * queues a discarded frame "poisoned" so that the kernel (with PACKET_LOSS) skips it. The
 * producer's calls go through the scoped view and hold no guard use; {@link #reap()},
 * {@link #completeUnderGuard()} and {@link #visitLastReap} read the unchecked view under the
 * owner's guard. The whole story: docs/ARCHITECTURE.md, "The TX ring".
 *
 * <p>Not thread-safe: one producer thread uses a ring.
 */
public final class TxRing {
    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();
    private static final ValueLayout.OfInt PLAIN_INT = ValueLayout.JAVA_INT;
    private static final ValueLayout.OfLong PLAIN_LONG = ValueLayout.JAVA_LONG_UNALIGNED;

    /** Status bits that mean the kernel still owns the frame. */
    private static final int KERNEL_OWNED = TP_STATUS_SEND_REQUEST | TP_STATUS_SENDING;
    /** V3 rejects a frame whose tp_next_offset is not 0 ("variable sized slot not supported"). */
    private static final int POISON_NEXT_OFFSET = 1;

    // user-side state of the frames between 'taken' and 'allocated' (and, after reaping, of taken ones)
    private static final byte HELD = 1;
    private static final byte QUEUED = 2;
    private static final byte POISONED = 3;
    private static final byte TAKEN = 4;
    private static final byte TAKEN_POISONED = 5;

    /** The ring, scoped: throws once it is unmapped. */
    private final MemorySegment frames;
    /** The same memory unchecked, for the calls made under the owner's guard. */
    private final MemorySegment framesUnderGuard;
    private final TxFrameLayout layout;
    /** Where {@code tp_len} and {@code tp_snaplen} sit side by side, both written by one store; -1 when apart. */
    private final long lengthPairOffset;
    private final int frameCount;
    /** Frame index → byte offset, computed once: the hot path would otherwise divide several times per frame. */
    private final long[] frameOffsets;
    private final byte[] state;

    private long allocated;
    private long taken;
    private long completed;
    private int producerIndex;
    private int kernelIndex;
    private int completeIndex;
    private int queued;
    private boolean stalled;

    private int lastReapStart;
    private int lastReapFrames;
    private long lastReapBytes;

    /**
     * A ring over a fresh mapping (every frame AVAILABLE, all zero).
     *
     * @param frames the whole mapping, scoped so that it throws once unmapped
     * @param framesUnderGuard the same memory unchecked, read only under the owner's guard
     */
    public TxRing(MemorySegment frames, MemorySegment framesUnderGuard, TxFrameLayout layout, TxGeometry geometry) {
        this.frames = frames;
        this.framesUnderGuard = framesUnderGuard;
        this.layout = layout;
        long len = layout.lenOffset(), snaplen = layout.snaplenOffset();
        this.lengthPairOffset = Math.abs(len - snaplen) == Integer.BYTES ? Math.min(len, snaplen) : -1;
        this.frameCount = geometry.frameCount();
        this.state = new byte[frameCount];
        this.frameOffsets = new long[frameCount];
        for (int i = 0; i < frameCount; i++) {
            frameOffsets[i] = geometry.frameOffset(i);
        }
    }

    /** A ring whose memory needs no guard (a test's own segment): one view for both roles. */
    public TxRing(MemorySegment memory, TxFrameLayout layout, TxGeometry geometry) {
        this(memory, memory, layout, geometry);
    }

    /** Byte offset of frame {@code index}. */
    public long frameOffset(int index) {
        return frameOffsets[index];
    }

    /** Byte offset of the first packet byte of frame {@code index}. */
    public long dataOffset(int index) {
        return frameOffset(index) + layout.dataOffset();
    }

    private int next(int index) {
        return index + 1 == frameCount ? 0 : index + 1;
    }

    /**
     * Hands the next frame to the producer, or returns -1 when every frame is held, queued or
     * still in flight. Never blocks and never hands out a frame the kernel may still read.
     */
    public int tryAllocate() {
        if (allocated - completed == frameCount) {
            complete(frames);
            if (allocated - completed == frameCount) {
                return -1;
            }
        }
        int index = producerIndex;
        state[index] = HELD;
        producerIndex = next(index);
        allocated++;
        return index;
    }

    /** Queues held frame {@code index} for sending with {@code length} bytes of data. */
    public void submit(int index, int length) {
        long frame = frameOffset(index);
        MemorySegment m = frames;
        if (lengthPairOffset >= 0) {
            // tp_len and tp_snaplen hold the same value: one 8-byte store writes both
            m.set(PLAIN_LONG, frame + lengthPairOffset, (length & 0xFFFF_FFFFL) * 0x1_0000_0001L);
        } else {
            m.set(PLAIN_INT, frame + layout.lenOffset(), length);
            m.set(PLAIN_INT, frame + layout.snaplenOffset(), length);
        }
        state[index] = QUEUED;
        queued++;
        INT.setRelease(m, frame + layout.statusOffset(), TP_STATUS_SEND_REQUEST); // pairs with the kernel's read
    }

    /** Queues held frame {@code index} so that the kernel skips it (see the class comment). */
    public void poison(int index) {
        long frame = frameOffset(index);
        MemorySegment m = frames;
        if (layout.nextOffsetOffset() >= 0) {
            m.set(PLAIN_INT, frame + layout.nextOffsetOffset(), POISON_NEXT_OFFSET);
            m.set(PLAIN_INT, frame + layout.lenOffset(), 0);
        } else {
            m.set(PLAIN_INT, frame + layout.lenOffset(), Integer.MAX_VALUE);
        }
        m.set(PLAIN_INT, frame + layout.snaplenOffset(), 0);
        state[index] = POISONED;
        queued++;
        INT.setRelease(m, frame + layout.statusOffset(), TP_STATUS_SEND_REQUEST);
    }

    /** True when the frame at the kernel's cursor is queued, so a kick has something to send. */
    public boolean hasWorkForKernel() {
        return taken < allocated && state[kernelIndex] != HELD;
    }

    /**
     * Advances the mirror of the kernel's cursor over the frames the kernel took during the last
     * kick (status no longer SEND_REQUEST). Call right after each kick: only a kick moves the
     * kernel's cursor.
     *
     * @return the number of real (not poisoned) frames taken; their bytes are {@link #lastReapBytes()}
     */
    public int reap() {
        // Counters in locals and plain status reads, one acquire fence after the pass: an
        // acquire load per frame would make the compiler keep every counter in memory.
        final MemorySegment m = framesUnderGuard;
        final byte[] st = state;
        final long statusOffset = layout.statusOffset();
        final long lenOffset = layout.lenOffset();
        final long limit = allocated;
        long t = taken;
        int index = kernelIndex;
        // Completion in the same pass: a frame the kernel has already finished with, when every
        // frame before it has completed too, is free right away (on veth, nearly all of them).
        long c = completed;
        int completeAt = completeIndex;
        int frames = 0;
        int all = 0;
        long bytes = 0;
        lastReapStart = index;
        while (t < limit) {
            byte s = st[index];
            if (s == HELD) {
                break;                      // the kernel stops here too: this frame is not SEND_REQUEST
            }
            long frame = frameOffsets[index];
            int status = m.get(PLAIN_INT, frame + statusOffset);
            if ((status & TP_STATUS_SEND_REQUEST) != 0) {
                break;                      // not taken yet (device queue full, or not kicked)
            }
            if ((status & TP_STATUS_WRONG_FORMAT) != 0) {
                stalled = true;             // only without PACKET_LOSS: the kernel will not move on
                break;
            }
            if (s == QUEUED) {
                frames++;
                bytes += m.get(PLAIN_INT, frame + lenOffset);
                st[index] = TAKEN;
            } else {
                st[index] = TAKEN_POISONED;
            }
            if (c == t && (status & KERNEL_OWNED) == 0) {
                freed(m, frame, s != QUEUED);
                c++;
                completeAt = next(completeAt);
            }
            all++;
            index = next(index);
            t++;
        }
        VarHandle.acquireFence();           // the status reads above happen before anything after
        completed = c;
        completeIndex = completeAt;
        taken = t;
        kernelIndex = index;
        queued -= all;
        lastReapFrames = all;
        lastReapBytes = bytes;
        return frames;
    }

    /**
     * Marks taken frames whose sending finished (status AVAILABLE again) as free, in ring order;
     * for the producer's calls.
     */
    public void complete() {
        complete(frames);
    }

    /** {@link #complete()} for a caller that holds a use of the owner's guard: unchecked reads. */
    public void completeUnderGuard() {
        complete(framesUnderGuard);
    }

    private void complete(MemorySegment memory) {
        final long statusOffset = layout.statusOffset();
        final long t = taken;
        long c = completed;
        int index = completeIndex;
        while (c < t) {
            long frame = frameOffsets[index];
            if ((memory.get(PLAIN_INT, frame + statusOffset) & KERNEL_OWNED) != 0) {
                break;
            }
            freed(memory, frame, state[index] == TAKEN_POISONED);
            index = next(index);
            c++;
        }
        // The kernel finished reading every frame counted here before it marked it AVAILABLE:
        // the producer's later writes to them must not move above these reads.
        VarHandle.acquireFence();
        completed = c;
        completeIndex = index;
    }

    /** A frame the kernel is done with becomes free: a discarded one gets its tp_next_offset 0 back (V3). */
    private void freed(MemorySegment memory, long frame, boolean poisoned) {
        long nextOffset = layout.nextOffsetOffset();
        if (poisoned && nextOffset >= 0) {
            memory.set(PLAIN_INT, frame + nextOffset, 0);   // free frames keep tp_next_offset 0
        }
    }

    /** Receives the frames of the last {@link #reap()}. */
    public interface TakenFrameVisitor {
        void visit(int index, int length);
    }

    /** Calls {@code visitor} for each real frame the last {@link #reap()} found taken (error path). */
    public void visitLastReap(TakenFrameVisitor visitor) {
        int index = lastReapStart;
        for (int i = 0; i < lastReapFrames; i++) {
            if (state[index] == TAKEN) {
                visitor.visit(index, framesUnderGuard.get(PLAIN_INT, frameOffset(index) + layout.lenOffset()));
            }
            index = next(index);
        }
    }

    /** Bytes of the real frames found taken by the last {@link #reap()}. */
    public long lastReapBytes() {
        return lastReapBytes;
    }

    /** True when every queued frame was taken and every taken frame completed. */
    public boolean drained() {
        return queued == 0 && completed == taken;
    }

    /** Frames queued (sent or discarded by the user) that the kernel has not taken yet. */
    public int queuedFrames() {
        return queued;
    }

    /** Frames the kernel took whose transmission has not completed yet. */
    public int inFlightFrames() {
        return (int) (taken - completed);
    }

    /** True once the kernel refused a frame with TP_STATUS_WRONG_FORMAT; it sends nothing more. */
    public boolean stalled() {
        return stalled;
    }

    public TxFrameLayout layout() {
        return layout;
    }

    public int frameCount() {
        return frameCount;
    }

    /** The ring's memory as the producer reaches it: scoped, throws once the ring is unmapped. */
    public MemorySegment frames() {
        return frames;
    }
}
