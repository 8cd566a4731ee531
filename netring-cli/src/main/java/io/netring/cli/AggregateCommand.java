package io.netring.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code netring aggregate}: the Kafka Streams application of module netring-streams — packet
 * records in, flow records per source and top talkers out, exactly once. Instances started with
 * one application id share the topic's partitions and take over from one that stops. Only the
 * options live here: Kafka Streams' classes load in {@link AggregateRun}, when the command runs.
 */
@Command(name = "aggregate", mixinStandardHelpOptions = true,
        description = "Run flows and top talkers over a packets topic on Kafka Streams (exactly once); "
                + "instances with one --application-id share the work.")
final class AggregateCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--bootstrap", required = true, paramLabel = "HOST:PORT", description = "The Kafka brokers (comma-separated).")
    String bootstrap;

    @Option(names = "--in", required = true, paramLabel = "TOPIC", description = "The packets topic (capture -w kafka://...).")
    String in;

    @Option(names = "--flows", required = true, paramLabel = "TOPIC", description = "Where flow records go (JSON, keyed by source).")
    String flows;

    @Option(names = "--top", required = true, paramLabel = "TOPIC", description = "Where top talkers go (JSON per address and window).")
    String top;

    @Option(names = "--window", paramLabel = "DURATION", description = "Top talkers' tumbling window (default 1m).")
    Duration window = Duration.ofMinutes(1);

    @Option(names = "--grace", paramLabel = "DURATION",
            description = "How far behind stream time a packet may be and still count (default 10s).")
    Duration grace = Duration.ofSeconds(10);

    @Option(names = "--idle-timeout", paramLabel = "DURATION", description = "End a flow after this long without packets (default 60s).")
    Duration idle = Duration.ofSeconds(60);

    @Option(names = "--active-timeout", paramLabel = "DURATION", description = "End a flow after this long (default 30min).")
    Duration active = Duration.ofMinutes(30);

    @Option(names = "--max-flows", paramLabel = "N", description = "Open flows per source at most (default 65536).")
    int maxFlows = 1 << 16;

    @Option(names = "--application-id", paramLabel = "ID",
            description = "Kafka Streams application id: instances with one id share the work (default netring-aggregate).")
    String applicationId = "netring-aggregate";

    @Option(names = "--config", paramLabel = "KEY=VALUE",
            description = "A Kafka Streams, consumer or producer setting (repeatable), e.g. session.timeout.ms=6000.")
    Map<String, String> config = new LinkedHashMap<>();

    @Option(names = "--timeout", paramLabel = "DURATION", description = "Exit after this long (e.g. 10m); default: until Ctrl-C.")
    Duration timeout;

    @Option(names = "--broker-timeout", paramLabel = "DURATION",
            description = "How long the Kafka brokers have to answer at the start (default 5s); past it the command "
                    + "names them and exits 1.")
    Duration brokerTimeout = Duration.ofSeconds(5);

    @Override
    public Integer call() throws Exception {
        positive("--window", window);
        positive("--idle-timeout", idle);
        positive("--active-timeout", active);
        positive("--broker-timeout", brokerTimeout);
        if (timeout != null) {
            positive("--timeout", timeout);
        }
        if (grace.isNegative()) {
            throw usage("--grace must not be negative, was " + Durations.format(grace));
        }
        if (maxFlows < 1) {
            throw usage("--max-flows must be positive, was " + maxFlows);
        }
        Object settings = AggregateRun.settings(window, grace, idle, active, maxFlows);
        KafkaLogLevel.set(spec.root().userObject() instanceof NetringCommand root && root.verbose);
        return AggregateRun.run(this, settings, spec.commandLine().getErr());
    }

    private void positive(String option, Duration d) {
        if (d.isNegative() || d.isZero()) {
            throw usage(option + " must be positive, was " + Durations.format(d));
        }
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}
