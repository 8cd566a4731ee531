package io.netring.cli;

import io.netring.kafka.KafkaTarget;
import io.netring.streams.Aggregation;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

/**
 * Runs {@code netring aggregate}: one Kafka Streams instance until Ctrl-C, the timeout, or a
 * failure (exit 1 with its cause), once the brokers answer and the packets topic exists. Each instance gets a state folder of its own, removed on
 * exit: the stores are in memory and restored from their changelogs, and two instances on one
 * host must not share the folder (it holds the instance's id).
 */
final class AggregateRun {
    private AggregateRun() {}

    /** The settings, checked (an {@link Aggregation.Settings}, typed as Object so the command's class names no Streams type). */
    static Object settings(Duration window, Duration grace, Duration idle, Duration active, int maxFlows) {
        return new Aggregation.Settings(window, grace, idle, active, maxFlows);
    }

    /** An admin client whose calls give up after {@code timeout}. */
    private static Admin admin(String bootstrap, Duration timeout) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        int millis = millis(timeout);
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, millis);
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, millis);
        return Admin.create(p);
    }

    private static int millis(Duration d) {
        return (int) Math.min(Integer.MAX_VALUE, d.toMillis());
    }

    /** Whether the brokers answer a cluster description within {@code timeout}. */
    private static boolean reachable(Admin admin, Duration timeout) throws InterruptedException {
        int millis = millis(timeout);
        try {
            admin.describeCluster(new DescribeClusterOptions().timeoutMs(millis)).clusterId().get(millis, TimeUnit.MILLISECONDS);
            return true;
        } catch (ExecutionException | TimeoutException e) {
            return false;
        }
    }

    /**
     * Waits until {@code topic} exists: aggregators may start before the first sensor publishes,
     * and Kafka Streams stops at once on a source topic that is missing. Says once that it waits.
     * False when a stop came first.
     * @throws ExecutionException when the broker refuses the question for another reason
     */
    private static boolean awaitTopic(Admin admin, AggregateCommand c, StopSignal stop, PrintWriter err)
            throws InterruptedException, ExecutionException {
        boolean told = false;
        while (!stop.stopRequested()) {
            try {
                admin.describeTopics(List.of(c.in)).allTopicNames().get(millis(c.brokerTimeout), TimeUnit.MILLISECONDS);
                return true;
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw e;
                }
            } catch (TimeoutException e) {
                // the broker is slow: ask again
            }
            if (!told) {
                err.println("aggregate: waiting for topic " + c.in + " on " + c.bootstrap + " (a sensor's first "
                        + "capture -w kafka://" + c.bootstrap + "/" + c.in + " makes it; or create it with as many "
                        + "partitions as aggregate instances)");
                err.flush();
                told = true;
            }
            Thread.sleep(TOPIC_POLL_MILLIS);
        }
        return false;
    }

    /** How often a missing packets topic is looked for. */
    private static final long TOPIC_POLL_MILLIS = 500;

    static int run(AggregateCommand c, Object settings, PrintWriter err) throws IOException, InterruptedException {
        try (StopSignal stop = new StopSignal(c.timeout)) {
            try (Admin admin = admin(c.bootstrap, c.brokerTimeout)) {
                if (!reachable(admin, c.brokerTimeout)) {
                    err.println("netring: " + BrokerWatch.unreachable(KafkaTarget.parse("kafka://" + c.bootstrap + "/" + c.in),
                            c.brokerTimeout));
                    return 1;
                }
                if (!awaitTopic(admin, c, stop, err)) {
                    err.println("aggregate: stopped");
                    return 0;
                }
            } catch (ExecutionException e) {
                err.println("netring: cannot look up topic " + c.in + ": " + NetringCommand.oneLine(e.getCause()));
                return 1;
            }
            return runStreams(c, settings, stop, err);
        }
    }

    private static int runStreams(AggregateCommand c, Object settings, StopSignal stop, PrintWriter err)
            throws IOException, InterruptedException {
        Path stateDir = Files.createTempDirectory("netring-aggregate-");
        Properties config = Aggregation.config(c.applicationId, c.bootstrap);
        config.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        config.putAll(c.config);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        try (KafkaStreams streams = new KafkaStreams(
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
            KafkaStreams.State ended = streams.state();
            streams.close(stop.bound(Duration.ofSeconds(30)));
            if (failure.get() != null) {
                err.println("netring: aggregate stopped: " + NetringCommand.oneLine(failure.get()));
                return 1;
            }
            if (!stop.stopRequested()) {
                // stopped on its own without an exception reaching the handler
                err.println("netring: aggregate stopped: Kafka Streams went to state " + ended);
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
