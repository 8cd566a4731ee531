package io.netring.examples;

import io.netring.Capture;
import io.netring.OwnedPacket;
import io.netring.RingProfile;
import io.netring.adapter.ChannelCapture;
import io.netring.adapter.OverflowPolicy;
import io.netring.decode.FrameSummary;

import java.io.PrintStream;
import java.lang.foreign.MemorySegment;
import java.time.Duration;

/**
 * The {@code channel} example of the Rust crate: a capture thread fills a bounded queue and this thread
 * reads packets from it with a blocking {@code recv}, printing one line each.
 *
 * <pre>bin/run-class io.netring.examples.Channel INTERFACE [COUNT]</pre>
 *
 * Stops after COUNT packets (default 10), or when no packet came for 10 seconds.
 */
public final class Channel {
    private Channel() {}

    public static void main(String[] args) throws Exception {
        System.exit(run(args, System.out));
    }

    /** Runs the example, printing to {@code out}; returns the exit status. */
    public static int run(String[] args, PrintStream out) throws Exception {
        if (args.length < 1 || args.length > 2) {
            out.println("usage: Channel INTERFACE [COUNT]");
            return 2;
        }
        int count = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        try (ChannelCapture channel = ChannelCapture.spawn(Capture.builder()
                .interfaceName(args[0])
                .profile(RingProfile.MEMORY_CONSTRAINED)
                .blockTimeout(Duration.ofMillis(10)), 1024, OverflowPolicy.BLOCK)) {
            out.printf("capturing on %s through a channel of %d packets%n", args[0], channel.capacity());
            int seen = 0;
            while (seen < count) {
                OwnedPacket pkt = channel.recv(Duration.ofSeconds(10));
                if (pkt == null) {
                    out.println("no packet for 10 s; stopping");
                    break;
                }
                seen++;
                out.printf("#%d [%s] %d bytes  %s%n", seen, pkt.timestamp(), pkt.length(),
                        FrameSummary.describe(MemorySegment.ofArray(pkt.data())));
            }
            out.printf("received %d, dropped by the channel %d, kernel: %s%n", seen, channel.dropped(), channel.stats());
            return seen == count ? 0 : 1;
        }
    }
}
