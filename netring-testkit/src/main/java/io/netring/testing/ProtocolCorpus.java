package io.netring.testing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import io.netring.testing.FrameCorpus.Frame;

import static io.netring.testing.FrameBuilder.*;

/**
 * Reproducible frames of one protocol family each, for printers compared line by line with
 * tcpdump: every TCP flag and option form, HTTP ports, UDP with bad lengths, every ICMP and
 * ICMPv6 type and code (errors quoting a datagram), ARP and RARP of every opcode, DNS messages
 * with many record types, compression, bad labels and cut-off ends, and one frame of each
 * protocol tcpdump only names (SCTP, GRE, ESP, AH, NTP, BOOTP, SNMP, syslog). A frame's kind
 * starts with its family's name; "/snap" marks one cut by a snap length.
 */
public final class ProtocolCorpus {
    /**
     * The families; {@link #generate} takes one. The {@code _ERRORS} ones hold only the error
     * messages of ICMP (unreachable, source quench, redirect, time exceeded, parameter problem)
     * and ICMPv6 (unreachable, packet too big, time exceeded, parameter problem), which quote a
     * datagram. New families go last: a family's frames depend on its position.
     */
    public enum Family { TCP, UDP, ICMP, ICMPV6, ARP, DNS, OTHER, ICMP_ERRORS, ICMPV6_ERRORS }

    private ProtocolCorpus() {}

    /** {@code count} frames of {@code family}; the same variant always gives the same frames. */
    public static List<Frame> generate(Family family, long variant, int count) {
        Random r = new Random(variant * 31 + family.ordinal());
        List<Frame> frames = new ArrayList<>();
        while (frames.size() < count) {
            switch (family) {
                case TCP -> {
                    if (r.nextInt(12) == 0) {
                        for (Frame f : FrameCorpus.conversation(r)) {
                            frames.add(new Frame(f.data(), f.wireLength(), "tcp/conversation"));
                        }
                    } else {
                        frames.add(ip(r, "tcp", 6, tcpSegment(r), true));
                    }
                }
                case UDP -> frames.add(ip(r, "udp", 17, udpDatagram(r), true));
                case ICMP -> frames.add(ip4(r, "icmp", 1, icmpMessage(r, false), true));
                case ICMPV6 -> frames.add(ip6(r, "icmpv6", 58, icmpv6Message(r, false), true));
                case ICMP_ERRORS -> frames.add(ip4(r, "icmp", 1, icmpMessage(r, true), true));
                case ICMPV6_ERRORS -> frames.add(ip6(r, "icmpv6", 58, icmpv6Message(r, true), true));
                case ARP -> frames.add(arpFrame(r));
                case DNS -> frames.add(ip(r, "dns", 17, dnsDatagram(r), true));
                case OTHER -> frames.add(other(r));
            }
        }
        return new ArrayList<>(frames.subList(0, count));
    }

    // ---- framing -------------------------------------------------------------------------

    private static Frame ip(Random r, String kind, int proto, byte[] l4, boolean mayCut) {
        return r.nextBoolean() ? ip4(r, kind, proto, l4, mayCut) : ip6(r, kind, proto, l4, mayCut);
    }

    private static Frame ip4(Random r, String kind, int proto, byte[] l4, boolean mayCut) {
        byte[] l3 = ipv4(FrameCorpus.ip4(r), FrameCorpus.ip4(r), proto, 1 + r.nextInt(255), r.nextInt(65536),
                r.nextBoolean() ? 0x4000 : 0, new byte[0], l4);
        return frame(r, kind, 0x0800, l3, mayCut);
    }

    private static Frame ip6(Random r, String kind, int proto, byte[] l4, boolean mayCut) {
        return frame(r, kind, 0x86DD, ipv6(FrameCorpus.ip6(r), FrameCorpus.ip6(r), proto, 1 + r.nextInt(255), l4), mayCut);
    }

    private static Frame frame(Random r, String kind, int etherType, byte[] l3, boolean mayCut) {
        byte[] f = ethernet(r.nextLong() & 0xFEFFFFFFFFFFL, r.nextLong() & 0xFEFFFFFFFFFFL, etherType, l3);
        FrameCorpus.fixChecksums(f);
        f = pad(f);
        if (mayCut && r.nextInt(10) == 0) {
            int len = 14 + r.nextInt(f.length - 13);
            return new Frame(Arrays.copyOf(f, len), f.length, kind + "/snap");
        }
        return new Frame(f, f.length, kind);
    }

    private static int highPort(Random r) {
        return 33000 + r.nextInt(7000);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static <T> T pick(Random r, List<T> values) {
        return values.get(r.nextInt(values.size()));
    }

    // ---- TCP -----------------------------------------------------------------------------

    private static final List<String> HTTP_PAYLOADS = List.of(
            "GET /index.html HTTP/1.1\r\nHost: example.com\r\n\r\n",
            "POST /api/v1 HTTP/1.0\r\nContent-Length: 0\r\n\r\n",
            "HTTP/1.1 200 OK\r\nServer: x\r\n\r\n",
            "HTTP/1.1 404 Not Found\nX: y\n\n",
            "options * HTTP/1.1\r\n",
            "GET /no-line-end",
            "hello world\r\n",
            "PROPFIND /dav HTTP/1.1\r\n");

    private static byte[] tcpSegment(Random r) {
        int sport = highPort(r);
        int dport = switch (r.nextInt(6)) {
            case 0 -> 80;
            case 1 -> 8080;
            case 2 -> 443;
            default -> highPort(r);
        };
        if (r.nextInt(4) == 0) {
            int t = sport;
            sport = dport;
            dport = t;
        }
        int flags = switch (r.nextInt(10)) {
            case 0 -> 0x02;
            case 1 -> 0x12;
            case 2 -> 0x10;
            case 3 -> 0x18;
            case 4 -> 0x11;
            case 5 -> 0x04;
            case 6 -> 0x14;
            case 7 -> 0x38;
            case 8 -> 0xC2;
            default -> r.nextInt(0x1000) & 0x1FF;
        };
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        int options = r.nextInt(3) == 0 ? 0 : r.nextInt(5);
        for (int i = 0; i < options; i++) {
            switch (r.nextInt(12)) {
                case 0 -> o.writeBytes(bytes(2, 4, r.nextInt(256), r.nextInt(256)));
                case 1 -> o.writeBytes(bytes(3, 3, r.nextInt(15)));
                case 2 -> o.writeBytes(bytes(4, 2));
                case 3 -> {
                    byte[] ts = new byte[10];
                    ts[0] = 8;
                    ts[1] = 10;
                    put32(ts, 2, r.nextInt() & 0xFFFFFFFFL);
                    put32(ts, 6, r.nextInt() & 0xFFFFFFFFL);
                    o.writeBytes(ts);
                }
                case 4 -> {
                    int blocks = 1 + r.nextInt(3);
                    byte[] s = new byte[2 + 8 * blocks];
                    s[0] = 5;
                    s[1] = (byte) s.length;
                    for (int b = 0; b < 2 * blocks; b++) {
                        put32(s, 2 + 4 * b, r.nextInt() & 0xFFFFFFFFL);
                    }
                    o.writeBytes(s);
                }
                case 5 -> o.write(1);
                case 6 -> o.write(0);
                case 7 -> o.writeBytes(concat(bytes(99 + r.nextInt(50), 2 + (r.nextInt(4) == 0 ? 0 : 2)), new byte[2]));
                case 8 -> o.writeBytes(bytes(28, 4, r.nextInt(256), r.nextInt(256)));   // user timeout
                case 9 -> o.writeBytes(bytes(2, 3, 5));                                  // mss of a wrong length
                case 10 -> o.writeBytes(bytes(6, 6, 1, 2, 3, 4));                        // echo
                default -> o.writeBytes(bytes(254, 4, 0x12, 0x34));                      // experiment
            }
        }
        while (o.size() % 4 != 0) {
            o.write(r.nextBoolean() ? 1 : 0);
        }
        byte[] optionBytes = Arrays.copyOf(o.toByteArray(), Math.min(o.size(), 40));
        byte[] data;
        boolean http = sport == 80 || sport == 8080 || dport == 80 || dport == 8080;
        int dk = r.nextInt(3);
        if (dk == 0) {
            data = new byte[0];
        } else if (http && dk == 1) {
            data = ascii(pick(r, HTTP_PAYLOADS));
        } else {
            data = FrameCorpus.randomBytes(r, 1 + r.nextInt(120));
        }
        byte[] t = tcp(sport, dport, r.nextInt() & 0xFFFFFFFFL, r.nextInt() & 0xFFFFFFFFL, flags, r.nextInt(65536),
                optionBytes, data);
        if ((flags & 0x20) != 0 || r.nextInt(20) == 0) {
            put16(t, 18, r.nextInt(65536));
        }
        if (r.nextInt(40) == 0) {
            t[12] = (byte) ((r.nextInt(5) << 4) | (t[12] & 0x0F));            // data offset under 5 words
        }
        return t;
    }

    // ---- UDP -----------------------------------------------------------------------------

    private static byte[] udpDatagram(Random r) {
        byte[] u = udp(highPort(r), highPort(r), FrameCorpus.randomBytes(r, r.nextInt(5) == 0 ? 0 : r.nextInt(100)));
        int odd = r.nextInt(20);
        if (odd == 0) {
            put16(u, 4, u.length + 1 + r.nextInt(100));                       // longer than the datagram
        } else if (odd == 1) {
            put16(u, 4, r.nextInt(8));                                         // under the header
        }
        return u;
    }

    // ---- ICMP ----------------------------------------------------------------------------

    private static final int[] ICMP_TYPES = {0, 3, 3, 3, 4, 5, 5, 8, 9, 10, 11, 11, 12, 13, 14, 15, 16, 17, 18,
            1, 2, 6, 7, 19, 30, 37, 40, 42, 43, 200};

    /** The protocol of the datagram an ICMP or ICMPv6 error quotes: TCP, UDP (twice as often) or GRE. */
    private static int quotedProtocol(Random r) {
        return switch (r.nextInt(4)) {
            case 0 -> 6;
            case 1, 2 -> 17;
            default -> 47;
        };
    }

    /** The first 8 bytes after the quoted header: a high source port and any destination port. */
    private static byte[] quotedPorts(Random r) {
        byte[] ports = new byte[8];
        put16(ports, 0, highPort(r));
        put16(ports, 2, r.nextInt(65536));
        return ports;
    }

    private static byte[] quotedIpv4(Random r) {
        int proto = quotedProtocol(r);
        byte[] ports = quotedPorts(r);
        byte[] options = r.nextInt(6) == 0 ? bytes(1, 1, 1, 0) : new byte[0];
        byte[] inner = ipv4(FrameCorpus.ip4(r), FrameCorpus.ip4(r), proto, 1 + r.nextInt(64), r.nextInt(65536), 0x4000,
                options, ports);
        put16(inner, 2, inner.length + r.nextInt(200));                      // the original was longer
        return inner;
    }

    private static final int[] ICMP_ERROR_TYPES = {3, 3, 3, 4, 5, 11, 12};

    private static byte[] icmpMessage(Random r, boolean errorsOnly) {
        int type = errorsOnly ? ICMP_ERROR_TYPES[r.nextInt(ICMP_ERROR_TYPES.length)]
                : r.nextInt(8) == 0 ? r.nextInt(256) : ICMP_TYPES[r.nextInt(ICMP_TYPES.length)];
        int code = switch (type) {
            case 3 -> r.nextInt(10) == 0 ? 16 + r.nextInt(240) : r.nextInt(16);
            case 5 -> r.nextInt(6);
            case 11, 12 -> r.nextInt(4);
            default -> r.nextInt(6) == 0 ? r.nextInt(256) : 0;
        };
        int rest = r.nextInt();
        byte[] body;
        switch (type) {
            case 3, 4, 5, 11, 12 -> {
                body = quotedIpv4(r);
                if (type == 3 && code == 4 && r.nextBoolean()) {
                    rest &= 0xFFFF0000;
                }
                if (type == 12) {
                    rest = (r.nextInt(40) << 24) | (rest & 0xFFFFFF);
                }
                if (r.nextInt(12) == 0) {
                    body = Arrays.copyOf(body, r.nextInt(body.length));     // quoted datagram cut short
                }
            }
            case 9 -> {
                int n = r.nextInt(4);
                int size = r.nextInt(6) == 0 ? 3 : 2;
                int[] lifetimes = {30, 600, 1800, 3599, 3600, 9000, 65535};
                rest = (n << 24) | (size << 16) | lifetimes[r.nextInt(lifetimes.length)];
                body = FrameCorpus.randomBytes(r, 8 * n);
            }
            case 13, 14 -> body = FrameCorpus.randomBytes(r, 12);
            case 17, 18 -> body = FrameCorpus.randomBytes(r, 4);
            default -> body = FrameCorpus.randomBytes(r, r.nextInt(40));
        }
        return icmp(type, code, rest, body);
    }

    // ---- ICMPv6 --------------------------------------------------------------------------

    private static final int[] ICMPV6_TYPES = {1, 1, 1, 1, 2, 3, 3, 4, 4, 128, 129, 130, 130, 131, 132, 133, 134,
            135, 136, 137, 141, 142, 143, 144, 145, 146, 147, 148, 149, 150, 200, 5, 100};

    private static byte[] quotedIpv6(Random r) {
        int proto = quotedProtocol(r);
        byte[] ports = quotedPorts(r);
        byte[] payload = r.nextInt(5) == 0 ? ipv6Options(proto, ports) : ports;
        byte[] inner = ipv6(FrameCorpus.ip6(r), FrameCorpus.ip6(r), payload == ports ? proto : 0, 64, payload);
        put16(inner, 4, payload.length + r.nextInt(300));
        return inner;
    }

    private static byte[] icmpv6Message(Random r, boolean errorsOnly) {
        int type = errorsOnly ? 1 + r.nextInt(4) : ICMPV6_TYPES[r.nextInt(ICMPV6_TYPES.length)];
        int code = switch (type) {
            case 1 -> r.nextInt(8);
            case 3 -> r.nextInt(3);
            case 4 -> r.nextInt(5);
            default -> r.nextInt(8) == 0 ? r.nextInt(256) : 0;
        };
        int rest = r.nextInt();
        byte[] body = switch (type) {
            case 1, 2, 3, 4 -> {
                byte[] q = quotedIpv6(r);
                yield r.nextInt(10) == 0 ? Arrays.copyOf(q, r.nextInt(q.length)) : q;
            }
            case 130 -> {
                rest = r.nextInt(65536) << 16;
                yield r.nextBoolean() ? FrameCorpus.ip6(r)
                        : concat(FrameCorpus.ip6(r), bytes(r.nextInt(16), r.nextInt(256), 0, 0));
            }
            case 131, 132 -> {
                rest = r.nextInt(65536) << 16;
                yield FrameCorpus.ip6(r);
            }
            case 135, 136 -> FrameCorpus.ip6(r);
            case 137 -> concat(FrameCorpus.ip6(r), FrameCorpus.ip6(r));
            case 134 -> FrameCorpus.randomBytes(r, 8);
            case 143 -> {
                int groups = r.nextInt(3);
                rest = groups;
                ByteArrayOutputStream g = new ByteArrayOutputStream();
                for (int i = 0; i < groups; i++) {
                    g.writeBytes(bytes(1 + r.nextInt(6), 0, 0, 0));
                    g.writeBytes(FrameCorpus.ip6(r));
                }
                yield g.toByteArray();
            }
            default -> FrameCorpus.randomBytes(r, r.nextInt(24));
        };
        return icmpv6(type, code, rest, body);
    }

    // ---- ARP -----------------------------------------------------------------------------

    private static Frame arpFrame(Random r) {
        int[] ops = {1, 1, 2, 2, 3, 4, 8, 9, 10, 5, 0, 300};
        int op = ops[r.nextInt(ops.length)];
        byte[] a = arp(op, r.nextLong() & 0xFEFFFFFFFFFFL, FrameCorpus.ip4(r),
                r.nextBoolean() ? 0 : r.nextLong() & 0xFFFFFFFFFFFFL, FrameCorpus.ip4(r));
        int odd = r.nextInt(12);
        if (odd == 0) {
            put16(a, 0, 6);                                                    // IEEE 802 hardware
        } else if (odd == 1) {
            put16(a, 2, 0x86DD);                                               // not IPv4
        } else if (odd == 2) {
            a[5] = 16;                                                          // protocol length not 4
            a = Arrays.copyOf(a, 8 + 2 * (6 + 16));
        }
        int etherType = r.nextInt(6) == 0 ? 0x8035 : 0x0806;
        return frame(r, etherType == 0x8035 ? "arp/rarp" : "arp", etherType, a, true);
    }

    // ---- DNS -----------------------------------------------------------------------------

    private static final int[] RR_TYPES = {1, 2, 5, 6, 10, 12, 13, 15, 16, 28, 33, 39, 41, 43, 46, 47, 48, 52, 64,
            65, 99, 250, 251, 252, 255, 256, 257, 32769, 777};
    private static final String[] NAMES = {"www.example.com", "a.b", "netring.example.org", "x", "",
            "deep.a.b.c.d.e.f.example.net", "_sip._udp.example.com"};

    private static void name(ByteArrayOutputStream out, String name) {
        if (!name.isEmpty()) {
            for (String label : name.split("\\.")) {
                out.write(label.length());
                out.writeBytes(ascii(label));
            }
        }
        out.write(0);
    }

    private static void oddName(Random r, ByteArrayOutputStream out) {
        switch (r.nextInt(9)) {
            case 0 -> out.writeBytes(bytes(3, 'a', 0x07, 0xE9, 0));           // unprintable bytes
            case 1 -> out.writeBytes(bytes(0x41, 0));                          // an EDNS0 bit label type
            case 2 -> out.writeBytes(bytes(0x41, 8, 0xAB, 0));                 // a bit label
            case 3 -> out.writeBytes(bytes(0x81, 'x', 0));                     // reserved label type
            case 4 -> out.writeBytes(bytes(1, 'z', 0xC0, 0xFF));               // pointer forward
            case 5 -> out.writeBytes(bytes(0xC0, 12));                         // pointer to itself
            case 6 -> {
                for (int i = 0; i < 5; i++) {                                  // longer than 255
                    out.write(63);
                    out.writeBytes(ascii("a".repeat(63)));
                }
                out.write(0);
            }
            case 7 -> out.writeBytes(bytes(5, 'a', 'b'));                      // a label running off the end
            default -> out.writeBytes(bytes(4, 'w', '.', 'x', '\\', 0));      // dot and backslash in a label
        }
    }

    private static void rr(Random r, ByteArrayOutputStream out, int type) {
        out.writeBytes(bytes(0xC0, 12));
        int cls = r.nextInt(8) == 0 ? pickClass(r) : 1;
        if (type == 41) {
            cls = 512 + r.nextInt(4096);
        }
        out.writeBytes(bytes(type >> 8, type, cls >> 8, cls));
        out.writeBytes(type == 41 ? bytes(r.nextInt(2), 0, r.nextBoolean() ? 0x80 : 0, 0) : bytes(0, 0, 0x0E, 0x10));
        byte[] data = switch (type) {
            case 1 -> r.nextInt(10) == 0 ? FrameCorpus.randomBytes(r, 3) : FrameCorpus.ip4(r);
            case 28 -> FrameCorpus.ip6(r);
            case 2, 5, 12, 39 -> concat(bytes(3), ascii("cdn"), bytes(0xC0, 12));
            case 15 -> concat(bytes(0, 10, 2), ascii("mx"), bytes(0xC0, 12));
            case 33 -> concat(bytes(0, 1, 0, 5, 0x13, 0xC4, 3), ascii("sip"), bytes(0));
            case 16 -> concat(bytes(5), ascii("hello"), bytes(3), ascii("a\"b"));
            case 6 -> concat(bytes(0xC0, 12, 0xC0, 12), new byte[20]);
            case 41 -> new byte[0];
            default -> FrameCorpus.randomBytes(r, r.nextInt(12));
        };
        out.writeBytes(bytes(data.length >> 8, data.length));
        out.writeBytes(data);
    }

    private static int pickClass(Random r) {
        int[] classes = {1, 3, 4, 255, 254, 77};
        return classes[r.nextInt(classes.length)];
    }

    private static byte[] dnsMessage(Random r) {
        boolean response = r.nextBoolean();
        int flags = r.nextInt(4) == 0 ? r.nextInt(65536) & 0x7FFF : (r.nextBoolean() ? 0x0100 : 0);
        if (response) {
            flags = 0x8000 | (flags & ~0x000F) | (r.nextInt(4) == 0 ? r.nextInt(16) : 0) | (r.nextBoolean() ? 0x0080 : 0);
        }
        if (r.nextInt(3) != 0) {
            flags &= ~0x7800;                                                 // mostly standard queries
        }
        int qd = r.nextInt(8) == 0 ? r.nextInt(3) : 1;
        int an = response ? r.nextInt(4) : (r.nextInt(10) == 0 ? 1 : 0);
        int ns = r.nextInt(10) == 0 ? 1 : 0;
        int ar = r.nextInt(4) == 0 ? 1 : 0;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] h = new byte[12];
        put16(h, 0, r.nextInt(65536));
        put16(h, 2, flags);
        put16(h, 4, qd);
        put16(h, 6, an);
        put16(h, 8, ns);
        put16(h, 10, ar);
        out.writeBytes(h);
        for (int i = 0; i < qd; i++) {
            if (r.nextInt(7) == 0) {
                oddName(r, out);
            } else {
                name(out, NAMES[r.nextInt(NAMES.length)]);
            }
            int type = r.nextInt(3) == 0 ? RR_TYPES[r.nextInt(RR_TYPES.length)] : (r.nextBoolean() ? 1 : 28);
            int cls = r.nextInt(6) == 0 ? pickClass(r) : 1;
            out.writeBytes(bytes(type >> 8, type, cls >> 8, cls));
        }
        for (int i = 0; i < an + ns; i++) {
            rr(r, out, r.nextInt(3) == 0 ? RR_TYPES[r.nextInt(RR_TYPES.length)] : (r.nextBoolean() ? 1 : 5));
        }
        for (int i = 0; i < ar; i++) {
            rr(r, out, r.nextBoolean() ? 41 : 1);
        }
        byte[] m = out.toByteArray();
        if (r.nextInt(15) == 0) {
            m = Arrays.copyOf(m, r.nextInt(m.length));                        // the message itself cut short
        }
        return m;
    }

    private static byte[] dnsDatagram(Random r) {
        byte[] m = dnsMessage(r);
        boolean toServer = r.nextBoolean();
        return toServer ? udp(highPort(r), 53, m) : udp(53, highPort(r), m);
    }

    // ---- protocols tcpdump names ---------------------------------------------------------

    private static Frame other(Random r) {
        return switch (r.nextInt(8)) {
            case 0 -> {
                byte[] chunk = bytes(1, 0, 0, 20, 1, 2, 3, 4, 0, 1, 0, 0, 0, 10, 0, 10, 0, 0, 0, 1);
                byte[] sctp = concat(bytes(0x13, 0x88, 0x13, 0x89), new byte[8], chunk);
                yield ip(r, "other/sctp", 132, sctp, false);
            }
            case 1 -> ip(r, "other/gre", 47, concat(bytes(0, 0, 0x08, 0x00),
                    ipv4(FrameCorpus.ip4(r), FrameCorpus.ip4(r), 17, 64, 1, 0, new byte[0], udp(1000, 2000, new byte[4]))), false);
            case 2 -> ip(r, "other/esp", 50, concat(bytes(0, 0, 0x12, 0x34, 0, 0, 0, 7), FrameCorpus.randomBytes(r, 40)), false);
            case 3 -> ip(r, "other/ah", 51, concat(bytes(59, 4, 0, 0, 0, 0, 0x56, 0x78, 0, 0, 0, 2), new byte[12]), false);
            case 4 -> {
                byte[] ntp = new byte[48];
                ntp[0] = (byte) ((r.nextInt(4) << 6) | (4 << 3) | (3 + r.nextInt(2)));
                yield ip(r, "other/ntp", 17, udp(123, 123, ntp), false);
            }
            case 5 -> {
                byte[] bootp = new byte[300];
                bootp[0] = 1;
                bootp[1] = 1;
                bootp[2] = 6;
                System.arraycopy(mac(r.nextLong() & 0xFEFFFFFFFFFFL), 0, bootp, 28, 6);
                put32(bootp, 236, 0x63825363L);
                bootp[240] = (byte) 255;
                yield ip4(r, "other/bootp", 17, udp(68, 67, bootp), false);
            }
            case 6 -> {
                byte[] snmp = bytes(0x30, 0x1A, 0x02, 0x01, 0x00, 0x04, 0x06, 'p', 'u', 'b', 'l', 'i', 'c', 0xA0, 0x0D,
                        0x02, 0x01, 0x01, 0x02, 0x01, 0x00, 0x02, 0x01, 0x00, 0x30, 0x02, 0x30, 0x00);
                yield ip(r, "other/snmp", 17, udp(highPort(r), 161, snmp), false);
            }
            default -> ip(r, "other/syslog", 17, udp(highPort(r), 514, ascii("<13>Jan  1 00:00:00 host app: hello")), false);
        };
    }
}
