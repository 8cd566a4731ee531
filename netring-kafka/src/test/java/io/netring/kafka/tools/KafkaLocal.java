package io.netring.kafka.tools;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;

import java.io.IOException;
import java.io.PrintStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A single-node Apache Kafka broker (KRaft, broker and controller in one process) on
 * localhost, for trying and testing: formats a fresh log directory in a temporary folder,
 * starts the real broker, prints {@code ready} once a client can reach it, and on Ctrl-C
 * (SIGINT/SIGTERM) shuts down and deletes the folder. {@code bin/kafka-local} runs it.
 *
 * <p>Options: {@code --port P} (client port, default 9092), {@code --controller-port P}
 * (default: a free port), {@code --partitions N} (default for new topics, 1), {@code --dir D}
 * (keep the data in D, formatted on first use, instead of a temporary folder).
 */
public final class KafkaLocal {
    private KafkaLocal() {}

    public static void main(String[] args) throws Exception {
        int port = 9092;
        int controllerPort = 0;
        int partitions = 1;
        Path keep = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(args[++i]);
                case "--controller-port" -> controllerPort = Integer.parseInt(args[++i]);
                case "--partitions" -> partitions = Integer.parseInt(args[++i]);
                case "--dir" -> keep = Path.of(args[++i]);
                default -> {
                    System.err.println("kafka-local: unknown option " + args[i]
                            + " (options: --port P, --controller-port P, --partitions N, --dir D)");
                    System.exit(2);
                }
            }
        }
        if (controllerPort == 0) {
            controllerPort = freePort();
        }
        // --dir keeps the data across runs (a broker that stops and comes back); else a temporary folder
        Path dir = keep != null ? Files.createDirectories(keep) : Files.createTempDirectory("kafka-local-");
        boolean temporary = keep == null;
        Properties props = properties(port, controllerPort, partitions, dir);
        if (!Files.exists(dir.resolve("meta.properties"))) {
            format(dir);
        }
        KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.shutdown();
            server.awaitShutdown();
            if (temporary) {
                deleteTree(dir);
            }
        }, "kafka-local-shutdown"));
        server.startup();
        awaitClients("localhost:" + port);
        System.out.println("ready");
        System.out.flush();
        server.awaitShutdown();
    }

    /** Formats {@code dir} as the log and metadata directory of node 1 of a new cluster (kafka-storage format). */
    private static void format(Path dir) throws Exception {
        new Formatter().setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                .setNodeId(1)
                .setClusterId(Uuid.randomUuid().toString())
                .setDirectories(List.of(dir.toString()))
                .setMetadataLogDirectory(dir.toString())
                .setControllerListenerName("CONTROLLER")
                .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                .setSupportedFeatures(Feature.PRODUCTION_FEATURES)
                .run();
    }

    static Properties properties(int port, int controllerPort, int partitions, Path dir) {
        Properties p = new Properties();
        p.putAll(Map.ofEntries(
                Map.entry("process.roles", "broker,controller"),
                Map.entry("node.id", "1"),
                Map.entry("controller.quorum.voters", "1@localhost:" + controllerPort),
                Map.entry("listeners", "PLAINTEXT://localhost:" + port + ",CONTROLLER://localhost:" + controllerPort),
                Map.entry("advertised.listeners", "PLAINTEXT://localhost:" + port),
                Map.entry("controller.listener.names", "CONTROLLER"),
                Map.entry("inter.broker.listener.name", "PLAINTEXT"),
                Map.entry("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT"),
                Map.entry("log.dirs", dir.toString()),
                Map.entry("num.partitions", Integer.toString(partitions)),
                Map.entry("offsets.topic.replication.factor", "1"),
                Map.entry("offsets.topic.num.partitions", "1"),
                Map.entry("transaction.state.log.replication.factor", "1"),
                Map.entry("transaction.state.log.min.isr", "1"),
                Map.entry("share.coordinator.state.topic.replication.factor", "1"),
                Map.entry("share.coordinator.state.topic.min.isr", "1"),
                Map.entry("group.initial.rebalance.delay.ms", "0"),
                Map.entry("auto.create.topics.enable", "true")));
        return p;
    }

    /** Waits until an admin client sees the broker (bounded: 60 s). */
    private static void awaitClients(String bootstrap) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000))) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (true) {
                try {
                    if (!admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty()) {
                        return;
                    }
                } catch (Exception e) {
                    if (System.nanoTime() > deadline) {
                        throw new IOException("the broker did not accept clients within 60 s", e);
                    }
                }
                Thread.sleep(100);
            }
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            return s.getLocalPort();
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.err.println("kafka-local: could not delete " + dir + ": " + e.getMessage());
        }
    }
}
