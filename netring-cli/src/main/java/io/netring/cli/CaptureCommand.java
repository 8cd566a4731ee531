package io.netring.cli;

import io.netring.Capture;
import io.netring.CaptureBuilder;
import io.netring.CaptureStats;
import io.netring.Packet;
import io.netring.PacketBatch;
import io.netring.PacketDirection;
import io.netring.kafka.KafkaTarget;
import io.netring.xdp.XdpRxBuilder;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.FileSystemException;
import java.time.Duration;
import java.util.concurrent.Callable;

/** {@code netring capture}: one line per packet, then tcpdump's three summary lines. */
@Command(name = "capture", mixinStandardHelpOptions = true,
        description = "Print captured packets, one line each (or write them to a file with -w); on exit (count, "
                + "timeout or Ctrl-C) print the captured / received / dropped summary like tcpdump. "
                + "-r FILE reads a pcap or pcapng file instead of an interface.")
final class CaptureCommand implements Callable<Integer> {
    /**
     * Packets per {@link CaptureSink#transfer} call: about 10 ms of a conversion between looks
     * at Ctrl-C. Smaller than the AOT training's 100 k-packet file on purpose: the training
     * then ends a copy at its limit too, and the compiled copy loop keeps that exit (trained
     * without it, C2 left it out and had to throw the loop's code away mid-run).
     */
    private static final long TRANSFER_STEP = 1 << 16;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = {"-i", "--interface"}, paramLabel = "IFACE", description = "Interface to capture on (or -r FILE).")
    String interfaceName;

    @Option(names = {"-c", "--count"}, paramLabel = "COUNT", description = "Exit after COUNT packets.")
    Long count;

    @Option(names = "--timeout", paramLabel = "DURATION", description = "Exit after this long (e.g. 500ms, 10s).")
    Duration timeout;

    @Option(names = "--ignore-outgoing", description = "Have the kernel drop every packet this host sends (on lo each packet is taken once either way, as tcpdump does).")
    boolean ignoreOutgoing;

    @Option(names = "--promisc", description = "Put the interface in promiscuous mode (needs CAP_NET_ADMIN).")
    boolean promiscuous;

    @Mixin
    RingOptions ring;

    @Mixin
    NamespaceOption namespace;

    @Mixin
    SavedTrafficOptions files;

    @Mixin
    OutputOptions output;

    @Mixin
    FilterOptions filter;

    @Mixin
    KafkaOptions kafka;

    @Mixin
    XdpOptions xdp;

    @Mixin
    MetricsOptions metrics;

    @Override
    public Integer call() throws Exception {
        return execute(spec.commandLine().getOut(), spec.commandLine().getErr());
    }

    /**
     * The capture, printing to {@code out} and {@code err}; without a picocli spec (the
     * {@link CaptureShortcut} path) a usage error is a {@link CaptureShortcut.UsageError}.
     */
    int execute(PrintWriter out, PrintWriter err) throws Exception {
        if (count != null && count <= 0) {
            throw usageError("--count must be positive, was " + count, null);
        }
        if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
            throw usageError("--timeout must be positive, was " + Durations.format(timeout), null);
        }
        String xdpMisuse = xdp.enabled ? notWithXdp() : xdp.misuse();
        if (xdpMisuse != null) {
            throw usageError(xdpMisuse, null);
        }
        String metricsMisuse = metrics.misuse();
        if (metricsMisuse == null && files.readFile != null) {
            metricsMisuse = metrics.notLive("-r");
        }
        if (metricsMisuse != null) {
            throw usageError(metricsMisuse, null);
        }
        KafkaTarget readKafka = null;
        KafkaTarget writeKafka = null;
        try {
            if (files.readFile != null && KafkaTarget.isKafka(files.readFile.toString())) {
                // the Path folded "kafka://" to "kafka:/": unfold it, so that errors show the URL as typed
                readKafka = KafkaTarget.parse(files.readFile.toString().replaceFirst("^kafka:/(?!/)", "kafka://"));
            }
            if (KafkaTarget.isKafka(files.writeFile)) {
                writeKafka = KafkaTarget.parse(files.writeFile);
            }
        } catch (IllegalArgumentException e) {
            throw usageError(e.getMessage(), e);
        }
        if (readKafka != null || writeKafka != null) {
            kafka.apply(spec);
            if (writeKafka != null && interfaceName != null) {
                filter.leaveOut(kafka.ownTraffic(writeKafka));   // our own publishing is not captured again
            }
        }
        if (filter.compileOrDump(spec)) {
            return 0;
        }
        if ((interfaceName == null) == (files.readFile == null)) {
            throw usageError("give exactly one of -i IFACE and -r FILE", null);
        }
        CaptureBuilder builder = Capture.builder().interfaceName(interfaceName)
                .ignoreOutgoing(ignoreOutgoing).promiscuous(promiscuous);
        if (filter.program() != null) {
            builder.bpfFilter(filter.program());        // live: the kernel runs it
        }
        // A file has no kernel in between: the same program runs per packet.
        boolean filterInJava = filter.program() != null && files.readFile != null;
        try {
            ring.applyTo(builder);
            namespace.applyTo(builder);
            files.rotation();
            if (files.writeFile != null) {
                files.writeFormat();
            }
        } catch (IllegalArgumentException e) {
            throw usageError(e.getMessage(), null);
        }
        PacketPrinter printer = null;
        try {
            // -w prints nothing: no printer (its decoder, the time zone's rules) unless output
            // options were given, which are still checked as before.
            if (files.writeFile == null || !output.allDefault()) {
                printer = output.printer().readingFile(files.readFile != null && readKafka == null);
            }
        } catch (IllegalArgumentException e) {
            throw usageError(e.getMessage(), null);
        }
        XdpRxBuilder xdpBuilder = xdp.enabled ? xdpBuilder() : null;
        // AF_XDP sees received frames only: no copy of what this host sends to leave out.
        boolean skipOutgoing = xdpBuilder == null && LoopbackCopies.skipOutgoing(interfaceName, ignoreOutgoing);
        long limit = count == null ? Long.MAX_VALUE : count;
        long captured = 0;
        // The signal first: a Ctrl-C as soon as the socket exists already ends cleanly.
        try (StopSignal stop = new StopSignal(timeout);
             PacketInput input = readKafka != null ? PacketInput.kafka(readKafka, kafka.brokerTimeout)
                     : files.readFile != null ? PacketInput.file(files.readFile)
                     : xdpBuilder != null ? liveXdp(xdpBuilder) : live(builder);
             MetricsServer metricsServer = input.live() ? metrics.start(interfaceName, input::liveCounters) : null;
             CaptureSink sink = files.writeFile != null
                     ? CaptureSink.open(files, input, interfaceName, writeKafka, writeKafka == null ? null : kafka.brokerTimeout)
                     : null) {
            BrokerWatch watch = sink instanceof KafkaPacketSink k
                    ? new BrokerWatch(writeKafka, kafka.brokerTimeout, k::brokerReachable, err) : null;
            if (input.live()) {
                err.println(CaptureHeader.listening(input.describe(), input.path(), files.writeFile == null && output.verboseHintFits()));
                err.flush();
            } else if (input.kafka() == null) {
                err.println(CaptureHeader.reading(files.readFile.toString(), input.reader().linkType(), input.reader().snaplen()));
                err.flush();
            }
            Exception inputError = null;
            IOException writeFailure = null;
            try {
                // A file into a file without the batch loop, in steps after which Ctrl-C ends it cleanly.
                while (sink != null && !filterInJava && input.reader() != null && captured < limit
                        && !stop.stopRequested() && !input.ended()) {
                    long copied = sink.transfer(input.reader(), Math.min(limit - captured, TRANSFER_STEP));
                    if (copied <= 0) {
                        break;                                 // this sink takes batches, or takes no more
                    }
                    captured += copied;
                }
                while (captured < limit && !stop.stopRequested() && !input.ended() && (sink == null || !sink.finished())) {
                    if (watch != null) {
                        watch.check();
                    }
                    try (PacketBatch batch = input.next(stop.nextWait())) {
                        if (batch == null) {
                            if (sink != null) {
                                sink.idle();
                            }
                            continue;
                        }
                        if (sink != null && !filterInJava && !skipOutgoing) {
                            captured += sink.write(batch, limit - captured);
                            continue;
                        }
                        captured += takeBatch(batch, limit - captured, skipOutgoing, filterInJava, sink, printer, out);
                        if (sink != null) {
                            sink.idle();                   // what a whole-batch write would do after it
                        }
                    }
                }
            } catch (FileSystemException e) {
                if (sink == null) {
                    throw e;
                }
                // The output failed (a full disk, a file size limit): what was captured is still
                // accounted for below, after the error.
                writeFailure = e;
                closeAfterFailure(sink);
                err.println("netring: " + NetringCommand.oneLine(e));
            } catch (IOException e) {
                // An interface deleted, a file cut mid-record: the summary still says what was
                // captured and what the kernel counted, then the error follows.
                inputError = e;
            }
            if (printer != null && sink == null) {
                printer.finish(out);                       // lines held for fragments still incomplete
            }
            out.flush();
            if (sink != null && sink.summary() != null) {
                if (sink instanceof KafkaPacketSink k) {
                    k.close(stop.bound(kafka.brokerTimeout));   // within a signal's hook time, too
                } else {
                    sink.close();
                }
                err.println(sink.summary());
            }
            if (input.live()) {
                CaptureStats stats = input.totals();
                err.println(Plural.count(captured, "packet") + " captured");
                err.println(Plural.count(stats.packets(), "packet") + " received by filter");
                err.println(Plural.count(stats.drops(), "packet") + " dropped by kernel");
                err.flush();
            }
            if (inputError != null) {
                throw inputError;
            }
            if (writeFailure != null) {
                return 1;
            }
            if (sink instanceof KafkaPacketSink k && k.stats().undelivered() > 0) {
                // said here, not thrown: a signal's hook ends the process as soon as this returns
                err.println("netring: " + watch.undelivered(k.stats().undelivered(), "packet"));
                err.flush();
                stop.exitStatus(1);
                return 1;
            }
        }
        return 0;
    }

    /** Closes a sink whose file already failed; the close meets the same error, already reported. */
    private static void closeAfterFailure(CaptureSink sink) {
        try {
            sink.close();
        } catch (IOException sameFailure) {
            // reported once, by the caller
        }
    }

    /**
     * Prints the packets of {@code batch}, or writes those a filter keeps, at most {@code max};
     * returns how many it took. A method of its own, small, so that the JIT compiles the packet
     * loop early and whole instead of queueing an on-stack replacement of all of
     * {@link #execute} (which, on two busy CPUs, came seconds into a 1.5 M-packet file).
     */
    private long takeBatch(PacketBatch batch, long max, boolean skipOutgoing, boolean filterInJava, CaptureSink sink,
                           PacketPrinter printer, PrintWriter out) throws java.io.IOException {
        long n = 0;
        for (Packet p : batch) {
            if (skipOutgoing && p.direction() == PacketDirection.OUTGOING || filterInJava && !filter.keeps(p)) {
                continue;
            }
            if (sink != null) {
                if (!sink.write(p)) {
                    throw usageError(
                            "a filter expression cannot be applied to -r kafka:// written to one file per source yet", null);
                }
            } else {
                printer.print(p, out);
            }
            if (++n == max) {
                break;
            }
        }
        return n;
    }

    /** A value the library refuses at build() is a usage error too (exit 2), named as typed. */
    private PacketInput live(CaptureBuilder builder) throws java.io.IOException {
        try {
            return PacketInput.live(builder, interfaceName);
        } catch (IllegalArgumentException e) {
            throw usageError(RingOptions.inCliTerms(e.getMessage()), e);
        }
    }

    /**
     * The usage error of an option {@code --xdp} has no use for, or null: the AF_PACKET ring's
     * options, and those the AF_XDP capture does not apply.
     */
    private String notWithXdp() {
        String misuse = xdp.misuse();
        if (misuse != null) {
            return misuse;
        }
        if (files.readFile != null) {
            return "--xdp captures from an interface (-i IFACE); it cannot read -r " + files.readFile;
        }
        if (!ring.ring.isEmpty() || ring.profile != null) {
            return (ring.profile != null ? "--profile" : "-B") + " sets up the AF_PACKET ring, which --xdp does not use";
        }
        if (namespace.netns != null) {
            return "--netns cannot be used with --xdp yet; run netring in the namespace: ip netns exec NAME netring ...";
        }
        if (promiscuous) {
            return "--promisc cannot be used with --xdp; set it on the interface: ip link set dev IFACE promisc on";
        }
        if (ignoreOutgoing) {
            return "--ignore-outgoing cannot be used with --xdp: AF_XDP sees received frames only";
        }
        return null;
    }

    /** The AF_XDP capture's settings, the filter expression inside its program; what XDP cannot run is a usage error. */
    private XdpRxBuilder xdpBuilder() {
        XdpRxBuilder b;
        try {
            b = xdp.builder(interfaceName);
        } catch (IllegalArgumentException e) {
            throw usageError(e.getMessage(), e);
        }
        if (filter.program() != null) {
            try {
                b.filter(filter.program());
            } catch (IllegalArgumentException e) {
                throw usageError("the filter expression cannot run inside XDP: " + e.getMessage(), e);
            }
        }
        return b;
    }

    /** As {@link #live}, through AF_XDP. */
    private PacketInput liveXdp(XdpRxBuilder builder) throws java.io.IOException {
        try {
            return PacketInput.xdp(builder, interfaceName);
        } catch (IllegalArgumentException e) {
            throw usageError(e.getMessage(), e);
        }
    }

    /** A usage error (exit 2): picocli's when parsed by picocli, else the shortcut's own. */
    private RuntimeException usageError(String message, Exception cause) {
        return spec == null ? new CaptureShortcut.UsageError(message) : Picocli.usageError(spec, message, cause);
    }

    /**
     * Apart, so that verifying {@link CaptureCommand} does not load picocli's exception
     * classes when the shortcut runs it.
     */
    private static final class Picocli {
        static RuntimeException usageError(CommandLine.Model.CommandSpec spec, String message, Exception cause) {
            return cause == null ? new CommandLine.ParameterException(spec.commandLine(), message)
                    : new CommandLine.ParameterException(spec.commandLine(), message, cause);
        }
    }
}
