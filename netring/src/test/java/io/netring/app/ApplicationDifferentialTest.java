package io.netring.app;

import io.netring.Packet;
import io.netring.decode.PacketDecoder;
import io.netring.pcap.PcapReader;
import io.netring.reassembly.TcpReassembler;
import io.netring.reassembly.TcpStream;
import io.netring.reassembly.Tshark;
import io.netring.testing.ExternalTool;
import io.netring.testing.NeedsTools;
import io.netring.testing.Privileged;
import io.netring.testing.RealTrafficCorpus;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The analyzer behind a {@link TcpReassembler} on the real-traffic corpus ({@link RealTrafficCorpus}:
 * curl against python's http.server and a framing server with chunk extensions and trailers, 204,
 * 304, 100 Continue, HEAD, pipelining, a split head and a body until the close; openssl with SNI
 * and ALPN over TLS 1.2 and 1.3; DNS over UDP and TCP, two messages in a segment and one split):
 * every application field on every frame equals tshark 4.0's with out-of-order reassembly on,
 * also those the CLI does not print (supported versions, JA3S strings). The CLI's fields on the
 * same corpus and its mangled copies: netring-cli's ReassemblyDifferentialTest.
 */
@Privileged
@NeedsTools({ExternalTool.IP, ExternalTool.TCPDUMP, ExternalTool.TSHARK, ExternalTool.PYTHON3, ExternalTool.CURL, ExternalTool.OPENSSL})
class ApplicationDifferentialTest {
    static final String[] FIELDS = {"http.request.method", "http.host", "http.request.uri", "http.user_agent",
        "http.response.code", "tls.handshake.extensions_server_name", "tls.handshake.extensions_alpn_str",
        "tls.handshake.extensions.supported_version", "tls.handshake.ja3_full", "tls.handshake.ja3",
        "tls.handshake.ja3s_full", "tls.handshake.ja3s", "dns.qry.name", "dns.a", "dns.aaaa", "dns.cname"};

    @Test
    void everyFieldEqualsTsharksOnEveryFrame() throws Exception {
        Path pcap = RealTrafficCorpus.capture();
        Map<Long, String[]> ours = new TreeMap<>();
        ApplicationAnalyzer analyzer = ApplicationAnalyzer.builder().listener(new Fields(ours)).dnsOnAnyUdpPort(false).build();
        long frames = analyze(pcap, analyzer);

        List<String> wrong = new ArrayList<>();
        int compared = 0;
        int[] filled = new int[FIELDS.length];
        List<String> options = new ArrayList<>(List.of("-o", "tcp.reassemble_out_of_order:TRUE"));
        options.addAll(RealTrafficCorpus.TSHARK_DECODE_AS);
        String[] columns = new String[FIELDS.length + 1];
        columns[0] = "frame.number";
        System.arraycopy(FIELDS, 0, columns, 1, FIELDS.length);
        for (String[] row : Tshark.fields(pcap, options, columns)) {
            long frame = Long.parseLong(row[0]);
            String[] mine = ours.getOrDefault(frame, new String[FIELDS.length]);
            for (int f = 0; f < FIELDS.length; f++) {
                String theirs = f + 1 < row.length ? row[f + 1] : "";
                String have = mine[f] == null ? "" : mine[f];
                if (!theirs.isEmpty()) {
                    filled[f]++;
                    compared++;
                }
                if (!theirs.equals(have)) {
                    wrong.add("frame " + frame + " " + FIELDS[f] + ": tshark '" + theirs + "', ours '" + have + "'");
                }
            }
        }
        assertEquals(List.of(), wrong, wrong.size() + " differences");
        System.out.printf("application fields: %d frames, %d non-empty fields compared, counters %s%n", frames, compared,
                analyzer.counters());
        // The corpus must reach every field (else the comparison proves little).
        for (int f = 0; f < FIELDS.length; f++) {
            assertTrue(filled[f] > 0, FIELDS[f] + " never shown by tshark: the corpus lost a case");
        }
        assertTrue(filled[0] >= 12 && filled[4] >= 12 && filled[9] >= 3 && filled[11] >= 3 && filled[13] >= 6,
                java.util.Arrays.toString(filled));
    }

    /**
     * The comparison does not hang on which ephemeral port the kernel gave a client: the CI run
     * where a TLS client drew a port Wireshark assigns to another protocol lost tshark's TLS
     * fields for that stream. Played here by assigning every client port of the 4433 and 8081
     * streams to EtherNet/IP: without {@link RealTrafficCorpus#TSHARK_DECODE_AS} tshark's rows
     * change, with it they are those of the plain run.
     */
    @Test
    void tsharksRowsDoNotDependOnTheClientsPort() throws Exception {
        Path pcap = RealTrafficCorpus.capture();
        java.util.Set<Integer> clientPorts = new java.util.TreeSet<>();
        ApplicationListener ports = new ApplicationListener() {
            @Override
            public void tlsClientHello(TcpStream stream, long frame, TlsClientHello h) {
                clientPorts.add(stream.clientPort());
            }

            @Override
            public void httpRequest(TcpStream stream, long frame, HttpRequest r) {
                if (stream.serverPort() == 8081) {
                    clientPorts.add(stream.clientPort());
                }
            }
        };
        analyze(pcap, ApplicationAnalyzer.builder().listener(ports).build());
        assertTrue(clientPorts.size() >= 4, "TLS and framing-server clients: " + clientPorts);

        List<String> unlucky = new ArrayList<>();
        for (int port : clientPorts) {
            unlucky.addAll(List.of("-d", "tcp.port==" + port + ",enip"));
        }
        List<String> plain = new ArrayList<>(List.of("-o", "tcp.reassemble_out_of_order:TRUE"));
        List<String> named = new ArrayList<>(plain);
        named.addAll(RealTrafficCorpus.TSHARK_DECODE_AS);
        List<String> plainUnlucky = new ArrayList<>(plain);
        plainUnlucky.addAll(unlucky);
        List<String> namedUnlucky = new ArrayList<>(named);
        namedUnlucky.addAll(unlucky);
        String[] columns = {"frame.number", "tls.handshake.extensions_server_name", "tls.handshake.ja3s", "http.request.method"};
        List<String> expected = rows(Tshark.fields(pcap, plain, columns));
        assertEquals(expected, rows(Tshark.fields(pcap, named, columns)), "naming the servers' ports changes nothing");
        assertNotEquals(expected, rows(Tshark.fields(pcap, plainUnlucky, columns)),
                "unnamed, a client port assigned to another protocol hides the stream");
        assertEquals(expected, rows(Tshark.fields(pcap, namedUnlucky, columns)), "named, it does not");
    }

    /** Runs every frame of {@code pcap} through a reassembler into {@code analyzer} (UDP too); returns the frame count. */
    private static long analyze(Path pcap, ApplicationAnalyzer analyzer) throws Exception {
        TcpReassembler tcp = TcpReassembler.builder().handler(analyzer).build();
        PacketDecoder d = new PacketDecoder();
        long frames = 0;
        try (PcapReader r = PcapReader.open(pcap)) {
            Iterator<Packet> it = r.packets().iterator();
            while (it.hasNext()) {
                Packet p = it.next();
                d.decode(p);
                frames++;
                tcp.offer(d, frames, p.timestampSeconds() * 1_000_000_000L + p.timestampNanos());
                analyzer.udp(d, frames);
            }
        }
        tcp.finish();
        return frames;
    }

    private static List<String> rows(List<String[]> rows) {
        return rows.stream().map(r -> String.join("|", r)).toList();
    }

    /** Our reports laid out as tshark's columns: values of one frame joined with commas. */
    private record Fields(Map<Long, String[]> rows) implements ApplicationListener {
        void put(long frame, int field, String value) {
            if (value == null || value.isEmpty()) {
                return;
            }
            String[] row = rows.computeIfAbsent(frame, k -> new String[FIELDS.length]);
            row[field] = row[field] == null ? value : row[field] + "," + value;
        }

        @Override
        public void httpRequest(TcpStream stream, long frame, HttpRequest r) {
            put(frame, 0, r.method());
            put(frame, 1, r.host());
            put(frame, 2, r.uri());
            put(frame, 3, r.userAgent());
        }

        @Override
        public void httpResponse(TcpStream stream, long frame, HttpResponse r) {
            put(frame, 4, Integer.toString(r.statusCode()));
        }

        @Override
        public void tlsClientHello(TcpStream stream, long frame, TlsClientHello h) {
            put(frame, 5, h.serverName());
            put(frame, 6, String.join(",", h.alpn()));
            put(frame, 7, String.join(",", h.supportedVersions().stream().map(v -> String.format("0x%04x", v)).toList()));
            put(frame, 8, h.ja3Full());
            put(frame, 9, h.ja3Hash());
        }

        @Override
        public void tlsServerHello(TcpStream stream, long frame, TlsServerHello h) {
            put(frame, 6, h.alpn());
            put(frame, 7, h.selectedVersion() < 0 ? null : String.format("0x%04x", h.selectedVersion()));
            put(frame, 10, h.ja3sFull());
            put(frame, 11, h.ja3sHash());
        }

        @Override
        public void dns(TcpStream stream, long frame, DnsMessage m) {
            put(frame, 12, String.join(",", m.queryNames()));
            put(frame, 13, String.join(",", m.a()));
            put(frame, 14, String.join(",", m.aaaa()));
            put(frame, 15, String.join(",", m.cname()));
        }
    }
}
