package io.netring.cli;

import io.netring.testing.ExternalTool;
import io.netring.testing.NeedsTools;
import io.netring.testing.Privileged;
import io.netring.testing.RealTrafficCorpus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The real-traffic corpus holds what it promises, as tshark reads it. */
@Privileged
@Timeout(180)
@NeedsTools({ExternalTool.TCPDUMP, ExternalTool.TSHARK, ExternalTool.CURL, ExternalTool.OPENSSL, ExternalTool.PYTHON3})
class RealTrafficCorpusTest {

    @Test
    void holdsHttpTlsDnsAndFragments() throws Exception {
        Path pcap = RealTrafficCorpus.capture();
        List<String> command = new ArrayList<>(List.of("tshark", "-n", "-r", pcap.toString(), "-2",
                "-o", "tcp.reassemble_out_of_order:TRUE", "-T", "fields", "-E", "separator=|",
                "-e", "http.request.method", "-e", "http.response.code", "-e", "tls.handshake.extensions_server_name",
                "-e", "tls.handshake.extensions_alpn_str", "-e", "tls.handshake.version", "-e", "dns.a", "-e", "dns.aaaa",
                "-e", "dns.cname", "-e", "tcp.stream", "-e", "ip.reassembled_in", "-e", "ipv6.reassembled.in",
                "-e", "http.transfer_encoding"));
        command.addAll(RealTrafficCorpus.TSHARK_DECODE_AS);
        List<String> lines = ReferenceTools.run(command);
        String all = String.join("\n", lines);
        assertTrue(lines.size() > 100, "frames: " + lines.size());
        assertEquals(8, count(lines, 0, "GET"), "three keep-alive GETs, the chunked one, one over IPv6 and three "
                + "to the framing server alone in their frame");
        assertEquals(1, count(lines, 0, "GET,GET"), "two pipelined GETs in one segment");
        assertEquals(1, count(lines, 0, "HEAD"));
        assertEquals(2, count(lines, 0, "POST"), "an upload and a request with a body to the framing server");
        assertTrue(count(lines, 2, RealTrafficCorpus.SERVER_NAME) == 3, "three ClientHellos with SNI");
        assertTrue(count(lines, 3, "h2,http/1.1") >= 3, "ALPN offered");
        assertTrue(all.contains("10.23.0.80,10.23.0.81"), "dns.a of the CNAME chain");
        assertTrue(all.contains("fd23::80"), "dns.aaaa");
        assertTrue(count(lines, 7, "web.corpus.test") >= 3, "dns.cname");
        assertEquals(2, count(lines, 11, "chunked"), "chunked responses of http.server and the framing server");
        assertTrue(lines.stream().filter(l -> !l.split("\\|", -1)[9].isEmpty()).count() >= 10, "IPv4 fragments");
        assertTrue(lines.stream().filter(l -> !l.split("\\|", -1)[10].isEmpty()).count() >= 10, "IPv6 fragments");
    }

    private static long count(List<String> lines, int column, String value) {
        return lines.stream().filter(l -> l.split("\\|", -1)[column].equals(value)).count();
    }
}
