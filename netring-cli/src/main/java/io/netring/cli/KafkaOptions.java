package io.netring.cli;

import io.netring.kafka.KafkaTarget;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The options every command with a Kafka input or output shares: how long a broker has to
 * answer, whether the capture keeps its own Kafka traffic, and the parsing of {@code kafka://}
 * URLs (a malformed one is a usage error).
 */
final class KafkaOptions {
    @Option(names = "--broker-timeout", paramLabel = "DURATION", defaultValue = "5s",
            description = "How long a Kafka broker has to answer, at the start and for delivery at the end "
                    + "(default ${DEFAULT-VALUE}); past it the command names the broker it cannot reach.")
    Duration brokerTimeout;

    @Option(names = "--kafka-traffic",
            description = "Also capture the traffic to the Kafka brokers named in the output URL; left out by "
                    + "default, so that capturing lo into a broker on lo does not record itself.")
    boolean keepKafkaTraffic;

    /** Parses a {@code kafka://} URL; a malformed one is a usage error (exit 2). */
    KafkaTarget parse(CommandSpec spec, String text) {
        try {
            return KafkaTarget.parse(text);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
        }
    }

    /** Checks the options; turns Kafka's own logging off unless {@code --verbose}. */
    void apply(CommandSpec spec) {
        if (brokerTimeout.isNegative() || brokerTimeout.isZero()) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--broker-timeout must be positive, was " + Durations.format(brokerTimeout));
        }
        KafkaLogLevel.set(spec.root().userObject() instanceof NetringCommand root && root.verbose);
    }

    /**
     * A filter clause that matches the TCP traffic to and from {@code target}'s bootstrap
     * brokers (each address its name resolves to, and its port), or null with
     * {@code --kafka-traffic}: a live capture leaves it out, so that its own publishing is not
     * captured and published again.
     */
    String ownTraffic(KafkaTarget target) {
        if (keepKafkaTraffic) {
            return null;
        }
        List<String> brokers = new ArrayList<>();
        for (String server : target.bootstrapServers().split(",")) {
            int colon = server.lastIndexOf(':');
            String host = server.substring(0, colon).replace("[", "").replace("]", "");
            String port = server.substring(colon + 1);
            List<String> hosts = new ArrayList<>();
            try {
                for (InetAddress a : InetAddress.getAllByName(host)) {
                    hosts.add("host " + a.getHostAddress().replaceAll("%.*", ""));
                }
            } catch (UnknownHostException unresolved) {
                // the port alone then: the producer cannot reach that broker either
            }
            brokers.add((hosts.isEmpty() ? "" : "(" + String.join(" or ", hosts) + ") and ") + "tcp port " + port);
        }
        return "(" + String.join(") or (", brokers) + ")";
    }
}
