package io.netring.filter;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A deterministic, varied corpus of Ethernet frames for filter tests: Ethernet II and 802.3/LLC
 * (STP, SNAP, Novell raw), VLAN and QinQ stacks, MPLS, PPPoE, ARP/RARP, IPv4 with options and
 * fragments, IPv6 with extension headers, TCP/UDP/ICMP/ICMPv6/SCTP/ESP/AH/IGMP, broadcast and
 * multicast addresses, truncated captures and junk. Addresses and ports come from small pools so
 * that filters naming them find matches.
 */
final class FrameCorpus {
    /** One frame: the captured bytes and the length on the wire. */
    record Frame(byte[] data, int wireLength) {
    }

    static final String[] IPV4 = {"10.0.0.1", "10.0.0.2", "192.168.1.1", "192.168.1.77", "1.2.3.4", "255.255.255.255",
            "224.0.0.1", "0.0.0.0", "172.16.5.4"};
    static final String[] IPV6 = {"2001:db8::1", "2001:db8::2", "fe80::1", "ff02::1", "::1", "2001:db8:1::5"};
    static final String[] MACS = {"ff:ff:ff:ff:ff:ff", "01:00:5e:00:00:01", "00:11:22:33:44:55", "02:00:00:00:00:01",
            "33:33:00:00:00:01", "00:11:22:33:44:66"};
    static final int[] PORTS = {22, 53, 80, 443, 8080, 1000, 1050, 5060, 0, 65535, 123};

    private final Random rnd;

    private FrameCorpus(long base) {
        rnd = new Random(base);
    }

    static List<Frame> generate(long base, int count) {
        FrameCorpus c = new FrameCorpus(base);
        List<Frame> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(c.frame());
        }
        return out;
    }

    /** Frames without VLAN tags or truncation: what a veth delivers unchanged to a packet socket. */
    static List<Frame> generateUntagged(long base, int count) {
        FrameCorpus c = new FrameCorpus(base);
        List<Frame> out = new ArrayList<>(count);
        while (out.size() < count) {
            Frame f = c.frame();
            int type = f.data.length >= 14 ? ((f.data[12] & 0xff) << 8) | (f.data[13] & 0xff) : 0;
            if (f.data.length == f.wireLength && f.data.length >= 60 && type != 0x8100 && type != 0x88a8 && type != 0x9100) {
                out.add(f);
            }
        }
        return out;
    }

    private Frame frame() {
        if (rnd.nextInt(40) == 0) {
            byte[] junk = new byte[rnd.nextInt(80)];
            rnd.nextBytes(junk);
            return new Frame(junk, junk.length + rnd.nextInt(3));
        }
        Buf b = new Buf();
        b.mac(pick(MACS));
        b.mac(pick(MACS));
        int tags = rnd.nextInt(10) < 7 ? 0 : rnd.nextInt(3) + 1;
        for (int i = 0; i < tags; i++) {
            b.u16(new int[] {0x8100, 0x88a8, 0x9100}[rnd.nextInt(3)]);
            b.u16((rnd.nextInt(8) << 13) | pickInt(new int[] {1, 10, 20, 100, 4095, 0}));
        }
        int kind = rnd.nextInt(20);
        switch (kind) {
            case 0, 1, 2, 3, 4, 5, 6 -> { b.u16(0x0800); ipv4(b); }
            case 7, 8, 9, 10 -> { b.u16(0x86dd); ipv6(b); }
            case 11 -> { b.u16(0x0806); arp(b); }
            case 12 -> { b.u16(0x8035); arp(b); }
            case 13, 14 -> llc(b);
            case 15 -> mpls(b);
            case 16 -> { b.u16(0x8863); b.u8(0x11); b.u8(0x09); b.u16(0); b.u16(4); b.u32(0x01010000); }
            case 17 -> pppoes(b);
            default -> { b.u16(pickInt(new int[] {0x88b5, 0x88cc, 0x9000, 0x0600, 0x05dc, 0x05dd})); b.random(rnd, 20 + rnd.nextInt(40)); }
        }
        byte[] full = b.bytes();
        if (rnd.nextInt(7) == 0) {
            int cap = rnd.nextInt(full.length + 1);
            byte[] cut = java.util.Arrays.copyOf(full, cap);
            return new Frame(cut, full.length);
        }
        return new Frame(full, full.length);
    }

    private void ipv4(Buf b) {
        int options = rnd.nextInt(5) == 0 ? rnd.nextInt(3) + 1 : 0;
        int proto = pickInt(new int[] {6, 6, 17, 17, 1, 132, 50, 51, 2, 47, 103});
        Buf payload = new Buf();
        transport(payload, proto, false);
        byte[] p = payload.bytes();
        b.u8(0x40 | (5 + options));
        b.u8(0);
        b.u16(20 + 4 * options + p.length);
        b.u16(rnd.nextInt(65536));
        int frag = rnd.nextInt(6);
        b.u16(frag == 0 ? 0x2000 : frag == 1 ? (rnd.nextInt(0x1fff) + 1) | (rnd.nextBoolean() ? 0x2000 : 0) : frag == 2 ? 0x4000 : 0);
        b.u8(64);
        b.u8(proto);
        b.u16(0);
        b.ipv4(pick(IPV4));
        b.ipv4(pick(IPV4));
        for (int i = 0; i < options; i++) {
            b.u32(0x01010101);
        }
        b.raw(p);
    }

    private void ipv6(Buf b) {
        int exts = rnd.nextInt(3) == 0 ? rnd.nextInt(4) + 1 : 0;
        int[] chain = new int[exts];
        for (int i = 0; i < exts; i++) {
            chain[i] = pickInt(new int[] {0, 60, 43, 44, 51});
        }
        int last = pickInt(new int[] {6, 17, 58, 58, 132, 50, 59, 6});
        Buf payload = new Buf();
        for (int i = 0; i < exts; i++) {
            int next = i + 1 < exts ? chain[i + 1] : last;
            if (chain[i] == 44) {
                payload.u8(next);
                payload.u8(0);
                payload.u16(rnd.nextBoolean() ? 1 : 0x100);
                payload.u32(rnd.nextInt());
            } else if (chain[i] == 51) {
                payload.u8(next);
                payload.u8(1);      // (1 + 2) * 4 = 12 bytes
                payload.u16(0);
                payload.u32(0x100);
                payload.u32(1);
            } else {
                int len = rnd.nextInt(2);
                payload.u8(next);
                payload.u8(len);
                payload.random(rnd, 6 + 8 * len);
            }
        }
        transport(payload, last, true);
        byte[] p = payload.bytes();
        b.u32(0x60000000);
        b.u16(p.length);
        b.u8(exts > 0 ? chain[0] : last);
        b.u8(64);
        b.ipv6(pick(IPV6));
        b.ipv6(pick(IPV6));
        b.raw(p);
    }

    private void transport(Buf b, int proto, boolean v6) {
        switch (proto) {
            case 6 -> {
                b.u16(pickInt(PORTS));
                b.u16(pickInt(PORTS));
                b.u32(rnd.nextInt());
                b.u32(rnd.nextInt());
                b.u8(0x50);
                b.u8(rnd.nextInt(256));
                b.u16(1024);
                b.u32(0);
                b.random(rnd, rnd.nextInt(20));
            }
            case 17, 132 -> {
                b.u16(pickInt(PORTS));
                b.u16(pickInt(PORTS));
                b.u16(8 + 8);
                b.u16(0);
                b.random(rnd, 8);
            }
            case 1, 58 -> {
                b.u8(pickInt(proto == 1 ? new int[] {0, 3, 8, 11, 5, 13} : new int[] {128, 129, 133, 135, 136, 1, 2, 143}));
                b.u8(rnd.nextInt(4));
                b.u16(0);
                b.u32(rnd.nextInt());
            }
            case 51 -> {
                int inner = pickInt(new int[] {6, 17});
                b.u8(inner);
                b.u8(1);
                b.u16(0);
                b.u32(0x100);
                b.u32(1);
                transport(b, inner, v6);
            }
            default -> b.random(rnd, 8 + rnd.nextInt(24));
        }
    }

    private void arp(Buf b) {
        b.u16(1);
        b.u16(0x0800);
        b.u8(6);
        b.u8(4);
        b.u16(rnd.nextInt(4) + 1);
        b.mac(pick(MACS));
        b.ipv4(pick(IPV4));
        b.mac(pick(MACS));
        b.ipv4(pick(IPV4));
    }

    private void llc(Buf b) {
        Buf p = new Buf();
        int which = rnd.nextInt(4);
        if (which == 0) {
            p.u8(0x42); p.u8(0x42); p.u8(0x03); p.u16(0); p.u8(0); p.u8(0); p.random(rnd, 30);  // STP BPDU
        } else if (which == 1) {
            p.u16(0xffff); p.random(rnd, 30);  // Novell raw 802.3
        } else if (which == 2) {
            p.u8(0xaa); p.u8(0xaa); p.u8(0x03); p.u8(0); p.u8(0); p.u8(0); p.u16(0x0800); p.random(rnd, 20);
        } else {
            p.u8(pickInt(new int[] {0x06, 0xf0, 0xfe, 0xe0})); p.u8(0x06); p.u8(0x03); p.random(rnd, 25);
        }
        byte[] bytes = p.bytes();
        b.u16(bytes.length);
        b.raw(bytes);
    }

    private void mpls(Buf b) {
        b.u16(0x8847);
        int labels = rnd.nextInt(2) + 1;
        boolean v6 = rnd.nextBoolean();
        for (int i = 0; i < labels; i++) {
            int label = pickInt(new int[] {3, 5, 100, 1048575});
            b.u32((label << 12) | (i == labels - 1 ? 0x100 : 0) | 64);
        }
        if (v6) {
            ipv6(b);
        } else {
            ipv4(b);
        }
    }

    private void pppoes(Buf b) {
        b.u16(0x8864);
        b.u8(0x11);
        b.u8(0);
        b.u16(pickInt(new int[] {1, 3, 5, 0xffff}));
        Buf inner = new Buf();
        boolean v6 = rnd.nextBoolean();
        inner.u16(v6 ? 0x57 : 0x21);
        if (v6) {
            ipv6(inner);
        } else {
            ipv4(inner);
        }
        byte[] p = inner.bytes();
        b.u16(p.length);
        b.raw(p);
    }

    private String pick(String[] pool) {
        return pool[rnd.nextInt(pool.length)];
    }

    private int pickInt(int[] pool) {
        return pool[rnd.nextInt(pool.length)];
    }

    /** A growing byte buffer with network-order writers. */
    static final class Buf {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        void u8(int v) { out.write(v); }
        void u16(int v) { u8(v >> 8); u8(v); }
        void u32(int v) { u16(v >>> 16); u16(v); }
        void raw(byte[] b) { out.writeBytes(b); }
        void random(Random r, int n) { byte[] b = new byte[n]; r.nextBytes(b); raw(b); }
        void mac(String m) { raw(Addresses.mac(m)); }
        void ipv4(String a) { u32(Addresses.ipv4(a).value()); }
        void ipv6(String a) { raw(Addresses.ipv6(a)); }
        byte[] bytes() { return out.toByteArray(); }
    }
}
