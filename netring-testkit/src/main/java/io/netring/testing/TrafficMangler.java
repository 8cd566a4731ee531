package io.netring.testing;

import io.netring.OwnedPacket;
import io.netring.Timestamp;
import io.netring.pcap.PcapFormat;
import io.netring.pcap.PcapReader;
import io.netring.pcap.PcapWriter;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Rewrites a pcap of real traffic into the harder cases reassembly must survive, numbered and
 * reproducible (same input and variant number, same output bytes): TCP segments with data are split in
 * two or three, sent again (a retransmission), overlapped by a segment that repeats the bytes
 * around a split (same bytes), and reordered within a window together with IP fragments.
 *
 * <p>Only frames carrying TCP data or IP fragments move, and none across a SYN, FIN or RST, so
 * every connection still opens and closes where it did. Timestamps stay non-decreasing in file
 * order, as a capture point stamps frames in the order they pass it: the output's k-th frame
 * takes the k-th time of the input (extra copies the time of the frame they came from), so a
 * frame moved later carries a later time. New segments get their IP length and checksums set.
 */
public final class TrafficMangler {
    /** How far (in frames that may move) a frame may be moved. */
    public static final int WINDOW = 6;
    private static final double SPLIT = 0.35, RETRANSMIT = 0.15, OVERLAP = 0.2, REORDER = 0.5;

    private TrafficMangler() {}

    /** Reads {@code in} (Ethernet), writes the mangled frames to {@code out} (pcap); returns how many it wrote. */
    public static int mangle(Path in, Path out, long variant) throws IOException {
        List<Unit> units = new ArrayList<>();
        try (PcapReader reader = PcapReader.open(in)) {
            reader.packets().forEach(p -> {
                OwnedPacket o = p.toOwned();
                units.add(new Unit(o.data(), o.originalLength(), o.timestamp()));
            });
        }
        List<Unit> result = mangle(units, new SplittableRandom(variant));
        try (PcapWriter w = PcapWriter.open(out, PcapFormat.PCAP)) {
            for (Unit u : result) {
                w.write(new OwnedPacket(u.data, u.time, u.wireLength));
            }
        }
        return result.size();
    }

    /** One output frame: its bytes, its length on the wire, the time of the frame it came from. */
    private record Unit(byte[] data, int wireLength, Timestamp time) {}

    private static List<Unit> mangle(List<Unit> input, SplittableRandom random) {
        List<Unit> expanded = new ArrayList<>();
        List<Unit> later = new ArrayList<>();           // retransmissions, placed a few frames on
        List<Integer> laterAt = new ArrayList<>();
        for (Unit u : input) {
            Frame f = Frame.parse(u.data);
            if (f != null && f.tcpPayload() >= 4 && u.data.length == u.wireLength && !f.syn() && !f.rst()) {
                List<Unit> pieces = new ArrayList<>();
                int n = f.tcpPayload();
                int[] cuts = random.nextDouble() < SPLIT ? cuts(n, random) : new int[] {0, n};
                for (int i = 0; i + 1 < cuts.length; i++) {
                    pieces.add(new Unit(f.segment(cuts[i], cuts[i + 1], i + 2 == cuts.length), u.wireLength, u.time));
                }
                if (cuts.length > 2 && random.nextDouble() < OVERLAP) {
                    // the bytes on both sides of the first cut once more, as one segment
                    int from = Math.max(0, cuts[1] - 1 - random.nextInt(Math.min(cuts[1], 64)));
                    int to = Math.min(n, cuts[1] + 1 + random.nextInt(Math.min(n - cuts[1], 64)));
                    pieces.add(random.nextInt(pieces.size() + 1), new Unit(f.segment(from, to, false), u.wireLength, u.time));
                }
                for (Unit piece : pieces) {
                    expanded.add(fixLength(piece));
                }
                if (random.nextDouble() < RETRANSMIT) {
                    later.add(fixLength(pieces.get(random.nextInt(pieces.size()))));
                    laterAt.add(expanded.size() + 1 + random.nextInt(WINDOW));
                }
            } else {
                expanded.add(u);
            }
            for (int i = 0; i < later.size(); i++) {
                if (laterAt.get(i) <= expanded.size()) {
                    expanded.add(later.remove(i));
                    laterAt.remove(i--);
                }
            }
        }
        expanded.addAll(later);
        reorder(expanded, random);
        // Times in file order: the k-th output frame takes the k-th smallest time.
        Timestamp[] times = expanded.stream().map(Unit::time).sorted().toArray(Timestamp[]::new);
        List<Unit> out = new ArrayList<>(expanded.size());
        for (int i = 0; i < expanded.size(); i++) {
            Unit u = expanded.get(i);
            out.add(new Unit(u.data, u.wireLength, times[i]));
        }
        return out;
    }

    private static Unit fixLength(Unit u) {
        return new Unit(u.data, u.data.length, u.time);
    }

    /** Two or three pieces: the cut points, 0 and n included. */
    private static int[] cuts(int n, SplittableRandom random) {
        if (n >= 6 && random.nextBoolean()) {
            int a = 1 + random.nextInt(n / 2 - 1);
            int b = a + 1 + random.nextInt(n - a - 1);
            return new int[] {0, a, b, n};
        }
        return new int[] {0, 1 + random.nextInt(n - 1), n};
    }

    /** Moves frames with TCP data and IP fragments within {@link #WINDOW} of their place, never across a SYN, FIN or RST. */
    private static void reorder(List<Unit> frames, SplittableRandom random) {
        List<Integer> slots = new ArrayList<>();
        for (int i = 0; i <= frames.size(); i++) {
            Frame f = i < frames.size() ? Frame.parse(frames.get(i).data) : null;
            boolean barrier = i == frames.size() || (f != null && (f.syn() || f.fin() || f.rst()));
            if (barrier) {
                shuffle(frames, slots, random);
                slots.clear();
            } else if (f != null && (f.tcpPayload() > 0 || f.fragment())) {
                slots.add(i);
            }
        }
    }

    /** A windowed shuffle of the frames in {@code slots}: each swap spans fewer than {@link #WINDOW} slots. */
    private static void shuffle(List<Unit> frames, List<Integer> slots, SplittableRandom random) {
        for (int i = 0; i + 1 < slots.size(); i++) {
            if (random.nextDouble() < REORDER) {
                int j = i + 1 + random.nextInt(Math.min(WINDOW, slots.size() - i - 1));
                Unit a = frames.get(slots.get(i));
                frames.set(slots.get(i), frames.get(slots.get(j)));
                frames.set(slots.get(j), a);
            }
        }
    }

    /** The layers of one Ethernet frame the mangler reads and rewrites. */
    private record Frame(byte[] data, int ip, int ipVersion, int ipHeaderEnd, int tcp, int tcpHeaderEnd, int end,
                         boolean fragment) {
        static Frame parse(byte[] d) {
            if (d.length < 14) {
                return null;
            }
            int at = 12;
            int type = u16(d, at);
            while ((type == 0x8100 || type == 0x88A8) && at + 6 <= d.length) {
                at += 4;
                type = u16(d, at);
            }
            int ip = at + 2;
            if (type == 0x0800 && ip + 20 <= d.length) {
                int ihl = (d[ip] & 0x0F) * 4;
                int end = Math.min(d.length, ip + u16(d, ip + 2));
                boolean fragment = (u16(d, ip + 6) & 0x3FFF) != 0;
                if (!fragment && (d[ip + 9] & 0xFF) == 6) {
                    return tcp(d, ip, 4, ip + ihl, end);
                }
                return new Frame(d, ip, 4, ip + ihl, -1, -1, end, fragment);
            }
            if (type == 0x86DD && ip + 40 <= d.length) {
                int end = Math.min(d.length, ip + 40 + u16(d, ip + 4));
                int next = d[ip + 6] & 0xFF;
                int pos = ip + 40;
                while ((next == 0 || next == 43 || next == 60 || next == 44) && pos + 8 <= end) {
                    if (next == 44) {
                        return new Frame(d, ip, 6, pos, -1, -1, end, true);
                    }
                    next = d[pos] & 0xFF;
                    pos += ((d[pos + 1] & 0xFF) + 1) * 8;
                }
                return next == 6 ? tcp(d, ip, 6, pos, end) : new Frame(d, ip, 6, pos, -1, -1, end, false);
            }
            return null;
        }

        private static Frame tcp(byte[] d, int ip, int version, int tcp, int end) {
            if (tcp + 20 > end) {
                return new Frame(d, ip, version, tcp, -1, -1, end, false);
            }
            int headerEnd = tcp + ((d[tcp + 12] & 0xF0) >>> 2);
            return new Frame(d, ip, version, tcp, tcp, Math.min(headerEnd, end), end, false);
        }

        int tcpPayload() {
            return tcp < 0 ? 0 : end - tcpHeaderEnd;
        }

        boolean syn() {
            return tcp >= 0 && (data[tcp + 13] & 0x02) != 0;
        }

        boolean fin() {
            return tcp >= 0 && (data[tcp + 13] & 0x01) != 0;
        }

        boolean rst() {
            return tcp >= 0 && (data[tcp + 13] & 0x04) != 0;
        }

        /**
         * This segment carrying only payload bytes [from, to): sequence number moved on, FIN and
         * PSH kept only on the {@code last} piece, lengths and checksums set.
         */
        byte[] segment(int from, int to, boolean last) {
            byte[] out = new byte[tcpHeaderEnd + (to - from)];
            System.arraycopy(data, 0, out, 0, tcpHeaderEnd);
            System.arraycopy(data, tcpHeaderEnd + from, out, tcpHeaderEnd, to - from);
            long seq = (u32(data, tcp + 4) + from) & 0xFFFFFFFFL;
            put32(out, tcp + 4, seq);
            if (!last) {
                out[tcp + 13] &= (byte) ~0x09;             // FIN and PSH belong to the last piece
            }
            if (ipVersion == 4) {
                put16(out, ip + 2, out.length - ip);
                put16(out, ip + 10, 0);
                put16(out, ip + 10, checksum(out, ip, ipHeaderEnd - ip, 0));
            } else {
                put16(out, ip + 4, out.length - ip - 40);
            }
            int tcpLength = out.length - tcp;
            long pseudo = ipVersion == 4 ? sum(out, ip + 12, 8) : sum(out, ip + 8, 32);
            pseudo += 6 + tcpLength;
            put16(out, tcp + 16, 0);
            put16(out, tcp + 16, checksum(out, tcp, tcpLength, pseudo));
            return out;
        }
    }

    private static long sum(byte[] b, int at, int length) {
        long s = 0;
        for (int i = 0; i < length; i += 2) {
            s += ((b[at + i] & 0xFF) << 8) | (i + 1 < length ? b[at + i + 1] & 0xFF : 0);
        }
        return s;
    }

    private static int checksum(byte[] b, int at, int length, long initial) {
        long s = initial + sum(b, at, length);
        while ((s >>> 16) != 0) {
            s = (s & 0xFFFF) + (s >>> 16);
        }
        return (int) (~s & 0xFFFF);
    }

    private static int u16(byte[] b, int at) {
        return ((b[at] & 0xFF) << 8) | (b[at + 1] & 0xFF);
    }

    private static long u32(byte[] b, int at) {
        return ((long) u16(b, at) << 16) | u16(b, at + 2);
    }

    private static void put16(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 8);
        b[at + 1] = (byte) v;
    }

    private static void put32(byte[] b, int at, long v) {
        put16(b, at, (int) (v >>> 16));
        put16(b, at + 2, (int) v);
    }
}
