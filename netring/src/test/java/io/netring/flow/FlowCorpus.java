package io.netring.flow;

import io.netring.flow.CorpusFrames.End;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static io.netring.flow.CorpusFrames.*;

/**
 * A deterministic mix of conversations: TCP handshakes with data closed by FIN or RST, IPv6,
 * a VLAN-tagged flow, UDP request/response pairs, ICMP echo, and a UDP flow with an idle gap.
 * Conversations are interleaved in time, one packet per millisecond step or more.
 */
final class FlowCorpus {
    /** A frame and when it was seen. */
    record Frame(long timestampNanos, byte[] bytes) {}

    static final long START = 1_767_225_600_000_000_000L; // 2026-01-01T00:00:00Z
    static final long IDLE_GAP_NANOS = 120_000_000_000L;

    private final List<List<byte[]>> conversations = new ArrayList<>();
    private final List<byte[]> afterGap = new ArrayList<>();

    /** Writes {@code frames} as a nanosecond pcap, for tshark. */
    static void writePcap(java.nio.file.Path path, List<Frame> frames) throws java.io.IOException {
        try (var w = io.netring.pcap.PcapWriter.open(path, io.netring.pcap.PcapFormat.PCAP)) {
            for (Frame f : frames) {
                var ts = new io.netring.Timestamp(f.timestampNanos() / 1_000_000_000L, (int) (f.timestampNanos() % 1_000_000_000L));
                w.write(new io.netring.OwnedPacket(f.bytes(), ts, f.bytes().length));
            }
        }
    }

    static List<Frame> build(long randomStart) {
        return new FlowCorpus().generate(new Random(randomStart));
    }

    private List<Frame> generate(Random rnd) {
        for (int i = 0; i < 12; i++) {
            tcpFin(new End(v4(10, 0, 0, 1 + i % 3), 40000 + i), new End(v4(10, 0, 1, 10 + i % 2), 80), rnd.nextInt(4) + 1, 0);
        }
        for (int i = 0; i < 4; i++) {
            tcpRst(new End(v4(10, 0, 0, 7), 41000 + i), new End(v4(10, 0, 1, 20), 443));
        }
        for (int i = 0; i < 4; i++) {
            tcpFin(new End(v6(1, 0), 42000 + i), new End(v6(2, 1), 8080), 2, 0);
        }
        tcpFin(new End(v4(192, 168, 5, 1), 43000), new End(v4(192, 168, 5, 2), 22), 3, 100);
        tcpFin(new End(v6(9, 3), 43001), new End(v6(10, 3), 22), 1, 200);
        for (int i = 0; i < 6; i++) {
            udpPair(new End(v4(10, 0, 0, 9), 50000 + i), new End(v4(10, 0, 1, 53), 53), 1 + i % 3);
        }
        udpPair(new End(v6(5, 0), 50100), new End(v6(53, 0), 53), 2);
        icmpEcho(new End(v4(10, 0, 0, 1), 8), new End(v4(10, 0, 1, 1), 0), 3);
        // a UDP flow that pauses longer than the idle timeout: two records, one tshark conversation
        End a = new End(v4(10, 0, 0, 30), 51000), b = new End(v4(10, 0, 1, 30), 5000);
        conversations.add(List.of(frame(UDP, a, b, 0, 10, 0), frame(UDP, b, a, 0, 20, 0)));
        afterGap.add(frame(UDP, a, b, 0, 30, 0));
        afterGap.add(frame(UDP, b, a, 0, 40, 0));

        List<Frame> out = new ArrayList<>();
        List<Integer> cursor = new ArrayList<>();
        for (int i = 0; i < conversations.size(); i++) {
            cursor.add(0);
        }
        long t = START;
        int left = conversations.stream().mapToInt(List::size).sum();
        while (left > 0) {
            int c = rnd.nextInt(conversations.size());
            int k = cursor.get(c);
            if (k >= conversations.get(c).size()) {
                continue;
            }
            t += 1_000_000L + rnd.nextInt(1000);
            out.add(new Frame(t, conversations.get(c).get(k)));
            cursor.set(c, k + 1);
            left--;
        }
        t += IDLE_GAP_NANOS;
        for (byte[] f : afterGap) {
            t += 1_000_000L;
            out.add(new Frame(t, f));
        }
        return out;
    }

    private void tcpFin(End c, End s, int dataRounds, int vlan) {
        List<byte[]> f = handshake(c, s, vlan);
        for (int i = 0; i < dataRounds; i++) {
            f.add(frame(TCP, c, s, 0x18, 50 + 10 * i, vlan));
            f.add(frame(TCP, s, c, 0x18, 300 + i, vlan));
            f.add(frame(TCP, c, s, 0x10, 0, vlan));
        }
        f.add(frame(TCP, c, s, 0x11, 0, vlan));
        f.add(frame(TCP, s, c, 0x11, 0, vlan));
        f.add(frame(TCP, c, s, 0x10, 0, vlan));
        conversations.add(f);
    }

    private void tcpRst(End c, End s) {
        List<byte[]> f = handshake(c, s, 0);
        f.add(frame(TCP, c, s, 0x18, 20, 0));
        f.add(frame(TCP, s, c, 0x14, 0, 0));
        conversations.add(f);
    }

    private static List<byte[]> handshake(End c, End s, int vlan) {
        List<byte[]> f = new ArrayList<>();
        f.add(frame(TCP, c, s, 0x02, 0, vlan));
        f.add(frame(TCP, s, c, 0x12, 0, vlan));
        f.add(frame(TCP, c, s, 0x10, 0, vlan));
        return f;
    }

    private void udpPair(End c, End s, int rounds) {
        List<byte[]> f = new ArrayList<>();
        for (int i = 0; i < rounds; i++) {
            f.add(frame(UDP, c, s, 0, 30 + i, 0));
            f.add(frame(UDP, s, c, 0, 90 + i, 0));
        }
        conversations.add(f);
    }

    private void icmpEcho(End c, End s, int rounds) {
        List<byte[]> f = new ArrayList<>();
        for (int i = 0; i < rounds; i++) {
            f.add(frame(ICMP, new End(c.addr(), 8), new End(s.addr(), 0), 0, 16, 0));
            f.add(frame(ICMP, new End(s.addr(), 0), new End(c.addr(), 0), 0, 16, 0));
        }
        conversations.add(f);
    }
}
