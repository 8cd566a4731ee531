package io.netring.afpacket;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

import static io.netring.internal.linux.LinuxConstants.TP_STATUS_SENDING;
import static io.netring.internal.linux.LinuxConstants.TP_STATUS_SEND_REQUEST;
import static io.netring.internal.linux.LinuxConstants.TP_STATUS_WRONG_FORMAT;

/**
 * Frame ownership on a TX ring: which frame the producer fills next, which frames the kernel
 * has taken, which have completed and may be reused.
 *
 * <p>The kernel keeps one cursor (its "head") and sends frames strictly in ring order while they
 * carry {@code TP_STATUS_SEND_REQUEST}; it stops at the first frame that does not. This class
 * mirrors that cursor with three sequence counters, {@code allocated >= taken >= completed}:
 *
 * <pre>
 *   completed ........ taken ............ allocated ........ completed + frameCount
 *   | in flight       | held or queued   | free                |
 *   | SENDING, or     | HELD: user fills | reusable once the   |
 *   | done (AVAILABLE)| QUEUED/POISONED: | kernel marked them  |
 *   |                 | SEND_REQUEST     | AVAILABLE           |
 * </pre>
 *
 * <p>A frame is reused only after it completed (status AVAILABLE again, written by the kernel's
 * skb destructor), never while the kernel may still read it: {@link #tryAllocate()} returns -1
 * rather than overwrite an unsent frame.
 *
 * <p>Discarding: the kernel cannot step over a frame, so a frame the user gives up on is still
 * queued, but "poisoned" with a header the kernel rejects (under V3 a non-zero
 * {@code tp_next_offset}, under V2 an impossible {@code tp_len}). The socket has PACKET_LOSS
 * set, so the kernel skips such a frame, marks it AVAILABLE and moves on; it is never sent.
 * Without PACKET_LOSS a rejected frame gets TP_STATUS_WRONG_FORMAT and the kernel's cursor stays
 * on it for good, which {@link #stalled()} reports.
 *
 * <p>Memory ordering, paired: {@link #submit} writes the header and data with plain stores, then
 * the status with a release store, so the kernel (which reads the status, then the frame)
 * cannot see SEND_REQUEST before the bytes. Status reads use acquire loads, so a frame seen
 * AVAILABLE is not written before the kernel is done reading it.
 *
 * <p>Not thread-safe: one producer thread uses a ring.
 */
public final class TxRing {
    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();
    private static final ValueLayout.OfInt PLAIN_INT = ValueLayout.JAVA_INT;

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

    private final MemorySegment raw;
    private final TxFrameLayout layout;
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

    /** A ring over {@code raw}, the whole mapping, freshly set up (every frame AVAILABLE). */
    public TxRing(MemorySegment raw, TxFrameLayout layout, TxGeometry geometry) {
        this.raw = raw;
        this.layout = layout;
        this.frameCount = geometry.frameCount();
        this.state = new byte[frameCount];
        this.frameOffsets = new long[frameCount];
        int perBlock = geometry.framesPerBlock();
        for (int i = 0; i < frameCount; i++) {
            // its block, then its place inside the block: frames never straddle blocks
            frameOffsets[i] = (long) (i / perBlock) * geometry.blockSize() + (long) (i % perBlock) * geometry.frameSize();
        }
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

    private int status(int index) {
        return (int) INT.getAcquire(raw, frameOffset(index) + layout.statusOffset());
    }

    /**
     * Hands the next frame to the producer, or returns -1 when every frame is held, queued or
     * still in flight. Never blocks and never hands out a frame the kernel may still read.
     */
    public int tryAllocate() {
        if (allocated - completed == frameCount) {
            complete();
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
        raw.set(PLAIN_INT, frame + layout.lenOffset(), length);
        raw.set(PLAIN_INT, frame + layout.snaplenOffset(), length);
        if (layout.nextOffsetOffset() >= 0) {
            raw.set(PLAIN_INT, frame + layout.nextOffsetOffset(), 0);
        }
        state[index] = QUEUED;
        queued++;
        INT.setRelease(raw, frame + layout.statusOffset(), TP_STATUS_SEND_REQUEST); // pairs with the kernel's read
    }

    /** Queues held frame {@code index} so that the kernel skips it (see the class comment). */
    public void poison(int index) {
        long frame = frameOffset(index);
        if (layout.nextOffsetOffset() >= 0) {
            raw.set(PLAIN_INT, frame + layout.nextOffsetOffset(), POISON_NEXT_OFFSET);
            raw.set(PLAIN_INT, frame + layout.lenOffset(), 0);
        } else {
            raw.set(PLAIN_INT, frame + layout.lenOffset(), Integer.MAX_VALUE);
        }
        raw.set(PLAIN_INT, frame + layout.snaplenOffset(), 0);
        state[index] = POISONED;
        queued++;
        INT.setRelease(raw, frame + layout.statusOffset(), TP_STATUS_SEND_REQUEST);
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
        int frames = 0;
        int all = 0;
        long bytes = 0;
        lastReapStart = kernelIndex;
        while (taken < allocated) {
            int index = kernelIndex;
            byte s = state[index];
            if (s == HELD) {
                break;                      // the kernel stops here too: this frame is not SEND_REQUEST
            }
            int status = status(index);
            if ((status & TP_STATUS_SEND_REQUEST) != 0) {
                break;                      // not taken yet (device queue full, or not kicked)
            }
            if ((status & TP_STATUS_WRONG_FORMAT) != 0) {
                stalled = true;             // only without PACKET_LOSS: the kernel will not move on
                break;
            }
            if (s == QUEUED) {
                frames++;
                bytes += raw.get(PLAIN_INT, frameOffset(index) + layout.lenOffset());
                state[index] = TAKEN;
            } else {
                state[index] = TAKEN_POISONED;
            }
            all++;
            queued--;
            kernelIndex = next(index);
            taken++;
        }
        lastReapFrames = all;
        lastReapBytes = bytes;
        return frames;
    }

    /** Marks taken frames whose sending finished (status AVAILABLE again) as free, in ring order. */
    public void complete() {
        while (completed < taken) {
            if ((status(completeIndex) & KERNEL_OWNED) != 0) {
                return;
            }
            completeIndex = next(completeIndex);
            completed++;
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
                visitor.visit(index, raw.get(PLAIN_INT, frameOffset(index) + layout.lenOffset()));
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

    /** The ring's memory, unchecked: valid only while the owner's guard is held. */
    public MemorySegment raw() {
        return raw;
    }
}
