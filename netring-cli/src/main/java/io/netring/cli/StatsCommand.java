package io.netring.cli;

import io.netring.AfPacketRx;
import io.netring.CaptureStats;
import io.netring.PacketBatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.Callable;

/** {@code netring stats}: live packet rate, drops and queue freezes per interval. */
@Command(name = "stats", mixinStandardHelpOptions = true,
        description = "Consume packets and print pkt/s, drops and freezes every interval until Ctrl-C.")
final class StatsCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = {"-i", "--interface"}, required = true, paramLabel = "IFACE")
    String interfaceName;

    @Option(names = "--interval", paramLabel = "DURATION", defaultValue = "1s", description = "Reporting interval (default ${DEFAULT-VALUE}).")
    Duration interval;

    @Option(names = {"-n", "--intervals"}, paramLabel = "N", description = "Stop after N intervals.")
    Integer intervals;

    @Mixin
    RingOptions ring;

    @Override
    public Integer call() throws Exception {
        if (interval.isNegative() || interval.isZero()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--interval must be positive, was " + Durations.format(interval));
        }
        if (intervals != null && intervals <= 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--intervals must be positive, was " + intervals);
        }
        var builder = AfPacketRx.builder().interfaceName(interfaceName);
        try {
            ring.applyTo(builder);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        PrintWriter out = spec.commandLine().getOut();
        DateTimeFormatter time = DateTimeFormatter.ofPattern("HH:mm:ss");
        AfPacketRx built;
        try {
            built = builder.build();
        } catch (IllegalArgumentException e) {     // a value the library refuses: a usage error, named as typed
            throw new CommandLine.ParameterException(spec.commandLine(), RingOptions.inCliTerms(e.getMessage()), e);
        }
        try (AfPacketRx rx = built; StopSignal stop = new StopSignal(null)) {
            out.printf("%-8s %12s %10s %8s%n", "time", "pkt/s", "drops", "freezes");
            int done = 0;
            while (!stop.stopRequested() && (intervals == null || done < intervals)) {
                long start = System.nanoTime();
                long end = start + interval.toNanos();
                while (System.nanoTime() < end && !stop.stopRequested()) {
                    long left = end - System.nanoTime();
                    try (PacketBatch batch = rx.nextBatchBlocking(Duration.ofNanos(Math.max(0, Math.min(left, 100_000_000L))))) {
                        // the batch is released unread: stats only need the kernel's counters
                    }
                }
                CaptureStats s = rx.stats();
                double seconds = (System.nanoTime() - start) / 1e9;
                out.printf("%-8s %12.0f %10d %8d%n", LocalTime.now().format(time), s.packets() / seconds, s.drops(), s.freezeCount());
                out.flush();
                done++;
            }
            out.println("total: " + rx.totalStats());
        }
        return 0;
    }
}
