package io.netring.cli;

import io.netring.testing.ExternalTool;
import io.netring.testing.NeedsTools;
import io.netring.testing.FrameCorpus;
import io.netring.decode.PacketDecoder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Default lines against {@code tcpdump -n -r}: for every IP, IPv6 and ARP frame of the corpus
 * that was captured whole, the endpoint part ("IP a.1 > b.2:") must be tcpdump's and the whole
 * line too; frames cut short only need the endpoints when tcpdump printed them.
 */
@Timeout(180)
@NeedsTools(ExternalTool.TCPDUMP)
class TcpdumpDifferentialTest {
    @TempDir
    Path dir;

    @Test
    void defaultLines() throws Exception {
        compare(List.of(), false, 0);
    }

    @Test
    void linkLayerLines() throws Exception {
        compare(List.of("-e"), true, 0);
    }

    @Test
    void hexLines() throws Exception {
        compare(List.of("-xx"), false, 2);
        compare(List.of("-x"), false, 1);
    }

    /** -v: the IP header part (tcpdump's first line for IPv4, the parenthesis for IPv6). */
    @Test
    void verboseIpHeader() throws Exception {
        List<FrameCorpus.Frame> frames = FrameCorpus.generate(4243L, 1500);
        Path pcap = dir.resolve("v.pcap");
        FrameCorpus.writePcap(pcap, frames);
        List<String> theirs = records(TsharkDifferentialTest.run(inUtc(ExternalTool.TCPDUMP.command("-n", "-v", "-r", pcap.toString()))));
        assertEquals(frames.size(), theirs.size());
        TcpdumpLine printer = new TcpdumpLine(false, 1, 0);
        PacketDecoder d = new PacketDecoder();
        List<String> mismatches = new ArrayList<>();
        int compared = 0;
        for (int i = 0; i < frames.size(); i++) {
            FrameCorpus.Frame f = frames.get(i);
            if (!(f.kind().startsWith("ipv4") || f.kind().startsWith("ipv6")) || f.kind().contains("/snap")
                    || f.kind().contains("/short") || f.kind().contains("/junk")) {
                continue;
            }
            d.decode(MemorySegment.ofArray(f.data()), 0, f.data().length, f.wireLength());
            StringBuilder sb = new StringBuilder();
            printer.append(sb, d);
            String ours = header(sb.toString());
            String t = header(theirs.get(i));
            compared++;
            if (!ours.equals(t)) {
                mismatches.add("frame " + (i + 1) + " (" + f.kind() + ")\n  ours:    " + ours + "\n  tcpdump: " + t);
            }
        }
        assertTrue(compared > 500, "compared " + compared);
        assertTrue(mismatches.isEmpty(), mismatches.size() + " mismatches, first:\n"
                + String.join("\n", mismatches.subList(0, Math.min(25, mismatches.size()))));
    }

    /** The IP header part of a -v record: up to the newline (IPv4) or the first ") " (IPv6). */
    private static String header(String record) {
        int cut = record.startsWith("IP6") ? record.indexOf(") ", record.indexOf("payload length")) + 1 : record.indexOf('\n');
        return cut <= 0 ? record : record.substring(0, cut);
    }

    /** tcpdump's output as one record per frame (continuation lines joined), timestamps cut. */
    static List<String> records(List<String> lines) {
        List<String> records = new ArrayList<>();
        for (String l : lines) {
            if (l.startsWith("\t") || l.startsWith(" ")) {
                records.set(records.size() - 1, records.getLast() + "\n" + l);
            } else {
                records.add(l.substring(Math.min(l.length(), 16)));
            }
        }
        return records;
    }

    /** {@code command} run with TZ=UTC, as a mutable list to add arguments to. */
    static List<String> inUtc(String... command) {
        List<String> cmd = new ArrayList<>(List.of("env", "TZ=UTC"));
        cmd.addAll(List.of(command));
        return cmd;
    }

    private void compare(List<String> flags, boolean link, int hex) throws Exception {
        List<FrameCorpus.Frame> frames = FrameCorpus.generate(424242L, 2000);
        Path pcap = dir.resolve("corpus.pcap");
        FrameCorpus.writePcap(pcap, frames);
        List<String> cmd = inUtc(ExternalTool.TCPDUMP.command("-n"));
        cmd.addAll(flags);
        cmd.addAll(List.of("-r", pcap.toString()));
        List<String> theirs = records(TsharkDifferentialTest.run(cmd));
        assertEquals(frames.size(), theirs.size(), "one tcpdump record per frame");

        TcpdumpLine printer = new TcpdumpLine(link, 0, hex);
        PacketDecoder d = new PacketDecoder();
        List<String> mismatches = new ArrayList<>();
        int whole = 0;
        for (int i = 0; i < frames.size(); i++) {
            FrameCorpus.Frame f = frames.get(i);
            String kind = f.kind();
            boolean ipOrArp = kind.startsWith("ip") || kind.startsWith("arp");
            boolean intact = !kind.contains("/snap") && !kind.contains("/short") && !kind.contains("/junk");
            if (!ipOrArp && !(intact && (kind.startsWith("other") || kind.startsWith("llc")))) {
                continue;
            }
            d.decode(MemorySegment.ofArray(f.data()), 0, f.data().length, f.wireLength());
            StringBuilder sb = new StringBuilder();
            printer.append(sb, d);
            String ours = sb.toString();
            String t = theirs.get(i);
            if (intact) {
                whole++;
                if (!ours.equals(t)) {
                    mismatches.add("frame " + (i + 1) + " (" + kind + ")\n  ours:    " + ours + "\n  tcpdump: " + t);
                }
            } else {
                String e = endpoints(t);
                String o = ours.replaceFirst("truncated-ip6? - \\d+ bytes missing! ?", "");
                if (e != null && !e.contains("[|") && !o.startsWith(e)) {
                    mismatches.add("frame " + (i + 1) + " (" + kind + ") endpoints\n  ours:    " + ours + "\n  tcpdump: " + t);
                }
            }
        }
        assertTrue(whole > frames.size() / 2, "compared " + whole);
        assertTrue(mismatches.isEmpty(), mismatches.size() + " mismatches (" + flags + "), first:\n"
                + String.join("\n", mismatches.subList(0, Math.min(25, mismatches.size()))));
    }

    /** "IP a.1 > b.2:" from a tcpdump line, or null when it has none. */
    private static String endpoints(String line) {
        line = line.replaceFirst("truncated-ip6? - \\d+ bytes missing! ?", "");
        int gt = line.indexOf(" > ");
        if (!(line.startsWith("IP ") || line.startsWith("IP6 ")) || gt < 0) {
            return null;
        }
        int colon = line.indexOf(':', gt);
        if (line.startsWith("IP6 ")) {
            colon = line.indexOf(": ", gt);
        }
        return colon < 0 ? null : line.substring(0, colon + 1);
    }
}
