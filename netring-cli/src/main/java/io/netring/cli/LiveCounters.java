package io.netring.cli;

import io.netring.AfPacketRx;
import io.netring.CaptureStats;
import io.netring.NetringException;
import io.netring.PacketSource;
import io.netring.xdp.XdpRx;
import io.netring.xdp.XdpStatistics;

/**
 * A live capture's counters since it opened, read for the metrics endpoint from its own thread
 * without taking anything from the command's {@code stats()} deltas: AF_PACKET's
 * {@code refreshTotalStats}, AF_XDP's frames per queue and XDP_STATISTICS (which the kernel
 * never resets). {@code blocks}, {@code bytes} and {@code ringFill} (blocks waiting for the reader over all
 * blocks) are 0 for AF_XDP, which has none.
 */
record LiveCounters(long packets, long drops, long freezes, long blocks, long bytes, double ringFill) {

    static LiveCounters of(PacketSource source) throws NetringException {
        if (source instanceof XdpRx x) {
            XdpStatistics s = x.xdpStatistics();
            long delivered = 0;
            for (int q : x.queues()) {
                delivered += x.framesReceived(q);
            }
            long drops = s.rxDropped() + s.rxRingFull();
            return new LiveCounters(delivered + drops, drops, s.rxFillRingEmptyDescs(), 0, 0, 0);
        }
        AfPacketRx rx = (AfPacketRx) source;
        CaptureStats t = rx.refreshTotalStats();
        return new LiveCounters(t.packets(), t.drops(), t.freezeCount(), rx.blocksRetired(), rx.bytesRetired(),
                (double) rx.blocksWaiting() / rx.blockCount());
    }
}
