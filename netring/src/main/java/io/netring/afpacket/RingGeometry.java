package io.netring.afpacket;

import io.netring.internal.linux.KernelLayouts;
import io.netring.internal.linux.Mmap;

import java.util.ArrayList;
import java.util.List;

/**
 * The shape of a TPACKET_V3 RX ring: {@code blockCount} blocks of {@code blockSize} bytes, with
 * {@code frameSize} used only to derive {@code tp_frame_nr} (V3 packs packets of any size).
 *
 * <p>{@link #validate} applies the kernel's rules (see {@code packet_set_ring}) before any system
 * call so that a bad value is an {@link IllegalArgumentException} naming it, not an EINVAL.
 */
public record RingGeometry(int blockSize, int blockCount, int frameSize) {

    /** The largest block the kernel takes: {@code (int) tp_block_size > 0}, and a power of two. */
    public static final int MAX_BLOCK_SIZE = 1 << 30;

    public long totalBytes() {
        return (long) blockSize * blockCount;
    }

    public int framesPerBlock() {
        return blockSize / frameSize;
    }

    public int frameCount() {
        return framesPerBlock() * blockCount;
    }

    /** The same ring with fewer blocks. */
    public RingGeometry withBlockCount(int count) {
        return new RingGeometry(blockSize, count, frameSize);
    }

    /**
     * Checks every rule the kernel applies, plus one of ours: the ring may not exceed half of
     * the machine's memory (the kernel would try, and could push the host into the OOM killer).
     *
     * @param physicalMemory bytes of RAM, or 0 when unknown (the memory rule is then skipped)
     */
    public static RingGeometry validate(int blockSize, int blockCount, int frameSize, long physicalMemory) {
        long page = Mmap.PAGE_SIZE;
        if (blockSize <= 0 || Integer.bitCount(blockSize) != 1) {
            throw new IllegalArgumentException("blockSize=" + blockSize
                    + ": must be a power of two, e.g. 1 << 22 (4 MiB)");
        }
        if (blockSize % page != 0) {
            throw new IllegalArgumentException("blockSize=" + blockSize
                    + ": must be a multiple of the page size (" + page + ")");
        }
        if (blockSize > MAX_BLOCK_SIZE) {
            throw new IllegalArgumentException("blockSize=" + blockSize + ": must be at most " + MAX_BLOCK_SIZE
                    + " (1 GiB)");
        }
        if (blockCount <= 0) {
            throw new IllegalArgumentException("blockCount=" + blockCount + ": must be at least 1");
        }
        if (frameSize < KernelLayouts.TPACKET3_HDRLEN) {
            throw new IllegalArgumentException("frameSize=" + frameSize + ": must be at least "
                    + KernelLayouts.TPACKET3_HDRLEN + " (TPACKET3_HDRLEN)");
        }
        if (frameSize % 16 != 0) {
            throw new IllegalArgumentException("frameSize=" + frameSize
                    + ": must be a multiple of 16 (TPACKET_ALIGNMENT)");
        }
        if (frameSize > blockSize) {
            throw new IllegalArgumentException("frameSize=" + frameSize + ": must not exceed blockSize=" + blockSize);
        }
        RingGeometry g = new RingGeometry(blockSize, blockCount, frameSize);
        if ((long) g.framesPerBlock() * blockCount > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("blockCount=" + blockCount + ": blockSize/frameSize*blockCount "
                    + "must fit in 32 bits (tp_frame_nr); use fewer blocks or a larger frameSize");
        }
        if (physicalMemory > 0 && g.totalBytes() > physicalMemory / 2) {
            throw new IllegalArgumentException("blockSize*blockCount=" + g.totalBytes() + " bytes ("
                    + describeBytes(g.totalBytes()) + "): must not exceed half of this machine's memory ("
                    + describeBytes(physicalMemory) + "); lower blockSize or blockCount");
        }
        return g;
    }

    /**
     * The block counts to try when the kernel answers ENOMEM: the request, then 25 % fewer
     * blocks per step, down to a quarter of the request (and at least one block).
     */
    public List<Integer> shrinkSteps() {
        List<Integer> steps = new ArrayList<>();
        int floor = Math.max(1, (blockCount + 3) / 4);
        int count = blockCount;
        steps.add(count);
        while (count > floor) {
            count = Math.max(floor, count - Math.max(1, count / 4));
            steps.add(count);
        }
        return steps;
    }

    /** "256 MiB", "128 KiB" or "512 bytes": sizes in messages people read. */
    public static String describeBytes(long bytes) {
        if (bytes >= (1L << 30) && bytes % (1L << 30) == 0) {
            return (bytes >> 30) + " GiB";
        }
        if (bytes >= (1L << 20)) {
            return (bytes >> 20) + " MiB";
        }
        if (bytes >= (1L << 10)) {
            return (bytes >> 10) + " KiB";
        }
        return bytes + " bytes";
    }
}
