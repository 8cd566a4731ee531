package io.netring.cli;

import io.netring.decode.PacketDecoder;

/**
 * tcpdump's ICMPv6 text: the type's name, then what each type shows without -v: the
 * unreachable code and the quoted datagram's address and port, the MTU, the parameter
 * problem's pointer, echo ids, MLD addresses, neighbour discovery targets and the
 * mobility ids; types tcpdump does not know get a hex dump of the message.
 */
final class TcpdumpIcmp6 {
    private final TcpdumpBytes b = new TcpdumpBytes();
    /**
     * tcpdump's -v: the checksum checked first ("[icmp6 sum ok]"), and the length after the type
     * name of the neighbour discovery messages only, instead of at the end of every line.
     */
    private final boolean verbose;

    TcpdumpIcmp6(boolean verbose) {
        this.verbose = verbose;
    }

    /**
     * Appends " ICMP6, …" for the message at {@code at}, {@code length} bytes by the IP header(s).
     * @return false when the message was cut short (where tcpdump's printer jumps out)
     */
    boolean append(StringBuilder sb, PacketDecoder d, int at, int length) {
        b.set(d, TcpdumpBytes.ipEnd(d));
        sb.append(' ');
        if (length == 0) {
            sb.append("ICMP6, length 0 (invalid)");
            return true;
        }
        if (verbose && d.has(io.netring.decode.Layer.IPV6) && !d.ipv6().hasFragment() && b.has(at, length)) {
            checksum(sb, d, at, length);
        }
        try {
            if (describe(sb, d, at, length) && !verbose) {
                sb.append(", length ").append(length);
            }
        } catch (TcpdumpBytes.Truncated t) {
            sb.append(" [|icmp6]");
            return false;
        }
        return true;
    }

    /** "[icmp6 sum ok] " or "[bad icmp6 cksum 0xF -> 0xR!] ", over the IPv6 pseudo-header and the whole message. */
    private static void checksum(StringBuilder sb, PacketDecoder d, int at, int length) {
        long pseudo = InternetChecksum.ipv6PseudoHeader(d, d.networkOffset(), length, 58);
        int residue = InternetChecksum.residue(InternetChecksum.sum(d, at, at + length, pseudo));
        if (residue == 0) {
            sb.append("[icmp6 sum ok] ");
            return;
        }
        int field = d.u16(at + 2);
        FieldPrinter.hex4(sb.append("[bad icmp6 cksum "), field).append(" -> ");
        FieldPrinter.hex4(sb, InternetChecksum.shouldBe(field, residue)).append("!] ");
    }

    /** The types whose length tcpdump's -v prints after their name (those it then details option by option). */
    private static boolean lengthAfterName(int type) {
        return type == 133 || type == 134 || type == 135 || type == 136 || type == 137 || type == 145 || type == 147;
    }

    /** The type's text; false when it already ended the line (tcpdump's early returns). */
    private boolean describe(StringBuilder sb, PacketDecoder d, int at, int length) {
        int type = b.u8(at);
        TcpdumpLine.named(sb.append("ICMP6, "), typeName(type), "unknown icmp6 type (", type, ")");
        if (verbose && lengthAfterName(type)) {
            sb.append(", length ").append(length);
        }
        int code = b.u8(at + 1);
        int quoted = at + 8;
        switch (type) {
            case 1 -> {
                TcpdumpLine.named(sb.append(", "), switch (code) {
                    case 0 -> "unreachable route";
                    case 1 -> " unreachable prohibited";
                    case 2 -> "beyond scope";
                    case 3 -> "unreachable address";
                    case 4 -> "unreachable port";
                    default -> null;
                }, "unknown unreach code (", code, ")");
                switch (code) {
                    case 0, 1, 3 -> address(sb, " ", quoted + 24);
                    case 2 -> {
                        if (!b.has(quoted + 8, 32)) {
                            throw TcpdumpBytes.Truncated.INSTANCE;
                        }
                        b.ipv6(sb.append(' '), quoted + 24).append(", source address ");
                        b.ipv6(sb, quoted + 8);
                    }
                    case 4 -> {
                        int l4 = upperLayer(quoted);
                        if (l4 < 0) {
                            throw TcpdumpBytes.Truncated.INSTANCE;
                        }
                        int dport = b.u16(l4 + 2);
                        address(sb, ", ", quoted + 24);
                        switch (protocol) {
                            case 6 -> sb.append(" tcp port ").append(dport);
                            case 17 -> sb.append(" udp port ").append(dport);
                            default -> sb.append(" protocol ").append(protocol).append(" port ").append(dport).append(" unreachable");
                        }
                    }
                    default -> {
                        unknownData(sb, d, at, length);
                        return false;
                    }
                }
            }
            case 2 -> {
                long mtu = b.u32(at + 4);            // read before the text: cut short, tcpdump prints neither
                sb.append(", mtu ").append(mtu);
            }
            case 3 -> {
                switch (code) {
                    case 0 -> address(sb, " for ", quoted + 24);
                    case 1 -> sb.append(" (reassembly)");
                    default -> sb.append(", unknown code (").append(code).append(')');
                }
            }
            case 4 -> {
                if (!b.has(quoted + 24, 16)) {
                    throw TcpdumpBytes.Truncated.INSTANCE;
                }
                switch (code) {
                    case 0 -> sb.append(", erroneous - octet ").append(b.u32(at + 4));
                    case 1 -> sb.append(", next header - octet ").append(b.u32(at + 4));
                    case 2 -> sb.append(", option - octet ").append(b.u32(at + 4));
                    case 3 -> sb.append(", incomplete header chain - octet ").append(b.u32(at + 4));
                    default -> sb.append(", code-#").append(code);
                }
            }
            case 128, 129 -> {
                int id = b.u16(at + 4);
                sb.append(", id ").append(id).append(", seq ").append(b.u16(at + 6));
            }
            case 130 -> {
                if (length == 24) {
                    mld(sb, at);
                } else if (length >= 28) {
                    sb.append(" v2");
                    mldv2Query(sb, at, length);
                } else {
                    sb.append(" unknown-version (len ").append(length).append(") ");
                }
            }
            case 131, 132 -> mld(sb, at);
            case 135 -> address(sb, ", who has ", at + 8);
            case 136 -> address(sb, ", tgt is ", at + 8);
            case 137 -> {
                address(sb, ", ", at + 24);
                address(sb, " to ", at + 8);
            }
            case 143 -> {
                if (length < 8) {
                    sb.append(" [invalid len ").append(length).append(']');
                } else {
                    sb.append(", ").append(b.u16(at + 6)).append(" group record(s)");
                }
            }
            case 144, 146 -> {
                int id = b.u16(at + 4);
                sb.append(", id 0x");
                TcpdumpLine.hex2(TcpdumpLine.hex2(sb, id >> 8), id & 0xFF);
            }
            case 133, 134, 141, 142, 145, 147 -> { }
            default -> {
                sb.append(", length ").append(length);
                unknownData(sb, d, at, length);
                return false;
            }
        }
        return true;
    }

    /** An address printed by one tcpdump call: the text before it only when the address is there. */
    private void address(StringBuilder sb, String before, int at) {
        if (!b.has(at, 16)) {
            throw TcpdumpBytes.Truncated.INSTANCE;
        }
        b.ipv6(sb.append(before), at);
    }

    private void mld(StringBuilder sb, int at) {
        if (!b.has(at, 24)) {
            return;
        }
        sb.append("max resp delay: ").append(b.u16(at + 4)).append(" addr: ");
        b.ipv6(sb, at + 8);
    }

    private void mldv2Query(StringBuilder sb, int at, int length) {
        if (length < 28) {
            sb.append(" [invalid len ").append(length).append(']');
            return;
        }
        address(sb, " [gaddr ", at + 8);
        int sources = b.u16(at + 26);
        if (sources > 0) {
            if (length < 28 + sources * 16) {
                sb.append(" [invalid number of sources]");
            } else {
                sb.append(", ").append(sources).append(" source(s)");
            }
        }
        sb.append(']');
    }

    private void unknownData(StringBuilder sb, PacketDecoder d, int at, int length) {
        TcpdumpLine.hexDump(sb, d, at, Math.min(at + length, b.end), false);
    }

    /** The protocol {@link #upperLayer} stopped at. */
    private int protocol;

    /** The TCP or UDP header after the quoted IPv6 header and its extensions, or -1. */
    private int upperLayer(int ip6) {
        if (!b.has(ip6 + 6, 1)) {
            return -1;
        }
        int nh = b.u8(ip6 + 6);
        int p = ip6;
        int hlen = 40;
        while (p < b.end) {
            p += hlen;
            switch (nh) {
                case 6, 17 -> {
                    protocol = nh;
                    return b.has(p + 2, 2) ? p : -1;
                }
                case 0, 60, 43 -> {
                    if (!b.has(p + 1, 1)) {
                        return -1;
                    }
                    nh = b.u8(p);
                    hlen = (b.u8(p + 1) + 1) << 3;
                }
                case 44 -> {
                    if (!b.has(p + 2, 2) || (b.u16(p + 2) & 0xFFF8) != 0) {
                        return -1;
                    }
                    nh = b.u8(p);
                    hlen = 8;
                }
                case 51 -> {
                    if (!b.has(p + 1, 1)) {
                        return -1;
                    }
                    nh = b.u8(p);
                    hlen = (b.u8(p + 1) + 2) << 2;
                }
                default -> {
                    protocol = nh;
                    return -1;
                }
            }
        }
        return -1;
    }

    private static String typeName(int type) {
        return switch (type) {
            case 1 -> "destination unreachable";
            case 2 -> "packet too big";
            case 3 -> "time exceeded in-transit";
            case 4 -> "parameter problem";
            case 128 -> "echo request";
            case 129 -> "echo reply";
            case 130 -> "multicast listener query";
            case 131 -> "multicast listener report";
            case 132 -> "multicast listener done";
            case 133 -> "router solicitation";
            case 134 -> "router advertisement";
            case 135 -> "neighbor solicitation";
            case 136 -> "neighbor advertisement";
            case 137 -> "redirect";
            case 138 -> "router renumbering";
            case 139 -> "who-are-you request";
            case 140 -> "who-are-you reply";
            case 141 -> "inverse neighbor solicitation";
            case 142 -> "inverse neighbor advertisement";
            case 143 -> "multicast listener report v2";
            case 144 -> "ha discovery request";
            case 145 -> "ha discovery reply";
            case 146 -> "mobile router solicitation";
            case 147 -> "mobile router advertisement";
            case 155 -> "RPL";
            case 200 -> "mtrace response";
            case 201 -> "mtrace message";
            default -> null;
        };
    }
}
