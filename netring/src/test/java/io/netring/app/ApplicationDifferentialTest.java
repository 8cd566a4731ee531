package io.netring.app;

import io.netring.Packet;
import io.netring.decode.Layer;
import io.netring.decode.PacketDecoder;
import io.netring.pcap.PcapReader;
import io.netring.reassembly.TcpStream;
import io.netring.reassembly.Tshark;
import io.netring.testing.ExternalTool;
import io.netring.testing.NeedsTools;
import io.netring.testing.NetNamespace;
import io.netring.testing.Privileged;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * Real HTTP, TLS and DNS traffic between two namespaces (curl against python's http.server and a
 * framing server, openssl s_client/s_server with SNI and ALPN over TLS 1.2 and 1.3, a DNS
 * responder over UDP and TCP), captured with tcpdump; every application field on every frame
 * equals tshark 4.0's with out-of-order reassembly on.
 */
@Privileged
@NeedsTools({ExternalTool.IP, ExternalTool.TCPDUMP, ExternalTool.TSHARK, ExternalTool.PYTHON3, ExternalTool.CURL, ExternalTool.OPENSSL})
class ApplicationDifferentialTest {
    static final String[] FIELDS = {"http.request.method", "http.host", "http.request.uri", "http.user_agent",
        "http.response.code", "tls.handshake.extensions_server_name", "tls.handshake.extensions_alpn_str",
        "tls.handshake.extensions.supported_version", "tls.handshake.ja3_full", "tls.handshake.ja3",
        "tls.handshake.ja3s_full", "tls.handshake.ja3s", "dns.qry.name", "dns.a", "dns.aaaa", "dns.cname"};
    private static final String CLIENT = "10.77.0.1";
    private static final String SERVER = "10.77.0.2";
    private static final long STEP_SECONDS = 20;

    @TempDir
    Path dir;

    @Test
    void everyFieldEqualsTsharksOnEveryFrame() throws Exception {
        assumeFalse("1".equals(System.getenv("NETRING_IN_USERNS")), "needs a second named namespace (ip netns), root only");
        Path pcap = dir.resolve("app.pcap");
        capture(pcap);

        Map<Long, String[]> ours = new TreeMap<>();
        ApplicationAnalyzer analyzer = ApplicationAnalyzer.builder().listener(new Fields(ours)).dnsOnAnyUdpPort(false).build();
        InOrderStitcher tcp = new InOrderStitcher(analyzer);
        PacketDecoder d = new PacketDecoder();
        long frames = 0;
        try (PcapReader r = PcapReader.open(pcap)) {
            Iterator<Packet> it = r.packets().iterator();
            while (it.hasNext()) {
                d.decode(it.next());
                frames++;
                if (d.has(Layer.UDP)) {
                    analyzer.udp(d, frames);
                } else {
                    tcp.offer(d, frames);
                }
            }
        }
        tcp.finish();

        List<String> wrong = new ArrayList<>();
        int compared = 0;
        int[] filled = new int[FIELDS.length];
        List<String> options = List.of("-o", "tcp.reassemble_out_of_order:TRUE");
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
        assertTrue(filled[0] >= 8 && filled[9] >= 2 && filled[11] >= 2 && filled[13] >= 4, java.util.Arrays.toString(filled));
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

    /** Runs the servers in a peer namespace, the clients in the test's, and tcpdump between them. */
    private void capture(Path pcap) throws Exception {
        Path www = Files.createDirectories(dir.resolve("www"));
        byte[] big = new byte[20_000];
        ThreadLocalRandom.current().nextBytes(big);
        Files.write(www.resolve("big.bin"), big);
        Files.writeString(www.resolve("small.txt"), "hello\n");
        Path scripts = Path.of(ApplicationDifferentialTest.class.getResource("/app/dns_server.py").toURI()).getParent();
        run(List.of("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", dir.resolve("k.pem").toString(), "-out", dir.resolve("c.pem").toString(), "-days", "1",
                "-subj", "/CN=test"));
        String peer = "nrp-" + ProcessHandle.current().pid() + "-" + Integer.toHexString(ThreadLocalRandom.current().nextInt(1 << 20));
        List<Process> started = new ArrayList<>();
        try (NetNamespace ns = NetNamespace.create()) {
            NetNamespace.run("ip", "netns", "add", peer);
            try {
                ns.ip("link", "set", ns.b, "netns", peer);
                ns.ip("addr", "add", CLIENT + "/24", "dev", ns.a);
                NetNamespace.run("ip", "-n", peer, "addr", "add", SERVER + "/24", "dev", ns.b);
                NetNamespace.run("ip", "-n", peer, "link", "set", ns.b, "up");
                NetNamespace.run("ip", "-n", peer, "link", "set", "lo", "up");
                List<String> inPeer = List.of("ip", "netns", "exec", peer);

                started.add(start(concat(inPeer, "python3", "-m", "http.server", "--bind", SERVER, "--protocol", "HTTP/1.1",
                        "--directory", www.toString(), "8000"), "http"));
                started.add(start(concat(inPeer, "python3", scripts.resolve("http_framing_server.py").toString(), SERVER, "8001"),
                        "framing"));
                started.add(start(concat(inPeer, "python3", scripts.resolve("dns_server.py").toString(), SERVER), "dns"));
                started.add(start(concat(inPeer, "openssl", "s_server", "-accept", SERVER + ":4433", "-cert",
                        dir.resolve("c.pem").toString(), "-key", dir.resolve("k.pem").toString(), "-alpn", "http/1.1",
                        "-naccept", "2", "-quiet"), "tls"));
                await(() -> listening(inPeer, List.of(":8000 ", ":8001 ", ":53 ", ":4433 ")), "servers listening in " + peer);

                int before = ns.packetSocketsOn(ns.a);
                Process tcpdump = start(ns.exec(ExternalTool.TCPDUMP.command("-i", ns.a, "--immediate-mode", "-U", "-B", "8192", "-w", pcap.toString(),
                        "tcp or udp")), "tcpdump");
                started.add(tcpdump);
                await(() -> ns.packetSocketsOn(ns.a) > before, "tcpdump capturing on " + ns.a);

                String url = "http://" + SERVER + ":8000/";
                run(ns.exec("curl", "-s", "-o", "/dev/null", "-o", "/dev/null", url + "big.bin", url + "small.txt"));
                run(ns.exec("curl", "-s", "-I", "-o", "/dev/null", url + "small.txt"));
                run(ns.exec("python3", scripts.resolve("http_framing_client.py").toString(), SERVER, "8001"));
                for (String version : List.of("-tls1_2", "-tls1_3")) {
                    run(ns.exec("openssl", "s_client", "-connect", SERVER + ":4433", "-servername", "ex.test", "-alpn",
                            "h2,http/1.1", version));
                }
                run(ns.exec("python3", scripts.resolve("dns_client.py").toString(), SERVER));
                Thread.sleep(500);
                tcpdump.destroy();
                assertTrue(tcpdump.waitFor(STEP_SECONDS, TimeUnit.SECONDS), "tcpdump did not stop");
            } finally {
                started.forEach(Process::destroyForcibly);
                for (Process p : started) {
                    p.waitFor(STEP_SECONDS, TimeUnit.SECONDS);
                }
                NetNamespace.run("ip", "netns", "del", peer);
            }
        }
        assertTrue(Files.size(pcap) > 24, "tcpdump wrote nothing");
    }

    private boolean listening(List<String> inPeer, List<String> ports) throws IOException {
        String out = NetNamespace.run(concat(inPeer, "ss", "-ltnuH").toArray(String[]::new));
        return ports.stream().allMatch(p -> out.contains(SERVER + p));
    }

    private Process start(List<String> cmd, String name) throws IOException {
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve(name + ".log").toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
    }

    /** Runs a client to its end (stdin empty, bounded in time) and checks it succeeded. */
    private void run(List<String> cmd) throws Exception {
        Path log = Files.createTempFile(dir, "client", ".log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
        if (!p.waitFor(STEP_SECONDS, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail(String.join(" ", cmd) + " did not finish in " + STEP_SECONDS + " s: " + Files.readString(log));
        }
        assertEquals(0, p.exitValue(), String.join(" ", cmd) + ": " + Files.readString(log));
    }

    private static void await(Check check, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(STEP_SECONDS);
        while (!check.ok()) {
            if (System.nanoTime() - deadline > 0) {
                fail("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    private interface Check {
        boolean ok() throws Exception;
    }

    private static List<String> concat(List<String> head, String... tail) {
        List<String> all = new ArrayList<>(head);
        all.addAll(List.of(tail));
        return all;
    }
}
