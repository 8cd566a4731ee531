package io.netring.cli;

import io.netring.decode.PacketDecoder;

/**
 * tcpdump's ARP and RARP text: request, reply, reverse and inverse forms; the hardware and
 * protocol types when they are not Ethernet/IPv4; a hex dump for opcodes it does not print.
 */
final class TcpdumpArp {
    private final TcpdumpBytes b = new TcpdumpBytes();

    /** Appends the ARP text for the header at {@code at}; {@code link} is tcpdump's -e. */
    /** @return false when the header was cut short (where tcpdump's printer jumps out) */
    boolean append(StringBuilder sb, PacketDecoder d, int at, boolean link) {
        b.set(d, d.length());
        int hln;
        int pln;
        if (!b.has(at, 8) || !b.has(tpa(at, hln = b.u8(at + 4), pln = b.u8(at + 5)), pln)) {
            sb.append(" [|arp]");
            return false;
        }
        int hrd = b.u16(at);
        int pro = b.u16(at + 2);
        int op = b.u16(at + 6);
        int length = d.originalLength() - at;
        if (!link) {
            sb.append("ARP, ");
        }
        try {
            if ((pro != 0x0800 && pro != 0x1000) || pln != 4 || hln == 0) {
                TcpdumpLine.named(sb, switch (hrd) {
                    case 1 -> "Ethernet";
                    case 6 -> "TokenRing";
                    case 7 -> "ArcNet";
                    case 15 -> "FrameRelay";
                    case 23 -> "Strip";
                    case 24 -> "IEEE 1394";
                    case 19 -> "ATM";
                    case 32 -> "InfiniBand";
                    default -> null;
                }, "Unknown Hardware (", hrd, ")").append(" (len ").append(hln).append("), ");
                if (pro == 0x0800) {
                    sb.append("IPv4");
                } else if (pro == 0x86DD) {
                    sb.append("IPv6");
                } else {
                    sb.append("Unknown Protocol (");
                    FieldPrinter.hex4(sb, pro).append(')');
                }
                sb.append(" (len ").append(pln).append("), length ").append(length);
                return true;
            }
            int sha = at + 8;
            int spa = sha + hln;
            int tha = spa + pln;
            int tpa = tha + hln;
            TcpdumpLine.named(sb, switch (op) {
                case 1 -> "Request";
                case 2 -> "Reply";
                case 3 -> "Reverse Request";
                case 4 -> "Reverse Reply";
                case 8 -> "Inverse Request";
                case 9 -> "Inverse Reply";
                case 10 -> "NACK Reply";
                default -> null;
            }, "Unknown (", op, ")").append(' ');
            switch (op) {
                case 1 -> {
                    b.ipv4(sb.append("who-has "), tpa);
                    if (nonZero(tha, hln)) {
                        linkAddress(sb.append(" ("), tha, hln).append(')');
                    }
                    b.ipv4(sb.append(" tell "), spa);
                }
                case 2 -> linkAddress(b.ipv4(sb, spa).append(" is-at "), sha, hln);
                case 3, 8 -> linkAddress(linkAddress(sb.append("who-is "), tha, hln).append(" tell "), sha, hln);
                case 4 -> b.ipv4(linkAddress(sb, tha, hln).append(" at "), tpa);
                case 9 -> b.ipv4(linkAddress(sb, sha, hln).append(" at "), spa);
                default -> {
                    TcpdumpLine.hexDump(sb, d, at, d.length(), true);
                    return true;
                }
            }
            sb.append(", length ").append(length);
        } catch (TcpdumpBytes.Truncated t) {
            sb.append(" [|arp]");
            return false;
        }
        return true;
    }

    private static int tpa(int at, int hln, int pln) {
        return at + 8 + 2 * hln + pln;
    }

    private boolean nonZero(int at, int n) {
        for (int i = 0; i < n; i++) {
            if (b.u8(at + i) != 0) {
                return true;
            }
        }
        return false;
    }

    /** A hardware address: colon-separated hex bytes, as tcpdump prints a MAC. */
    private StringBuilder linkAddress(StringBuilder sb, int at, int n) {
        if (!b.has(at, n)) {
            throw TcpdumpBytes.Truncated.INSTANCE;
        }
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                sb.append(':');
            }
            TcpdumpLine.hex2(sb, b.u8(at + i));
        }
        return sb;
    }
}
