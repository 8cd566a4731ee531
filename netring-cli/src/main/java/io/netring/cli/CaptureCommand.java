package io.netring.cli;

import io.netring.AfPacketRx;
import io.netring.Capture;
import io.netring.CaptureBuilder;
import io.netring.CaptureStats;
import io.netring.Packet;
import io.netring.PacketBatch;
import io.netring.PacketDirection;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;

/** {@code netring capture}: one line per packet, then tcpdump's three summary lines. */
@Command(name = "capture", mixinStandardHelpOptions = true,
        description = "Print captured packets, one line each; on exit (count, timeout or Ctrl-C) print the "
                + "captured / received / dropped summary like tcpdump.")
final class CaptureCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = {"-i", "--interface"}, required = true, paramLabel = "IFACE", description = "Interface to capture on.")
    String interfaceName;

    @Option(names = {"-c", "--count"}, paramLabel = "COUNT", description = "Exit after COUNT packets.")
    Long count;

    @Option(names = "--timeout", paramLabel = "DURATION", description = "Exit after this long (e.g. 500ms, 10s).")
    Duration timeout;

    @Option(names = "--ignore-outgoing", description = "Skip packets this host sends (on lo: show each packet once).")
    boolean ignoreOutgoing;

    @Option(names = "--promisc", description = "Put the interface in promiscuous mode (needs CAP_NET_ADMIN).")
    boolean promiscuous;

    @Mixin
    RingOptions ring;

    @Mixin
    NamespaceOption namespace;

    @Mixin
    OutputOptions output;

    @Override
    public Integer call() throws Exception {
        if (count != null && count <= 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--count must be positive, was " + count);
        }
        if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--timeout must be positive, was " + timeout);
        }
        CaptureBuilder builder = Capture.builder().interfaceName(interfaceName)
                .ignoreOutgoing(ignoreOutgoing).promiscuous(promiscuous);
        try {
            ring.applyTo(builder);
            namespace.applyTo(builder);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        PacketPrinter printer;
        try {
            printer = output.printer();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        // On lo the kernel shows each packet twice; like tcpdump, print the incoming copy only.
        boolean skipOutgoing = !ignoreOutgoing && "lo".equals(interfaceName);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        long limit = count == null ? Long.MAX_VALUE : count;
        long captured = 0;
        try (Capture cap = builder.build(); StopSignal stop = new StopSignal(timeout)) {
            AfPacketRx rx = cap.unwrap();
            while (captured < limit && !stop.stopRequested()) {
                try (PacketBatch batch = rx.nextBatchBlocking(stop.nextWait())) {
                    if (batch == null) {
                        continue;
                    }
                    for (Packet p : batch) {
                        if (skipOutgoing && p.direction() == PacketDirection.OUTGOING) {
                            continue;
                        }
                        printer.print(p, out);
                        if (++captured == limit) {
                            break;
                        }
                    }
                }
            }
            out.flush();
            CaptureStats stats = cap.stats();
            err.println(captured + " packets captured");
            err.println(stats.packets() + " packets received by filter");
            err.println(stats.drops() + " packets dropped by kernel");
            err.flush();
        }
        return 0;
    }
}
