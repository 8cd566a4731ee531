package io.netring.internal.xdp;

import java.lang.foreign.MemorySegment;

/**
 * The receive path of an {@link XskSocket}: take a run of RX descriptors, read their frames in
 * the UMEM, give the frames back to the fill ring and the descriptors back to the RX ring.
 *
 * <p>The fill ring has room for every RX frame ({@link XskConfig} checks it), so giving frames
 * back never waits. One thread uses a receiver, holding a use of the socket's guard.
 */
public final class XskReceiver {
    private final XskSocket socket;
    private final XskConsumerRing rx;
    private final XskProducerRing fill;
    private final Umem umem;
    private long start;
    private int taken;

    public XskReceiver(XskSocket socket) {
        if (socket.rx() == null) {
            throw new IllegalArgumentException(socket + " has no RX ring (rxRingSize=0)");
        }
        this.socket = socket;
        this.rx = socket.rx();
        this.fill = socket.fill();
        this.umem = socket.umem();
    }

    /**
     * Takes up to {@code max} received frames; 0 when none is ready (the driver is woken when
     * the fill ring asks for it, so frames come again). The previous run must be given back first.
     */
    public int take(int max) {
        if (taken != 0) {
            throw new IllegalStateException("the previous " + taken + " frames were not given back");
        }
        int n = rx.peek(max);
        if (n == 0) {
            socket.wakeUpRx();
            return 0;
        }
        start = rx.startIndex();
        taken = n;
        return n;
    }

    /** The UMEM address of the {@code i}-th frame of the run taken. */
    public long address(int i) {
        return rx.address(start + i);
    }

    /** The length of the {@code i}-th frame of the run taken. */
    public int length(int i) {
        return rx.length(start + i);
    }

    /** The {@code i}-th frame of the run taken, unscoped: valid until {@link #giveBack()}. */
    public MemorySegment frame(int i) {
        return umem.memory().asSlice(address(i), length(i));
    }

    /**
     * Hands the run's frames to the fill ring (frame starts: the kernel adds its headroom
     * itself), then frees its RX descriptors. Fill first: a frame is back with the kernel before
     * the descriptor that named it is reused.
     */
    public void giveBack() {
        int n = taken;
        if (n == 0) {
            return;
        }
        int reserved = fill.reserve(n);
        if (reserved != n) {
            throw new IllegalStateException("the fill ring took " + reserved + " of " + n + " frames");
        }
        long to = fill.startIndex();
        for (int i = 0; i < n; i++) {
            fill.setAddress(to + i, umem.frameStart(address(i)));
        }
        fill.submit(n);
        rx.release(n);
        taken = 0;
    }
}
