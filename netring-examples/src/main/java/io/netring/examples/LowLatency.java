package io.netring.examples;

import io.netring.Capture;
import io.netring.RingProfile;
import io.netring.Timestamp;

import java.time.Duration;
import java.time.Instant;

/**
 * {@code bin/example low-latency IFACE [COUNT]}: the LOW_LATENCY profile (256 KiB blocks, 1 ms
 * block timeout, 50 µs busy polling) and how long each packet waited between the kernel's
 * timestamp and the moment Java saw it.
 */
public final class LowLatency {
    private LowLatency() {}

    public static void main(String[] args) throws Exception {
        String iface = Args.interfaceName(args, "low-latency IFACE [COUNT]");
        long count = Args.number(args, 1, 10);
        try (Capture cap = Capture.builder().interfaceName(iface).profile(RingProfile.LOW_LATENCY)
                .pollTimeout(Duration.ofMillis(10)).build()) {
            cap.packets().limit(count).forEach(pkt -> {
                Timestamp ts = pkt.timestamp();
                Duration waited = Duration.between(ts.toInstant(), Instant.now());
                System.out.printf("[%s] %d bytes, delivered after %d us%n", ts, pkt.length(), waited.toNanos() / 1000);
            });
            System.out.println(cap.stats());
        }
    }
}
