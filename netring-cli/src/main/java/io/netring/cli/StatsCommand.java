package io.netring.cli;

import io.netring.AfPacketRx;
import io.netring.CaptureStats;
import io.netring.PacketBatch;
import io.netring.PacketSource;
import io.netring.xdp.XdpRx;
import io.netring.xdp.XdpStatistics;
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
        description = "Consume packets and print pkt/s, drops and freezes every interval until Ctrl-C; with --xdp "
                + "also the AF_XDP sockets' XDP_STATISTICS counters (what grew in the interval).")
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

    @Mixin
    XdpOptions xdp;

    @Mixin
    MetricsOptions metrics;

    @Option(names = "--json", description = "One JSON object per interval (and one for the totals) instead of the table.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if (interval.isNegative() || interval.isZero()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--interval must be positive, was " + Durations.format(interval));
        }
        if (intervals != null && intervals <= 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--intervals must be positive, was " + intervals);
        }
        String misuse = xdp.misuse();
        if (misuse == null && xdp.enabled && (!ring.ring.isEmpty() || ring.profile != null)) {
            misuse = (ring.profile != null ? "--profile" : "-B") + " sets up the AF_PACKET ring, which --xdp does not use";
        }
        if (misuse == null) {
            misuse = metrics.misuse();
        }
        if (misuse != null) {
            throw new CommandLine.ParameterException(spec.commandLine(), misuse);
        }
        PacketSource built;
        try {
            built = xdp.enabled ? XdpOptions.open(xdp.builder(interfaceName))
                    : ring.applyTo(AfPacketRx.builder().interfaceName(interfaceName)).build();
        } catch (IllegalArgumentException e) {     // a value the library refuses: a usage error, named as typed
            throw new CommandLine.ParameterException(spec.commandLine(), RingOptions.inCliTerms(e.getMessage()), e);
        }
        try (AutoCloseable source = (AutoCloseable) built; StopSignal stop = new StopSignal(null);
             MetricsServer metricsServer = metrics.start(interfaceName, () -> LiveCounters.of(built))) {
            report(built, stop);
        }
        return 0;
    }

    /** One line per interval until the count or Ctrl-C, then the totals. */
    private void report(PacketSource rx, StopSignal stop) throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        DateTimeFormatter time = DateTimeFormatter.ofPattern("HH:mm:ss");
        XdpRx xdpRx = rx instanceof XdpRx x ? x : null;
        XdpStatistics before = XdpStatistics.ZERO;
        CaptureStats total = CaptureStats.ZERO;
        if (!json) {
            out.printf("%-8s %12s %10s %8s", "time", "pkt/s", "drops", "freezes");
            out.printf(xdpRx == null ? "%n" : XDP_COLUMNS + "%n", "rx_dropped", "rx_ring_full", "fill_ring_empty_descs",
                    "rx_invalid_descs");
        }
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
            total = new CaptureStats(total.packets() + s.packets(), total.drops() + s.drops(),
                    total.freezeCount() + s.freezeCount());
            double seconds = (System.nanoTime() - start) / 1e9;
            XdpStatistics d = null;
            if (xdpRx != null) {
                XdpStatistics now = xdpRx.xdpStatistics();    // totals since bind: the interval is the difference
                d = now.minus(before);
                before = now;
            }
            String clock = LocalTime.now().format(time);
            if (json) {
                out.println(jsonLine("\"time\":\"" + clock + "\",\"seconds\":" + String.format(java.util.Locale.ROOT, "%.3f", seconds)
                        + ",\"pps\":" + Math.round(s.packets() / seconds), s, d));
            } else {
                out.printf("%-8s %12.0f %10d %8d", clock, s.packets() / seconds, s.drops(), s.freezeCount());
                if (d == null) {
                    out.println();
                } else {
                    out.printf(XDP_COLUMNS + "%n", d.rxDropped(), d.rxRingFull(), d.rxFillRingEmptyDescs(), d.rxInvalidDescs());
                }
            }
            out.flush();
            done++;
        }
        if (json) {
            out.println(jsonLine("\"total\":true", total, xdpRx == null ? null : xdpRx.xdpStatistics()));
        } else {
            out.println("total: " + total);
            if (xdpRx != null) {
                out.println("xdp total: " + xdpRx.xdpStatistics());
            }
        }
    }

    /** One JSON object: {@code head}'s members, the interface, the counters and, on AF_XDP, XDP_STATISTICS. */
    private String jsonLine(String head, CaptureStats s, XdpStatistics xdpStats) {
        StringBuilder j = new StringBuilder("{").append(head).append(",\"interface\":");
        JsonPrinter.string(j, interfaceName, 0, interfaceName.length())
                .append(",\"packets\":").append(s.packets()).append(",\"drops\":").append(s.drops())
                .append(",\"freezes\":").append(s.freezeCount());
        if (xdpStats != null) {
            j.append(",\"rx_dropped\":").append(xdpStats.rxDropped()).append(",\"rx_ring_full\":").append(xdpStats.rxRingFull())
                    .append(",\"fill_ring_empty_descs\":").append(xdpStats.rxFillRingEmptyDescs())
                    .append(",\"rx_invalid_descs\":").append(xdpStats.rxInvalidDescs());
        }
        return j.append('}').toString();
    }

    /** The XDP_STATISTICS columns, each as wide as its heading. */
    private static final String XDP_COLUMNS = " %10s %12s %21s %16s";
}
