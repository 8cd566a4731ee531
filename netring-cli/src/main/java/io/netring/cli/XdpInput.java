package io.netring.cli;

import io.netring.CaptureStats;
import io.netring.NetringException;
import io.netring.PacketBatch;
import io.netring.xdp.XdpRx;

import java.time.Duration;
import java.util.List;

/**
 * An AF_XDP capture read by {@code netring capture --xdp}: its batches, and its counters since
 * it started, summed from {@link XdpRx#stats()}, which gives only what grew since the last call.
 */
final class XdpInput implements AutoCloseable {
    private final XdpRx rx;
    private long packets;
    private long drops;
    private long freezes;

    XdpInput(XdpRx rx) {
        this.rx = rx;
    }

    XdpRx rx() {
        return rx;
    }

    PacketBatch next(Duration wait) throws NetringException {
        return rx.nextBatchBlocking(wait);
    }

    /** Reads the kernel's counters and returns the totals since the capture started. */
    CaptureStats totals() throws NetringException {
        CaptureStats delta = rx.stats();
        packets += delta.packets();
        drops += delta.drops();
        freezes += delta.freezeCount();
        return lastTotals();
    }

    /** The totals as last read, without asking the kernel again. */
    CaptureStats lastTotals() {
        return new CaptureStats(packets, drops, freezes);
    }

    /** How the frames arrive, for the {@code listening on} line: {@code AF_XDP queue 0, copy mode}. */
    String describe() {
        return describe(rx.queues(), rx.zeroCopy());
    }

    static String describe(List<Integer> queues, boolean zeroCopy) {
        String which = queues.size() == 1 ? "queue " + queues.getFirst()
                : "queues " + queues.getFirst() + "-" + queues.getLast();
        return "AF_XDP " + which + ", " + (zeroCopy ? "zero-copy" : "copy") + " mode";
    }

    @Override
    public void close() {
        rx.close();
    }
}
