package io.netring.examples;

import io.netring.Capture;
import io.netring.decode.FrameSummary;

/**
 * {@code bin/example capture IFACE [COUNT]}: the Rust crate's basic capture. Prints COUNT packets
 * (default 10) with timestamp, length and a one-line summary, then the kernel's counters.
 */
public final class CaptureExample {
    private CaptureExample() {}

    public static void main(String[] args) throws Exception {
        String iface = Args.interfaceName(args, "capture IFACE [COUNT]");
        long count = Args.number(args, 1, 10);
        try (Capture cap = Capture.open(iface)) {
            cap.packets().limit(count).forEach(pkt ->
                    System.out.printf("[%s] %d bytes  %s%n", pkt.timestamp(), pkt.length(), FrameSummary.describe(pkt.data())));
            System.out.println(cap.stats());
        }
    }
}
