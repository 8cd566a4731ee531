package io.netring.flow;

import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Table mechanics: eviction, timeouts, deletion under churn, zero allocation, validation. */
class FlowTableTest {
    private static final long SEC = 1_000_000_000L;

    private static FlowPacket udp(FlowPacket p, long t, int src, int sport, int dst, int dport) {
        return p.ipv4(src, dst).transport(17, sport, dport, 0, 10).frame(t, 60, 0);
    }

    @Test
    void evictsTheLeastRecentlySeenFlowWhenFull() {
        List<FlowRecord> out = new ArrayList<>();
        FlowTable t = FlowTable.builder().maxFlows(2).onRecord(out::add).build();
        FlowPacket p = new FlowPacket();
        t.add(udp(p, 1 * SEC, 1, 1000, 2, 53));
        t.add(udp(p, 2 * SEC, 1, 1001, 2, 53));
        t.add(udp(p, 3 * SEC, 2, 53, 1, 1000));          // refreshes the first flow
        t.add(udp(p, 4 * SEC, 1, 1002, 2, 53));          // evicts the second
        assertEquals(1, out.size());
        assertEquals(1001, out.get(0).srcPort());
        assertEquals(FlowEndReason.EVICTED, out.get(0).endReason());
        assertEquals(1, t.evictions());
        t.flush();
        assertEquals(3, out.size());
        assertEquals(2, out.get(1).packets() + out.get(1).reversePackets());
    }

    @Test
    void anEchoFlowSeenFirstByItsReplyKeepsTheReplyTypeAndTheRequestsCommunityId() {
        List<FlowRecord> out = new ArrayList<>();
        FlowTable t = FlowTable.builder().onRecord(out::add).build();
        FlowPacket p = new FlowPacket();
        t.add(p.ipv4(0x0A000002, 0x0A000001).transport(1, 0, 0, 0, 0).frame(SEC, 98, 0));     // the reply first
        t.add(p.ipv4(0x0A000001, 0x0A000002).transport(1, 8, 0, 0, 0).frame(2 * SEC, 98, 0));
        t.add(p.ipv4(0x0A000003, 0x0A000004).transport(1, 8, 0, 0, 0).frame(3 * SEC, 98, 0));
        t.flush();
        assertEquals(2, out.size());
        FlowRecord late = out.get(0), usual = out.get(1);
        assertEquals(0, late.srcPort(), late.toJson());
        assertEquals(1, late.packets());
        assertEquals(1, late.reversePackets(), "the request joins the reply's flow");
        assertEquals(8, usual.srcPort(), usual.toJson());
        byte[] one = {10, 0, 0, 1}, two = {10, 0, 0, 2};
        assertEquals(io.netring.reassembly.CommunityId.of(1, one, two, 8, 0), late.communityId());
        assertEquals(io.netring.reassembly.CommunityId.of(1, two, one, 0, 0), late.communityId());
    }

    @Test
    void activeTimeoutStartsANewRecord() {
        List<FlowRecord> out = new ArrayList<>();
        FlowTable t = FlowTable.builder().activeTimeout(Duration.ofSeconds(10)).idleTimeout(Duration.ofSeconds(5)).onRecord(out::add).build();
        FlowPacket p = new FlowPacket();
        for (int i = 0; i < 25; i++) {
            t.add(udp(p, i * SEC, 1, 1000, 2, 53));
        }
        t.flush();
        assertEquals(List.of(FlowEndReason.ACTIVE_TIMEOUT, FlowEndReason.ACTIVE_TIMEOUT, FlowEndReason.END_OF_INPUT),
                out.stream().map(FlowRecord::endReason).toList());
        assertEquals(List.of(10L, 10L, 5L), out.stream().map(FlowRecord::packets).toList());
    }

    @Test
    void churnKeepsEveryFlowFindable() {
        // random flows coming and going through RST; the table must agree with a map model
        Random rnd = new Random(5);
        Map<String, Long> model = new HashMap<>();
        Map<String, Long> seen = new HashMap<>();
        FlowTable t = FlowTable.builder().maxFlows(4096).onRecord(r -> seen.merge(r.src() + ":" + r.srcPort() + ">" + r.dst() + ":" + r.dstPort(),
                r.packets() + r.reversePackets(), Long::sum)).build();
        FlowPacket p = new FlowPacket();
        for (int i = 0; i < 200_000; i++) {
            int host = rnd.nextInt(64), port = 1000 + rnd.nextInt(40);
            boolean reset = rnd.nextInt(20) == 0;
            p.ipv4(0x0A000000 | host, 0x0A010001).transport(6, port, 80, reset ? 0x04 : 0x10, 0).frame(i, 60, 0);
            t.add(p);
            model.merge(AddressText.format(4, 0, 0x0A000000L | host) + ":" + port + ">10.1.0.1:80", 1L, Long::sum);
        }
        t.flush();
        assertEquals(model, seen);
        assertEquals(0, t.size());
    }

    @Test
    void existingFlowsAllocateNothing() {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        FlowTable t = FlowTable.builder().maxFlows(1 << 14).onRecord(r -> {}).build();
        FlowPacket p = new FlowPacket();
        for (int round = 0; round < 30; round++) {          // warm up, so the JIT has compiled add()
            feed(t, p, round);
        }
        long before = mx.getCurrentThreadAllocatedBytes();
        feed(t, p, 31);
        long allocated = mx.getCurrentThreadAllocatedBytes() - before;
        assertTrue(allocated < 10_000, "allocated " + allocated + " bytes for 100000 packets of existing flows");
    }

    private static void feed(FlowTable t, FlowPacket p, int round) {
        for (int i = 0; i < 100_000; i++) {
            int f = i % 10_000;
            p.ipv4(0x0A000000 | f, 0x0A010001).transport(6, 1000 + (f & 7), 443, 0x10, 100).frame(round * SEC + i, 154, 0);
            t.add(p);
        }
    }

    @Test
    void builderRejectsBadValues() {
        var e = assertThrows(IllegalArgumentException.class, () -> FlowTable.builder().maxFlows(0));
        assertEquals("maxFlows=0: must be in [1, 134217727] (16 longs per flow, all in one Java array)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> FlowTable.builder().maxFlows(134_217_729));
        assertEquals("maxFlows=134217729: must be in [1, 134217727] (16 longs per flow, all in one Java array)",
                e.getMessage());
        assertEquals(134_217_727, FlowTable.MAX_FLOWS);
        e = assertThrows(IllegalArgumentException.class, () -> FlowTable.builder().idleTimeout(Duration.ZERO));
        assertEquals("idleTimeout=PT0S: must be positive", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> FlowTable.builder().build());
        assertEquals("onRecord: a record handler is required", e.getMessage());
    }

    @Test
    void ipv6TextIsRfc5952() {
        assertEquals("2001:db8::1", AddressText.format(6, 0x20010db800000000L, 1));
        assertEquals("::", AddressText.format(6, 0, 0));
        assertEquals("2001:db8:0:1:1:1:1:1", AddressText.format(6, 0x20010db800000001L, 0x0001000100010001L));
        assertEquals("2001:0:0:1::1", AddressText.format(6, 0x2001000000000001L, 1));
        assertEquals("192.168.0.255", AddressText.format(4, 0, 0xC0A800FFL));
    }

    @Test
    void jsonHasTheContractFieldsWithNanosecondTimes() {
        FlowRecord r = new FlowRecord(4, 17, 0, 0x0A000001L, 5000, 0, 0x0A000002L, 53, 0, 1, 60, 1, 90,
                1_767_225_600_000_000_100L, 1_767_225_601_000_000_000L, 0, 0, 0, 0, 0, "", FlowEndReason.IDLE_TIMEOUT);
        assertEquals("{\"proto\":17,\"src\":\"10.0.0.1\",\"srcPort\":5000,\"dst\":\"10.0.0.2\",\"dstPort\":53,"
                + "\"packets\":1,\"bytes\":60,\"reversePackets\":1,\"reverseBytes\":90,"
                + "\"firstSeen\":\"2026-01-01T00:00:00.000000100Z\",\"lastSeen\":\"2026-01-01T00:00:01.000000000Z\","
                + "\"tcpFlags\":0,\"reverseTcpFlags\":0,\"history\":\"\",\"endReason\":\"idle\","
                + "\"communityId\":\"1:4sSMKwiLG6ALt16rSG1QjqDtqLk=\",\"service\":\"unknown\"}", r.toJson());
        FlowRecord named = r.withApplication(io.netring.app.Service.TLS, "a\"b.test");
        assertEquals(io.netring.app.Service.TLS, named.service());
        assertEquals("a\"b.test", named.serverName());
        assertTrue(named.toJson().endsWith(",\"communityId\":\"1:4sSMKwiLG6ALt16rSG1QjqDtqLk=\",\"service\":\"tls\","
                + "\"serverName\":\"a\\\"b.test\"}"), named.toJson());
        assertEquals(io.netring.app.Service.UNKNOWN, r.withApplication(null, null).service());
    }

    @Test
    void aTableForMillionsOfFlowsTakesMemoryOnlyAsFlowsArrive() {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = mx.getCurrentThreadAllocatedBytes();
        FlowTable t = FlowTable.builder().maxFlows(30_000_000).onRecord(r -> {}).build();
        long built = mx.getCurrentThreadAllocatedBytes() - before;
        assertTrue(built < 1 << 20, "a table of 30 000 000 flows took " + built + " bytes before its first flow");
        FlowPacket p = new FlowPacket();
        for (int i = 0; i < 100_000; i++) {
            t.add(udp(p, SEC, 0x0A000000 | i, 1000, 0x0A010001, 53));
        }
        assertEquals(100_000, t.size());
        long grown = mx.getCurrentThreadAllocatedBytes() - before;
        assertTrue(grown < 100_000L * 600, "100 000 flows took " + grown + " bytes");
    }

    /** Growth while flows end and are evicted: every packet is counted in exactly one record. */
    @Test
    void growingUpToANonPowerOfTwoKeepsEveryFlowFindable() {
        Map<String, Long> seen = new HashMap<>();
        FlowTable t = FlowTable.builder().maxFlows(3000).onRecord(r -> seen.merge(r.src() + ":" + r.srcPort(),
                r.packets() + r.reversePackets(), Long::sum)).build();
        FlowPacket p = new FlowPacket();
        Random rnd = new Random(8);
        long sent = 0;
        for (int i = 0; i < 200_000; i++) {
            int host = rnd.nextInt(i < 100_000 ? 2500 : 5000);
            boolean reset = rnd.nextInt(50) == 0;
            p.ipv4(0x0A000000 | host, 0x0A010001).transport(6, 2000, 80, reset ? 0x04 : 0x10, 0).frame(i, 60, 0);
            t.add(p);
            sent++;
            assertTrue(t.size() <= 3000);
        }
        assertTrue(t.evictions() > 0, "the table filled up");
        t.flush();
        assertEquals(sent, seen.values().stream().mapToLong(Long::longValue).sum());
        assertEquals(0, t.size());
    }
}
