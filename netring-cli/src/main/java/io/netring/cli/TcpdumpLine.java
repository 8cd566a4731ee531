package io.netring.cli;

import io.netring.decode.AddressText;
import io.netring.decode.DnsView;
import io.netring.decode.Ipv4View;
import io.netring.decode.Ipv6View;
import io.netring.decode.Layer;
import io.netring.decode.PacketDecoder;
import io.netring.decode.TcpView;

/**
 * The text {@code tcpdump -n} prints for a frame, after the timestamp: {@code IP 10.0.0.1.1234 >
 * 10.0.0.2.80: Flags [S], seq 1, win 64240, options [mss 1460], length 0}, the ARP, ICMP,
 * ICMPv6, UDP and DNS-query lines, and the EtherType line with a hex dump for anything else.
 * {@code -e} adds the link layer, {@code -v} the IP header fields (TTL, id, flags, length, a wrong
 * IPv4 header checksum; TCP and UDP checksums are not verified), the datagram an ICMP error
 * quotes on a line of its own, and the ICMP/ICMPv6 checksum; {@code -x}/{@code -xx} the hex dump. TCP sequence numbers are relative
 * to the first ACK-bearing packet of a connection, as tcpdump's are; that state lives in
 * {@link TcpSequences}.
 */
final class TcpdumpLine {
    private final boolean link;
    private final int verbose;
    /** 0, or 1/2 for -x/-X (after the link header) and -xx/-XX (whole frame). */
    private final int hex;
    /** -X: the hex lines carry the printable column. */
    private final boolean hexAscii;
    /** 0, or 1/2 for -A/-AA: the bytes as text. */
    private final int ascii;
    /** -q: TCP and UDP as "tcp N" and "UDP, length N". */
    private final boolean quick;
    private final TcpdumpTcp tcp = new TcpdumpTcp();
    private final TcpdumpIcmp icmp = new TcpdumpIcmp();
    private final TcpdumpIcmp6 icmp6;
    /** -v: decodes the datagram an ICMP error quotes, which tcpdump prints on a line of its own. */
    private final PacketDecoder quoted;
    private final TcpdumpArp arp = new TcpdumpArp();
    private final TcpdumpDns dns = new TcpdumpDns();
    private final TcpdumpNamed named = new TcpdumpNamed();

    /**
     * @param link tcpdump's {@code -e}
     * @param verbose how many {@code -v}
     * @param hex 0, 1 for {@code -x} (after the link header), 2 for {@code -xx} (whole frame)
     */
    TcpdumpLine(boolean link, int verbose, int hex) {
        this(link, verbose, hex, false, 0, false);
    }

    /**
     * @param hexAscii tcpdump's {@code -X} ({@code hex} then counts the X's)
     * @param ascii 0, 1 for {@code -A}, 2 for {@code -AA}
     * @param quick tcpdump's {@code -q}
     */
    TcpdumpLine(boolean link, int verbose, int hex, boolean hexAscii, int ascii, boolean quick) {
        this.link = link;
        this.verbose = verbose;
        this.hex = hex;
        this.hexAscii = hexAscii;
        this.ascii = hex > 0 ? 0 : ascii;
        this.quick = quick;
        this.icmp6 = new TcpdumpIcmp6(verbose > 0);
        this.quoted = verbose > 0 ? new PacketDecoder() : null;
    }

    /**
     * True when tcpdump's printer of this frame stopped by a long jump (a read past the captured
     * bytes outside a printer's own bounds check): tcpdump then dumps ({@code -x}, {@code -A}) the
     * frame from its first byte instead of from the network header.
     */
    private boolean longJump;

    /** Appends the line (and hex lines, newline-separated, without a final newline) for one frame. */
    void append(StringBuilder sb, PacketDecoder d) {
        longJump = false;
        if (!d.has(Layer.ETHERNET)) {
            sb.append(" [|ether]");
            dump(sb, d, d.length());            // tcpdump counts a cut link header whole: -x shows nothing
            return;
        }
        int etherType = d.etherType();
        boolean known = etherType == 0x0800 || etherType == 0x86DD || etherType == 0x0806 || etherType == 0x8035;
        boolean linkShown = link || (!known && !d.has(Layer.LLC) && etherType >= 0);
        if (linkShown) {
            d.ethernet().appendSource(sb).append(" > ");
            d.ethernet().appendDestination(sb).append(", ");
            if (d.ethernet().isEthernetII()) {
                // Without -e the tags are not shown, so the line names the EtherType after them.
                etherTypeText(sb, link ? d.ethernet().typeOrLength() : etherType);
            } else {
                sb.append("802.3");
            }
            // 802.3 frames show their length field, Ethernet II frames the length on the wire.
            sb.append(", length ").append(d.ethernet().isEthernetII() ? d.originalLength() : d.ethernet().typeOrLength()).append(": ");
            if (link) {
                for (int i = 0; i < d.vlan().count(); i++) {
                    sb.append("vlan ").append(d.vlan().id(i)).append(", p ").append(d.vlan().priority(i));
                    if (d.vlan().dropEligible(i)) {
                        sb.append(", DEI");
                    }
                    sb.append(", ");
                    etherTypeText(sb, d.vlan().etherType(i));
                    sb.append(", ");
                }
            }
        }
        int l3 = d.networkOffset();
        boolean tagCut = false;
        if (d.has(Layer.LLC) && d.etherType() < 0) {
            llc(sb, d);
            if (hex == 0 && ascii == 0) {
                return;
            }
        } else if (l3 < 0) {
            tagCut = d.has(Layer.VLAN) || (d.ethernet().isEthernetII() && isVlanTpid(d.ethernet().typeOrLength()));
            sb.append(tagCut ? " [|vlan]" : d.has(Layer.LLC) ? " [|llc]" : " [|ether]");
        } else if (etherType == 0x0806 || etherType == 0x8035) {
            longJump = !arp.append(sb, d, l3, link);
        } else if (etherType == 0x0800) {
            ipv4(sb, d, false);
        } else if (etherType == 0x86DD) {
            ipv6(sb, d);
        } else if (hex == 0) {
            hexDump(sb, d, l3, true);           // tcpdump's own dump of what it cannot decode; -A's follows
        }
        // -x on LLC: after its header; after a cut VLAN tag tcpdump counts the whole frame as link header
        int from = longJump ? 0 : l3 >= 0 ? l3 : d.has(Layer.LLC) ? ETH_HLEN + 3 : tagCut ? d.length() : 0;
        dump(sb, d, from);
    }

    /** -x/-X/-A from {@code from}; their doubled forms from the first byte. */
    private void dump(StringBuilder sb, PacketDecoder d, int from) {
        if (hex > 0) {
            hexDump(sb, d, hex == 2 ? 0 : from, d.length(), hexAscii);
        } else if (ascii > 0) {
            asciiDump(sb, d, ascii == 2 ? 0 : from);
        }
    }

    private static boolean isVlanTpid(int type) {
        return type == 0x8100 || type == 0x88A8 || type == 0x9100;
    }

    private static void etherTypeText(StringBuilder sb, int type) {
        String name = switch (type) {
            case 0x0800 -> "IPv4";
            case 0x0806 -> "ARP";
            case 0x8035 -> "Reverse ARP";
            case 0x86DD -> "IPv6";
            case 0x8100 -> "802.1Q";
            case 0x88A8 -> "802.1Q-QinQ";
            case 0x9100 -> "802.1Q-9100";
            case 0x88CC -> "LLDP";
            case 0x888E -> "EAPOL";
            case 0x8847 -> "MPLS unicast";
            case 0x8863 -> "PPPoE D";
            case 0x8864 -> "PPPoE S";
            default -> "Unknown";
        };
        sb.append("ethertype ").append(name).append(" (");
        FieldPrinter.hex4(sb, type).append(')');
    }

    /**
     * An 802.3 frame with an LLC header. tcpdump decodes many SAPs (STP, SNAP, IPX, NetBIOS…);
     * this prints its generic form, right for SAPs it does not know: the unnumbered-information
     * line and a hex dump of the LLC data.
     */
    private void llc(StringBuilder sb, PacketDecoder d) {
        int dsap = d.ethernet().llcDsap();
        int ssap = d.ethernet().llcSsap();
        int ctrl = d.ethernet().llcControl();
        // The length field, or what was captured of it.
        int length = Math.min(d.ethernet().typeOrLength(), d.originalLength() - ETH_HLEN);
        if (link) {
            sb.append("LLC, dsap Unknown (0x");
            hex2(sb, dsap & 0xFE).append(") ").append((dsap & 1) == 0 ? "Individual" : "Group");
            sb.append(", ssap Unknown (0x");
            hex2(sb, ssap & 0xFE).append(") ").append((ssap & 1) == 0 ? "Command" : "Response");
            sb.append(", ctrl 0x");
            hex2(sb, ctrl).append(": ");
        } else {
            d.ethernet().appendSource(sb).append(" > ");
            d.ethernet().appendDestination(sb).append(" Unknown DSAP 0x");
            hex2(sb, dsap & 0xFE).append(' ');
        }
        if ((ctrl & 0x03) == 0x03 && (ctrl & 0xEF) == 0x03) {
            sb.append("Unnumbered, ui, Flags [").append((ssap & 1) == 0 ? "Command" : "Response");
            if ((ctrl & 0x10) != 0) {
                sb.append(", Poll");
            }
            sb.append(']');
        } else {
            sb.append("ctrl 0x");
            hex2(sb, ctrl);
        }
        sb.append(", length ").append(length);
        if (hex == 0) {                         // as for an unknown EtherType: -x replaces it, -A follows it
            int end = Math.min(d.length(), ETH_HLEN + length);
            hexDump(sb, d, ETH_HLEN, end, true);
        }
    }

    private static final int ETH_HLEN = 14;

    /** The IPv4 part; {@code inQuote} for the datagram an ICMP error quotes, which is not expected whole. */
    private void ipv4(StringBuilder sb, PacketDecoder d, boolean inQuote) {
        if (!d.has(Layer.IPV4)) {
            // tcpdump reads the version before it prints "IP "; no version byte is a long jump
            boolean noVersion = d.u8(d.networkOffset()) < 0;
            longJump |= noVersion;
            sb.append(link || noVersion ? " [|ip]" : "IP  [|ip]");
            return;
        }
        if (!link) {
            sb.append("IP ");
        }
        Ipv4View ip = d.ipv4();
        int payload = ip.totalLength() - ip.headerLength();
        int missing = ip.totalLength() - (d.originalLength() - d.networkOffset());
        if (missing > 0 && !inQuote) {
            sb.append("truncated-ip - ").append(missing).append(" bytes missing! ");
        }
        if (verbose == 0 && !inQuote && headerCut(sb, d, ip)) {
            return;
        }
        if (verbose > 0) {
            hex(sb.append("(tos 0x"), ip.tos()).append(", ttl ").append(ip.ttl())
                    .append(", id ").append(ip.identification()).append(", offset ").append(ip.fragmentOffset())
                    .append(", flags [");
            int flags = ip.flags();
            if (flags == 0) {
                sb.append("none");
            } else {
                if ((flags & 4) != 0) {
                    sb.append("rsvd");
                }
                if ((flags & 2) != 0) {
                    sb.append("DF");
                }
                if ((flags & 1) != 0) {
                    sb.append('+');
                }
            }
            sb.append("], proto ").append(protocolName(ip.protocol())).append(" (").append(ip.protocol())
                    .append("), length ").append(ip.totalLength());
            if (ip.headerLength() > 20) {
                if (!ipv4Options(sb.append(", options ("), d, ip)) {
                    sb.append(" [|ip]");                // the options were cut short: tcpdump stops there
                    return;
                }
                sb.append(')');
            }
            headerChecksum(sb, d, ip);
            sb.append(")\n    ");
        }
        boolean ports = ip.fragmentOffset() == 0 && hasPorts(d);
        endpoints(sb, d, false, ports);
        if (ip.fragmentOffset() != 0) {
            sb.append(" ip-proto-").append(ip.protocol());
            return;
        }
        transport(sb, d, payload);
    }

    /**
     * tcpdump's check that the whole IPv4 header (options too) was captured, made before the
     * transport printer: " [remaining caplen(N) < header length(H)] [|ip]", after the addresses
     * for the protocols whose printers would have printed them; true when it stopped the line.
     */
    private boolean headerCut(StringBuilder sb, PacketDecoder d, Ipv4View ip) {
        int l3 = d.networkOffset();
        int available = Math.min(d.length() - l3, ip.totalLength());
        if (ip.headerLength() <= available || ip.fragmentOffset() != 0) {
            return false;
        }
        int p = ip.protocol();
        if (p != 6 && p != 17 && p != 132 && p != 33) {
            d.ipv4().appendSource(sb).append(" > ");
            d.ipv4().appendDestination(sb).append(": ");
        }
        sb.append(" [remaining caplen(").append(available).append(") < header length(").append(ip.headerLength())
                .append(")] [|ip]");
        longJump = true;
        return true;
    }

    /** -v: tcpdump's ", bad cksum F (->R)!" when the header was captured and its checksum is wrong. */
    private static void headerChecksum(StringBuilder sb, PacketDecoder d, Ipv4View ip) {
        int l3 = d.networkOffset();
        int end = l3 + ip.headerLength();
        if (end > d.length()) {
            return;
        }
        int residue = InternetChecksum.residue(InternetChecksum.sum(d, l3, end, 0));
        if (residue != 0) {
            hex(sb.append(", bad cksum "), ip.checksum()).append(" (->");
            hex(sb, InternetChecksum.shouldBe(ip.checksum(), residue)).append(")!");
        }
    }

    /**
     * {@code name}, or for a value without one {@code prefix}, the number and {@code suffix}:
     * appended piece by piece, so that an unknown value costs no String.
     */
    static StringBuilder named(StringBuilder sb, String name, String prefix, int value, String suffix) {
        return name != null ? sb.append(name) : sb.append(prefix).append(value).append(suffix);
    }

    /** {@code v} in hex without leading zeros, as C's %x. */
    static StringBuilder hex(StringBuilder sb, int v) {
        return hex(sb, v, 1);
    }

    /** {@code v} (32 bits, unsigned) in hex with at least {@code digits} digits, as C's %0Nx. */
    static StringBuilder hex(StringBuilder sb, int v, int digits) {
        int shift = 28;
        while (shift > 4 * (digits - 1) && (v >>> shift & 0xF) == 0) {
            shift -= 4;
        }
        for (; shift >= 0; shift -= 4) {
            sb.append(Character.forDigit(v >>> shift & 0xF, 16));
        }
        return sb;
    }

    /**
     * -v: the datagram an ICMP error quotes from {@code at}, on its own line as tcpdump prints
     * it, read no further than the outer datagram's captured end.
     */
    private void quotedDatagram(StringBuilder sb, PacketDecoder d, int at) {
        int end = Math.min(d.length(), TcpdumpBytes.ipEnd(d));
        sb.append("\n\t");
        if (at + 4 > end) {
            sb.append(" [|icmp]");          // tcpdump reads the quote's length before printing it
            return;
        }
        // The quote's decoder may be d itself (an error quoting an error): the arguments are
        // taken from d before it decodes again.
        quoted.decodeIp(d.segment(), d.offset() + Math.min(at, end), Math.max(0, end - at));
        ipv4(sb, quoted, true);
    }

    /** The options' names, comma-separated; false when a byte of them was not captured. */
    private static boolean ipv4Options(StringBuilder sb, PacketDecoder d, Ipv4View ip) {
        int o = ip.optionsOffset();
        int end = d.networkOffset() + ip.headerLength();      // as the header says, captured or not
        boolean first = true;
        while (o < end) {
            int t = d.u8(o);
            if (!first) {
                sb.append(',');
            }
            first = false;
            if (t < 0) {
                return false;
            }
            switch (t) {
                case 0 -> sb.append("EOL");
                case 1 -> sb.append("NOP");
                case 0x94 -> sb.append("RA");
                default -> sb.append("unknown ").append(t);
            }
            if (t == 0 || t == 1) {
                o++;
                if (t == 0) {
                    break;
                }
                continue;
            }
            int len = d.u8(o + 1);
            if (len < 0) {
                return false;
            }
            if (len < 2) {
                break;
            }
            o += len;
        }
        return true;
    }

    private void ipv6(StringBuilder sb, PacketDecoder d) {
        if (!d.has(Layer.IPV6)) {
            sb.append(" [|ip6]");
            return;
        }
        if (!link) {
            sb.append("IP6 ");
        }
        Ipv6View ip = d.ipv6();
        int missing = 40 + ip.payloadLength() - (d.originalLength() - d.networkOffset());
        if (missing > 0) {
            sb.append("truncated-ip6 - ").append(missing).append(" bytes missing!");
        }
        if (verbose > 0) {
            sb.append('(');
            if (ip.trafficClass() != 0) {
                sb.append("class 0x");
                hex2(sb, ip.trafficClass()).append(", ");
            }
            if (ip.flowLabel() != 0) {
                hex(sb.append("flowlabel 0x"), ip.flowLabel(), 5).append(", ");
            }
            sb.append("hlim ").append(ip.hopLimit()).append(", next-header ").append(nextHeaderName(ip.nextHeader()))
                    .append(" (").append(ip.nextHeader()).append(") payload length: ").append(ip.payloadLength()).append(") ");
        }
        boolean extensions = ip.nextHeader() != d.ipProtocol() || ip.hasFragment();
        boolean ports = !extensions && hasPorts(d);
        endpoints(sb, d, true, ports);
        // The extension headers in the order they came, as tcpdump names them.
        int next = ip.nextHeader();
        int at = d.networkOffset() + 40;
        int payload = ip.payloadLength();
        for (int i = 0; i < 16; i++) {
            if (next == 0 || next == 60 || next == 43) {
                if (d.u8(at + 1) < 0) {
                    sb.append(" [|").append(next == 0 ? "hbhopt" : next == 60 ? "dstopt" : "srcrt").append(']');
                    return;
                }
                int len = (d.u8(at + 1) + 1) * 8;
                if (next == 0) {
                    sb.append(" HBH");
                } else if (next == 60) {
                    sb.append(" DSTOPT");
                } else if (!routing(sb, d, at)) {
                    longJump = true;
                    return;
                }
                next = d.u8(at);
                at += len;
                payload -= len;
            } else if (next == 44) {
                int off = d.u16(at + 2);
                if (off < 0) {
                    sb.append(" [|frag]");
                    return;
                }
                payload -= 8;
                sb.append(" frag (").append(off & 0xFFF8).append('|').append(payload).append(')');
                next = d.u8(at);
                at += 8;
                if ((off & 0xFFF8) != 0) {
                    return;
                }
                if (payload == 0) {
                    sb.append(' ');             // an empty first fragment: tcpdump stops after a space
                    return;
                }
            } else if (next == 50 || next == 51) {
                named.protocol(sb, d, next, at, payload);    // the decoder walks past AH; tcpdump names it
                return;
            } else {
                break;
            }
        }
        if (extensions && hasPorts(d)) {
            int l4 = d.upperLayerOffset();
            sb.append(' ').append(d.u16(l4)).append(" > ").append(d.u16(l4 + 2)).append(':');
        }
        if (next == 59) {
            sb.append(" no next header");
            return;
        }
        transport(sb, d, payload);
    }

    /** The routing header's text; false when its tag was not captured (tcpdump's " [|rt6]" ends the line). */
    private static boolean routing(StringBuilder sb, PacketDecoder d, int at) {
        int len = d.u8(at + 1);
        int type = d.u8(at + 2);
        int segLeft = d.u8(at + 3);
        if (type == 4) {
            sb.append(" RT6 (len=").append(len).append(", type=4, segleft=").append(segLeft)
                    .append(", last-entry=").append(d.u8(at + 4));
            if (d.u16(at + 6) < 0) {
                sb.append(" [|rt6]");
                return false;
            }
            hex(sb.append(", tag="), d.u16(at + 6));
            for (int i = 0; i < len / 2; i++) {
                int a = at + 8 + 16 * i;
                if (d.u8(a + 15) < 0) {
                    break;
                }
                sb.append(", [").append(i).append(']');
                AddressText.appendIpv6(sb, ((long) d.u32(a) << 32) | d.u32(a + 4), ((long) d.u32(a + 8) << 32) | d.u32(a + 12));
            }
            sb.append(')');
        } else {
            sb.append(" srcrt (len=").append(len).append(", type=").append(type).append(", segleft=").append(segLeft).append(')');
        }
        return true;
    }

    /** True when TCP or UDP ports were captured, even if the rest of the header was cut. */
    private static boolean hasPorts(PacketDecoder d) {
        int p = d.ipProtocol();
        return (p == 6 || p == 17 || p == 132) && d.upperLayerOffset() >= 0 && d.u16(d.upperLayerOffset() + 2) >= 0;
    }

    /** "src[.port] > dst[.port]:" with the ports attached when {@code ports}. */
    private static void endpoints(StringBuilder sb, PacketDecoder d, boolean v6, boolean ports) {
        int l4 = d.upperLayerOffset();
        if (v6) {
            d.ipv6().appendSource(sb);
        } else {
            d.ipv4().appendSource(sb);
        }
        if (ports) {
            sb.append('.').append(d.u16(l4));
        }
        sb.append(" > ");
        if (v6) {
            d.ipv6().appendDestination(sb);
        } else {
            d.ipv4().appendDestination(sb);
        }
        if (ports) {
            sb.append('.').append(d.u16(l4 + 2));
        }
        sb.append(':');
    }

    /** The transport part; {@code ipPayload} is the datagram's payload length from the IP header(s). */
    private void transport(StringBuilder sb, PacketDecoder d, int ipPayload) {
        if (d.ipProtocol() == 6 && hasPorts(d)) {
            longJump |= !tcp.append(sb, d, d.upperLayerOffset(), ipPayload, quick);
        } else if (d.ipProtocol() == 17 && hasPorts(d) && d.u16(d.upperLayerOffset() + 4) >= 0) {
            // the length field is enough for tcpdump's length checks, even with the checksum cut
            udp(sb, d, ipPayload);
        } else if (d.ipProtocol() == 1 && d.has(Layer.IPV4)) {
            int at = d.networkOffset() + d.ipv4().headerLength();
            boolean whole = icmp.append(sb, d, at, ipPayload, verbose > 0 && !d.ipv4().moreFragments());
            longJump |= !whole;
            if (whole && verbose > 0 && TcpdumpIcmp.isError(d.u8(at))) {
                quotedDatagram(sb, d, at + 8);
            }
        } else if (d.ipProtocol() == 58 && d.upperLayerOffset() >= 0) {
            longJump |= !icmp6.append(sb, d, d.upperLayerOffset(), ipPayload);
        } else if (TcpdumpNamed.namesProtocol(d.ipProtocol()) && d.upperLayerOffset() >= 0) {
            named.protocol(sb, d, d.ipProtocol(), d.upperLayerOffset(), ipPayload);
        } else {
            int p = d.ipProtocol();
            switch (p) {
                // With the ports printed tcpdump leaves two spaces before the mark, else one.
                case 6 -> sb.append(hasPorts(d) ? "  [|tcp]" : " [|tcp]");
                case 17 -> sb.append("  [|udp]");             // after "a > b: ", ports or not
                case 1 -> sb.append("  [|icmp]");
                case 58 -> sb.append(" [|icmp6]");
                default -> sb.append("  ip-proto-").append(p).append(' ').append(ipPayload);
            }
        }
    }

    static void tcpFlags(StringBuilder sb, int flags) {
        int start = sb.length();
        if ((flags & TcpView.FIN) != 0) sb.append('F');
        if ((flags & TcpView.SYN) != 0) sb.append('S');
        if ((flags & TcpView.RST) != 0) sb.append('R');
        if ((flags & TcpView.PSH) != 0) sb.append('P');
        if ((flags & TcpView.ACK) != 0) sb.append('.');
        if ((flags & TcpView.URG) != 0) sb.append('U');
        if ((flags & TcpView.ECE) != 0) sb.append('E');
        if ((flags & TcpView.CWR) != 0) sb.append('W');
        if (sb.length() == start) {
            sb.append("none");
        }
    }

    private void udp(StringBuilder sb, PacketDecoder d, int ipPayload) {
        int l4 = d.upperLayerOffset();
        int udpLength = d.u16(l4 + 4);
        if (ipPayload < 8) {
            sb.append(" truncated-udp ").append(ipPayload);
            return;
        }
        if (udpLength < 8) {
            sb.append(" truncated-udplength ").append(udpLength);
            return;
        }
        if (udpLength > ipPayload) {
            sb.append(" UDP, bad length ").append(udpLength - 8).append(" > ").append(ipPayload - 8);
            return;
        }
        if (!d.has(Layer.UDP)) {
            sb.append("  [|udp]");
            return;
        }
        if (quick) {
            sb.append(" UDP, length ").append(udpLength - 8);
            return;
        }
        if (TcpdumpNamed.namesPorts(d.u16(l4), d.u16(l4 + 2))) {
            named.udp(sb, d, l4, udpLength - 8);
            return;
        }
        if (d.u16(l4) == 53 || d.u16(l4 + 2) == 53) {
            dns.append(sb.append(' '), d, l4 + 8, udpLength - 8);
            return;
        }
        sb.append(" UDP, length ").append(udpLength - 8);
    }

    private static String protocolName(int p) {
        return switch (p) {
            case 1 -> "ICMP";
            case 2 -> "IGMP";
            case 6 -> "TCP";
            case 17 -> "UDP";
            case 41 -> "IPv6";
            case 47 -> "GRE";
            case 50 -> "ESP";
            case 51 -> "AH";
            case 58 -> "ICMPv6";
            case 132 -> "SCTP";
            default -> "unknown";
        };
    }

    private static String nextHeaderName(int p) {
        return switch (p) {
            case 0 -> "Options";
            case 43 -> "Routing";
            case 44 -> "Fragment";
            case 58 -> "ICMPv6";
            case 60 -> "DstOpts";
            default -> protocolName(p);
        };
    }

    /** tcpdump's hex lines: a tab, the offset, eight 2-byte groups; with {@code ascii} the printable column too. */
    static void hexDump(StringBuilder sb, PacketDecoder d, int from, boolean ascii) {
        hexDump(sb, d, from, d.length(), ascii);
    }

    static void hexDump(StringBuilder sb, PacketDecoder d, int from, int end, boolean ascii) {
        for (int line = from; line < end; line += 16) {
            int offset = line - from;
            hex2(hex2(sb.append("\n\t0x"), offset >> 8), offset & 0xFF).append(":  ");
            int lineStart = sb.length();
            int stop = Math.min(end, line + 16);
            for (int i = line; i < stop; i++) {
                hex2(sb, d.u8(i));
                if (((i - line) & 1) == 1 && i + 1 < stop) {
                    sb.append(' ');
                }
            }
            if (ascii) {
                while (sb.length() - lineStart < 39) {
                    sb.append(' ');
                }
                sb.append("  ");
                for (int i = line; i < stop; i++) {
                    int c = d.u8(i);
                    sb.append(c > 0x20 && c < 0x7F ? (char) c : '.');
                }
            }
        }
    }

    /** tcpdump's -A: a newline, then the captured bytes as text (controls as '.', CR dropped before LF). */
    static void asciiDump(StringBuilder sb, PacketDecoder d, int from) {
        if (from >= d.length()) {
            return;
        }
        sb.append('\n');
        int end = d.length();
        for (int i = from; i < end; i++) {
            int c = d.u8(i);
            if (c == '\r') {
                if (end - i - 1 > 1 && d.u8(i + 1) != '\n') {
                    sb.append('.');
                }
            } else if ((c > 0x20 && c < 0x7F) || c == '\t' || c == ' ' || c == '\n') {
                sb.append((char) c);
            } else {
                sb.append('.');
            }
        }
    }

    static StringBuilder hex2(StringBuilder sb, int b) {
        return sb.append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
    }
}
