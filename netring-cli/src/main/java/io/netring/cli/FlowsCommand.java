package io.netring.cli;

import io.netring.Capture;
import io.netring.CaptureBuilder;
import io.netring.CaptureStats;
import io.netring.PacketBatch;
import io.netring.PacketDirection;
import io.netring.flow.FlowEndReason;
import io.netring.flow.FlowExtractor;
import io.netring.flow.FlowRecord;
import io.netring.flow.FlowTable;
import io.netring.flow.IpfixExporter;
import io.netring.kafka.KafkaFlowPublisher;
import io.netring.kafka.KafkaTarget;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * {@code netring flows}: one JSON object per finished flow (the fields of API.md), optionally
 * exported as IPFIX over UDP and published to Kafka. Input: an interface, a pcap/pcapng file, or
 * a Kafka topic of packet records.
 */
@Command(name = "flows", mixinStandardHelpOptions = true,
        description = "Print one JSON object per flow when it ends (FIN, RST, idle or active timeout, eviction, "
                + "end of input, input-error when the input fails: what was seen, then the error); optionally export "
                + "IPFIX (--ipfix) and publish to Kafka (--kafka).")
final class FlowsCommand implements Callable<Integer> {

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = {"-i", "--interface"}, paramLabel = "IFACE", description = "Interface to capture on.")
    String interfaceName;

    @Option(names = "-r", paramLabel = "FILE|kafka://HOST:PORT/TOPIC",
            description = "Read a pcap or pcapng file, or packet records from a Kafka topic, instead of an interface.")
    String read;

    @Option(names = "--ipfix", paramLabel = "HOST:PORT", description = "Also export the records as IPFIX over UDP.")
    String ipfix;

    @Option(names = "--kafka", paramLabel = "HOST:PORT/TOPIC", description = "Also publish the records as JSON to a Kafka topic.")
    String kafka;

    @Option(names = "--idle-timeout", paramLabel = "DURATION", description = "End a flow after this long without packets (default 60s).")
    Duration idle = Duration.ofSeconds(60);

    @Option(names = "--active-timeout", paramLabel = "DURATION", description = "End a flow after this long (default 30min).")
    Duration active = Duration.ofMinutes(30);

    @Option(names = "--max-flows", paramLabel = "N", description = "Flows kept at most (up to 134217727; memory grows with the flows seen, "
            + "about 200 bytes each); the least recently seen is evicted (default 65536).")
    int maxFlows = 1 << 16;

    @Option(names = "--timeout", paramLabel = "DURATION", description = "Exit after this long (e.g. 10s).")
    Duration timeout;

    @Option(names = {"-c", "--count"}, paramLabel = "COUNT", description = "Exit after COUNT packets.")
    Long count;

    @Option(names = "--ignore-outgoing", description = "Have the kernel drop every packet this host sends (on lo each packet is counted once either way, as tcpdump does).")
    boolean ignoreOutgoing;

    @Mixin
    RingOptions ring;

    @Mixin
    NamespaceOption namespace;

    @Mixin
    FilterOptions filter;

    @Mixin
    KafkaOptions kafkaOptions;

    @Mixin
    MetricsOptions metrics;

    @Override
    public Integer call() throws Exception {
        if ((interfaceName == null) == (read == null)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "give exactly one of -i IFACE and -r FILE|kafka://HOST:PORT/TOPIC");
        }
        if (count != null && count <= 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--count must be positive, was " + count);
        }
        KafkaTarget readTarget = null;
        KafkaTarget kafkaTarget = null;
        InetSocketAddress collector = null;
        FlowTable.Builder tb = FlowTable.builder();
        CaptureBuilder cb = null;
        try {
            readTarget = read != null && KafkaTarget.isKafka(read) ? KafkaTarget.parse(read) : null;
            kafkaTarget = kafka != null ? KafkaTarget.parse(kafka) : null;
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        if (readTarget != null || kafkaTarget != null) {
            kafkaOptions.apply(spec);
            if (kafkaTarget != null && interfaceName != null) {
                filter.leaveOut(kafkaOptions.ownTraffic(kafkaTarget));   // the publisher's own connection is no flow of interest
            }
        }
        String metricsMisuse = metrics.misuse();
        if (metricsMisuse == null && read != null) {
            metricsMisuse = metrics.notLive("-r");
        }
        if (metricsMisuse != null) {
            throw new CommandLine.ParameterException(spec.commandLine(), metricsMisuse);
        }
        if (filter.compileOrDump(spec)) {
            return 0;
        }
        // Live, the kernel runs the program; a file or topic has no kernel in between.
        boolean filterInJava = filter.program() != null && read != null;
        try {
            if (read == null) {
                cb = namespace.applyTo(ring.applyTo(Capture.builder().interfaceName(interfaceName).ignoreOutgoing(ignoreOutgoing)));
                if (filter.program() != null) {
                    cb.bpfFilter(filter.program());
                }
            }
            if (ipfix != null) {
                collector = hostPort(ipfix);
            }
            try {
                tb.maxFlows(maxFlows);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(e.getMessage().replace("maxFlows=", "--max-flows "), e);
            }
            tb.idleTimeout(idle).activeTimeout(active);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        long limit = count == null ? Long.MAX_VALUE : count;
        long packets = 0;
        long[] records = {0};
        // The signal, then the input: a broker that is away must not keep the capture from starting.
        try (StopSignal stop = new StopSignal(timeout);
             PacketInput input = readTarget != null ? PacketInput.kafka(readTarget, kafkaOptions.brokerTimeout)
                     : read != null ? PacketInput.file(java.nio.file.Path.of(read)) : PacketInput.live(cb, interfaceName);
             MetricsServer metricsServer = input.live() ? metrics.start(interfaceName, input::liveCounters) : null;
             IpfixExporter exporter = collector != null ? IpfixExporter.open(collector) : null;
             KafkaFlowPublisher publisher = kafkaTarget != null ? KafkaFlowPublisher.open(kafkaTarget) : null) {
            FlowApplications apps = new FlowApplications(idle, maxFlows);
            FlowTable table = tb.onRecord(finished -> {
                FlowRecord r = apps.complete(finished);
                records[0]++;
                out.println(r.toJson());
                if (exporter != null) {
                    exporter.onRecord(r);
                }
                if (publisher != null) {
                    publisher.onRecord(r);
                }
            }).build();
            BrokerWatch watch = publisher != null
                    ? new BrokerWatch(kafkaTarget, kafkaOptions.brokerTimeout, publisher::brokerReachable, err) : null;
            FlowExtractor ex = new FlowExtractor();
            FlowFragments fragments = new FlowFragments();
            boolean skipOutgoing = LoopbackCopies.skipOutgoing(interfaceName, ignoreOutgoing);
            Exception inputError = null;
            try {
                while (packets < limit && !stop.stopRequested() && !input.ended()) {
                    if (watch != null) {
                        watch.check();
                    }
                    try (PacketBatch batch = input.next(stop.nextWait())) {
                        if (batch == null) {
                            if (input.live()) {
                                long now = System.currentTimeMillis() * 1_000_000L;
                                apps.expire(now);                                         // streams first: they tell their service
                                table.expire(now);   // a quiet link still ends idle flows
                            }
                        } else {
                            long left = limit - packets;
                            long[] n = {0};
                            batch.dispatch(view -> {
                                if (n[0] < left && !(skipOutgoing && view.direction() == PacketDirection.OUTGOING)) {
                                    n[0]++;
                                    if ((!filterInJava || filter.keeps(view)) && fragments.extract(view, ex, apps)) {
                                        table.add(ex.fields());
                                    }
                                }
                            });
                            packets += n[0];
                        }
                    }
                    out.flush();
                    if (exporter != null) {
                        exporter.flush();
                    }
                }
            } catch (IOException | RuntimeException e) {
                // A file cut mid-record, an interface deleted, a bad record in a topic: the flows
                // seen so far still come out, marked as ended by the error, before it is reported.
                inputError = e;
            }
            apps.finish();
            table.flush(inputError == null ? FlowEndReason.END_OF_INPUT : FlowEndReason.INPUT_ERROR);
            out.flush();
            if (exporter != null) {
                exporter.flush();
            }
            err.println(Plural.count(packets, "packet") + ", " + Plural.count(records[0], "flow record")
                    + (table.evictions() > 0 ? ", " + table.evictions() + " evicted" : ""));
            CaptureStats stats = totalsAfter(input);
            if (stats != null) {
                err.println(Plural.count(stats.packets(), "packet") + " received by filter");
                err.println(Plural.count(stats.drops(), "packet") + " dropped by kernel");
            }
            if (publisher != null) {
                publisher.close(stop.bound(kafkaOptions.brokerTimeout));
                err.println("kafka: " + Plural.count(publisher.delivered(), "flow record") + " delivered, " + publisher.undelivered()
                        + " undelivered");
            }
            err.flush();
            if (inputError != null) {
                throw inputError;
            }
            if (publisher != null && publisher.undelivered() > 0) {
                // said here, not thrown: a signal's hook ends the process as soon as this returns
                err.println("netring: " + watch.undelivered(publisher.undelivered(), "flow record"));
                err.flush();
                stop.exitStatus(1);
                return 1;
            }
        }
        return 0;
    }

    /** The capture's counters, or those last read when the kernel can no longer be asked. */
    private static CaptureStats totalsAfter(PacketInput input) {
        try {
            return input.totals();
        } catch (UncheckedIOException e) {
            return input.lastTotals();
        }
    }

    static InetSocketAddress hostPort(String text) {
        int colon = text.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("--ipfix " + text + ": expected HOST:PORT");
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(text.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--ipfix " + text + ": port is not a number");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("--ipfix " + text + ": port must be in [1, 65535]");
        }
        InetSocketAddress a = new InetSocketAddress(host, port);
        if (a.isUnresolved()) {
            throw new IllegalArgumentException("--ipfix " + text + ": host does not resolve");
        }
        return a;
    }
}
