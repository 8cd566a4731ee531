package io.netring.flow;

import io.netring.testing.ExternalTool;
import io.netring.testing.NeedsTools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The corpus's records exported as IPFIX to a socket on 127.0.0.1, the datagrams saved to a
 * pcap, and tshark's IPFIX dissector reading back the same records.
 */
@NeedsTools(ExternalTool.TSHARK)
class IpfixExporterTest {

    @Test
    void tsharkDecodesTheSameRecords(@TempDir Path dir) throws Exception {
        List<FlowRecord> records = FlowTableCorpusTest.records(FlowCorpus.build(17));
        List<byte[]> datagrams = new ArrayList<>();
        try (DatagramChannel collector = DatagramChannel.open(StandardProtocolFamily.INET)) {
            collector.bind(new InetSocketAddress("127.0.0.1", 0));
            collector.configureBlocking(false);
            InetSocketAddress at = (InetSocketAddress) collector.getLocalAddress();
            long sent;
            try (IpfixExporter ipfix = IpfixExporter.open(at, 7)) {
                // one address family per datagram: tshark prints each field's values in a column of
                // its own, so only same-family datagrams zip back into records
                int family = 0;
                for (FlowRecord r : records) {
                    if (r.ipVersion() != family) {
                        ipfix.flush();
                        family = r.ipVersion();
                    }
                    ipfix.onRecord(r);
                }
                ipfix.flush();
                sent = ipfix.messagesSent();
                assertEquals(records.size(), ipfix.recordsSent());
            }
            ByteBuffer buf = ByteBuffer.allocate(65536);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (datagrams.size() < sent && System.nanoTime() < deadline) {
                buf.clear();
                if (collector.receive(buf) == null) {
                    Thread.sleep(5);
                    continue;
                }
                buf.flip();
                byte[] d = new byte[buf.remaining()];
                buf.get(d);
                datagrams.add(d);
            }
            assertEquals(sent, datagrams.size(), "datagrams received on 127.0.0.1");
        }
        List<FlowCorpus.Frame> frames = new ArrayList<>();
        var exporter = new CorpusFrames.End(CorpusFrames.v4(127, 0, 0, 1), 40000);
        var collector = new CorpusFrames.End(CorpusFrames.v4(127, 0, 0, 1), 4739);
        for (int i = 0; i < datagrams.size(); i++) {
            frames.add(new FlowCorpus.Frame(FlowCorpus.START + i, CorpusFrames.udp(exporter, collector, datagrams.get(i))));
        }
        Path pcap = dir.resolve("ipfix.pcap");
        FlowCorpus.writePcap(pcap, frames);

        List<String> theirs = tshark(pcap);
        List<String> ours = new ArrayList<>();
        for (FlowRecord r : records) {
            boolean icmp = r.protocol() == 1;
            ours.add(String.join("|", r.ipVersion() == 4 ? r.src() : "", r.ipVersion() == 4 ? r.dst() : "",
                    r.ipVersion() == 6 ? r.src() : "", r.ipVersion() == 6 ? r.dst() : "",
                    String.valueOf(icmp ? 0 : r.srcPort()), String.valueOf(icmp ? r.srcPort() * 256 + r.dstPort() : r.dstPort()),
                    String.valueOf(r.protocol()), String.valueOf(r.packets()), String.valueOf(r.reversePackets()),
                    String.valueOf(r.bytes()), String.valueOf(r.reverseBytes()),
                    String.valueOf(r.endReason().ipfixCode())));
        }
        assertEquals(ours.stream().sorted().toList(), theirs.stream().sorted().toList());
    }

    /** One line per data record: addresses, ports, protocol, forward packets and octets, end reason. */
    private static List<String> tshark(Path pcap) throws Exception {
        Process p = new ProcessBuilder("tshark", "-n", "-r", pcap.toString(), "-d", "udp.port==4739,cflow",
                "-T", "fields", "-E", "occurrence=a",
                "-e", "cflow.srcaddr", "-e", "cflow.dstaddr", "-e", "cflow.srcaddrv6", "-e", "cflow.dstaddrv6",
                "-e", "cflow.srcport", "-e", "cflow.dstport", "-e", "cflow.protocol",
                "-e", "cflow.packets", "-e", "cflow.octets", "-e", "cflow.flow_end_reason")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "tshark finished");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        List<String> rows = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            // each column holds the datagram's values in record order, separated by commas;
            // packets and octets hold two per record, forward then reverse
            String[][] c = new String[10][];
            String[] cols = line.split("\t", -1);
            for (int i = 0; i < 10; i++) {
                c[i] = cols[i].isEmpty() ? new String[0] : cols[i].split(",", -1);
            }
            for (int k = 0; k < c[6].length; k++) {
                boolean v4 = c[0].length > 0;
                rows.add(String.join("|", v4 ? c[0][k] : "", v4 ? c[1][k] : "", v4 ? "" : c[2][k], v4 ? "" : c[3][k],
                        c[4][k], c[5][k], c[6][k], c[7][2 * k], c[7][2 * k + 1], c[8][2 * k], c[8][2 * k + 1], c[9][k]));
            }
        }
        return rows;
    }
}
