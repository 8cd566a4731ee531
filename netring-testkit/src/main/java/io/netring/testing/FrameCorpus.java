package io.netring.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;

import io.netring.decode.PacketDecoder;

import static io.netring.testing.FrameBuilder.*;

/**
 * A varied, reproducible set of Ethernet frames for the decoder's tests: Ethernet II and
 * 802.3/LLC, VLAN and QinQ, ARP, IPv4 with options and fragments, IPv6 with extension headers
 * and fragments, TCP flags and options, UDP, DNS, ICMP (errors quoting a datagram too),
 * ICMPv6, frames cut by a snap length, frames cut short and junk. {@link #writePcap} saves them
 * for tshark and tcpdump.
 */
public final class FrameCorpus {
    /** One frame: its captured bytes and its length on the wire (larger when cut by a snap length). */
    public record Frame(byte[] data, int wireLength, String kind) {}

    public static final long FIRST_SECOND = 1_700_000_000L;

    private FrameCorpus() {}

    /** {@code count} frames; the same {@code variant} always gives the same frames. */
    public static List<Frame> generate(long variant, int count) {
        Random r = new Random(variant);
        List<Frame> frames = new ArrayList<>();
        while (frames.size() < count) {
            if (r.nextInt(40) == 0) {
                for (Frame f : conversation(r)) {
                    if (frames.size() < count) {
                        frames.add(f);
                    }
                }
            } else {
                frames.add(frame(r));
            }
        }
        return frames;
    }

    /**
     * A short TCP connection, over IPv4 or IPv6: handshake, data both ways, FIN and last ACK,
     * so printers that number sequences relative to the connection (tcpdump) are exercised.
     */
    public static List<Frame> conversation(Random r) {
        boolean v6 = r.nextBoolean();
        byte[] a = v6 ? ip6(r) : ip4(r);
        byte[] b = v6 ? ip6(r) : ip4(r);
        long macA = r.nextLong() & 0xFEFFFFFFFFFFL;
        long macB = r.nextLong() & 0xFEFFFFFFFFFFL;
        int pa = 20000 + r.nextInt(40000);
        int pb = r.nextBoolean() ? 443 : 20000 + r.nextInt(40000);
        long sa = r.nextInt() & 0xFFFFFFFFL;
        long sb = r.nextInt() & 0xFFFFFFFFL;
        int dataA = 1 + r.nextInt(200);
        int dataB = 1 + r.nextInt(500);
        byte[] syn = bytes(2, 4, 5, 0xB4, 4, 2, 1, 3, 3, 7, 1, 1);
        List<Frame> out = new ArrayList<>();
        out.add(segment(v6, macA, macB, a, b, pa, pb, sa, 0, 0x02, syn, 0, r));
        out.add(segment(v6, macB, macA, b, a, pb, pa, sb, sa + 1, 0x12, syn, 0, r));
        out.add(segment(v6, macA, macB, a, b, pa, pb, sa + 1, sb + 1, 0x10, new byte[0], 0, r));
        out.add(segment(v6, macA, macB, a, b, pa, pb, sa + 1, sb + 1, 0x18, new byte[0], dataA, r));
        out.add(segment(v6, macB, macA, b, a, pb, pa, sb + 1, sa + 1 + dataA, 0x18, new byte[0], dataB, r));
        out.add(segment(v6, macA, macB, a, b, pa, pb, sa + 1 + dataA, sb + 1 + dataB, 0x11, new byte[0], 0, r));
        out.add(segment(v6, macB, macA, b, a, pb, pa, sb + 1 + dataB, sa + 2 + dataA, 0x11, new byte[0], 0, r));
        out.add(segment(v6, macA, macB, a, b, pa, pb, sa + 2 + dataA, sb + 2 + dataB, 0x10, new byte[0], 0, r));
        return out;
    }

    private static Frame segment(boolean v6, long srcMac, long dstMac, byte[] src, byte[] dst, int sport, int dport,
                                 long seq, long ack, int flags, byte[] options, int data, Random r) {
        byte[] t = tcp(sport, dport, seq & 0xFFFFFFFFL, ack & 0xFFFFFFFFL, flags, 502 + r.nextInt(64000), options, randomBytes(r, data));
        byte[] frame = v6 ? ethernet(dstMac, srcMac, 0x86DD, ipv6(src, dst, 6, 64, t))
                : ethernet(dstMac, srcMac, 0x0800, ipv4(src, dst, 6, 64, r.nextInt(65536), 0x4000, new byte[0], t));
        fixChecksums(frame);
        frame = pad(frame);
        return new Frame(frame, frame.length, (v6 ? "ipv6" : "ipv4") + "/conversation");
    }

    /** Timestamp of frame {@code index} (0-based): whole seconds from {@link #FIRST_SECOND}, then microseconds. */
    public static long micros(int index) {
        return (FIRST_SECOND + index) * 1_000_000L + (index * 7919L) % 1_000_000L;
    }

    static Frame frame(Random r) {
        int pick = r.nextInt(100);
        String kind;
        byte[] l3;
        int etherType;
        if (pick < 6) {
            kind = "arp";
            etherType = 0x0806;
            l3 = arp(1 + r.nextInt(2), r.nextLong() & 0xFEFFFFFFFFFFL, ip4(r), r.nextBoolean() ? 0 : r.nextLong() & 0xFFFFFFFFFFFFL, ip4(r));
        } else if (pick < 10) {
            kind = "other";
            etherType = r.nextBoolean() ? 0x88B5 : 0x88B6;             // local experimental
            l3 = randomBytes(r, r.nextInt(50));
        } else if (pick < 55) {
            kind = "ipv4";
            etherType = 0x0800;
            l3 = ipv4Packet(r);
        } else {
            kind = "ipv6";
            etherType = 0x86DD;
            l3 = ipv6Packet(r);
        }
        long dst = r.nextInt(4) == 0 ? 0xFFFFFFFFFFFFL : r.nextLong() & 0xFEFFFFFFFFFFL;
        long src = r.nextLong() & 0xFEFFFFFFFFFFL;
        int link = r.nextInt(10);
        byte[] frame;
        if (link == 0) {
            kind += "/vlan";
            frame = ethernet(dst, src, 0x8100, concat(vlanTag(r.nextInt(8), 1 + r.nextInt(4094), etherType), l3));
        } else if (link == 1) {
            kind += "/qinq";
            frame = ethernet(dst, src, 0x88A8, concat(vlanTag(0, 1 + r.nextInt(4094), 0x8100),
                    vlanTag(r.nextInt(8), 1 + r.nextInt(4094), etherType), l3));
        } else if (link == 2) {
            kind = "llc";
            // SAPs no dissector knows (tcpdump and tshark decode STP, SNAP, IPX, NetBIOS... themselves).
            int sap = 0x10 + 0x10 * r.nextInt(3);
            byte[] llc = concat(bytes(sap, sap, 0x03), randomBytes(r, 35 + r.nextInt(20)));
            frame = ethernet(dst, src, llc.length, llc);
        } else {
            frame = ethernet(dst, src, etherType, l3);
        }
        fixChecksums(frame);
        frame = pad(frame);
        int cut = r.nextInt(100);
        if (cut < 8) {
            int len = r.nextInt(frame.length + 1);
            return new Frame(Arrays.copyOf(frame, len), frame.length, kind + "/snap");
        }
        if (cut < 11) {
            int len = r.nextInt(frame.length + 1);
            return new Frame(Arrays.copyOf(frame, len), len, kind + "/short");
        }
        if (cut < 13) {
            byte[] junk = frame.clone();
            for (int i = 0; i < 3; i++) {
                junk[14 + r.nextInt(Math.max(1, junk.length - 14))] = (byte) r.nextInt();
            }
            return new Frame(junk, junk.length, kind + "/junk");
        }
        return new Frame(frame, frame.length, kind);
    }

    private static byte[] ipv4Packet(Random r) {
        byte[] options = switch (r.nextInt(6)) {
            case 0 -> bytes(0x94, 4, 0, 0);                      // router alert
            case 1 -> bytes(1, 1, 1, 0);                          // NOPs, end
            default -> new byte[0];
        };
        int frag = 0;
        int fk = r.nextInt(12);
        if (fk == 0) {
            frag = 0x2000;                                        // first fragment, more follow
        } else if (fk == 1) {
            frag = 0x2000 | (1 + r.nextInt(100));                 // middle
        } else if (fk == 2) {
            frag = 1 + r.nextInt(100);                            // last
        } else if (r.nextBoolean()) {
            frag = 0x4000;                                        // don't fragment
        }
        Transport t = transport(r, 7, false, () -> {
            int experimental = 253 + r.nextInt(2);
            return new Transport(experimental, randomBytes(r, r.nextInt(30)));
        });
        return ipv4(ip4(r), ip4(r), t.protocol(), 1 + r.nextInt(255), r.nextInt(65536), frag, options, t.bytes());
    }

    /** A transport header and what follows it, with its IP protocol number. */
    private record Transport(int protocol, byte[] bytes) {}

    /**
     * Of ten: four TCP, UDP up to {@code udpEnd}, ICMP (ICMPv6 when {@code v6}) up to nine, and
     * the last one {@code other}.
     */
    private static Transport transport(Random r, int udpEnd, boolean v6, Supplier<Transport> other) {
        int p = r.nextInt(10);
        if (p < 4) {
            return new Transport(6, tcpSegment(r));
        } else if (p < udpEnd) {
            return new Transport(17, udpDatagram(r));
        } else if (p < 9) {
            return v6 ? new Transport(58, icmpv6Message(r)) : new Transport(1, icmpMessage(r));
        }
        return other.get();
    }

    private static byte[] ipv6Packet(Random r) {
        Transport t = transport(r, 6, true, () -> new Transport(59, new byte[0])); // 59: no next header
        int next = t.protocol();
        byte[] payload = t.bytes();
        switch (r.nextInt(8)) {
            case 0 -> {
                payload = ipv6Options(next, payload);
                next = 0;
            }
            case 1 -> {
                payload = ipv6Options(next, payload);
                next = 60;
                payload = ipv6Options(next, payload);
                next = 0;
            }
            case 2 -> {
                payload = ipv6Routing(next, payload);
                next = 43;
            }
            case 3 -> {
                boolean first = r.nextBoolean();
                payload = ipv6Fragment(next, first ? 0 : 8 * (1 + r.nextInt(100)), r.nextBoolean() || first, r.nextInt(), payload);
                next = 44;
            }
            default -> { }
        }
        return ipv6(ip6(r), ip6(r), next, 1 + r.nextInt(255), payload);
    }

    static byte[] tcpSegment(Random r) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        int flags = switch (r.nextInt(8)) {
            case 0 -> 0x02;
            case 1 -> 0x12;
            case 2 -> 0x10;
            case 3 -> 0x18;
            case 4 -> 0x11;
            case 5 -> 0x04;
            case 6 -> 0x14;
            default -> r.nextInt(0x1000) & 0x1FF;
        };
        if ((flags & 0x02) != 0 || r.nextInt(3) == 0) {
            if (r.nextBoolean()) {
                o.writeBytes(bytes(2, 4, (1460 >> 8), 1460 & 0xFF));
            }
            if (r.nextBoolean()) {
                o.writeBytes(bytes(4, 2));
            }
            if (r.nextBoolean()) {
                byte[] ts = new byte[10];
                ts[0] = 8;
                ts[1] = 10;
                put32(ts, 2, r.nextInt() & 0xFFFFFFFFL);
                put32(ts, 6, r.nextInt() & 0xFFFFFFFFL);
                o.writeBytes(ts);
            }
            if (r.nextBoolean()) {
                o.writeBytes(bytes(1, 3, 3, r.nextInt(15)));
            }
            while (o.size() % 4 != 0) {
                o.write(1);
            }
        }
        byte[] data = (flags & 0x02) != 0 || r.nextBoolean() ? new byte[0] : randomBytes(r, 1 + r.nextInt(100));
        // Ports without a tcpdump application printer, so its lines end where ours do.
        int sport = 20000 + r.nextInt(40000);
        int dport = r.nextBoolean() ? 443 : 20000 + r.nextInt(40000);
        return tcp(sport, dport, r.nextInt() & 0xFFFFFFFFL, (flags & 0x10) != 0 ? r.nextInt() & 0xFFFFFFFFL : 0,
                flags, r.nextInt(65536), o.toByteArray(), data);
    }

    private static byte[] udpDatagram(Random r) {
        if (r.nextInt(5) == 0) {
            return udp(53, 30000 + r.nextInt(30000), dnsResponse(r));
        }
        if (r.nextInt(3) == 0) {
            String[] names = {"www.example.com", "a.b", "netring.example.org", "x"};
            byte[] dns = dnsQuery(r.nextInt(65536), r.nextBoolean() ? 0x0100 : 0x0000, names[r.nextInt(names.length)],
                    r.nextBoolean() ? 1 : 28);
            return udp(30000 + r.nextInt(30000), 53, dns);
        }
        int sport = 20000 + r.nextInt(40000);
        int dport = 20000 + r.nextInt(40000);
        return udp(sport, dport, randomBytes(r, r.nextInt(60)));
    }

    /** A response with A, AAAA and CNAME answers whose names point back at the question (compression). */
    private static byte[] dnsResponse(Random r) {
        String[] names = {"www.example.com", "a.b", "netring.example.org"};
        int qtype = r.nextBoolean() ? 1 : 28;
        int flags = 0x8000 | (r.nextBoolean() ? 0x0100 : 0) | (r.nextBoolean() ? 0x0080 : 0)
                | (r.nextInt(4) == 0 ? 0x0400 : 0) | (r.nextInt(4) == 0 ? 3 : 0);
        byte[] query = dnsQuery(r.nextInt(65536), flags, names[r.nextInt(names.length)], qtype);
        int answers = r.nextInt(4);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(query);
        for (int i = 0; i < answers; i++) {
            int type = i == 0 && r.nextInt(3) == 0 ? 5 : qtype;
            byte[] data = switch (type) {
                case 1 -> ip4(r);
                case 28 -> ip6(r);
                default -> concat(bytes(3), "cdn".getBytes(java.nio.charset.StandardCharsets.US_ASCII), bytes(0xC0, 12));
            };
            out.writeBytes(bytes(0xC0, 12, 0, type, 0, 1, 0, 0, 0x0E, 0x10, 0, data.length));
            out.writeBytes(data);
        }
        byte[] m = out.toByteArray();
        put16(m, 6, answers);
        return m;
    }

    private static byte[] icmpMessage(Random r) {
        return switch (r.nextInt(4)) {
            case 0 -> icmp(8, 0, r.nextInt(), randomBytes(r, r.nextInt(56)));
            case 1 -> icmp(0, 0, r.nextInt(), randomBytes(r, r.nextInt(56)));
            case 2 -> {
                // Port unreachable quoting the IPv4 + UDP header it answers.
                byte[] inner = ipv4(ip4(r), ip4(r), 17, 64, r.nextInt(65536), 0, new byte[0], udp(40000, 33434, new byte[0]));
                yield icmp(3, 3, 0, inner);
            }
            default -> icmp(11, 0, 0, ipv4(ip4(r), ip4(r), 6, 1, 1, 0, new byte[0], Arrays.copyOf(tcpSegment(r), 8)));
        };
    }

    private static byte[] icmpv6Message(Random r) {
        return switch (r.nextInt(5)) {
            case 0 -> icmpv6(128, 0, r.nextInt(), randomBytes(r, r.nextInt(56)));
            case 1 -> icmpv6(129, 0, r.nextInt(), randomBytes(r, r.nextInt(56)));
            case 2 -> icmpv6(135, 0, 0, ip6(r));
            case 3 -> icmpv6(136, 0, 0x60000000, ip6(r));
            default -> icmpv6(133, 0, 0, new byte[0]);
        };
    }

    static byte[] ip4(Random r) {
        return ipv4Addr(1 + r.nextInt(223), r.nextInt(256), r.nextInt(256), 1 + r.nextInt(254));
    }

    /** IPv6 addresses with zero runs of varied lengths, to exercise the :: rules. */
    static byte[] ip6(Random r) {
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) {
            g[i] = r.nextInt(3) == 0 ? 0 : r.nextInt(r.nextBoolean() ? 16 : 65536);
        }
        if (r.nextInt(4) == 0) {
            g = new int[] {0xfe80, 0, 0, 0, r.nextInt(65536), r.nextInt(65536), 0, 1 + r.nextInt(9)};
        }
        return ipv6Addr(g);
    }

    static byte[] randomBytes(Random r, int n) {
        byte[] b = new byte[n];
        r.nextBytes(b);
        return b;
    }

    /** Sets the transport checksums using the decoder to find the headers (tcpdump -v checks them). */
    static void fixChecksums(byte[] frame) {
        PacketDecoder d = new PacketDecoder().decode(MemorySegment.ofArray(frame));
        if (d.transportOffset() >= 0 && d.networkOffset() >= 0) {
            fixTransportChecksum(frame, d.networkOffset(), d.transportOffset(), d.ipProtocol());
        }
    }

    /** Writes the frames as a classic microsecond pcap file (link type Ethernet). */
    public static void writePcap(Path file, List<Frame> frames) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer h = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        h.putInt(0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(262144).putInt(1);
        out.writeBytes(h.array());
        for (int i = 0; i < frames.size(); i++) {
            Frame f = frames.get(i);
            long us = micros(i);
            ByteBuffer rec = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
            rec.putInt((int) (us / 1_000_000)).putInt((int) (us % 1_000_000)).putInt(f.data().length).putInt(f.wireLength());
            out.writeBytes(rec.array());
            out.writeBytes(f.data());
        }
        Files.write(file, out.toByteArray());
    }
}
