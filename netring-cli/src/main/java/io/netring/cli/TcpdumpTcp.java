package io.netring.cli;

import io.netring.decode.PacketDecoder;

/**
 * tcpdump's TCP text after the ports: flags, relative sequence numbers, window, urgent
 * pointer, options (with its "[len N]" and "[bad opt]" marks), length, and the first line of
 * HTTP on ports 80 and 8080. Reads through {@link TcpdumpBytes}, so a cut segment ends in
 * " [|tcp]" where tcpdump's does.
 */
final class TcpdumpTcp {
    private static final int FIN = 0x01, SYN = 0x02, RST = 0x04, PSH = 0x08, ACK = 0x10, URG = 0x20, ECE = 0x40, CWR = 0x80;

    private final TcpSequences sequences = new TcpSequences();
    private final TcpdumpBytes b = new TcpdumpBytes();
    private final TcpdumpText text = new TcpdumpText();

    /**
     * Appends what follows "src.port > dst.port:" for the segment at {@code l4}, {@code length}
     * bytes long by the IP header(s).
     * @return false when tcpdump's printer would have left by a long jump (see TcpdumpLine)
     */
    boolean append(StringBuilder sb, PacketDecoder d, int l4, int length, boolean quick) {
        b.set(d, TcpdumpBytes.ipEnd(d));
        try {
            sb.append(' ');
            if (!b.has(l4, 20)) {
                throw TcpdumpBytes.Truncated.INSTANCE;
            }
            int hlen = (b.u8(l4 + 12) >> 4) * 4;
            if (hlen < 20) {
                sb.append(" tcp ").append(Integer.toUnsignedLong(length - hlen)).append(" [bad hdr length ").append(hlen)
                        .append(" - too short, < 20]");
                return true;
            }
            if (quick) {
                sb.append("tcp ").append(Integer.toUnsignedLong(length - hlen));
                if (hlen > length) {
                    sb.append(" [bad hdr length ").append(hlen).append(" - too long, > ").append(length).append(']');
                }
                return true;
            }
            long seq = b.u32(l4 + 4);
            long ack = b.u32(l4 + 8);
            int win = b.u16(l4 + 14);
            int urp = b.u16(l4 + 18);
            int flags = b.u8(l4 + 13);
            sb.append("Flags [");
            TcpdumpLine.tcpFlags(sb, flags);
            sb.append(']');
            if ((flags & ACK) != 0) {
                sequences.relate(d, seq, ack, (flags & SYN) != 0);
                seq = sequences.seq;
                ack = sequences.ack;
            } else {
                sequences.none();
            }
            if (hlen > length) {
                sb.append(" [bad hdr length ").append(hlen).append(" - too long, > ").append(length).append(']');
                return true;
            }
            int payload = length - hlen;
            if (payload > 0 || (flags & (SYN | FIN | RST)) != 0) {
                sb.append(", seq ").append(seq);
                if (payload > 0) {
                    sb.append(':').append((seq + payload) & 0xFFFFFFFFL);
                }
            }
            if ((flags & ACK) != 0) {
                sb.append(", ack ").append(ack);
            }
            sb.append(", win ").append(win);
            if ((flags & URG) != 0) {
                sb.append(", urg ").append(urp);
            }
            if (hlen > 20) {
                sb.append(", options [");
                if (!options(sb, l4 + 20, hlen - 20)) {
                    return true;
                }
                sb.append(']');
            }
            sb.append(", length ").append(payload);
            if (payload == 0) {
                return true;
            }
            if (!b.has(l4, hlen)) {
                sb.append(" [remaining caplen(").append(Math.max(0, b.end - l4)).append(") < header length(").append(hlen).append(")]");
                longJump = true;
                throw TcpdumpBytes.Truncated.INSTANCE;
            }
            int sport = b.u16(l4);
            int dport = b.u16(l4 + 2);
            if (sport == 80 || dport == 80 || sport == 8080 || dport == 8080) {
                sb.append(": ");
                text.http(sb, b, l4 + hlen, payload);
            }
        } catch (TcpdumpBytes.Truncated t) {
            sb.append(text.protocol == null ? " [|tcp]" : text.protocol);
            text.protocol = null;
            if (optionsOpen) {
                sb.append('>');
            }
            return !(longJump || readingKind);
        } finally {
            optionsOpen = false;
            readingKind = false;
            longJump = false;
        }
        return true;
    }

    /** True while an option is being printed: tcpdump closes a cut option list with '>'. */
    private boolean optionsOpen;
    /** True while an option's kind and length bytes are read: tcpdump reads those without a bounds check of its own. */
    private boolean readingKind;
    /** True after tcpdump's own header-length check failed, which ends in a long jump. */
    private boolean longJump;

    /** The option list; false when it ended in "[bad opt]" (the line ends there). */
    private boolean options(StringBuilder sb, int at, int hlen) {
        boolean first = true;
        while (hlen > 0) {
            if (!first) {
                sb.append(',');
            }
            optionsOpen = false;                   // a cut here is tcpdump's long jump: no '>'
            readingKind = true;
            int opt = b.u8(at++);
            int len;
            if (opt == 0 || opt == 1) {
                len = 1;
            } else {
                len = b.u8(at++);
                if (len < 2 || len > hlen) {
                    return bad(sb, first);
                }
                hlen--;
            }
            hlen--;
            readingKind = false;
            optionsOpen = !first;
            first = false;
            int datalen = 0;
            TcpdumpLine.named(sb, optionName(opt), "unknown-", opt, "");
            switch (opt) {
                case 2 -> {
                    datalen = 2;
                    if (!lenCheck(datalen, hlen, at)) return bad(sb, !optionsOpen);
                    sb.append(' ').append(b.u16(at));
                }
                case 3 -> {
                    datalen = 1;
                    if (!lenCheck(datalen, hlen, at)) return bad(sb, !optionsOpen);
                    sb.append(' ').append(b.u8(at));
                }
                case 5 -> {
                    datalen = len - 2;
                    if (datalen % 8 != 0) {
                        sb.append(" invalid sack");
                    } else {
                        sb.append(' ').append(datalen / 8).append(' ');
                        long base = sequences.reversed ? sequences.initialSeq : sequences.initialAck;
                        for (int i = 0; i < datalen; i += 8) {
                            if (!lenCheck(i + 4, hlen, at)) return bad(sb, !optionsOpen);
                            long s = (b.u32(at + i) - base) & 0xFFFFFFFFL;
                            if (!lenCheck(i + 8, hlen, at)) return bad(sb, !optionsOpen);
                            long e = (b.u32(at + i + 4) - base) & 0xFFFFFFFFL;
                            sb.append('{').append(s).append(':').append(e).append('}');
                        }
                    }
                }
                case 6, 7, 11, 12, 13 -> {
                    datalen = 4;
                    if (!lenCheck(datalen, hlen, at)) return bad(sb, !optionsOpen);
                    sb.append(' ').append(b.u32(at));
                }
                case 8 -> {
                    datalen = 8;
                    if (!lenCheck(datalen, hlen, at)) return bad(sb, !optionsOpen);
                    sb.append(" val ").append(b.u32(at)).append(" ecr ").append(b.u32(at + 4));
                }
                case 20 -> {
                    datalen = 2;
                    if (!lenCheck(datalen, hlen, at)) return bad(sb, !optionsOpen);
                    sb.append(" cap ");
                    TcpdumpLine.hex2(sb, b.u8(at)).append(" id ").append(b.u8(at + 1));
                }
                case 0, 1, 4 -> { }
                case 28 -> {
                    datalen = 2;
                    if (!lenCheck(datalen, hlen, at)) return bad(sb, !optionsOpen);
                    int uto = b.u16(at);
                    TcpdumpLine.hex(sb.append(" 0x"), uto).append(' ')
                            .append((uto & 1) != 0 ? (uto >> 1) * 60 : uto >> 1);
                }
                case 254 -> {
                    datalen = len - 2;
                    if (!lenCheck(datalen, hlen, at) || datalen < 2) return bad(sb, !optionsOpen);
                    sb.append('-');
                    TcpdumpLine.hex2(TcpdumpLine.hex2(sb, b.u8(at)), b.u8(at + 1));
                }
                default -> {
                    datalen = len - 2;
                    if (datalen > 0) {
                        sb.append(" 0x");
                    }
                    for (int i = 0; i < datalen; i++) {
                        if (!lenCheck(i + 1, hlen, at)) return bad(sb, !optionsOpen);
                        TcpdumpLine.hex2(sb, b.u8(at + i));
                    }
                }
            }
            at += datalen;
            hlen -= datalen;
            datalen += opt == 0 || opt == 1 ? 1 : 2;
            if (datalen != len) {
                sb.append("[len ").append(len).append(']');
            }
            if (opt == 0) {
                break;
            }
        }
        return true;
    }

    /** tcpdump's LENCHECK: beyond the option space is a bad option, beyond the capture a cut. */
    private boolean lenCheck(int l, int hlen, int at) {
        if (l > hlen) {
            return false;
        }
        if (!b.has(at, l)) {
            throw TcpdumpBytes.Truncated.INSTANCE;
        }
        return true;
    }

    private boolean bad(StringBuilder sb, boolean first) {
        sb.append("[bad opt]");
        if (!first) {
            sb.append(']');
        }
        optionsOpen = false;
        return false;
    }

    private static String optionName(int opt) {
        return switch (opt) {
            case 0 -> "eol";
            case 1 -> "nop";
            case 2 -> "mss";
            case 3 -> "wscale";
            case 4 -> "sackOK";
            case 5 -> "sack";
            case 6 -> "echo";
            case 7 -> "echoreply";
            case 8 -> "TS";
            case 11 -> "cc";
            case 12 -> "ccnew";
            case 13 -> "";
            case 19 -> "md5";
            case 20 -> "scps";
            case 28 -> "uto";
            case 29 -> "tcp-ao";
            case 30 -> "mptcp";
            case 34 -> "tfo";
            case 254 -> "exp";
            default -> null;
        };
    }
}
