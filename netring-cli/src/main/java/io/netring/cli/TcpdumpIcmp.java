package io.netring.cli;

import io.netring.decode.PacketDecoder;

/**
 * tcpdump's ICMP (IPv4) text: the name of every type and code, what an error's quoted
 * datagram says (address, protocol, port), redirects with their gateway, router
 * advertisements, timestamps and masks. tcpdump builds the text first and prints it whole, so
 * any missing byte gives only " [|icmp]".
 */
final class TcpdumpIcmp {
    private final TcpdumpBytes b = new TcpdumpBytes();
    private final StringBuilder text = new StringBuilder(128);

    /**
     * Appends " ICMP …, length N" (or "  [|icmp]") for the message at {@code at}, {@code length}
     * bytes by the IP header; with {@code verifyChecksum} (tcpdump's -v on an unfragmented
     * datagram) a wrong checksum is said when the whole message was captured.
     * @return false when the message was cut short (tcpdump prints nothing after the mark)
     */
    boolean append(StringBuilder sb, PacketDecoder d, int at, int length, boolean verifyChecksum) {
        b.set(d, TcpdumpBytes.ipEnd(d));
        text.setLength(0);
        try {
            describe(at);
        } catch (TcpdumpBytes.Truncated t) {
            sb.append("  [|icmp]");
            return false;
        }
        sb.append(" ICMP ").append(text).append(", length ").append(length);
        if (verifyChecksum && b.has(at, length)) {
            int residue = InternetChecksum.residue(InternetChecksum.sum(d, at, at + length, 0));
            if (residue != 0) {
                int field = d.u16(at + 2);
                TcpdumpLine.hex(sb.append(" (wrong icmp cksum "), field).append(" (->");
                TcpdumpLine.hex(sb, InternetChecksum.shouldBe(field, residue)).append(")!)");
            }
        }
        return true;
    }

    /** Whether tcpdump treats {@code type} as an error quoting a datagram (its -v prints that). */
    static boolean isError(int type) {
        return type == 3 || type == 4 || type == 5 || type == 11 || type == 12;
    }

    private void describe(int at) {
        int type = b.u8(at);
        int code = b.u8(at + 1);
        int quoted = at + 8;
        switch (type) {
            case 0, 8 -> text.append(type == 8 ? "echo request" : "echo reply").append(", id ").append(b.u16(at + 4))
                    .append(", seq ").append(b.u16(at + 6));
            case 3 -> unreachable(at, code, quoted);
            case 5 -> {
                b.u32(quoted + 16);
                b.u32(at + 4);
                TcpdumpLine.named(text, switch (code) {
                    case 0, 1 -> "redirect ";
                    case 2, 3 -> "redirect-tos ";
                    default -> null;
                }, "redirect-#", code, " ");
                b.ipv4(text, quoted + 16).append(code == 0 || code == 2 ? " to net " : code == 1 || code == 3 ? " to host " : " to ");
                b.ipv4(text, at + 4);
            }
            case 9 -> routerAdvertisement(at);
            case 11 -> {
                b.u32(quoted + 16);
                TcpdumpLine.named(text, switch (code) {
                    case 0 -> "time exceeded in-transit";
                    case 1 -> "ip reassembly time exceeded";
                    default -> null;
                }, "time exceeded-#", code, "");
            }
            case 12 -> {
                if (code != 0) {
                    text.append("parameter problem - code ").append(code);
                } else {
                    text.append("parameter problem - octet ").append(b.u8(at + 4));
                }
            }
            case 18 -> {
                text.append("address mask is 0x");
                TcpdumpLine.hex(text, (int) b.u32(at + 8), 8);
            }
            case 13 -> text.append("time stamp query id ").append(b.u16(at + 4)).append(" seq ").append(b.u16(at + 6));
            case 14 -> {
                b.u32(at + 16);
                text.append("time stamp reply id ").append(b.u16(at + 4)).append(" seq ").append(b.u16(at + 6));
                timestamp(text.append(": org "), b.u32(at + 8));
                timestamp(text.append(", recv "), b.u32(at + 12));
                timestamp(text.append(", xmit "), b.u32(at + 16));
            }
            case 4 -> text.append("source quench");
            case 10 -> text.append("router solicitation");
            case 15 -> text.append("information request");
            case 16 -> text.append("information reply");
            case 17 -> text.append("address mask request");
            default -> text.append("type-#").append(type);
        }
    }

    private void unreachable(int at, int code, int quoted) {
        int dst = quoted + 16;
        switch (code) {
            case 0 -> b.ipv4(text.append("net "), dst).append(" unreachable");
            case 1 -> b.ipv4(text.append("host "), dst).append(" unreachable");
            case 2 -> {
                b.u32(dst);
                b.ipv4(text, dst).append(" protocol ").append(b.u8(quoted + 9)).append(" unreachable");
            }
            case 3 -> {
                int proto = b.u8(quoted + 9);
                int dport = b.u16(quoted + (b.u8(quoted) & 0xF) * 4 + 2);
                b.ipv4(text, dst);
                switch (proto) {
                    case 6 -> text.append(" tcp port ").append(dport);
                    case 17 -> text.append(" udp port ").append(dport);
                    default -> text.append(" protocol ").append(proto).append(" port ").append(dport);
                }
                text.append(" unreachable");
            }
            case 4 -> {
                int mtu = b.u16(at + 6);
                b.ipv4(text, dst).append(" unreachable - need to frag");
                if (mtu != 0) {
                    text.append(" (mtu ").append(mtu).append(')');
                }
            }
            case 5 -> b.ipv4(text, dst).append(" unreachable - source route failed");
            case 6 -> b.ipv4(text.append("net "), dst).append(" unreachable - unknown");
            case 7 -> b.ipv4(text.append("host "), dst).append(" unreachable - unknown");
            case 8 -> b.ipv4(text, dst).append(" unreachable - source host isolated");
            case 9 -> b.ipv4(text.append("net "), dst).append(" unreachable - admin prohibited");
            case 10 -> b.ipv4(text.append("host "), dst).append(" unreachable - admin prohibited");
            case 11 -> b.ipv4(text.append("net "), dst).append(" unreachable - tos prohibited");
            case 12 -> b.ipv4(text.append("host "), dst).append(" unreachable - tos prohibited");
            case 13 -> b.ipv4(text.append("host "), dst).append(" unreachable - admin prohibited filter");
            case 14 -> b.ipv4(text.append("host "), dst).append(" unreachable - host precedence violation");
            case 15 -> b.ipv4(text.append("host "), dst).append(" unreachable - precedence cutoff");
            default -> b.ipv4(text, dst).append(" unreachable - #").append(code);
        }
    }

    private void routerAdvertisement(int at) {
        text.append("router advertisement");
        b.u32(at + 4);
        int num = b.u8(at + 4);
        int size = b.u8(at + 5);
        int lifetime = b.u16(at + 6);
        text.append(" lifetime ");
        if (lifetime < 60) {
            text.append(lifetime);
        } else if (lifetime < 3600) {
            text.append(lifetime / 60).append(':');
            two(text, lifetime % 60);
        } else {
            text.append(lifetime / 3600).append(':');
            two(text, lifetime % 3600 / 60).append(':');
            two(text, lifetime % 60);
        }
        text.append(' ').append(num).append(':');
        if (size != 2) {
            text.append(" [size ").append(size).append(']');
            return;
        }
        for (int i = 0, p = at + 8; i < num; i++, p += 8) {
            b.u32(p + 4);
            b.ipv4(text.append(" {"), p).append(' ').append(b.u32(p + 4)).append('}');
        }
    }

    /** Milliseconds since midnight as tcpdump prints them: hours past 24 too. */
    private static void timestamp(StringBuilder sb, long t) {
        long msec = t % 1000;
        long sec = t / 1000;
        long min = sec / 60;
        sec -= min * 60;
        long hrs = min / 60;
        min -= hrs * 60;
        if (hrs < 10) {
            sb.append('0');
        }
        sb.append(hrs).append(':');
        two(sb, (int) min).append(':');
        two(sb, (int) sec).append('.');
        sb.append((char) ('0' + msec / 100)).append((char) ('0' + msec / 10 % 10)).append((char) ('0' + msec % 10));
    }

    private static StringBuilder two(StringBuilder sb, int v) {
        return sb.append((char) ('0' + v / 10)).append((char) ('0' + v % 10));
    }
}
