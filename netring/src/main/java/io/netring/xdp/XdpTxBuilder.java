package io.netring.xdp;

import io.netring.InterfaceNotFoundException;
import io.netring.NetringException;
import io.netring.PermissionDeniedException;
import io.netring.internal.xdp.Umem;
import io.netring.internal.xdp.XskConfig;

/**
 * Builds an {@link XdpTx}. Setters only record values; {@link #build()} checks all of them before
 * any system call and throws {@link IllegalArgumentException} naming the parameter, its value and
 * the rule broken.
 */
public final class XdpTxBuilder {
    /** The fill ring a TX-only socket must still have; it is never given frames. */
    private static final int TX_ONLY_FILL_RING_SIZE = 64;

    private String interfaceName;
    private int queue;
    private XdpMode mode = XdpMode.AUTO;
    private int frameSize = Umem.DEFAULT_FRAME_SIZE;
    private int frameCount = Umem.DEFAULT_FRAME_COUNT;
    private int headroom;
    private int ringSize = XskConfig.DEFAULT_RING_SIZE;
    private boolean needWakeup = true;

    XdpTxBuilder() {}

    /** The interface to send on, e.g. {@code "eth0"} (required). */
    public XdpTxBuilder interfaceName(String interfaceName) {
        this.interfaceName = interfaceName;
        return this;
    }

    /** The queue id to send on (default 0); below the interface's queue count. */
    public XdpTxBuilder queue(int queue) {
        this.queue = queue;
        return this;
    }

    /** Copy, zero-copy, or zero-copy when the driver has it (default {@link XdpMode#AUTO}). */
    public XdpTxBuilder mode(XdpMode mode) {
        this.mode = mode;
        return this;
    }

    /** Bytes per UMEM frame (default 4096): a power of two from 2048 to the page size. */
    public XdpTxBuilder frameSize(int frameSize) {
        this.frameSize = frameSize;
        return this;
    }

    /** Frames in the UMEM (default 4096): how many frames may be queued or in flight at once. */
    public XdpTxBuilder frameCount(int frameCount) {
        this.frameCount = frameCount;
        return this;
    }

    /** Bytes left free before each frame's data (default 0); frames may be frameSize - headroom long. */
    public XdpTxBuilder headroom(int headroom) {
        this.headroom = headroom;
        return this;
    }

    /** Entries in the TX and completion rings (default 2048): a power of two. */
    public XdpTxBuilder ringSize(int ringSize) {
        this.ringSize = ringSize;
        return this;
    }

    /** Bind with XDP_USE_NEED_WAKEUP (default on): kick the kernel only when it asks. */
    public XdpTxBuilder needWakeup(boolean needWakeup) {
        this.needWakeup = needWakeup;
        return this;
    }

    /**
     * Validates the options, then opens, sets up and binds the socket.
     *
     * @throws IllegalArgumentException for an invalid option, before any system call
     * @throws InterfaceNotFoundException when the interface does not exist
     * @throws PermissionDeniedException when CAP_NET_RAW is missing
     * @throws NetringException when the kernel refuses: the queue is taken or does not exist, or
     *                          zero-copy was asked of a driver without it
     */
    public XdpTx build() throws NetringException {
        if (Integer.bitCount(ringSize) != 1 || ringSize > XskConfig.MAX_RING_SIZE) {
            throw new IllegalArgumentException("ringSize=" + ringSize + ": must be a power of two in [1, "
                    + XskConfig.MAX_RING_SIZE + "]");
        }
        if (mode == null) {
            throw new IllegalArgumentException("mode=null: one of " + java.util.Arrays.toString(XdpMode.values()));
        }
        XskConfig config = new XskConfig(interfaceName, queue, frameSize, frameCount, headroom,
                0, ringSize, TX_ONLY_FILL_RING_SIZE, ringSize, mode, needWakeup, 0, 0, false);
        return XdpTx.open(config);
    }
}
