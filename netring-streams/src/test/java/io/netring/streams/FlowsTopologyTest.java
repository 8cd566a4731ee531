package io.netring.streams;

import io.netring.flow.FlowExtractor;
import io.netring.flow.FlowTable;
import io.netring.testing.FrameBuilder;
import io.netring.testing.TcpConversation;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Flow records of {@link Aggregation} with {@link TopologyTestDriver}: idle and active timeouts by
 * packet time, a quiet source's flows ended by stream time, the same flow from two sensors,
 * packets reordered inside a record, a late record, and every record equal to what a
 * {@link FlowTable} fed the source's packets (as {@code netring flows -r}) gives.
 */
class FlowsTopologyTest {
    private static final long SECOND = 1_000_000_000L;
    private static final Aggregation.Settings SETTINGS = new Aggregation.Settings(Duration.ofMinutes(1), Duration.ofSeconds(2),
            Duration.ofSeconds(5), Duration.ofSeconds(30), 1000);
    private TopologyTestDriver driver;
    private TestInputTopic<byte[], byte[]> packets;
    private TestOutputTopic<String, String> flows;

    /** The driver's state folder: a test's own, not the shared /tmp/kafka-streams another user may own. */
    @TempDir
    Path stateDir;

    @BeforeEach
    void start() {
        Properties config = Aggregation.config("flows-test", "unused:9092");
        config.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        driver = new TopologyTestDriver(Aggregation.topology("packets", "flows", "top", SETTINGS), config);
        packets = driver.createInputTopic("packets", new ByteArraySerializer(), new ByteArraySerializer());
        flows = driver.createOutputTopic("flows", new StringDeserializer(), new StringDeserializer());
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    private static byte[] udp(int client, int sport, boolean reply) {
        byte[] a = FrameBuilder.ipv4Addr(10, 0, 0, client), b = FrameBuilder.ipv4Addr(10, 0, 9, 9);
        return FrameBuilder.ethernet(2, 1, 0x0800, FrameBuilder.ipv4(reply ? b : a, reply ? a : b, 17, 64, 1, 0, new byte[0],
                FrameBuilder.udp(reply ? 7000 : sport, reply ? sport : 7000, new byte[12])));
    }

    private void send(String source, long[] nanos, byte[]... frames) {
        packets.pipeInput(source.getBytes(StandardCharsets.UTF_8), PacketRecordBytes.of(source, nanos, frames),
                Instant.ofEpochMilli(nanos[0] / 1_000_000));
    }

    private static long[] seconds(double... s) {
        long[] n = new long[s.length];
        for (int i = 0; i < s.length; i++) {
            n[i] = (long) (s[i] * SECOND);
        }
        return n;
    }

    /** What a FlowTable with the same timeouts emits for these packets, flushed, as {@code source}'s JSON. */
    private static List<String> reference(String source, long[] nanos, byte[]... frames) {
        List<String> out = new ArrayList<>();
        FlowTable t = FlowTable.builder().maxFlows(SETTINGS.maxFlows()).idleTimeout(SETTINGS.idleTimeout())
                .activeTimeout(SETTINGS.activeTimeout()).onRecord(r -> out.add(new SourcedFlowRecord(source, r).toJson())).build();
        FlowExtractor ex = new FlowExtractor();
        for (int i = 0; i < frames.length; i++) {
            if (ex.extract(MemorySegment.ofArray(frames[i]), 0, frames[i].length, frames[i].length, nanos[i], 0)) {
                t.add(ex.fields());
            }
        }
        t.flush();
        return out;
    }

    /** Moves stream time far ahead with a record of no packets, so every open flow ends idle. */
    private void tick(long second) {
        send("tick/none", new long[] {second * SECOND});
        send("tick/none", new long[] {(second + 1) * SECOND});
    }

    private List<String> output() {
        return flows.readValuesToList();
    }

    @Test
    void aQuietSourcesFlowEndsIdleOnceStreamTimeLessGracePassesItsTimeout() {
        send("h1/eth0", seconds(100, 101), udp(1, 5000, false), udp(1, 5000, true));
        send("h2/eth0", seconds(107.5), udp(2, 5000, false));
        assertEquals(List.of(), output(), "stream time 107.5 s less 2 s grace is not 5 s past 101 s");
        send("h2/eth0", seconds(108.5), udp(2, 5000, false));
        List<String> out = output();
        assertEquals(1, out.size(), out.toString());
        assertTrue(out.get(0).startsWith("{\"source\":\"h1/eth0\",\"proto\":17,\"src\":\"10.0.0.1\",\"srcPort\":5000,"
                + "\"dst\":\"10.0.9.9\",\"dstPort\":7000,\"packets\":1,\"bytes\":54,\"reversePackets\":1,\"reverseBytes\":54,"), out.get(0));
        assertTrue(out.get(0).contains("\"endReason\":\"idle\""), out.get(0));
    }

    @Test
    void theSameFlowFromTwoSensorsIsTwoRecordsNamingTheirSources() {
        byte[] q = udp(1, 5000, false), r = udp(1, 5000, true);
        send("h1/eth0", seconds(10, 11), q, r);
        send("h2/eth0", seconds(10, 11), q, r);
        tick(100);
        List<String> out = output();
        assertEquals(List.of(idle(reference("h1/eth0", seconds(10, 11), q, r)), idle(reference("h2/eth0", seconds(10, 11), q, r))),
                List.of(List.of(out.get(0)), List.of(out.get(1))));
    }

    @Test
    void activeAndIdleTimeoutsAndFinFollowTheFlowTable() {
        List<byte[]> frames = new ArrayList<>();
        List<Double> times = new ArrayList<>();
        for (int i = 0; i < 40; i++) {                  // one packet a second: split by the 30 s active timeout
            frames.add(udp(3, 6000, i % 2 == 1));
            times.add(200.0 + i);
        }
        frames.add(udp(4, 6001, false));                 // a gap of 8 s: idle
        times.add(240.0);
        frames.add(udp(4, 6001, false));
        times.add(248.0);
        List<byte[]> tcp = TcpConversation.between(FrameBuilder.ipv4Addr(10, 0, 0, 5), 40000, FrameBuilder.ipv4Addr(10, 0, 9, 9), 80, 0, 1000, 5000)
                .handshake().data(true, 0, new byte[20]).close().frames();
        for (int i = 0; i < tcp.size(); i++) {
            frames.add(tcp.get(i));
            times.add(249.0 + i * 0.01);
        }
        byte[][] f = frames.toArray(byte[][]::new);
        long[] t = seconds(times.stream().mapToDouble(Double::doubleValue).toArray());
        for (int i = 0; i < f.length; i += 7) {         // records of up to 7 packets
            int n = Math.min(7, f.length - i);
            send("h1/eth0", java.util.Arrays.copyOfRange(t, i, i + n), java.util.Arrays.copyOfRange(f, i, i + n));
        }
        tick(1000);
        List<String> expected = idle(reference("h1/eth0", t, f));
        List<String> out = output();
        assertEquals(sorted(expected), sorted(out));
        assertTrue(String.join("\n", out).contains("\"endReason\":\"active\""), out.toString());
        assertTrue(String.join("\n", out).contains("\"endReason\":\"fin\""), out.toString());
        assertEquals(5, out.size(), out.toString());
    }

    @Test
    void packetsReorderedInsideARecordCountAsTheFlowTableCountsThem() {
        byte[] q = udp(6, 5000, false), r = udp(6, 5000, true);
        long[] t = seconds(50, 49.5, 51, 50.2);
        send("h1/eth0", t, q, r, q, r);
        tick(500);
        assertEquals(idle(reference("h1/eth0", t, q, r, q, r)), output());
    }

    /**
     * A source more than the grace behind stream time: its flow was ended by stream time, so
     * its late packet starts a new record, where a read of that source alone would have one flow.
     * Within the grace, nothing is split.
     */
    @Test
    void aLateRecordWithinTheGraceJoinsItsFlowBeyondItStartsANewOne() {
        byte[] q = udp(7, 5000, false);
        send("h1/eth0", seconds(10), q);
        send("h2/eth0", seconds(16.5), udp(8, 5000, false));  // horizon 14.5: 4.5 s idle, not yet
        send("h1/eth0", seconds(14), q);                       // late by 2.5 s, flow still open
        send("h2/eth0", seconds(25), udp(8, 5000, false));     // horizon 23: h1's flow (last 14) ends idle
        send("h1/eth0", seconds(17), q);                       // 8 s late: a new flow
        tick(500);
        List<String> h1 = output().stream().filter(s -> s.startsWith("{\"source\":\"h1/eth0\"")).toList();
        assertEquals(2, h1.size(), h1.toString());
        assertTrue(h1.get(0).contains("\"packets\":2,") && h1.get(0).contains("\"endReason\":\"idle\""), h1.get(0));
        assertTrue(h1.get(1).contains("\"packets\":1,"), h1.get(1));
    }

    @Test
    void recordsThatAreNotPacketRecordsAreSkipped() {
        packets.pipeInput("x".getBytes(StandardCharsets.UTF_8), "not a record".getBytes(StandardCharsets.UTF_8), Instant.EPOCH);
        byte[] cut = PacketRecordBytes.of("h1/eth0", seconds(1, 2), udp(1, 1, false), udp(1, 1, false));
        send("h1/eth0", seconds(1), udp(9, 5000, false));
        packets.pipeInput("h1/eth0".getBytes(StandardCharsets.UTF_8), java.util.Arrays.copyOf(cut, cut.length - 5), Instant.ofEpochSecond(2));
        tick(500);
        List<String> out = output();
        assertEquals(2, out.size(), out.toString());
    }

    /** A flushed reference ends open flows "end"; the stream ends them by time: "idle". */
    private static List<String> idle(List<String> records) {
        return records.stream().map(s -> s.replace("\"endReason\":\"end\"", "\"endReason\":\"idle\"")).toList();
    }

    private static List<String> sorted(List<String> l) {
        return l.stream().sorted().toList();
    }
}
