package io.netring.kafka;

import io.netring.Capture;
import io.netring.CaptureStats;
import io.netring.NetringException;
import io.netring.Packet;
import io.netring.PacketBatch;
import io.netring.internal.linux.NetworkNamespace;
import io.netring.testing.FrameSender;
import io.netring.testing.NetNamespace;
import io.netring.testing.Privileged;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import io.netring.pcap.PcapFormat;
import io.netring.pcap.PcapInterface;
import io.netring.pcap.PcapReader;
import io.netring.pcap.PcapWriter;
import io.netring.pcap.PcapWriterBuilder;
import java.nio.file.Path;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Scale-out: three captures, each inside its own network namespace (opened with
 * {@code netns}, the process staying home), publish to one topic of a local broker; one reader
 * writes everything to one pcapng with one interface per source. Nothing may be lost: no kernel
 * drops, publish sequences without gaps, and in the file every source's frame sequence complete.
 */
@Privileged
@Timeout(360)
class ScaleOutTest {
    private static final int SOURCES = 3;
    private static final int FRAMES = 2000;
    private final List<String> namespaces = new ArrayList<>();

    @AfterEach
    void removeNamespaces() throws IOException {
        for (String n : namespaces) {
            NetNamespace.run("ip", "netns", "del", n);
        }
    }

    private String namespace(int i) throws IOException {
        String name = "nrk" + i + "-" + ProcessHandle.current().pid() + "-" + Integer.toHexString(ThreadLocalRandom.current().nextInt(1 << 16));
        NetNamespace.run("ip", "netns", "add", name);
        namespaces.add(name);
        NetNamespace.run("ip", "netns", "exec", name, "sysctl", "-q", "-w", "net.ipv6.conf.all.disable_ipv6=1");
        NetNamespace.run("ip", "netns", "exec", name, "sysctl", "-q", "-w", "net.ipv6.conf.default.disable_ipv6=1");
        NetNamespace.run("ip", "-n", name, "link", "add", "capA", "type", "veth", "peer", "name", "capB");
        NetNamespace.run("ip", "-n", name, "link", "set", "capA", "up");
        NetNamespace.run("ip", "-n", name, "link", "set", "capB", "up");
        return name;
    }

    @Test
    void threeNamespacesIntoOneTopicNothingLost(@TempDir Path dir) throws Exception {
        assumeTrue(!"1".equals(System.getenv("NETRING_IN_USERNS")), "named namespaces need root (ip netns add)");
        String topic = "scaleout";
        try (LocalBroker broker = LocalBroker.start(null)) {
            List<Thread> captures = new ArrayList<>();
            Map<String, CaptureStats> stats = new HashMap<>();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            List<Capture> opened = new ArrayList<>();
            List<String> names = new ArrayList<>();
            for (int i = 0; i < SOURCES; i++) {
                String ns = namespace(i);
                names.add(ns);
                opened.add(Capture.builder().interfaceName("capB").netns(ns).blockSize(1 << 20).blockCount(8)
                        .blockTimeout(Duration.ofMillis(10)).build());
            }
            List<java.util.concurrent.atomic.AtomicInteger> captured = new ArrayList<>();
            for (int i = 0; i < SOURCES; i++) {
                captured.add(new java.util.concurrent.atomic.AtomicInteger());
            }
            for (int i = 0; i < SOURCES; i++) {
                int index = i;
                Capture cap = opened.get(i);
                String source = names.get(i) + "/capB";
                captures.add(Thread.ofPlatform().name("capture-" + i).start(() -> {
                    try (cap; KafkaPacketPublisher pub = KafkaPacketPublisher.builder().bootstrapServers(broker.bootstrap())
                            .topic(topic).source(source.substring(0, source.indexOf('/')), "capB").maxPacketsPerRecord(200).build()) {
                        java.util.concurrent.atomic.AtomicInteger seen = captured.get(index);
                        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                        while (seen.get() < FRAMES && System.nanoTime() < deadline) {
                            try (PacketBatch b = cap.unwrap().nextBatchBlocking(Duration.ofMillis(100))) {
                                if (b == null) {
                                    pub.tick();
                                    continue;
                                }
                                b.dispatch(v -> {
                                    if ((v.shortAt(12) & 0xFFFF) == FrameSender.ETHERTYPE) {
                                        pub.publish(v);
                                        seen.incrementAndGet();
                                    }
                                });
                            }
                        }
                        // The producer's own verdict on a batch can take its delivery.timeout.ms (120 s by
                        // default) on a starved machine; wait past it rather than guess sooner.
                        assertTrue(pub.drain(Duration.ofSeconds(150)), "delivered: " + pub.stats());
                        synchronized (stats) {
                            stats.put(pub.source(), cap.stats());
                        }
                        assertEquals(new PublishStats(FRAMES, FRAMES, 0, 0, pub.stats().records()), pub.stats());
                    } catch (Throwable t) {
                        failure.compareAndSet(null, t);
                    }
                }));
            }
            for (int i = 0; i < SOURCES; i++) {
                var seen = captured.get(i);
                NetworkNamespace.open(names.get(i), () -> {
                    try (FrameSender tx = new FrameSender("capA")) {
                        // 100 frames, then wait for the capture to have them: a burst larger than the
                        // kernel's per-CPU backlog (netdev_max_backlog) would be dropped before any socket
                        for (int k = 0; k < FRAMES; k += 100) {
                            tx.sendSequence(k, 100, 60 + k % 200);
                            long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                            while (seen.get() < k + 100 && System.nanoTime() < until) {
                                Thread.onSpinWait();
                                Thread.yield();
                            }
                        }
                    } catch (IOException e) {
                        throw new NetringException(e.getMessage(), "send", 0);
                    }
                    return null;
                });
            }
            for (Thread t : captures) {
                t.join(Duration.ofSeconds(200));
            }
            assertNull(failure.get(), () -> String.valueOf(failure.get()));
            for (CaptureStats s : stats.values()) {
                assertEquals(0, s.drops(), "kernel drops: " + s);
            }

            KafkaTarget target = KafkaTarget.parse("kafka://" + broker.bootstrap() + "/" + topic);
            List<String> sources = KafkaPacketReader.sources(target, Duration.ofSeconds(60));
            assertEquals(SOURCES, sources.size(), sources.toString());
            Path pcapng = dir.resolve("all.pcapng");
            PcapWriterBuilder wb = PcapWriter.builder(pcapng).format(PcapFormat.PCAPNG);
            sources.forEach(src -> wb.addInterface(PcapInterface.ethernet(src)));
            Map<String, Long> nextSequence = new HashMap<>();
            try (PcapWriter out = wb.build(); KafkaPacketReader in = KafkaPacketReader.open(target)) {
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (!in.atEnd() && System.nanoTime() < deadline) {
                    try (PacketBatch b = in.nextBatchBlocking(Duration.ofMillis(500))) {
                        if (b == null) {
                            continue;
                        }
                        long expected = nextSequence.getOrDefault(in.source(), 0L);
                        assertEquals(expected, in.firstSequence(), "publish sequence of " + in.source());
                        nextSequence.put(in.source(), expected + b.size());
                        int id = sources.indexOf(in.source());
                        b.dispatch(v -> {
                            try {
                                out.write(v, id);
                            } catch (IOException e) {
                                throw new java.io.UncheckedIOException(e);
                            }
                        });
                    }
                }
            }

            // read the file back: every source an interface, each with its complete frame sequence
            Map<String, BitSet> frames = new HashMap<>();
            try (PcapReader file = PcapReader.open(pcapng)) {
                while (!file.atEnd()) {
                    try (PacketBatch b = file.nextBatch()) {
                        if (b == null) {
                            break;
                        }
                        for (Packet p : b) {
                            String src = file.interfaceName(p.interfaceIndex());
                            int seq = FrameSender.sequenceOf(p.toOwned().data());
                            BitSet seen = frames.computeIfAbsent(src, k -> new BitSet());
                            assertFalse(seen.get(seq), "frame " + seq + " of " + src + " twice");
                            seen.set(seq);
                        }
                    }
                }
            }
            assertEquals(SOURCES, frames.size(), frames.keySet().toString());
            for (Map.Entry<String, BitSet> e : frames.entrySet()) {
                assertEquals(FRAMES, e.getValue().cardinality(), "frames of " + e.getKey());
                assertEquals(FRAMES, e.getValue().nextClearBit(0), "sequence complete for " + e.getKey());
            }
        }
    }
}
