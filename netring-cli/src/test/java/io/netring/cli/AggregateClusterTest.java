package io.netring.cli;

import io.netring.Capture;
import io.netring.OwnedPacket;
import io.netring.PacketBatch;
import io.netring.Packet;
import io.netring.Timestamp;
import io.netring.kafka.KafkaPacketPublisher;
import io.netring.kafka.SharedBroker;
import io.netring.pcap.PcapFormat;
import io.netring.pcap.PcapWriter;
import io.netring.testing.FrameBuilder;
import io.netring.testing.FrameSender;
import io.netring.testing.NetNamespace;
import io.netring.testing.Privileged;
import io.netring.testing.Waits;
import io.netring.testing.TcpConversation;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code netring aggregate} on the real broker: three captures, each in a namespace of its own,
 * publish what they capture to a 3-partition topic (one source per partition) and write it to a
 * pcapng file; two instances (child JVMs) share the work; one is killed (SIGKILL) mid-run and the
 * other takes over. The flow records must equal {@code netring flows -r} over each sensor's file:
 * nothing lost, nothing counted twice.
 */
@Privileged
@Timeout(170)
class AggregateClusterTest {
    static {
        // The test's own Kafka clients (admin, consumer, publishers) log their configuration at
        // INFO; warnings are enough in a build log. Set before the first logger is made.
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }
    }

    @RegisterExtension
    static final SharedBroker broker = new SharedBroker();

    private static final long T0 = 1_767_225_600L;
    private static final String APP = "aggregate-cluster-test";
    private static final int SENSORS = 3;
    private static final Duration IDLE = Duration.ofSeconds(2);
    private static final Duration GRACE = Duration.ofSeconds(1);
    private static final String[] ARGS = {"--idle-timeout", IDLE.toSeconds() + "s", "--active-timeout", "30s"};

    /** A source's packets: UDP flows ending idle, one split by the active timeout, TCP ending by FIN, one flow every source sees. */
    private static List<OwnedPacket> traffic(int sensor) {
        List<OwnedPacket> p = new ArrayList<>();
        byte[] server = FrameBuilder.ipv4Addr(10, 9, 9, 9);
        for (int k = 0; k < 12; k++) {
            byte[] client = FrameBuilder.ipv4Addr(10, 0, sensor, k + 1);
            for (int i = 0; i < 6; i++) {
                p.add(packet(udp(client, 5000 + k, server, i % 2 == 1), T0 * 1_000_000_000L + k * 3_000_000_000L + i * 500_000_000L));
            }
        }
        byte[] shared = FrameBuilder.ipv4Addr(10, 0, 0, 100);
        for (int i = 0; i < 35; i++) {                        // every sensor sees it; 70 s long: split at 30 s
            p.add(packet(udp(shared, 5555, server, i % 2 == 1), T0 * 1_000_000_000L + i * 2_000_000_000L + 1000));
        }
        for (int c = 0; c < 4; c++) {
            List<byte[]> tcp = TcpConversation.between(FrameBuilder.ipv4Addr(10, 1, sensor, c + 1), 40000 + c, server, 80, 0, 1000, 9000)
                    .handshake().data(true, 0, "x".repeat(30 + c).getBytes(StandardCharsets.US_ASCII)).close().frames();
            for (int i = 0; i < tcp.size(); i++) {
                p.add(packet(tcp.get(i), (T0 + 5 + 17L * c) * 1_000_000_000L + i * 10_000_000L + sensor));
            }
        }
        p.sort(Comparator.comparingLong(o -> o.timestamp().seconds() * 1_000_000_000L + o.timestamp().nanos()));
        return p;
    }

    private static byte[] udp(byte[] client, int port, byte[] server, boolean reply) {
        byte[] payload = new byte[30];
        java.util.Arrays.fill(payload, (byte) 0x55);
        return FrameBuilder.ethernet(2, 1, 0x0800, FrameBuilder.ipv4(reply ? server : client, reply ? client : server, 17, 64, 1, 0,
                new byte[0], FrameBuilder.udp(reply ? 7000 : port, reply ? port : 7000, payload)));
    }

    private static OwnedPacket packet(byte[] frame, long nanos) {
        return new OwnedPacket(frame, new Timestamp(nanos / 1_000_000_000L, (int) (nanos % 1_000_000_000L)), frame.length);
    }

    @Test
    void twoInstancesOneKilledGiveTheFlowsOfFlowsReadNothingLostNothingTwice(@TempDir Path dir) throws Exception {
        String in = "agg-packets", flows = "agg-flows", top = "agg-top";
        String[] sources = sourcesOnDistinctPartitions(SENSORS);
        Properties admin = new Properties();
        admin.put("bootstrap.servers", broker.bootstrap());
        try (Admin a = Admin.create(admin)) {
            a.createTopics(List.of(new NewTopic(in, SENSORS, (short) 1), new NewTopic(flows, 1, (short) 1),
                    new NewTopic(top, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        Path[] files = new Path[SENSORS];
        List<Sensor> sensors = new ArrayList<>();
        Process first = aggregate(in, flows, top, dir.resolve("first.log"));
        Process second = aggregate(in, flows, top, dir.resolve("second.log"));
        try {
            for (int s = 0; s < SENSORS; s++) {
                files[s] = dir.resolve("sensor" + s + ".pcapng");
                sensors.add(new Sensor(sources[s], files[s], in));
            }
            waitForTwoMembersSharing(in);
            List<String> got = new ArrayList<>();
            try (KafkaConsumer<String, String> consumer = consumer(flows)) {
                for (int s = 0; s < SENSORS; s++) {
                    sensors.get(s).send(traffic(s), 0, 0.5);
                }
                long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (got.isEmpty() && System.nanoTime() < until) {
                    poll(consumer, got);
                }
                assertTrue(!got.isEmpty(), "no flow record within 60 s of the first half");
                int beforeKill = got.size();
                long killed = System.nanoTime();
                first.destroyForcibly().waitFor(10, TimeUnit.SECONDS);    // mid-run: the second takes over
                // a pause past idle timeout + grace: the first half's open flows end idle on the way
                Thread.sleep(IDLE.plus(GRACE).plusSeconds(1).toMillis());
                for (int s = 0; s < SENSORS; s++) {
                    sensors.get(s).send(traffic(s), 0.5, 1.0);
                }
                long lastPacketMillis = 0;
                for (Sensor sensor : sensors) {
                    lastPacketMillis = Math.max(lastPacketMillis, sensor.stop());
                }
                tick(in, lastPacketMillis);
                List<String> expected = expected(files, sources);
                until = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
                while (got.size() < expected.size() && System.nanoTime() < until) {
                    poll(consumer, got);
                }
                System.out.printf("aggregate: %d flow records expected, %d before the kill, %d after; all %.1f s after the kill%n",
                        expected.size(), beforeKill, got.size(), (System.nanoTime() - killed) / 1e9);
                poll(consumer, got);                                     // a duplicate would come now
                assertTrue(second.isAlive(), "the second instance runs on");
                assertEquals(sorted(expected), sorted(got));
                assertTrue(expected.size() > 50, expected.size() + " flow records");
            }
        } finally {
            for (Sensor sensor : sensors) {
                sensor.close();
            }
            first.destroyForcibly();
            second.destroy();
            if (!second.waitFor(10, TimeUnit.SECONDS)) {
                second.destroyForcibly();
            }
        }
    }

    @Test
    void anInstanceStartedBeforeItsPacketsTopicWaitsForIt(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("late.log");
        String topic = "late-packets";
        Process p = new ProcessBuilder(List.of(ProcessHandle.current().info().command().orElse("java"), "-Xmx256m",
                "-cp", System.getProperty("java.class.path"), NetringCommand.class.getName(), "aggregate",
                "--bootstrap", broker.bootstrap(), "--in", topic, "--flows", "f-late", "--top", "t-late",
                "--application-id", "aggregate-late-topic", "--timeout", "60s"))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            String waiting = "aggregate: waiting for topic " + topic + " on " + broker.bootstrap();
            Waits.until(() -> text(log).contains(waiting), Duration.ofSeconds(30),
                    "the waiting line");
            assertTrue(p.isAlive(), java.nio.file.Files.readString(log));
            Properties admin = new Properties();
            admin.put("bootstrap.servers", broker.bootstrap());
            try (Admin a = Admin.create(admin)) {
                a.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
            }
            String started = "aggregate: " + topic + " on " + broker.bootstrap() + " -> flows f-late";
            Waits.until(() -> text(log).contains(started), Duration.ofSeconds(30),
                    "the instance starting once the topic exists");
            Thread.sleep(2000);
            assertTrue(p.isAlive(), "the instance runs on: " + java.nio.file.Files.readString(log));
            p.destroy();                                           // SIGTERM: a clean stop
            assertTrue(p.waitFor(40, TimeUnit.SECONDS), "aggregate did not stop on SIGTERM");
            String out = java.nio.file.Files.readString(log);
            assertEquals(0, p.exitValue(), out);
            assertEquals(1, out.lines().filter(l -> l.startsWith("aggregate: waiting")).count(), out);
            assertTrue(out.strip().endsWith("aggregate: stopped"), out);
        } finally {
            p.destroyForcibly();
        }
    }

    /** A child's log so far; empty until it has written one. */
    private static String text(Path log) {
        try {
            return java.nio.file.Files.readString(log);
        } catch (java.io.IOException e) {
            return "";
        }
    }

    /** {@code netring flows -r} over each sensor's file, each line with its source in front; "end" of file reads as idle. */
    private static List<String> expected(Path[] files, String[] sources) {
        List<String> expected = new ArrayList<>();
        for (int s = 0; s < files.length; s++) {
            List<String> args = new ArrayList<>(List.of("flows", "-r", files[s].toString()));
            args.addAll(List.of(ARGS));
            StringWriter out = new StringWriter(), err = new StringWriter();
            assertEquals(0, NetringCommand.run(args.toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(err, true)),
                    err.toString());
            for (String line : out.toString().lines().toList()) {
                expected.add("{\"source\":\"" + sources[s] + "\"," + line.substring(1).replace("\"endReason\":\"end\"", "\"endReason\":\"idle\""));
            }
        }
        return expected;
    }

    /**
     * One sensor: a veth pair in a namespace of its own, a capture on one end that writes every
     * packet to a pcapng file and publishes it under its source name, and a sender on the other.
     */
    private static final class Sensor implements AutoCloseable {
        private final NetNamespace ns;
        private final KafkaPacketPublisher publisher;
        private final AtomicInteger captured = new AtomicInteger();
        private final AtomicLong lastMillis = new AtomicLong();
        private final AtomicBoolean stop = new AtomicBoolean();
        private final AtomicReference<Throwable> failure = new AtomicReference<>();
        private final Thread reader;
        private int sent;

        Sensor(String source, Path file, String topic) throws Exception {
            ns = NetNamespace.create();
            String[] hostIf = source.split("/");
            publisher = KafkaPacketPublisher.builder().bootstrapServers(broker.bootstrap()).topic(topic)
                    .source(hostIf[0], hostIf[1]).maxPacketsPerRecord(8).build();
            Capture capture = ns.call(() -> Capture.builder().interfaceName(ns.b).blockSize(1 << 20).blockCount(8)
                    .blockTimeout(Duration.ofMillis(10)).build());
            PcapWriter writer = PcapWriter.open(file, PcapFormat.PCAPNG);
            reader = Thread.ofPlatform().name("sensor-" + source).start(() -> {
                try (capture; writer) {
                    while (!stop.get()) {
                        try (PacketBatch b = capture.unwrap().nextBatchBlocking(Duration.ofMillis(50))) {
                            if (b == null) {
                                publisher.tick();
                                continue;
                            }
                            for (Packet p : b) {
                                writer.write(p);
                                publisher.publish(p);
                                lastMillis.set(p.timestamp().seconds() * 1000 + p.timestamp().nanos() / 1_000_000);
                                captured.incrementAndGet();
                            }
                        }
                    }
                    assertEquals(0, capture.stats().drops(), "kernel drops: " + capture.stats());
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                }
            });
        }

        /** Sends the frames from {@code from} to {@code to} (fractions of the list) and waits until all are captured. */
        void send(List<OwnedPacket> traffic, double from, double to) throws Exception {
            List<OwnedPacket> part = traffic.subList((int) Math.round(traffic.size() * from), (int) Math.round(traffic.size() * to));
            ns.run(() -> {
                try (FrameSender tx = new FrameSender(ns.a)) {
                    for (OwnedPacket p : part) {
                        tx.send(p.data());
                    }
                }
            });
            sent += part.size();
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (captured.get() < sent && failure.get() == null && System.nanoTime() < until) {
                Thread.sleep(10);
            }
            assertEquals(sent, captured.get(), "frames captured in " + ns);
            publisher.flush();
        }

        /** Stops the capture; every packet delivered; returns the last packet's time in milliseconds. */
        long stop() throws Exception {
            stop.set(true);
            reader.join(Duration.ofSeconds(30));
            if (failure.get() != null) {
                throw new AssertionError("sensor " + publisher.source(), failure.get());
            }
            publisher.close();
            assertEquals(0, publisher.stats().undelivered(), publisher.stats().toString());
            assertEquals(sent, publisher.stats().packets(), publisher.stats().toString());
            return lastMillis.get();
        }

        @Override
        public void close() throws Exception {
            stop.set(true);
            reader.join(Duration.ofSeconds(30));
            publisher.close();
            ns.close();
        }
    }

    /** Source names (host/eth0) whose records the producer's partitioner puts on distinct partitions of {@code n}. */
    private static String[] sourcesOnDistinctPartitions(int n) {
        String[] out = new String[n];
        Set<Integer> used = new HashSet<>();
        for (int i = 0, found = 0; found < n; i++) {
            String s = "sensor" + i + "/eth0";
            int partition = Utils.toPositive(Utils.murmur2(s.getBytes(StandardCharsets.UTF_8))) % n;
            if (used.add(partition)) {
                out[found++] = s;
            }
        }
        return out;
    }

    /**
     * A record with no packets a minute past the last packet on every partition (the broker
     * refuses times much later than its clock): stream time moves on, open flows end idle.
     */
    private static void tick(String topic, long lastPacketMillis) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream v = new DataOutputStream(bytes);
        byte[] src = "tick/none".getBytes(StandardCharsets.UTF_8);
        v.writeInt(0x4E524B31);
        v.writeShort(1);
        v.writeShort(src.length);
        v.write(src);
        v.writeLong(0);
        v.writeInt(0);
        Properties p = new Properties();
        p.put("bootstrap.servers", broker.bootstrap());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int partition = 0; partition < 3; partition++) {
                for (long s : new long[] {60, 62}) {
                    producer.send(new ProducerRecord<>(topic, partition, lastPacketMillis + s * 1000, src, bytes.toByteArray()))
                            .get(30, TimeUnit.SECONDS);
                }
            }
        }
    }

    private static Process aggregate(String in, String flows, String top, Path log) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                NetringCommand.class.getName(), "aggregate", "--bootstrap", broker.bootstrap(), "--in", in, "--flows", flows,
                "--top", top, "--window", "10s", "--grace", GRACE.toSeconds() + "s", "--application-id", APP,
                "--config", "session.timeout.ms=6000", "--config", "heartbeat.interval.ms=1000",
                "--config", "transaction.timeout.ms=5000"));
        cmd.addAll(List.of(ARGS));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** Waits until both instances are in the group, each with a partition of {@code topic}. */
    private static void waitForTwoMembersSharing(String topic) throws Exception {
        Properties p = new Properties();
        p.put("bootstrap.servers", broker.bootstrap());
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        try (Admin a = Admin.create(p)) {
            while (System.nanoTime() < until) {
                ConsumerGroupDescription g;
                try {
                    g = a.describeConsumerGroups(List.of(APP)).all().get(30, TimeUnit.SECONDS).get(APP);
                } catch (java.util.concurrent.ExecutionException notYet) {
                    Thread.sleep(200);                       // the group exists once the first instance joins
                    continue;
                }
                long withWork = g.members().stream().map(MemberDescription::assignment)
                        .filter(m -> m.topicPartitions().stream().anyMatch(tp -> tp.topic().equals(topic))).count();
                if (withWork == 2) {
                    return;
                }
                Thread.sleep(200);
            }
        }
        throw new AssertionError("two aggregate instances did not share " + topic + " within 60 s");
    }

    private static KafkaConsumer<String, String> consumer(String topic) {
        Properties p = new Properties();
        p.put("bootstrap.servers", broker.bootstrap());
        p.put("isolation.level", "read_committed");       // what the killed instance had not committed never counts
        KafkaConsumer<String, String> c = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer());
        TopicPartition tp = new TopicPartition(topic, 0);
        c.assign(List.of(tp));
        c.seekToBeginning(List.of(tp));
        return c;
    }

    private static void poll(KafkaConsumer<String, String> c, List<String> into) {
        for (ConsumerRecord<String, String> r : c.poll(Duration.ofSeconds(2))) {
            into.add(r.value());
        }
    }

    private static List<String> sorted(List<String> l) {
        return l.stream().sorted().toList();
    }
}
