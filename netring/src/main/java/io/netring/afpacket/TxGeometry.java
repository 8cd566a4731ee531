package io.netring.afpacket;

import io.netring.internal.linux.KernelLayouts;
import io.netring.internal.linux.LinuxConstants;
import io.netring.internal.linux.Mmap;

/**
 * The shape of a TX ring: {@code blockCount} blocks of {@code blockSize} bytes, each holding
 * {@code blockSize / frameSize} whole frames. The kernel walks TX frames by index (frame
 * semantics, also under TPACKET_V3), so a frame never straddles two blocks.
 *
 * <p>Users choose a frame size and count; the block size follows: the page size, or the next
 * power of two above the frame size when a frame is larger than a page. The frame count is
 * rounded up to fill the last block.
 */
public record TxGeometry(int frameSize, int frameCount, int blockSize, int blockCount) {

    /** The smallest frame the kernel accepts under both versions: TPACKET_ALIGN(TPACKET3_HDRLEN). */
    public static final int MIN_FRAME_SIZE = (int) KernelLayouts.align(KernelLayouts.TPACKET3_HDRLEN);
    /** 256 KiB: far above any MTU an AF_PACKET socket can send (the loopback's 64 KiB). */
    public static final int MAX_FRAME_SIZE = 1 << 18;
    /** A million frames; beyond that a ring only adds latency. */
    public static final int MAX_FRAME_COUNT = 1 << 20;

    public int framesPerBlock() {
        return blockSize / frameSize;
    }

    /** Byte offset of frame {@code index} in the mapping: its block, then its place inside the block (frames never straddle blocks). */
    public long frameOffset(int index) {
        int perBlock = framesPerBlock();
        return (long) (index / perBlock) * blockSize + (long) (index % perBlock) * frameSize;
    }

    public long totalBytes() {
        return (long) blockSize * blockCount;
    }

    /** Bytes of packet data a frame holds (the same under V3 and V2, see {@link TxFrameLayout}). */
    public int frameCapacity() {
        return frameSize - (int) TxFrameLayout.PORTABLE_DATA_OFFSET;
    }

    /**
     * Checks the values before any system call, with the kernel's rules (frame size a multiple of
     * TPACKET_ALIGNMENT and at least the header) and ours (bounds, at most half of the memory).
     *
     * @param physicalMemory bytes of RAM, or 0 when unknown (the memory rule is then skipped)
     */
    public static TxGeometry validate(int frameSize, int frameCount, long physicalMemory) {
        if (frameSize < MIN_FRAME_SIZE || frameSize > MAX_FRAME_SIZE) {
            throw new IllegalArgumentException("frameSize=" + frameSize + ": must be in [" + MIN_FRAME_SIZE + ", "
                    + MAX_FRAME_SIZE + "] bytes (a frame holds frameSize - " + TxFrameLayout.PORTABLE_DATA_OFFSET
                    + " bytes of packet)");
        }
        if (frameSize % LinuxConstants.TPACKET_ALIGNMENT != 0) {
            throw new IllegalArgumentException("frameSize=" + frameSize
                    + ": must be a multiple of 16 (TPACKET_ALIGNMENT), e.g. 2048");
        }
        if (frameCount < 1 || frameCount > MAX_FRAME_COUNT) {
            throw new IllegalArgumentException("frameCount=" + frameCount + ": must be in [1, " + MAX_FRAME_COUNT + "]");
        }
        int blockSize = (int) Math.max(Mmap.PAGE_SIZE, Integer.highestOneBit(frameSize - 1) << 1);
        int perBlock = blockSize / frameSize;
        int blockCount = (frameCount + perBlock - 1) / perBlock;
        TxGeometry g = new TxGeometry(frameSize, perBlock * blockCount, blockSize, blockCount);
        if (physicalMemory > 0 && g.totalBytes() > physicalMemory / 2) {
            throw new IllegalArgumentException("frameSize*frameCount=" + g.totalBytes() + " bytes: must not exceed half of "
                    + "this machine's memory (" + (physicalMemory >> 20) + " MiB); lower frameSize or frameCount");
        }
        return g;
    }
}
