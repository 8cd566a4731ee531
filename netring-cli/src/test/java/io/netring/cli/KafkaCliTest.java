package io.netring.cli;

import io.netring.testing.ExternalTool;
import io.netring.testing.NeedsTools;
import io.netring.kafka.KafkaPacketPublisher;
import io.netring.kafka.SharedBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Timeout;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The command's Kafka paths against the real broker on a free localhost port. */
@Timeout(180)
class KafkaCliTest {
    @RegisterExtension
    static final SharedBroker broker = new SharedBroker();

    record Result(int code, String out, String err) {}

    static Result run(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = NetringCommand.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(code, out.toString(), err.toString());
    }

    /** An Ethernet/IPv4/UDP frame of {@code payload} bytes from 10.0.0.1:{@code sport} to 10.0.0.2:53 or back. */
    static byte[] udp(boolean reply, int sport, int payload) {
        ByteBuffer b = ByteBuffer.allocate(42 + payload);
        b.put(new byte[12]).putShort((short) 0x0800);
        b.put((byte) 0x45).put((byte) 0).putShort((short) (28 + payload)).putInt(0).put((byte) 64).put((byte) 17).putShort((short) 0);
        int client = 0x0A000001, server = 0x0A000002;
        b.putInt(reply ? server : client).putInt(reply ? client : server);
        b.putShort((short) (reply ? 53 : sport)).putShort((short) (reply ? sport : 53)).putShort((short) (8 + payload)).putShort((short) 0);
        return b.array();
    }

    @Test
    @NeedsTools(ExternalTool.TSHARK)
    void captureFileToKafkaAndBackIntoPcapngWithTheSourceAsInterface(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path in = dir.resolve("in.pcap"), out = dir.resolve("out.pcapng");
        try (var w = io.netring.pcap.PcapWriter.open(in, io.netring.pcap.PcapFormat.PCAP)) {
            for (int i = 0; i < 40; i++) {
                byte[] f = udp(i % 2 == 1, 41000, 10 + i);
                w.write(new io.netring.OwnedPacket(f, new io.netring.Timestamp(1_767_225_600L + i, i), f.length));
            }
        }
        String topic = "kafka://" + broker.bootstrap() + "/cli-capture";
        Result pub = run("capture", "-r", in.toString(), "-w", topic);
        assertEquals(0, pub.code(), pub.err());
        assertTrue(pub.err().contains("kafka: 40 packets, 40 delivered, 0 undelivered, 0 pending"), pub.err());
        Result back = run("capture", "-r", topic, "-w", out.toString());
        assertEquals(0, back.code(), back.err());
        Process p = new ProcessBuilder("tshark", "-n", "-r", out.toString(), "-T", "fields", "-e", "frame.interface_name", "-e", "frame.len")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        List<String> rows = new String(p.getInputStream().readAllBytes()).lines().toList();
        assertTrue(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS));
        assertEquals(40, rows.size(), rows.toString());
        String host = java.net.InetAddress.getLocalHost().getHostName();
        for (int i = 0; i < 40; i++) {
            assertEquals(host + "/file\t" + (52 + i), rows.get(i));
        }
        Result lines = run("capture", "-r", topic, "-c", "3");
        assertEquals(0, lines.code(), lines.err());
        assertEquals(3, lines.out().lines().count(), lines.out());
        Result flows = run("flows", "-r", in.toString());
        assertEquals(0, flows.code(), flows.err());
        assertTrue(flows.out().startsWith("{\"proto\":17,\"src\":\"10.0.0.1\",\"srcPort\":41000,\"dst\":\"10.0.0.2\",\"dstPort\":53,\"packets\":20,"), flows.out());
    }

    @Test
    @io.netring.testing.Privileged
    void captureOnLoLeavesOutItsOwnKafkaTraffic() throws Exception {
        String port = broker.bootstrap().substring(broker.bootstrap().lastIndexOf(':') + 1);
        String topic = "kafka://" + broker.bootstrap() + "/cli-lo";
        var result = new java.util.concurrent.atomic.AtomicReference<Result>();
        // the user's expression even asks for the broker's port: the publisher's own connection stays out
        Thread cli = Thread.ofPlatform().start(() -> result.set(run("capture", "-i", "lo", "-w", topic, "--timeout", "4s",
                "udp port 9 or tcp port " + port)));
        try (java.net.DatagramSocket udp = new java.net.DatagramSocket()) {
            byte[] hello = "netring own traffic".getBytes(java.nio.charset.StandardCharsets.UTF_8);
            while (cli.isAlive()) {
                udp.send(new java.net.DatagramPacket(hello, hello.length, java.net.InetAddress.getLoopbackAddress(), 9));
                Thread.sleep(50);
            }
        }
        cli.join();
        assertEquals(0, result.get().code(), result.get().err());
        Result back = run("capture", "-r", topic, "-n");
        assertEquals(0, back.code(), back.err());
        List<String> lines = back.out().lines().toList();
        assertTrue(lines.stream().anyMatch(l -> l.contains(".9: UDP")), back.out());
        assertTrue(lines.stream().noneMatch(l -> l.contains("." + port + " ") || l.contains("." + port + ":")),
                "no packet of the publisher's own connection: " + back.out());
    }

    @Test
    void flowsReadsPacketRecordsFromATopic() throws Exception {
        String topic = "cli-flows";
        try (KafkaPacketPublisher pub = KafkaPacketPublisher.builder().bootstrapServers(broker.bootstrap()).topic(topic)
                .source("h", "eth0").build()) {
            long t = 1_767_225_600_000_000_000L;
            for (int i = 0; i < 10; i++) {
                byte[] q = udp(false, 40000 + i % 2, 30), a = udp(true, 40000 + i % 2, 90);
                pub.publish(t += 1000, q.length, MemorySegment.ofArray(q), 0, q.length);
                pub.publish(t += 1000, a.length, MemorySegment.ofArray(a), 0, a.length);
            }
            assertTrue(pub.drain(Duration.ofSeconds(60)), pub.stats().toString());
        }
        Result r = run("flows", "-r", "kafka://" + broker.bootstrap() + "/" + topic);
        assertEquals(0, r.code(), r.err());
        List<String> lines = r.out().lines().sorted().toList();
        assertEquals(List.of(
                "{\"proto\":17,\"src\":\"10.0.0.1\",\"srcPort\":40000,\"dst\":\"10.0.0.2\",\"dstPort\":53,\"packets\":5,\"bytes\":360,"
                        + "\"reversePackets\":5,\"reverseBytes\":660,\"firstSeen\":\"2026-01-01T00:00:00.000001000Z\","
                        + "\"lastSeen\":\"2026-01-01T00:00:00.000018000Z\",\"tcpFlags\":0,\"reverseTcpFlags\":0,\"history\":\"\",\"endReason\":\"end\","
                        + "\"communityId\":\"1:RXKURpyQITZU13SCYbIzaVPTxaQ=\",\"service\":\"dns\"}",
                "{\"proto\":17,\"src\":\"10.0.0.1\",\"srcPort\":40001,\"dst\":\"10.0.0.2\",\"dstPort\":53,\"packets\":5,\"bytes\":360,"
                        + "\"reversePackets\":5,\"reverseBytes\":660,\"firstSeen\":\"2026-01-01T00:00:00.000003000Z\","
                        + "\"lastSeen\":\"2026-01-01T00:00:00.000020000Z\",\"tcpFlags\":0,\"reverseTcpFlags\":0,\"history\":\"\",\"endReason\":\"end\","
                        + "\"communityId\":\"1:qP9kwqxKHSKxa7Y7vXIrrzZBl+o=\",\"service\":\"dns\"}"),
                lines);
        assertTrue(r.err().startsWith("20 packets, 2 flow records"), r.err());
    }
}
