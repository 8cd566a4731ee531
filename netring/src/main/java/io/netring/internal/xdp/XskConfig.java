package io.netring.internal.xdp;

import io.netring.internal.linux.LinuxConstants;
import io.netring.internal.linux.Mmap;
import io.netring.xdp.XdpMode;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Everything an {@link XskSocket} is opened with, checked when made: a bad value is an
 * {@link IllegalArgumentException} naming the field, the value and the rule, before any system
 * call. {@link #of} gives the defaults; the {@code with*} methods change one concern each.
 *
 * @param interfaceName the interface to bind to
 * @param queue its queue id
 * @param frameSize bytes per UMEM frame: a power of two in [2048, page size]
 * @param frameCount frames in the UMEM
 * @param headroom bytes the kernel leaves free before each received frame, and that TX leaves
 *                 before each sent one; under {@code frameSize - 256} (the kernel keeps 256 of its own)
 * @param rxRingSize RX ring entries, a power of two; 0 for no RX ring
 * @param txRingSize TX ring entries, a power of two; 0 for no TX ring
 * @param fillRingSize fill ring entries, a power of two, at least the frames given to RX
 * @param completionRingSize completion ring entries, a power of two
 * @param mode copy, zero-copy, or zero-copy when the driver has it
 * @param needWakeup bind with XDP_USE_NEED_WAKEUP: the kernel says when it needs a syscall
 * @param busyPollMicros SO_BUSY_POLL in microseconds; 0 leaves busy polling off
 * @param busyPollBudget SO_BUSY_POLL_BUDGET, packets per busy poll; 0 for the kernel's default
 * @param preferBusyPoll SO_PREFER_BUSY_POLL
 */
public record XskConfig(String interfaceName, int queue, int frameSize, int frameCount, int headroom,
                        int rxRingSize, int txRingSize, int fillRingSize, int completionRingSize,
                        XdpMode mode, boolean needWakeup, int busyPollMicros, int busyPollBudget,
                        boolean preferBusyPoll) {
    /** Default entries in the RX, TX and completion rings. */
    public static final int DEFAULT_RING_SIZE = 2048;
    /** The most entries a ring may have here (the kernel allows more; this bounds the mappings). */
    public static final int MAX_RING_SIZE = 1 << 20;
    /** The most frames a UMEM may have here. */
    public static final int MAX_FRAME_COUNT = 1 << 20;
    private static final int MAX_BUSY_POLL_BUDGET = 0xFFFF;

    public XskConfig {
        checkInterfaceName(interfaceName);
        if (queue < 0) {
            throw new IllegalArgumentException("queue=" + queue + ": must be 0 or more (a queue id of the interface)");
        }
        if (Integer.bitCount(frameSize) != 1 || frameSize < Umem.MIN_FRAME_SIZE || frameSize > Mmap.PAGE_SIZE) {
            throw new IllegalArgumentException("frameSize=" + frameSize + ": must be a power of two in ["
                    + Umem.MIN_FRAME_SIZE + ", " + Mmap.PAGE_SIZE + "] (the page size)");
        }
        int minFrames = rxRingSize > 0 && txRingSize > 0 ? 2 : 1;
        if (frameCount < minFrames || frameCount > MAX_FRAME_COUNT) {
            throw new IllegalArgumentException("frameCount=" + frameCount + ": must be in [" + minFrames + ", "
                    + MAX_FRAME_COUNT + "]" + (minFrames == 2 ? " (RX and TX each get half of the frames)" : ""));
        }
        int headroomLimit = frameSize - LinuxConstants.XDP_PACKET_HEADROOM;
        if (headroom < 0 || headroom >= headroomLimit) {
            throw new IllegalArgumentException("headroom=" + headroom + ": must be in [0, " + headroomLimit
                    + "): frameSize " + frameSize + " minus the kernel's own " + LinuxConstants.XDP_PACKET_HEADROOM
                    + " bytes (XDP_PACKET_HEADROOM)");
        }
        checkRing("rxRingSize", rxRingSize, true);
        checkRing("txRingSize", txRingSize, true);
        if (rxRingSize == 0 && txRingSize == 0) {
            throw new IllegalArgumentException("rxRingSize=0 and txRingSize=0: a socket needs an RX ring, a TX ring or both");
        }
        checkRing("fillRingSize", fillRingSize, false);
        checkRing("completionRingSize", completionRingSize, false);
        int rxFrames = rxFrames(frameCount, rxRingSize, txRingSize);
        if (fillRingSize < rxFrames) {
            throw new IllegalArgumentException("fillRingSize=" + fillRingSize + ": must hold the " + rxFrames
                    + " frames given to RX at open (frameCount " + frameCount
                    + (txRingSize > 0 ? ", half of it with a TX ring" : "") + ")");
        }
        Objects.requireNonNull(mode, "mode");
        if (busyPollMicros < 0) {
            throw new IllegalArgumentException("busyPollMicros=" + busyPollMicros + ": must be 0 (off) or more");
        }
        if (busyPollBudget < 0 || busyPollBudget > MAX_BUSY_POLL_BUDGET) {
            throw new IllegalArgumentException("busyPollBudget=" + busyPollBudget + ": must be in [0, "
                    + MAX_BUSY_POLL_BUDGET + "] (0: the kernel's default)");
        }
    }

    /** RX on queue {@code queue} of {@code interfaceName} with the defaults: 4096 frames of 4096 bytes, AUTO mode, need_wakeup. */
    public static XskConfig of(String interfaceName, int queue) {
        return new XskConfig(interfaceName, queue, Umem.DEFAULT_FRAME_SIZE, Umem.DEFAULT_FRAME_COUNT, 0,
                DEFAULT_RING_SIZE, 0, Umem.DEFAULT_FRAME_COUNT, DEFAULT_RING_SIZE, XdpMode.AUTO, true, 0, 0, false);
    }

    /** This configuration with another UMEM shape. */
    public XskConfig withFrames(int frameSize, int frameCount, int headroom) {
        return new XskConfig(interfaceName, queue, frameSize, frameCount, headroom, rxRingSize, txRingSize,
                fillRingSize, completionRingSize, mode, needWakeup, busyPollMicros, busyPollBudget, preferBusyPoll);
    }

    /** This configuration with other ring sizes (0 for no RX or no TX ring). */
    public XskConfig withRings(int rxRingSize, int txRingSize, int fillRingSize, int completionRingSize) {
        return new XskConfig(interfaceName, queue, frameSize, frameCount, headroom, rxRingSize, txRingSize,
                fillRingSize, completionRingSize, mode, needWakeup, busyPollMicros, busyPollBudget, preferBusyPoll);
    }

    /** This configuration with another mode. */
    public XskConfig withMode(XdpMode mode) {
        return new XskConfig(interfaceName, queue, frameSize, frameCount, headroom, rxRingSize, txRingSize,
                fillRingSize, completionRingSize, mode, needWakeup, busyPollMicros, busyPollBudget, preferBusyPoll);
    }

    /** This configuration with need_wakeup on or off. */
    public XskConfig withNeedWakeup(boolean needWakeup) {
        return new XskConfig(interfaceName, queue, frameSize, frameCount, headroom, rxRingSize, txRingSize,
                fillRingSize, completionRingSize, mode, needWakeup, busyPollMicros, busyPollBudget, preferBusyPoll);
    }

    /** This configuration with busy polling ({@code micros} 0: off). */
    public XskConfig withBusyPoll(int micros, int budget, boolean prefer) {
        return new XskConfig(interfaceName, queue, frameSize, frameCount, headroom, rxRingSize, txRingSize,
                fillRingSize, completionRingSize, mode, needWakeup, micros, budget, prefer);
    }

    /** Frames given to the fill ring at open: all of them, or the first half when there is a TX ring too. */
    public int rxFrameCount() {
        return rxFrames(frameCount, rxRingSize, txRingSize);
    }

    /** The first frame that TX owns: the frames after the RX ones. */
    public int txFirstFrame() {
        return txRingSize == 0 ? frameCount : rxFrameCount();
    }

    /** Frames that TX owns. */
    public int txFrameCount() {
        return frameCount - txFirstFrame();
    }

    private static int rxFrames(int frameCount, int rxRingSize, int txRingSize) {
        if (rxRingSize == 0) {
            return 0;
        }
        return txRingSize == 0 ? frameCount : frameCount / 2;
    }

    private static void checkRing(String name, int size, boolean zeroAllowed) {
        if (size == 0 && zeroAllowed) {
            return;
        }
        if (Integer.bitCount(size) != 1 || size > MAX_RING_SIZE) {
            throw new IllegalArgumentException(name + "=" + size + ": must be a power of two in [1, " + MAX_RING_SIZE + "]"
                    + (zeroAllowed ? ", or 0 for no such ring" : ""));
        }
    }

    private static void checkInterfaceName(String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("interfaceName=" + (name == null ? "null" : "\"\"")
                    + ": an interface name is required, e.g. interfaceName(\"eth0\")");
        }
        if (name.getBytes(StandardCharsets.UTF_8).length >= LinuxConstants.IFNAMSIZ) {
            throw new IllegalArgumentException("interfaceName=\"" + name + "\": must be at most "
                    + (LinuxConstants.IFNAMSIZ - 1) + " bytes (IFNAMSIZ)");
        }
    }
}
