package io.netring.examples;

import io.netring.AfPacketRx;
import io.netring.PacketBatch;

import java.time.Duration;

/**
 * {@code bin/example batch IFACE [BLOCKS]}: the low-level batch API with sequence-gap
 * detection. Prints one line per retired block (default 10 blocks, or until 10 s pass).
 */
public final class Batch {
    private Batch() {}

    public static void main(String[] args) throws Exception {
        String iface = Args.interfaceName(args, "batch IFACE [BLOCKS]");
        long blocks = Args.number(args, 1, 10);
        try (AfPacketRx rx = AfPacketRx.builder().interfaceName(iface).blockSize(1 << 20).blockCount(16)
                .blockTimeout(Duration.ofMillis(50)).build()) {
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            long seen = 0;
            while (seen < blocks && System.nanoTime() < deadline) {
                try (PacketBatch batch = rx.nextBatchBlocking(Duration.ofMillis(100))) {
                    if (batch == null) {
                        continue;                          // timed out, nothing retired
                    }
                    long[] bytes = {0};
                    batch.dispatch(view -> bytes[0] += view.length());
                    System.out.printf("seq=%d pkts=%d bytes=%d timed_out=%b gap=%d%n",
                            batch.seqNum(), batch.size(), bytes[0], batch.timedOut(), batch.sequenceGap());
                    seen++;
                }
            }
            System.out.println("blocks: " + seen + ", sequence gaps: " + rx.sequenceGaps() + ", " + rx.stats());
        }
    }
}
