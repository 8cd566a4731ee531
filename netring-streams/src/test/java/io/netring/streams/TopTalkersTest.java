package io.netring.streams;

import io.netring.testing.UdpFrames;
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

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link TopTalkers} with {@link TopologyTestDriver}: windows by each packet's own time, packets
 * reordered inside one record, a packet too late for its window, two sources into one count,
 * a record that is not a packet record.
 */
class TopTalkersTest {
    private static final long SECOND = 1_000_000_000L;
    private TopologyTestDriver driver;
    private TestInputTopic<byte[], byte[]> packets;
    private TestOutputTopic<String, String> top;

    /** The driver's state folder: a test's own, not the shared /tmp/kafka-streams another user may own. */
    @TempDir
    Path stateDir;

    @BeforeEach
    void start() {
        Properties config = TopTalkers.config("top-talkers-test", "unused:9092");
        config.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        driver = new TopologyTestDriver(TopTalkers.topology("packets", "top-talkers", Duration.ofMinutes(1), Duration.ofSeconds(10)), config);
        packets = driver.createInputTopic("packets", new ByteArraySerializer(), new ByteArraySerializer());
        top = driver.createOutputTopic("top-talkers", new StringDeserializer(), new StringDeserializer());
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    /** A packet record of {@code source} holding UDP frames 10.0.0.1 → 10.0.0.2 of {@code size} bytes at the given seconds. */
    static byte[] record(String source, int size, long... seconds) throws IOException {
        long[] nanos = new long[seconds.length];
        byte[][] frames = new byte[seconds.length][];
        for (int i = 0; i < seconds.length; i++) {
            nanos[i] = seconds[i] * SECOND;
            frames[i] = UdpFrames.frame(40000, 53, (int) seconds[i], size);
        }
        return PacketRecordBytes.of(source, nanos, frames);
    }

    private void send(byte[] record, long recordSeconds) {
        packets.pipeInput("sensor".getBytes(StandardCharsets.UTF_8), record, Instant.ofEpochSecond(recordSeconds));
    }

    private static long field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":(\\d+)").matcher(json);
        assertTrue(m.find(), name + " in " + json);
        return Long.parseLong(m.group(1));
    }

    @Test
    void eachAddressCountsItsPacketsAndBytesPerWindowByPacketTime() throws Exception {
        send(record("h1/eth0", 100, 0, 10, 59), 0);
        send(record("h2/eth0", 200, 60, 61), 60);          // another sensor, the next window
        Map<String, String> latest = top.readKeyValuesToMap();
        String w0 = "10.0.0.1@0";
        String w1 = "10.0.0.1@60000";
        assertEquals(3, field(latest.get(w0), "packets"));
        assertEquals(300, field(latest.get(w0), "bytes"));
        assertEquals(2, field(latest.get(w1), "packets"));
        assertEquals(400, field(latest.get(w1), "bytes"));
        assertEquals(3, field(latest.get("10.0.0.2@0"), "packets"), "the destination counts too");
        assertTrue(latest.get(w0).startsWith("{\"address\":\"10.0.0.1\",\"windowStart\":0,\"windowEnd\":60000,"), latest.get(w0));
    }

    @Test
    void aPacketAnAddressSendsToItselfCountsOnceForIt() throws Exception {
        byte[] self = io.netring.testing.FrameBuilder.ipv4Addr(127, 0, 0, 1);
        byte[] frame = io.netring.testing.FrameBuilder.ethernet(2, 1, 0x0800, io.netring.testing.FrameBuilder.ipv4(self, self,
                17, 64, 1, 0, new byte[0], io.netring.testing.FrameBuilder.udp(40000, 53, new byte[20])));
        send(PacketRecordBytes.of("h1/lo", new long[] {SECOND, 2 * SECOND}, frame, frame), 1);
        Map<String, String> latest = top.readKeyValuesToMap();
        assertEquals(1, latest.size(), latest.toString());
        assertEquals(2, field(latest.get("127.0.0.1@0"), "packets"));
        assertEquals(2L * frame.length, field(latest.get("127.0.0.1@0"), "bytes"));
    }

    @Test
    void packetsReorderedInsideARecordLandInTheirOwnWindows() throws Exception {
        send(record("h1/eth0", 100, 61, 30, 62, 5), 61);    // the record's time is its first packet's
        Map<String, String> latest = top.readKeyValuesToMap();
        assertEquals(2, field(latest.get("10.0.0.1@0"), "packets"));
        assertEquals(2, field(latest.get("10.0.0.1@60000"), "packets"));
    }

    @Test
    void aPacketLaterThanItsWindowsGraceIsNotCounted() throws Exception {
        send(record("h1/eth0", 100, 10), 10);
        send(record("h1/eth0", 100, 75), 75);               // stream time 75 s: window 0 closed at 60 + 10 s grace
        send(record("h1/eth0", 100, 20), 20);               // too late
        send(record("h1/eth0", 100, 65), 65);               // late, but its window is open
        Map<String, String> latest = top.readKeyValuesToMap();
        assertEquals(1, field(latest.get("10.0.0.1@0"), "packets"));
        assertEquals(2, field(latest.get("10.0.0.1@60000"), "packets"));
    }

    @Test
    void aRecordThatIsNoPacketRecordCountsNothing() throws Exception {
        packets.pipeInput("x".getBytes(StandardCharsets.UTF_8), "not a record".getBytes(StandardCharsets.UTF_8), Instant.EPOCH);
        byte[] cut = record("h1/eth0", 100, 1, 2);
        byte[] shortened = java.util.Arrays.copyOf(cut, cut.length - 10);   // the second packet runs past the end
        send(shortened, 1);
        Map<String, String> latest = top.readKeyValuesToMap();
        assertEquals(1, field(latest.get("10.0.0.1@0"), "packets"), "the whole first packet counts");
        assertFalse(latest.containsKey("x"));
    }

    @Test
    void badArgumentsAreRefusedNamingThem() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TopTalkers.topology("a", "b", Duration.ZERO, Duration.ZERO));
        assertEquals("window=PT0S: must be positive", e.getMessage());
        assertEquals("not a packet record: magic 0x6e6f7420, expected 0x4e524b31 (NRK1)", assertThrows(IllegalArgumentException.class,
                () -> PacketRecords.forEach("not a record".getBytes(StandardCharsets.UTF_8), (t, o, b, off, c) -> { })).getMessage());
    }
}
