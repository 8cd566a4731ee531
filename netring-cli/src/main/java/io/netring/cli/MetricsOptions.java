package io.netring.cli;

import picocli.CommandLine.Option;

import java.io.IOException;

/** {@code --metrics-port PORT [--metrics-address ADDRESS]}: Prometheus metrics while a live command runs. */
final class MetricsOptions {
    static final String LOOPBACK = "127.0.0.1";

    @Option(names = "--metrics-port", paramLabel = "PORT",
            description = "Serve Prometheus metrics at http://ADDRESS:PORT/metrics while capturing (netring_packets_total, "
                    + "netring_drops_total, netring_freezes_total, netring_blocks_total, JVM metrics).")
    Integer port;

    @Option(names = "--metrics-address", paramLabel = "ADDRESS", defaultValue = LOOPBACK,
            description = "Address the metrics endpoint listens on (default ${DEFAULT-VALUE}, this host only).")
    String address = LOOPBACK;

    /** The usage error in these options, or null. */
    String misuse() {
        if (port == null) {
            return address == null || LOOPBACK.equals(address) ? null : "--metrics-address needs --metrics-port";
        }
        if (port < 1 || port > 65535) {
            return "--metrics-port must be in [1, 65535], was " + port;
        }
        return null;
    }

    /** The misuse of these options for a command reading {@code what} (a file, Kafka), or null. */
    String notLive(String what) {
        return port == null ? null : "--metrics-port serves a live capture's counters; it cannot be used with " + what;
    }

    /** Starts the endpoint when asked for; null otherwise. */
    MetricsServer start(String interfaceName, MetricsServer.Source source) throws IOException {
        return port == null ? null : MetricsServer.start(address, port, interfaceName, source);
    }
}
