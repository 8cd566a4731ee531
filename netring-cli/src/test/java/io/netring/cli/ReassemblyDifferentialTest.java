package io.netring.cli;

import io.netring.testing.ExternalTool;
import io.netring.testing.NeedsTools;
import io.netring.testing.Privileged;
import io.netring.testing.RealTrafficCorpus;
import io.netring.testing.TrafficMangler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code capture -r FILE -T fields} on real traffic ({@link RealTrafficCorpus}) and on mangled
 * copies of it ({@link TrafficMangler}: split, retransmitted, overlapping and reordered TCP
 * segments, reordered fragments), every frame's fields against {@code tshark -2} with
 * out-of-order TCP reassembly and Community ID on. tshark -2 because {@code ip.reassembled_in}
 * exists only in two-pass mode (one pass shows it on no frame), which {@code -r} follows.
 */
@Privileged
@Timeout(300)
@NeedsTools({ExternalTool.TCPDUMP, ExternalTool.TSHARK, ExternalTool.CURL, ExternalTool.OPENSSL, ExternalTool.PYTHON3})
class ReassemblyDifferentialTest {
    /** The compared fields, one a line: a parser wired into -T fields adds its names here. */
    static final List<String> FIELDS = List.of(
            "frame.number",
            "ip.src",
            "ip.dst",
            "ipv6.src",
            "ipv6.dst",
            "tcp.srcport",
            "tcp.dstport",
            "udp.srcport",
            "udp.dstport",
            "udp.length",
            "icmp.type",
            "icmpv6.type",
            "ip.reassembled_in",
            "ipv6.reassembled.in",
            "communityid");
    static final long[] SEEDS = {1, 2, 3};

    @TempDir
    Path dir;

    @Test
    void realTrafficMatchesTshark() throws Exception {
        compare(RealTrafficCorpus.capture());
    }

    @Test
    void mangledTrafficMatchesTshark() throws Exception {
        Path corpus = RealTrafficCorpus.capture();
        for (long seed : SEEDS) {
            Path mangled = dir.resolve("mangled-" + seed + ".pcap");
            TrafficMangler.mangle(corpus, mangled, seed);
            compare(mangled);
        }
    }

    /** Every frame of {@code pcap}, every field: ours equal to tshark's. */
    static void compare(Path pcap) throws Exception {
        List<String> tshark = new ArrayList<>(List.of("tshark", "-2", "-n", "-r", pcap.toString(),
                "-o", "tcp.reassemble_out_of_order:TRUE", "--enable-protocol", "communityid", "-T", "fields"));
        List<String> netring = new ArrayList<>(List.of("capture", "-r", pcap.toString(), "-T", "fields"));
        for (String f : FIELDS) {
            tshark.addAll(List.of("-e", f));
            netring.addAll(List.of("-e", f));
        }
        List<String> theirs = ReferenceTools.run(tshark);
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = NetringCommand.run(netring.toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(err, true));
        assertEquals(0, code, err.toString());
        List<String> ours = out.toString().lines().toList();
        assertEquals(theirs.size(), ours.size(), pcap + ": one line per frame");
        List<String> mismatches = new ArrayList<>();
        for (int i = 0; i < ours.size(); i++) {
            String[] o = ours.get(i).split("\t", -1), t = theirs.get(i).split("\t", -1);
            for (int k = 0; k < FIELDS.size(); k++) {
                if (!o[k].equals(t[k])) {
                    mismatches.add("frame " + (i + 1) + " " + FIELDS.get(k) + ": ours '" + o[k] + "', tshark '" + t[k] + "'");
                }
            }
        }
        assertTrue(mismatches.isEmpty(), pcap.getFileName() + ": " + mismatches.size() + " mismatches in " + ours.size()
                + " frames, first:\n" + String.join("\n", mismatches.subList(0, Math.min(30, mismatches.size()))));
        assertTrue(ours.stream().anyMatch(l -> !l.split("\t", -1)[FIELDS.indexOf("ip.reassembled_in")].isEmpty()),
                "some IPv4 fragments named their completing frame");
    }
}
