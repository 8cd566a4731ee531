package io.netring.cli;

import io.netring.testing.ExternalTool;
import io.netring.testing.NeedsTools;
import io.netring.testing.Privileged;
import io.netring.testing.RealTrafficCorpus;
import io.netring.testing.TrafficMangler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The mangler: reproducible by variant number, and what it makes is what tshark calls retransmitted, overlapping and out of order. */
@Privileged
@Timeout(180)
@NeedsTools({ExternalTool.TCPDUMP, ExternalTool.TSHARK, ExternalTool.CURL, ExternalTool.OPENSSL, ExternalTool.PYTHON3})
class TrafficManglerTest {

    @Test
    void sameSeedSameBytesAndTsharkSeesTheDamage(@TempDir Path dir) throws Exception {
        Path corpus = RealTrafficCorpus.capture();
        Path a = dir.resolve("a.pcap"), b = dir.resolve("b.pcap"), c = dir.resolve("c.pcap");
        int frames = TrafficMangler.mangle(corpus, a, 7);
        TrafficMangler.mangle(corpus, b, 7);
        TrafficMangler.mangle(corpus, c, 8);
        assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b), "same variant, same bytes");
        assertFalse(java.util.Arrays.equals(Files.readAllBytes(a), Files.readAllBytes(c)), "another variant, another file");

        List<String> original = ReferenceTools.run(List.of("tshark", "-n", "-r", corpus.toString(), "-T", "fields", "-e", "frame.number"));
        assertTrue(frames > original.size(), frames + " frames from " + original.size());
        List<String> lines = ReferenceTools.run(List.of("tshark", "-n", "-r", a.toString(), "-T", "fields", "-E", "separator=|",
                "-e", "frame.time_epoch", "-e", "tcp.analysis.retransmission", "-e", "tcp.analysis.out_of_order",
                "-e", "tcp.analysis.lost_segment", "-e", "ip.flags.mf", "-e", "ip.frag_offset"));
        assertEquals(frames, lines.size());
        double last = 0;
        for (String l : lines) {
            double t = Double.parseDouble(l.split("\\|", -1)[0]);
            assertTrue(t >= last, "timestamps never go back: " + l);
            last = t;
        }
        assertTrue(count(lines, 1) > 0 || count(lines, 2) > 0, "retransmissions or out-of-order segments");
        assertTrue(count(lines, 3) > 0, "segments seen before the ones they follow");
    }

    private static long count(List<String> lines, int column) {
        return lines.stream().filter(l -> !l.split("\\|", -1)[column].isEmpty()).count();
    }
}
