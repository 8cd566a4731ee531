package io.netring.cli;

import io.netring.testing.ExternalTool;
import io.netring.testing.NeedsTools;
import io.netring.testing.FrameCorpus;
import io.netring.decode.PacketDecoder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@code -T fields} against tshark itself: the frame corpus goes to a pcap file, tshark prints
 * every field, and for each frame tshark decodes without a malformed mark or an error-level
 * expert item, every field must print what tshark prints.
 */
@Timeout(180)
@NeedsTools(ExternalTool.TSHARK)
class TsharkDifferentialTest {
    static final List<String> FIELDS = List.of("frame.number", "frame.len", "frame.cap_len", "frame.time_epoch",
            "eth.src", "eth.dst", "eth.type", "vlan.id", "ip.src", "ip.dst", "ip.proto", "ip.ttl",
            "ipv6.src", "ipv6.dst", "ipv6.nxt", "tcp.srcport", "tcp.dstport", "tcp.flags",
            "udp.srcport", "udp.dstport", "icmp.type", "icmpv6.type", "arp.opcode",
            "ip.id", "ipv6.hlim", "icmp.code", "icmpv6.code", "dns.id", "dns.qry.name");
    /** tshark's expert severity for errors (PI_ERROR); warnings and below still count as decoded. */
    static final int PI_ERROR = 0x00800000;
    static final int FRAMES = 3000;

    @TempDir
    Path dir;

    @Test
    void everyFieldMatchesTshark() throws Exception {
        compare("a", FrameCorpus.generate(20261201L, FRAMES));
    }

    @Test
    void firstOccurrenceMatchesTshark() throws Exception {
        compare("f", FrameCorpus.generate(777L, 1000));
    }

    private void compare(String occurrence, List<FrameCorpus.Frame> frames) throws Exception {
        Path pcap = dir.resolve("corpus.pcap");
        FrameCorpus.writePcap(pcap, frames);
        List<String> cmd = new ArrayList<>(List.of("tshark", "-n", "-r", pcap.toString(),
                "-o", "ip.defragment:FALSE", "-o", "ipv6.defragment:FALSE",
                "-T", "fields", "-E", "occurrence=" + occurrence, "-e", "_ws.malformed", "-e", "_ws.expert.severity", "-e", "_ws.short"));
        for (String f : FIELDS) {
            cmd.add("-e");
            cmd.add(f);
        }
        List<String> theirs = run(cmd);
        assertEquals(frames.size(), theirs.size(), "tshark printed one line per frame");

        FieldPrinter printer = new FieldPrinter(FIELDS, '\t', occurrence.equals("f") ? 1 : FieldPrinter.ALL);
        PacketDecoder decoder = new PacketDecoder();
        PacketLayers layers = new PacketLayers(decoder);
        FrameMeta meta = new FrameMeta();
        int compared = 0;
        List<String> mismatches = new ArrayList<>();
        for (int i = 0; i < frames.size(); i++) {
            String[] t = theirs.get(i).split("\t", -1);
            if (!t[0].isEmpty() || severe(t[1]) || !t[2].isEmpty()) {
                continue;
            }
            FrameCorpus.Frame f = frames.get(i);
            long us = FrameCorpus.micros(i);
            meta.set(i + 1, us / 1_000_000, (int) (us % 1_000_000) * 1000, f.data().length, f.wireLength());
            decoder.decode(MemorySegment.ofArray(f.data()), 0, f.data().length, f.wireLength());
            StringBuilder line = new StringBuilder();
            printer.append(line, layers.refresh(), meta);
            String[] ours = line.toString().split("\t", -1);
            compared++;
            for (int k = 0; k < FIELDS.size(); k++) {
                if (!ours[k].equals(t[k + 3])) {
                    mismatches.add("frame " + (i + 1) + " (" + f.kind() + ") " + FIELDS.get(k) + ": ours '" + ours[k]
                            + "', tshark '" + t[k + 3] + "'");
                }
            }
        }
        assertTrue(compared > frames.size() * 0.8, "too few frames compared: " + compared + " of " + frames.size());
        assertTrue(mismatches.isEmpty(), mismatches.size() + " mismatches in " + compared + " frames, first:\n"
                + String.join("\n", mismatches.subList(0, Math.min(40, mismatches.size()))));
    }

    private static boolean severe(String severities) {
        for (String s : severities.split(",")) {
            if (!s.isEmpty() && Integer.decode(s) >= PI_ERROR) {
                return true;
            }
        }
        return false;
    }

    static List<String> run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), cmd.get(0) + " finished");
        assertEquals(0, p.exitValue(), String.join(" ", cmd));
        return new String(out, StandardCharsets.UTF_8).lines().toList();
    }
}
