package io.netring.afpacket;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

import static io.netring.internal.linux.LinuxConstants.TP_STATUS_KERNEL;
import static io.netring.internal.linux.LinuxConstants.TP_STATUS_USER;

/**
 * Block ownership on a V3 RX ring: which block is next, whether the kernel has handed it over,
 * and giving it back. Also tracks block sequence numbers to spot blocks the reader never saw.
 * {@link #ready()} reads the status with acquire, {@link #release()} writes it with release
 * (docs/ARCHITECTURE.md, "The JIT and memory ordering").
 */
public final class RxRing {
    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();

    private final MemorySegment raw;
    private final int blockSize;
    private final int blockCount;
    private int current;
    private long lastSeq = -1;
    private long missedBlocks;

    public RxRing(MemorySegment raw, int blockSize, int blockCount) {
        this.raw = raw;
        this.blockSize = blockSize;
        this.blockCount = blockCount;
    }

    /** Byte offset of the block the reader is at. */
    public long currentOffset() {
        return (long) current * blockSize;
    }

    public int currentIndex() {
        return current;
    }

    /** Acquire-load of the current block's status. */
    public int status() {
        return (int) INT.getAcquire(raw, currentOffset() + TpacketV3.BLOCK_STATUS_OFFSET);
    }

    /** True when the kernel has retired the current block to user space. */
    public boolean ready() {
        return isUser(status());
    }

    /** True when {@code status}, read by {@link #status()}, says the block belongs to user space. */
    public static boolean isUser(int status) {
        return (status & TP_STATUS_USER) != 0;
    }

    /** Release-store of TP_STATUS_KERNEL: the block goes back to the kernel; move to the next. */
    public void release() {
        INT.setRelease(raw, currentOffset() + TpacketV3.BLOCK_STATUS_OFFSET, TP_STATUS_KERNEL);
        current = current + 1 == blockCount ? 0 : current + 1;
    }

    /**
     * Records the sequence number of a block being handed out.
     * @return how many blocks were skipped before it (0 when it follows the previous one)
     */
    public long observeSequence(long seq) {
        long gap = lastSeq >= 0 && seq > lastSeq + 1 ? seq - lastSeq - 1 : 0;
        lastSeq = seq;
        missedBlocks += gap;
        return gap;
    }

    /** The sequence number of the last block handed out or drained, -1 before the first. */
    public long lastSequence() {
        return lastSeq;
    }

    /** Blocks skipped over the ring's life, as seen from sequence numbers. */
    public long missedBlocks() {
        return missedBlocks;
    }

    public int blockSize() {
        return blockSize;
    }

    public int blockCount() {
        return blockCount;
    }
}
