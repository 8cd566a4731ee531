package io.netring.cli;

import io.netring.testing.ExternalTool;
import io.netring.testing.NeedsTools;
import io.netring.testing.FrameCorpus;
import io.netring.testing.TcpConversation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;

import static io.netring.testing.FrameBuilder.ipv4Addr;
import static io.netring.testing.FrameBuilder.ipv6Addr;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code netring streams -r FILE -o DIR} against {@code tcpflow -r FILE -o DIR} on generated
 * TCP traffic — segments in order, reordered, retransmitted, overlapping with the same bytes,
 * missing, several connections interleaved, IPv4 and IPv6, VLAN-tagged, a 5-tuple used twice,
 * sequence numbers across the wrap: the same file names and every file byte for byte.
 */
@NeedsTools(ExternalTool.TCPFLOW)
@Timeout(120)
class StreamsDifferentialTest {
    enum Disturbance { IN_ORDER, REORDERED, RETRANSMITTED, OVERLAPPING, MISSING_MIDDLE }

    @TempDir
    Path dir;

    @Test
    void filesEqualTcpflows() throws Exception {
        Random r = new Random(23);
        List<List<byte[]>> conversations = new ArrayList<>();
        Disturbance[] kinds = Disturbance.values();
        for (int i = 0; i < 40; i++) {
            conversations.add(conversation(r, i, kinds[i % kinds.length]));
        }
        // the client port of conversation 0 again, after it ended: tcpflow's "c1" file
        conversations.add(conversationOn(r, 10_000, 0, false, Disturbance.IN_ORDER));
        Path pcap = dir.resolve("tcp.pcap");
        FrameCorpus.writePcap(pcap, interleave(r, conversations));
        TreeMap<String, byte[]> theirs = tcpflow(pcap), ours = netringStreams(pcap);
        assertEquals(theirs.keySet(), ours.keySet());
        assertTrue(theirs.size() > 60, theirs.keySet().toString());
        assertTrue(theirs.keySet().stream().anyMatch(n -> n.contains(":")), "an IPv6 file");
        assertTrue(theirs.keySet().stream().anyMatch(n -> n.contains("--")), "a VLAN file");
        assertTrue(theirs.keySet().stream().anyMatch(n -> n.endsWith("c1")), "a reused 5-tuple");
        for (String name : theirs.keySet()) {
            assertTrue(Arrays.equals(theirs.get(name), ours.get(name)), name + ": " + theirs.get(name).length
                    + " bytes from tcpflow, " + ours.get(name).length + " from netring");
        }
    }

    /** The conversations' frames mixed at random, each conversation's own order kept, conversation 0 first and the last one last. */
    static List<FrameCorpus.Frame> interleave(Random r, List<List<byte[]>> conversations) {
        List<List<byte[]>> open = new ArrayList<>();
        for (List<byte[]> c : conversations.subList(0, conversations.size() - 1)) {
            open.add(new ArrayList<>(c));
        }
        List<FrameCorpus.Frame> out = new ArrayList<>();
        open.getFirst().forEach(f -> out.add(new FrameCorpus.Frame(f, f.length, "tcp")));
        open.removeFirst();
        while (!open.isEmpty()) {
            int pick = r.nextInt(Math.min(5, open.size()));
            byte[] f = open.get(pick).removeFirst();
            out.add(new FrameCorpus.Frame(f, f.length, "tcp"));
            if (open.get(pick).isEmpty()) {
                open.remove(pick);
            }
        }
        conversations.getLast().forEach(f -> out.add(new FrameCorpus.Frame(f, f.length, "tcp")));
        return out;
    }

    private static List<byte[]> conversation(Random r, int index, Disturbance how) {
        return conversationOn(r, 10_000 + index, index % 7 == 3 ? 100 + index : 0, index % 4 == 1, how);
    }

    /** A connection with data both ways cut into random segments, disturbed as {@code how} says, then closed. */
    static List<byte[]> conversationOn(Random r, int clientPort, int vlan, boolean v6, Disturbance how) {
        byte[] client = v6 ? ipv6Addr(0x2001, 0xdb8, 0, 0, 0, 0, 0, 1) : ipv4Addr(10, 0, 0, 1);
        byte[] server = v6 ? ipv6Addr(0x2001, 0xdb8, 0, 0, 0, 0, 1, 2) : ipv4Addr(10, 0, 1, 2);
        // some connections start just before the 2^32 wrap
        long isn = r.nextInt(3) == 0 ? 0xFFFF_FFFFL - r.nextInt(3000) : r.nextInt() & 0xFFFF_FFFFL;
        TcpConversation c = TcpConversation.between(client, clientPort, server, 80, vlan, isn, r.nextInt() & 0xFFFF_FFFFL)
                .handshake();
        for (boolean fromClient : new boolean[]{true, false}) {
            byte[] data = new byte[200 + r.nextInt(6000)];
            r.nextBytes(data);
            List<int[]> cuts = new ArrayList<>();                        // [offset, length]
            for (int at = 0; at < data.length; ) {
                int n = Math.min(data.length - at, 1 + r.nextInt(1400));
                cuts.add(new int[]{at, n});
                at += n;
            }
            if (cuts.size() < 3) {
                cuts = List.of(new int[]{0, 100}, new int[]{100, 50}, new int[]{150, data.length - 150});
            }
            cuts = new ArrayList<>(cuts);
            switch (how) {
                case IN_ORDER -> { }
                case REORDERED -> {
                    int i = 1 + r.nextInt(cuts.size() - 1);
                    cuts.add(i - 1, cuts.remove(i));
                }
                case RETRANSMITTED -> cuts.add(1 + r.nextInt(cuts.size() - 1), cuts.get(r.nextInt(cuts.size())));
                case OVERLAPPING -> {
                    int i = r.nextInt(cuts.size() - 1);
                    int from = cuts.get(i)[0] + cuts.get(i)[1] / 2;
                    int to = cuts.get(i + 1)[0] + cuts.get(i + 1)[1] / 2 + 1;
                    cuts.add(i + 2, new int[]{from, to - from});        // the same bytes again, across a boundary
                    if (r.nextBoolean()) {
                        cuts.add(i, cuts.remove(i + 2));                 // and ahead of both, held out of order
                    }
                }
                case MISSING_MIDDLE -> cuts.remove(1 + r.nextInt(cuts.size() - 2));
            }
            for (int[] cut : cuts) {
                c.data(fromClient, cut[0], Arrays.copyOfRange(data, cut[0], cut[0] + cut[1]));
            }
        }
        return c.close().frames();
    }

    static TreeMap<String, byte[]> tcpflow(Path pcap) throws IOException {
        Path out = Files.createDirectory(pcap.resolveSibling("tcpflow"));
        ReferenceTools.run(List.of("tcpflow", "-r", pcap.toString(), "-o", out.toString()));
        return files(out);
    }

    static TreeMap<String, byte[]> netringStreams(Path pcap) throws IOException {
        Path out = Files.createDirectory(pcap.resolveSibling("netring"));
        StringWriter err = new StringWriter();
        int code = NetringCommand.run(new String[]{"streams", "-r", pcap.toString(), "-o", out.toString()},
                new PrintWriter(new StringWriter(), true), new PrintWriter(err, true));
        assertEquals(0, code, err.toString());
        return files(out);
    }

    /** The stream files of a directory by name (tcpflow's report.xml left out). */
    static TreeMap<String, byte[]> files(Path dir) throws IOException {
        TreeMap<String, byte[]> m = new TreeMap<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.toList()) {
                if (!p.getFileName().toString().equals("report.xml")) {
                    m.put(p.getFileName().toString(), Files.readAllBytes(p));
                }
            }
        }
        return m;
    }
}
