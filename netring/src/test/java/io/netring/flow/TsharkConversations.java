package io.netring.flow;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Runs {@code tshark -q -z conv,PROTO} on a file and returns per-conversation totals keyed by {@link #key}. */
final class TsharkConversations {
    private TsharkConversations() {}

    /** Frames and bytes from A to B and from B to A, where A is the lower endpoint of the key. */
    record Totals(long framesAtoB, long bytesAtoB, long framesBtoA, long bytesBtoA) {
        Totals plus(Totals o) {
            return new Totals(framesAtoB + o.framesAtoB, bytesAtoB + o.bytesAtoB, framesBtoA + o.framesBtoA, bytesBtoA + o.bytesBtoA);
        }
    }

    // "10.0.0.1:40000  <-> 10.0.1.10:80   5 570 bytes   6 1234 bytes  11 ..." (IPv6 addresses may hold colons)
    private static final Pattern LINE = Pattern.compile(
            "^(\\S+):(\\d+)\\s+<->\\s+(\\S+):(\\d+)\\s+(\\d+)\\s+(\\d+) bytes\\s+(\\d+)\\s+(\\d+) bytes.*");

    static Map<String, Totals> run(Path pcap, String proto) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("tshark", "-n", "-q", "-r", pcap.toString(), "-z", "conv," + proto)
                .redirectErrorStream(true).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("tshark did not finish in 60 s");
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        Map<String, Totals> result = new HashMap<>();
        for (String line : out.split("\n")) {
            Matcher m = LINE.matcher(line.trim().replace(",", ""));
            if (!m.matches()) {
                continue;
            }
            // tshark's "<-" columns are frames B to A, "->" frames A to B
            String a = m.group(1) + ":" + m.group(2), b = m.group(3) + ":" + m.group(4);
            Totals t = new Totals(Long.parseLong(m.group(7)), Long.parseLong(m.group(8)),
                    Long.parseLong(m.group(5)), Long.parseLong(m.group(6)));
            result.merge(key(a, b), a.compareTo(b) <= 0 ? t : swap(t), Totals::plus);
        }
        if (result.isEmpty()) {
            throw new IOException("no conversation lines in tshark output:\n" + out);
        }
        return result;
    }

    static String key(String a, String b) {
        return a.compareTo(b) <= 0 ? a + " " + b : b + " " + a;
    }

    static Totals swap(Totals t) {
        return new Totals(t.framesBtoA(), t.bytesBtoA(), t.framesAtoB(), t.bytesAtoB());
    }

    static List<String> lines(Map<String, Totals> m) {
        return m.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).sorted().toList();
    }
}
