package io.netring.examples;

import io.netring.AfPacketRx;
import io.netring.CaptureStats;
import io.netring.PacketBatch;

import java.time.Duration;

/**
 * {@code bin/example stats IFACE [SECONDS]}: a live statistics monitor. Consumes packets and
 * prints pkt/s, drops and freezes once a second (default 5 seconds).
 */
public final class Stats {
    private Stats() {}

    public static void main(String[] args) throws Exception {
        String iface = Args.interfaceName(args, "stats IFACE [SECONDS]");
        long seconds = Args.number(args, 1, 5);
        try (AfPacketRx rx = AfPacketRx.builder().interfaceName(iface).blockSize(1 << 20).blockCount(16).build()) {
            for (long s = 0; s < seconds; s++) {
                long end = System.nanoTime() + Duration.ofSeconds(1).toNanos();
                while (System.nanoTime() < end) {
                    try (PacketBatch ignored = rx.nextBatchBlocking(Duration.ofMillis(50))) {
                        // released unread: the counters are what this example shows
                    }
                }
                CaptureStats st = rx.stats();       // reading resets the kernel's counters
                System.out.printf("pkt/s: %d, drops: %d, freezes: %d%n", st.packets(), st.drops(), st.freezeCount());
            }
            System.out.println("total: " + rx.totalStats());
        }
    }
}
