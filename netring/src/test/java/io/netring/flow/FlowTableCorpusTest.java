package io.netring.flow;

import io.netring.testing.ExternalTool;
import io.netring.testing.NeedsTools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The flow table on the generated corpus, against tshark's conversation tables. */
class FlowTableCorpusTest {

    static List<FlowRecord> records(List<FlowCorpus.Frame> frames) {
        List<FlowRecord> out = new ArrayList<>();
        FlowTable table = FlowTable.builder().idleTimeout(Duration.ofSeconds(60)).onRecord(out::add).build();
        FlowExtractor ex = new FlowExtractor();
        for (FlowCorpus.Frame f : frames) {
            MemorySegment seg = MemorySegment.ofArray(f.bytes());
            if (ex.extract(seg, 0, f.bytes().length, f.bytes().length, f.timestampNanos(), 0)) {
                table.add(ex.fields());
            }
        }
        table.flush();
        return out;
    }

    private static String endpoint(FlowRecord r, boolean src) {
        String a = src ? r.src() : r.dst();
        int port = src ? r.srcPort() : r.dstPort();
        return a + ":" + port;
    }

    @Test
    @NeedsTools(ExternalTool.TSHARK)
    void totalsPerFiveTupleEqualTsharkConversations(@TempDir Path dir) throws Exception {
        List<FlowCorpus.Frame> frames = FlowCorpus.build(17);
        Path pcap = dir.resolve("corpus.pcap");
        FlowCorpus.writePcap(pcap, frames);
        List<FlowRecord> recs = records(frames);
        for (String proto : List.of("tcp", "udp")) {
            int number = proto.equals("tcp") ? 6 : 17;
            Map<String, TsharkConversations.Totals> ours = new HashMap<>();
            for (FlowRecord r : recs) {
                if (r.protocol() != number) {
                    continue;
                }
                String s = endpoint(r, true), d = endpoint(r, false);
                var t = new TsharkConversations.Totals(r.packets(), r.bytes(), r.reversePackets(), r.reverseBytes());
                ours.merge(TsharkConversations.key(s, d), s.compareTo(d) <= 0 ? t : TsharkConversations.swap(t),
                        TsharkConversations.Totals::plus);
            }
            var theirs = TsharkConversations.run(pcap, proto);
            assertEquals(TsharkConversations.lines(theirs), TsharkConversations.lines(ours), proto);
        }
    }

    @Test
    void endReasonsAndHistories() {
        List<FlowRecord> recs = records(FlowCorpus.build(17));
        long fin = recs.stream().filter(r -> r.endReason() == FlowEndReason.FIN).count();
        long rst = recs.stream().filter(r -> r.endReason() == FlowEndReason.RST).count();
        assertEquals(18, fin, "12 IPv4, 4 IPv6, 1 VLAN and 1 VLAN IPv6 conversations close with FIN");
        assertEquals(4, rst);
        for (FlowRecord r : recs) {
            if (r.endReason() == FlowEndReason.FIN) {
                assertEquals("ShADdFf", r.history(), r.toJson()); // the responder never sends a pure ACK here
                assertEquals(0x1b, r.tcpFlags(), r.toJson());
                assertEquals(0x1b, r.reverseTcpFlags(), r.toJson());
            }
            if (r.endReason() == FlowEndReason.RST) {
                assertEquals("ShADr", r.history(), r.toJson());
            }
        }
        List<FlowRecord> gap = recs.stream().filter(r -> r.srcPort() == 51000 || r.dstPort() == 51000).toList();
        assertEquals(2, gap.size(), "the idle gap splits the flow");
        assertEquals(FlowEndReason.IDLE_TIMEOUT, gap.get(0).endReason());
        assertEquals(FlowEndReason.END_OF_INPUT, gap.get(1).endReason());
        FlowRecord icmp = recs.stream().filter(r -> r.protocol() == 1).findFirst().orElseThrow();
        assertEquals(3, icmp.packets());
        assertEquals(3, icmp.reversePackets());
        assertEquals(8, icmp.srcPort());
        assertTrue(recs.stream().anyMatch(r -> r.vlanId() == 100 && r.ipVersion() == 4));
        assertTrue(recs.stream().anyMatch(r -> r.vlanId() == 200 && r.ipVersion() == 6 && r.src().equals("2001:db8:3::9")));
    }
}
