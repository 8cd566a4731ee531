package io.netring.reassembly;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static io.netring.testing.FrameBuilder.*;

/**
 * Reproducible (by variant) IPv4 and IPv6 datagrams larger than the MTU (UDP, ICMP echo, ICMPv6 echo), cut into
 * fragments and then disturbed: in order, reordered, a fragment twice, an extra fragment
 * overlapping others (same bytes or different), the last or a middle fragment missing. The
 * datagrams' fragments are interleaved, each datagram's own order kept.
 */
final class FragmentScenarios {
    enum Disturbance { IN_ORDER, REORDERED, DUPLICATED, OVERLAPPING, MISSING_LAST, MISSING_MIDDLE }

    private FragmentScenarios() {}

    static List<byte[]> generate(long variant, int datagrams) {
        Random r = new Random(variant);
        List<List<byte[]>> perDatagram = new ArrayList<>();
        Disturbance[] kinds = Disturbance.values();
        for (int i = 0; i < datagrams; i++) {
            perDatagram.add(fragments(r, kinds[i % kinds.length], 0x1000 + i));
        }
        List<byte[]> out = new ArrayList<>();
        while (!perDatagram.isEmpty()) {
            int pick = r.nextInt(Math.min(4, perDatagram.size()));
            List<byte[]> l = perDatagram.get(pick);
            out.add(l.removeFirst());
            if (l.isEmpty()) {
                perDatagram.remove(pick);
            }
        }
        return out;
    }

    /** A fragment: its offset in the payload and its bytes. */
    private record Piece(int offset, byte[] data, boolean last) {}

    private static List<byte[]> fragments(Random r, Disturbance how, int id) {
        boolean v6 = r.nextBoolean();
        byte[] src = v6 ? ipv6Addr(0x2001, 0xdb8, 0, 0, 0, 0, 0, 1 + r.nextInt(9)) : ipv4Addr(10, 0, 0, 1 + r.nextInt(9));
        byte[] dst = v6 ? ipv6Addr(0x2001, 0xdb8, 0, 0, 0, 0, 1, 1 + r.nextInt(9)) : ipv4Addr(10, 0, 1, 1 + r.nextInt(9));
        byte[] data = new byte[3000 + r.nextInt(3000)];
        r.nextBytes(data);
        int protocol;
        byte[] transport;
        if (r.nextBoolean()) {
            protocol = 17;
            transport = udp(40000 + r.nextInt(100), 41000 + r.nextInt(100), data);
        } else {
            protocol = v6 ? 58 : 1;
            int idAndSeq = (r.nextInt(65536) << 16) | r.nextInt(65536);
            transport = v6 ? icmpv6(128, 0, idAndSeq, data) : icmp(8, 0, idAndSeq, data);
        }
        // Checksums over the whole datagram, as the sender computes them before fragmenting.
        byte[] whole = v6 ? ipv6(src, dst, protocol, 64, transport) : ipv4(src, dst, protocol, 64, id, 0, new byte[0], transport);
        fixTransportChecksum(whole, 0, v6 ? 40 : 20, protocol);
        byte[] payload = Arrays.copyOfRange(whole, v6 ? 40 : 20, whole.length);

        int chunk = (new int[] {576, 1280, 1500}[r.nextInt(3)] - (v6 ? 48 : 20)) & ~7;
        List<Piece> pieces = new ArrayList<>();
        for (int off = 0; off < payload.length; off += chunk) {
            int end = Math.min(payload.length, off + chunk);
            pieces.add(new Piece(off, Arrays.copyOfRange(payload, off, end), end == payload.length));
        }
        switch (how) {
            case IN_ORDER -> { }
            case REORDERED -> Collections.shuffle(pieces, r);
            case DUPLICATED -> pieces.add(r.nextInt(pieces.size() + 1), pieces.get(r.nextInt(pieces.size())));
            case OVERLAPPING -> {
                int from = 8 * r.nextInt(payload.length / 8 - 1);
                int to = Math.min(payload.length - 8, from + 8 * (1 + r.nextInt(chunk / 8 + 20)));
                byte[] bytes = Arrays.copyOfRange(payload, from, to);
                if (r.nextBoolean()) {
                    for (int i = 0; i < bytes.length; i++) {
                        bytes[i] ^= (byte) 0x5A;                        // conflicting copy
                    }
                }
                pieces.add(r.nextInt(pieces.size() + 1), new Piece(from, bytes, false));
                if (r.nextBoolean()) {
                    Collections.shuffle(pieces, r);
                }
            }
            case MISSING_LAST -> pieces.removeLast();
            case MISSING_MIDDLE -> pieces.remove(1 + r.nextInt(pieces.size() - 2));
        }
        List<byte[]> frames = new ArrayList<>();
        for (Piece p : pieces) {
            byte[] ip = v6 ? ipv6(src, dst, 44, 64, ipv6Fragment(protocol, p.offset(), !p.last(), id, p.data()))
                    : ipv4(src, dst, protocol, 64, id, (p.last() ? 0 : 0x2000) | p.offset() / 8, new byte[0], p.data());
            frames.add(pad(ethernet(0x020000000002L, 0x020000000001L, v6 ? 0x86DD : 0x0800, ip)));
        }
        return frames;
    }
}
