package io.netring.cli;

import io.netring.decode.PacketDecoder;

/**
 * tcpdump's DNS summary (without -v): a query's id, opcode, flags, odd counts and questions;
 * a response's id, opcode, rcode (extended by an OPT record), flags, counts and answers. Names
 * are printed as tcpdump does, with its marks for bad pointers, bit labels, reserved label
 * types and over-long names; a message that ends early gets " [|domain]" where tcpdump's would.
 */
final class TcpdumpDns {
    private static final int MAX_NAME = 255;
    private static final String[] OPS = {"", " inv_q", " stat", " op3", " notify", " update", " op6", " op7",
            " op8", " updateA", " updateD", " updateDA", " updateM", " updateMA", " zoneInit", " zoneRef"};
    private static final String[] RCODES = {"", " FormErr", " ServFail", " NXDomain", " NotImp", " Refused",
            " YXDomain", " YXRRSet", " NXRRSet", " NotAuth", " NotZone", " Resp11", " Resp12", " Resp13", " Resp14",
            " NoChange", " BadVers", "Resp17", " Resp18", " Resp19", " Resp20", "Resp21", " Resp22", " BadCookie"};

    private final TcpdumpBytes b = new TcpdumpBytes();
    /** The message's first byte: compression offsets count from it. */
    private int base;

    /** Appends the text after "a.53 > b.N: " for the message at {@code at}, {@code length} bytes by UDP. */
    void append(StringBuilder sb, PacketDecoder d, int at, int length) {
        b.set(d, TcpdumpBytes.ipEnd(d));
        base = at;
        if (length < 12) {
            sb.append("domain [length ").append(length).append(" < 12] (invalid)");
            return;
        }
        try {
            if (!b.has(at, 12)) {
                throw TcpdumpBytes.Truncated.INSTANCE;
            }
            message(sb, at, length);
        } catch (TcpdumpBytes.Truncated t) {
            sb.append(" [|domain]");
        }
    }

    private void message(StringBuilder sb, int at, int length) {
        int flags = b.u16(at + 2);
        int qd = b.u16(at + 4);
        int an = b.u16(at + 6);
        int ns = b.u16(at + 8);
        int ar = b.u16(at + 10);
        sb.append(b.u16(at)).append(OPS[(flags >> 11) & 0xF]);
        int cp = at + 12;
        if ((flags & 0x8000) != 0) {
            int rcode = extendedRcode(flags & 0xF, cp, qd, an + ns, ar);
            if (rcode < RCODES.length) {
                sb.append(RCODES[rcode]);
            } else {
                sb.append(" Resp").append(rcode & 0xFFF);
            }
            if ((flags & 0x0400) != 0) sb.append('*');
            if ((flags & 0x0080) == 0) sb.append('-');
            if ((flags & 0x0200) != 0) sb.append('|');
            if ((flags & 0x0020) != 0) sb.append('$');
            if (qd != 1) {
                sb.append(" [").append(qd).append("q]");
            }
            for (int i = 0; i < qd; i++) {
                if (i != 0) {
                    sb.append(',');
                }
                cp = skipName(cp);
                if (cp < 0) {
                    throw TcpdumpBytes.Truncated.INSTANCE;
                }
                cp += 4;
            }
            sb.append(' ').append(an).append('/').append(ns).append('/').append(ar);
            if (an > 0) {
                cp = record(sb, cp);
                an--;
                while (cp < b.end && an > 0) {
                    sb.append(',');
                    cp = record(sb, cp);
                    an--;
                }
            }
            if (an > 0) {
                throw TcpdumpBytes.Truncated.INSTANCE;
            }
        } else {
            if ((flags & 0x0100) != 0) sb.append('+');
            if ((flags & 0x0010) != 0) sb.append('%');
            if ((flags & 0x6CF) != 0) {
                TcpdumpLine.hex(sb.append(" [b2&3=0x"), flags).append(']');
            }
            if (((flags >> 11) & 0xF) == 1) {
                if (qd > 0) sb.append(" [").append(qd).append("q]");
                if (an != 1) sb.append(" [").append(an).append("a]");
            } else {
                if (an > 0) sb.append(" [").append(an).append("a]");
                if (qd != 1) sb.append(" [").append(qd).append("q]");
            }
            if (ns > 0) sb.append(" [").append(ns).append("n]");
            if (ar > 0) sb.append(" [").append(ar).append("au]");
            if (qd > 0) {
                cp = question(sb, cp);
                qd--;
                while (cp < b.end && qd > 0) {
                    cp = question(sb, cp);
                    qd--;
                }
            }
            if (qd > 0) {
                throw TcpdumpBytes.Truncated.INSTANCE;
            }
        }
        sb.append(" (").append(length).append(')');
    }

    /** The rcode with the high bits an OPT record in the additional section carries. */
    private int extendedRcode(int rcode, int cp, int qd, int records, int ar) {
        for (int i = 0; i < qd; i++) {
            if ((cp = skipName(cp)) < 0 || (cp += 4) >= b.end) {
                return rcode;
            }
        }
        for (int i = 0; i < records; i++) {
            if ((cp = skipName(cp)) < 0 || (cp += 8) + 2 > b.end) {
                return rcode;
            }
            cp += 2 + b.u16(cp);
            if (cp >= b.end) {
                return rcode;
            }
        }
        for (int i = 0; i < ar; i++) {
            if ((cp = skipName(cp)) < 0 || cp + 2 > b.end) {
                return rcode;
            }
            int type = b.u16(cp);
            cp += 4;
            if (cp + 1 > b.end) {
                return rcode;
            }
            if (type == 41) {
                return rcode | b.u8(cp) << 4;
            }
            cp += 4;
            if (cp + 2 > b.end) {
                return rcode;
            }
            cp += 2 + b.u16(cp);
            if (cp >= b.end) {
                return rcode;
            }
        }
        return rcode;
    }

    /** The offset after the name at {@code cp} (after a pointer's two bytes), or -1 when it is cut or bad. */
    private int skipName(int cp) {
        if (!b.has(cp, 1)) {
            return -1;
        }
        int i = b.u8(cp++);
        while (i != 0) {
            switch (i & 0xC0) {
                case 0xC0 -> {
                    return cp + 1;
                }
                case 0x40 -> {
                    if ((i & 0x3F) != 1 || !b.has(cp, 1)) {
                        return -1;
                    }
                    int bits = b.u8(cp++);
                    cp += ((bits == 0 ? 256 : bits) + 7) / 8;
                }
                case 0x80 -> {
                    return -1;
                }
                default -> cp += i;
            }
            if (!b.has(cp, 1)) {
                return -1;
            }
            i = b.u8(cp++);
        }
        return cp;
    }

    private int question(StringBuilder sb, int cp) {
        int name = cp;
        cp = skipName(cp);
        if (cp < 0 || !b.has(cp, 4)) {
            throw TcpdumpBytes.Truncated.INSTANCE;
        }
        TcpdumpLine.named(sb.append(' '), typeName(b.u16(cp)), "Type", b.u16(cp), "");
        int cls = b.u16(cp + 2);
        if (cls != 1) {
            TcpdumpLine.named(sb.append(' '), className(cls), "(Class ", cls, ")");
        }
        sb.append("? ");
        return name(sb, name) + 4;
    }

    /** One resource record; the offset after it (the end of the bytes when it cannot be read). */
    private int record(StringBuilder sb, int cp) {
        cp = skipName(cp);
        if (cp < 0 || !b.has(cp, 10)) {
            return b.end;
        }
        int type = b.u16(cp);
        int cls = b.u16(cp + 2);
        if (cls != 1 && type != 41) {
            TcpdumpLine.named(sb.append(' '), className(cls), "(Class ", cls, ")");
        }
        int optFlags = b.u16(cp + 6);
        int len = b.u16(cp + 8);
        cp += 10;
        int rp = cp + len;
        TcpdumpLine.named(sb.append(' '), typeName(type), "Type", type, "");
        if (rp > b.end) {
            throw TcpdumpBytes.Truncated.INSTANCE;
        }
        switch (type) {
            case 1 -> {
                if (!b.has(cp, 4)) {
                    throw TcpdumpBytes.Truncated.INSTANCE;
                }
                b.ipv4(sb.append(' '), cp);
            }
            case 2, 5, 12, 39 -> name(sb.append(' '), cp);
            case 15 -> {
                sb.append(' ');
                b.u16(cp);
                name(sb, cp + 2);
                sb.append(' ').append(b.u16(cp));
            }
            case 16 -> {
                while (cp < rp) {
                    sb.append(" \"");
                    int n = b.u8(cp);
                    if (!printn(sb, cp + 1, n)) {
                        throw TcpdumpBytes.Truncated.INSTANCE;
                    }
                    cp += 1 + n;
                    sb.append('"');
                }
            }
            case 33 -> {
                sb.append(' ');
                if (!b.has(cp, 6)) {
                    throw TcpdumpBytes.Truncated.INSTANCE;
                }
                name(sb, cp + 6);
                sb.append(':').append(b.u16(cp + 4)).append(' ').append(b.u16(cp)).append(' ').append(b.u16(cp + 2));
            }
            case 28 -> {
                if (!b.has(cp, 16)) {
                    throw TcpdumpBytes.Truncated.INSTANCE;
                }
                b.ipv6(sb.append(' '), cp);
            }
            case 256 -> {
                if (!b.has(cp, len)) {
                    throw TcpdumpBytes.Truncated.INSTANCE;
                }
                int priority = b.u16(cp);
                int weight = b.u16(cp + 2);
                sb.append(' ').append(priority).append(' ').append(weight).append(' ');
                if (!printn(sb, cp + 4, len - 4)) {
                    throw TcpdumpBytes.Truncated.INSTANCE;
                }
            }
            case 41 -> {
                sb.append(" UDPsize=").append(cls);
                if ((optFlags & 0x8000) != 0) {
                    sb.append(" DO");
                }
            }
            default -> { }
        }
        return rp;
    }

    /** {@code n} characters (unsigned: a negative count runs to the end), as tcpdump escapes them; false when cut. */
    private boolean printn(StringBuilder sb, int at, int n) {
        long left = Integer.toUnsignedLong(n);
        while (left > 0 && at < b.end) {
            left--;
            TcpdumpBytes.printable(sb, b.u8(at++));
        }
        return left == 0;
    }

    /** A label's length as tcpdump reckons it, printing its mark for a bad type; -1 then. */
    private int labelLength(StringBuilder sb, int cp) {
        if (!b.has(cp, 1)) {
            return -1;
        }
        int i = b.u8(cp);
        switch (i & 0xC0) {
            case 0x40 -> {
                if ((i & 0x3F) != 1) {
                    sb.append("<ELT ").append(i & 0x3F).append('>');
                    return -1;
                }
                if (!b.has(cp + 1, 1)) {
                    return -1;
                }
                int bits = b.u8(cp + 1);
                return ((bits == 0 ? 256 : bits) + 7) / 8 + 1;
            }
            case 0x80 -> {
                sb.append("<BAD LABEL TYPE>");
                return -1;
            }
            default -> {
                return i;
            }
        }
    }

    /** Prints the name at {@code cp}; the offset after it, or throws where tcpdump gives up. */
    private int name(StringBuilder sb, int cp) {
        int l = labelLength(sb, cp);
        if (l < 0 || !b.has(cp, 1)) {
            throw TcpdumpBytes.Truncated.INSTANCE;
        }
        int maxOffset = cp - base;
        int i = b.u8(cp++);
        boolean compressed = false;
        int rp = -1;
        if ((i & 0xC0) != 0xC0) {
            rp = cp + l;
        }
        if (i == 0) {
            sb.append('.');
            return rp;
        }
        int chars = 0;
        while (i != 0 && cp < b.end) {
            switch (i & 0xC0) {
                case 0xC0 -> {
                    if (!compressed) {
                        rp = cp + 1;
                        compressed = true;
                    }
                    int offset = ((i << 8) | b.u8(cp)) & 0x3FFF;
                    if (offset >= maxOffset) {
                        sb.append("<BAD PTR>");
                        throw TcpdumpBytes.Truncated.INSTANCE;
                    }
                    maxOffset = offset;
                    cp = base + offset;
                    i = b.u8(cp);
                    if ((l = labelLength(sb, cp)) < 0) {
                        throw TcpdumpBytes.Truncated.INSTANCE;
                    }
                    cp++;
                    continue;
                }
                case 0x40 -> {
                    if ((i & 0x3F) != 1) {
                        sb.append("<ELT ").append(i & 0x3F).append('>');
                        throw TcpdumpBytes.Truncated.INSTANCE;
                    }
                    bitLabel(sb, cp);
                }
                case 0x80 -> {
                    sb.append("<BAD LABEL TYPE>");
                    throw TcpdumpBytes.Truncated.INSTANCE;
                }
                default -> {
                    if (chars + l <= MAX_NAME) {
                        if (!printn(sb, cp, l)) {
                            throw TcpdumpBytes.Truncated.INSTANCE;
                        }
                    } else if (chars < MAX_NAME && !printn(sb, cp, MAX_NAME - chars)) {
                        throw TcpdumpBytes.Truncated.INSTANCE;
                    }
                    chars += l;
                }
            }
            cp += l;
            if (chars <= MAX_NAME) {
                sb.append('.');
            }
            chars++;
            i = b.u8(cp);
            if ((l = labelLength(sb, cp)) < 0) {
                throw TcpdumpBytes.Truncated.INSTANCE;
            }
            cp++;
            if (!compressed) {
                rp += l + 1;
            }
        }
        if (chars > MAX_NAME) {
            sb.append("<DOMAIN NAME TOO LONG>");
        }
        return rp;
    }

    /** An EDNS0 bit-string label: \[x hex digits /bits]. */
    private void bitLabel(StringBuilder sb, int cp) {
        int bits = b.u8(cp);
        if (bits == 0) {
            bits = 256;
        }
        int lim = cp + 1 + (bits + 3) / 4;
        sb.append("\\[x");
        int p = cp + 1;
        int left = bits;
        for (; p < lim && left > 7; left -= 8, p++) {
            TcpdumpLine.hex2(sb, b.u8(p));
        }
        if (left > 4) {
            TcpdumpLine.hex2(sb, b.u8(p) & (0xFF << (8 - left)) & 0xFF);
        } else if (left > 0) {
            sb.append(Character.forDigit(((b.u8(p) >> 4) & 0x0F) & (0x0F << (4 - left)) & 0x0F, 16));
        }
        sb.append('/').append(bits).append(']');
    }

    private static String className(int cls) {
        return switch (cls) {
            case 1 -> "IN";
            case 3 -> "CHAOS";
            case 4 -> "HS";
            case 255 -> "ANY";
            default -> null;
        };
    }

    /** Type names as tcpdump 4.99.3, the version this project is checked against, knows them; null for the others. */
    static String typeName(int type) {
        return switch (type) {
            case 1 -> "A";
            case 2 -> "NS";
            case 3 -> "MD";
            case 4 -> "MF";
            case 5 -> "CNAME";
            case 6 -> "SOA";
            case 7 -> "MB";
            case 8 -> "MG";
            case 9 -> "MR";
            case 10 -> "NULL";
            case 11 -> "WKS";
            case 12 -> "PTR";
            case 13 -> "HINFO";
            case 14 -> "MINFO";
            case 15 -> "MX";
            case 16 -> "TXT";
            case 17 -> "RP";
            case 18 -> "AFSDB";
            case 19 -> "X25";
            case 20 -> "ISDN";
            case 21 -> "RT";
            case 22 -> "NSAP";
            case 23 -> "NSAP_PTR";
            case 24 -> "SIG";
            case 25 -> "KEY";
            case 26 -> "PX";
            case 27 -> "GPOS";
            case 28 -> "AAAA";
            case 29 -> "LOC";
            case 30 -> "NXT";
            case 31 -> "EID";
            case 32 -> "NIMLOC";
            case 33 -> "SRV";
            case 34 -> "ATMA";
            case 35 -> "NAPTR";
            case 36 -> "KX";
            case 37 -> "CERT";
            case 38 -> "A6";
            case 39 -> "DNAME";
            case 40 -> "SINK";
            case 41 -> "OPT";
            case 42 -> "APL";
            case 43 -> "DS";
            case 44 -> "SSHFP";
            case 45 -> "IPSECKEY";
            case 46 -> "RRSIG";
            case 47 -> "NSEC";
            case 48 -> "DNSKEY";
            case 99 -> "SPF";
            case 100 -> "UINFO";
            case 101 -> "UID";
            case 102 -> "GID";
            case 103 -> "UNSPEC";
            case 104 -> "UNSPECA";
            case 249 -> "TKEY";
            case 250 -> "TSIG";
            case 251 -> "IXFR";
            case 252 -> "AXFR";
            case 253 -> "MAILB";
            case 254 -> "MAILA";
            case 255 -> "ANY";
            case 256 -> "URI";
            default -> null;
        };
    }
}
