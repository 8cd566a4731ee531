package io.netring.cli;

import io.netring.decode.PacketDecoder;

/**
 * The start of tcpdump's line for protocols it decodes and this printer only names: ESP, AH,
 * GRE and SCTP by IP protocol; NTP, BOOTP/DHCP, SNMP and syslog by UDP port. Each prints
 * tcpdump's name and the first fields it shows (ESP's whole line), not the full decode.
 */
final class TcpdumpNamed {
    private static final String[] SNMP_PDUS = {"GetRequest", "GetNextRequest", "GetResponse", "SetRequest", "Trap",
            "GetBulk", "Inform", "V2Trap", "Report"};
    private static final String[] SYSLOG_FACILITIES = {"kernel", "user", "mail", "daemon", "auth", "syslog", "lpr",
            "news", "uucp", "cron", "authpriv", "ftp", "ntp", "security", "console", "cron", "local0", "local1",
            "local2", "local3", "local4", "local5", "local6", "local7"};
    private static final String[] SYSLOG_SEVERITIES = {"emergency", "alert", "critical", "error", "warning", "notice",
            "info", "debug"};
    private static final String[] NTP_MODES = {"unspecified", "symmetric active", "symmetric passive", "Client",
            "Server", "Broadcast", "Control Message", "Reserved"};

    private final TcpdumpBytes b = new TcpdumpBytes();

    /** True when {@code protocol} is one this class names. */
    static boolean namesProtocol(int protocol) {
        return protocol == 50 || protocol == 51 || protocol == 47 || protocol == 132;
    }

    /** True when a UDP datagram between these ports is one this class names. */
    static boolean namesPorts(int sport, int dport) {
        return either(sport, dport, 123) || either(sport, dport, 67) || either(sport, dport, 68)
                || either(sport, dport, 161) || either(sport, dport, 162) || either(sport, dport, 514);
    }

    private static boolean either(int a, int b, int port) {
        return a == port || b == port;
    }

    /** Appends " NAME…" for the IP payload at {@code at} of protocol {@code protocol}, {@code length} bytes. */
    void protocol(StringBuilder sb, PacketDecoder d, int protocol, int at, int length) {
        b.set(d, TcpdumpBytes.ipEnd(d));
        try {
            switch (protocol) {
                case 50 -> {
                    long spi = b.u32(at);
                    long seq = b.u32(at + 4);
                    TcpdumpLine.hex(TcpdumpLine.hex(sb.append(" ESP(spi=0x"), (int) spi, 8).append(",seq=0x"), (int) seq)
                            .append("), length ").append(length);
                }
                case 51 -> {
                    long spi = b.u32(at + 4);
                    long seq = b.u32(at + 8);
                    TcpdumpLine.hex(TcpdumpLine.hex(sb.append(" AH(spi=0x"), (int) spi, 8).append(",seq=0x"), (int) seq).append(')');
                }
                case 47 -> {
                    int version = b.u8(at + 1) & 7;
                    sb.append(" GREv").append(version);
                    // tcpdump decodes versions 0 and 1 further; this names them and their length
                    if (version > 1) {
                        sb.append(" ERROR: unknown-version");
                    } else {
                        sb.append(", length ").append(length);
                    }
                }
                default -> sb.append(" sctp");
            }
        } catch (TcpdumpBytes.Truncated t) {
            // GRE's mark follows the space after "a > b:", as tcpdump's does
            sb.append(protocol == 47 ? "  [|gre]" : protocol == 50 ? " [|esp]" : protocol == 51 ? " [|ah]" : " [|sctp]");
        }
    }

    /** Appends the UDP application's text for the datagram at {@code l4} ({@code length}: its payload). */
    void udp(StringBuilder sb, PacketDecoder d, int l4, int length) {
        b.set(d, TcpdumpBytes.ipEnd(d));
        int sport = d.u16(l4);
        int dport = d.u16(l4 + 2);
        int at = l4 + 8;
        try {
            if (either(sport, dport, 123)) {
                int first = b.u8(at);
                sb.append(" NTPv").append((first >> 3) & 7).append(", ").append(NTP_MODES[first & 7])
                        .append(", length ").append(length);
            } else if (either(sport, dport, 67) || either(sport, dport, 68)) {
                int op = b.u8(at);
                sb.append(" BOOTP/DHCP, ");
                if (op == 1 || op == 2) {
                    sb.append(op == 1 ? "Request" : "Reply");
                } else {
                    TcpdumpLine.hex(sb.append("unknown (0x"), op, 2).append(')');
                }
                if (b.u8(at + 1) == 1 && b.u8(at + 2) == 6 && op == 1) {
                    sb.append(" from ");
                    for (int i = 0; i < 6; i++) {
                        if (i > 0) {
                            sb.append(':');
                        }
                        TcpdumpLine.hex2(sb, b.u8(at + 28 + i));
                    }
                }
                sb.append(", length ").append(length);
            } else if (either(sport, dport, 161) || either(sport, dport, 162)) {
                snmp(sb, at);
            } else {
                syslog(sb, at, length);
            }
        } catch (TcpdumpBytes.Truncated t) {
            sb.append(" [|udp]");
        }
    }

    /** The PDU's name and length after the message's version and community (BER, short lengths). */
    private void snmp(StringBuilder sb, int at) {
        int p = at + 2;                                       // SEQUENCE tag and length
        p += 2 + b.u8(p + 1);                                 // version
        p += 2 + b.u8(p + 1);                                 // community
        int tag = b.u8(p);
        sb.append("  ");
        if (tag >= 0xA0 && tag - 0xA0 < SNMP_PDUS.length) {
            sb.append(SNMP_PDUS[tag - 0xA0]).append('(').append(b.u8(p + 1)).append(')');
        } else {
            sb.append("[|snmp]");
        }
    }

    private void syslog(StringBuilder sb, int at, int length) {
        int pri = 0;
        int i = at;
        if (b.u8(i++) == '<') {
            int c;
            while ((c = b.u8(i++)) >= '0' && c <= '9' && i - at < 6) {
                pri = pri * 10 + (c - '0');
            }
        }
        int facility = pri >> 3;
        sb.append(" SYSLOG ").append(facility < SYSLOG_FACILITIES.length ? SYSLOG_FACILITIES[facility] : "unknown")
                .append('.').append(SYSLOG_SEVERITIES[pri & 7]).append(", length: ").append(length);
    }

}
