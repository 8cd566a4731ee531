package io.netring.examples;

import io.netring.testing.ExternalTool;
import io.netring.testing.NeedsTools;
import io.netring.testing.Privileged;
import io.netring.testing.RealTrafficCorpus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The dpi example on real traffic (curl, openssl s_client, DNS, fragments, recorded between two
 * namespaces by {@link RealTrafficCorpus}): the names it prints, and the frames it prints them on,
 * are tshark's with out-of-order reassembly on.
 */
@Privileged
@Timeout(180)
@NeedsTools({ExternalTool.IP, ExternalTool.TCPDUMP, ExternalTool.CURL, ExternalTool.OPENSSL, ExternalTool.PYTHON3,
        ExternalTool.TSHARK})
class DpiRealTrafficTest {
    private static final Pattern FRAME = Pattern.compile("^frame (\\d+) .*");

    @Test
    void printsTheNamesTsharkFinds() throws Exception {
        Path corpus = RealTrafficCorpus.capture();
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        PrintStream original = System.out;
        try {
            System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
            Dpi.main(new String[] {"-r", corpus.toString()});
        } finally {
            System.setOut(original);
        }
        List<String> lines = buffer.toString(StandardCharsets.UTF_8).lines().toList();
        String all = String.join("\n", lines);

        assertEquals(tshark(corpus, "http.host"), printed(lines, " host=(\\S+)"), all);
        assertEquals(tshark(corpus, "http.request.uri"), printed(lines, " uri=(\\S+)"), all);
        assertEquals(tshark(corpus, "tls.handshake.extensions_server_name"), printed(lines, " sni=(\\S+)"), all);
        assertEquals(tshark(corpus, "tls.handshake.extensions_alpn_str"), printed(lines, " alpn=(\\S+)"), all);
        assertEquals(tshark(corpus, "dns.qry.name"), printed(lines, "DNS (?:query|response) (\\S+)"), all);
        assertEquals(tshark(corpus, "dns.a"), printed(lines, " a=(\\S+)"), all);
        assertEquals(tshark(corpus, "dns.cname"), printed(lines, " cname=(\\S+)"), all);

        assertTrue(all.contains("sni=" + RealTrafficCorpus.SERVER_NAME + " alpn=h2,http/1.1"), all);
        assertTrue(all.contains("HTTP request POST host=" + RealTrafficCorpus.SERVER_V4 + ":8080 uri=/upload user-agent=netring-corpus/1"),
                all);
        assertTrue(all.contains("tcp [" + RealTrafficCorpus.CLIENT_V6 + "]:"), "IPv6 streams: " + all);
        assertTrue(lines.getLast().matches("frames: \\d+, TCP streams: \\d+, seen: \\{DNS=\\d+, HTTP=\\d+, TLS=\\d+}"),
                lines.getLast());
    }

    /** "frame value" for each value of each printed message line the pattern finds. */
    private static TreeSet<String> printed(List<String> lines, String valuePattern) {
        Pattern value = Pattern.compile(valuePattern);
        TreeSet<String> found = new TreeSet<>();
        for (String line : lines) {
            Matcher frame = FRAME.matcher(line);
            Matcher v = value.matcher(line);
            if (frame.matches() && v.find()) {
                for (String one : v.group(1).split(",")) {
                    found.add(frame.group(1) + " " + one);
                }
            }
        }
        return found;
    }

    /** "frame value" for each value tshark shows of {@code field}, out-of-order reassembly on. */
    private static TreeSet<String> tshark(Path pcap, String field) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("-n", "-r", pcap.toString(),
                "-o", "tcp.reassemble_out_of_order:TRUE", "-T", "fields", "-E", "separator=|", "-E", "occurrence=a",
                "-e", "frame.number", "-e", field));
        args.addAll(RealTrafficCorpus.TSHARK_DECODE_AS);
        Process p = new ProcessBuilder(ExternalTool.TSHARK.command(args.toArray(String[]::new)))
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        List<String> out = new ArrayList<>(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "tshark ended");
        assertEquals(0, p.exitValue(), "tshark's exit code");
        TreeSet<String> found = new TreeSet<>();
        for (String line : out) {
            String[] cols = line.split("\\|", -1);
            if (!cols[1].isEmpty()) {
                for (String one : cols[1].split(",")) {
                    found.add(cols[0] + " " + one);
                }
            }
        }
        return found;
    }
}
