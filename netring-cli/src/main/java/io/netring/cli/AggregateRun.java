package io.netring.cli;

import io.netring.kafka.KafkaTarget;
import io.netring.streams.Aggregation;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

/**
 * Runs {@code netring aggregate}: one Kafka Streams instance until Ctrl-C, the timeout, or a
 * failure (exit 1 with its cause). Each instance gets a state folder of its own, removed on
 * exit: the stores are in memory and restored from their changelogs, and two instances on one
 * host must not share the folder (it holds the instance's id).
 */
final class AggregateRun {
    private AggregateRun() {}

    /** The settings, checked (an {@link Aggregation.Settings}, typed as Object so the command's class names no Streams type). */
    static Object settings(Duration window, Duration grace, Duration idle, Duration active, int maxFlows) {
        return new Aggregation.Settings(window, grace, idle, active, maxFlows);
    }

    /** Whether the brokers answer a cluster description within {@code timeout}. */
    private static boolean reachable(String bootstrap, Duration timeout) throws InterruptedException {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        int millis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, millis);
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, millis);
        try (Admin admin = Admin.create(p)) {
            admin.describeCluster(new DescribeClusterOptions().timeoutMs(millis)).clusterId().get(millis, TimeUnit.MILLISECONDS);
            return true;
        } catch (ExecutionException | TimeoutException e) {
            return false;
        }
    }

    static int run(AggregateCommand c, Object settings, PrintWriter err) throws IOException, InterruptedException {
        if (!reachable(c.bootstrap, c.brokerTimeout)) {
            err.println("netring: " + BrokerWatch.unreachable(KafkaTarget.parse("kafka://" + c.bootstrap + "/" + c.in), c.brokerTimeout));
            return 1;
        }
        Path stateDir = Files.createTempDirectory("netring-aggregate-");
        Properties config = Aggregation.config(c.applicationId, c.bootstrap);
        config.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        config.putAll(c.config);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        try (StopSignal stop = new StopSignal(c.timeout);
             KafkaStreams streams = new KafkaStreams(
                     Aggregation.topology(c.in, c.flows, c.top, (Aggregation.Settings) settings), config)) {
            streams.setUncaughtExceptionHandler(e -> {
                failure.compareAndSet(null, e);
                return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
            });
            streams.start();
            err.println("aggregate: " + c.in + " on " + c.bootstrap + " -> flows " + c.flows + ", top talkers " + c.top
                    + " (application " + c.applicationId + ")");
            while (!stop.stopRequested() && failure.get() == null && streams.state() != KafkaStreams.State.ERROR
                    && streams.state() != KafkaStreams.State.NOT_RUNNING) {
                Thread.sleep(100);
            }
            streams.close(stop.bound(Duration.ofSeconds(30)));
            if (failure.get() != null) {
                err.println("netring: aggregate stopped: " + NetringCommand.oneLine(failure.get()));
                return 1;
            }
            err.println("aggregate: stopped");
            return 0;
        } finally {
            try (Stream<Path> files = Files.walk(stateDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
