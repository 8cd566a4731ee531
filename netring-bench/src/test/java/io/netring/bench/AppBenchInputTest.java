package io.netring.bench;

import io.netring.testing.ExternalTool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The inputs of the reassembly benchmarks are what they claim: the in-order bench's segments are
 * all in order for every row, and the generated application traffic holds the HTTP hosts, TLS
 * server names and DNS names tshark finds in it, as many as the pipeline reports.
 */
class AppBenchInputTest {

    @Test
    void inOrderBenchSegmentsAreAllInOrder() {
        for (String row : List.of("decode", "counter", "analyzer", "counterAfterOtherHandlers")) {
            InOrderReassemblyBench bench = new InOrderReassemblyBench();
            bench.handler = row;
            bench.setUp();
            for (int i = 0; i < 3; i++) {
                assertTrue(bench.inOrder() > 0, row);
            }
            bench.check();
            if (bench.reassembler() != null) {
                // every timed segment, and the two heads of each connection before them
                assertEquals(3L * InOrderReassemblyBench.PACKETS + 2L * InOrderReassemblyBench.CONNECTIONS,
                        bench.reassembler().counters().inOrderSegments(), row);
            }
        }
    }

    @Test
    void generatedTrafficCarriesWhatTsharkFinds(@TempDir Path dir) throws Exception {
        Path pcap = dir.resolve("app.pcap");
        long sessions = AppTrafficGenerator.write(pcap, 20_000);
        AppPipeline p = new AppPipeline();
        // a pass of the cost runner over the same file
        byte[] file = Files.readAllBytes(pcap);
        java.lang.foreign.MemorySegment seg = java.lang.foreign.MemorySegment.ofArray(file);
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(file).order(java.nio.ByteOrder.nativeOrder());
        int frames = 0;
        for (int at = 24; at + 16 <= file.length; at += 16 + b.getInt(at + 8)) {
            p.frame(seg, at + 16, b.getInt(at + 8), b.getInt(at + 12), (b.getInt(at) & 0xFFFF_FFFFL) * 1_000_000_000L);
            frames++;
        }
        p.finish();
        assertEquals(20_000, frames);
        assertTrue(sessions > 1000, "sessions: " + sessions);
        assertTrue(p.httpRequests > 300 && p.tlsHellos > 300 && p.dnsMessages > 200,
                p.httpRequests + " " + p.tlsHellos + " " + p.dnsMessages);

        assumeTrue(ExternalTool.TSHARK.available(), ExternalTool.TSHARK.missingReason());
        Process t = new ProcessBuilder(ExternalTool.TSHARK.command("-n", "-r", pcap.toString(), "-o",
                "tcp.reassemble_out_of_order:TRUE", "-T", "fields", "-E", "separator=|", "-e", "http.host",
                "-e", "tls.handshake.extensions_server_name", "-e", "dns.qry.name"))
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        List<String> lines = new String(t.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        assertTrue(t.waitFor(60, TimeUnit.SECONDS));
        assertEquals(p.httpRequests, count(lines, 0), "HTTP hosts");
        assertEquals(p.tlsHellos, count(lines, 1), "TLS server names");
        assertEquals(p.dnsMessages, count(lines, 2), "DNS names");
    }

    private static long count(List<String> lines, int column) {
        return lines.stream().filter(l -> !l.split("\\|", -1)[column].isEmpty()).count();
    }
}
