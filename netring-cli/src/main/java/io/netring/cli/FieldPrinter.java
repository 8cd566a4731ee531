package io.netring.cli;

import io.netring.decode.AddressText;
import io.netring.decode.Layer;
import io.netring.decode.PacketDecoder;
import io.netring.reassembly.CommunityId;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * tshark's {@code -T fields}: one line per frame, the chosen fields in order, each formatted
 * as tshark formats it (ports and lengths in decimal, {@code eth.type} as {@code 0x0800},
 * {@code tcp.flags} as {@code 0x0012}). A field with several occurrences (stacked VLAN tags,
 * the datagram an ICMP error quotes) prints them all joined by {@code ,}, or only the one
 * {@code -E occurrence=f|l|N} picks; an absent field prints nothing.
 */
final class FieldPrinter {
    /** Appends a field's occurrences in one decoded layer set; {@code meta} for frame.* fields. */
    @FunctionalInterface
    interface Field {
        void values(PacketDecoder d, FrameMeta meta, Occurrences out);
    }

    /** Collects one field's occurrences in a reused builder. */
    static final class Occurrences {
        final StringBuilder text = new StringBuilder();
        int[] starts = new int[16];
        int count;

        void clear() {
            text.setLength(0);
            count = 0;
        }

        StringBuilder next() {
            if (count == starts.length) {
                starts = java.util.Arrays.copyOf(starts, count * 2);
            }
            starts[count++] = text.length();
            return text;
        }

        int start(int i) {
            return starts[i];
        }

        int end(int i) {
            return i + 1 < count ? starts[i + 1] : text.length();
        }
    }

    static final Map<String, Field> FIELDS = new TreeMap<>();

    static {
        FIELDS.put("frame.number", (d, m, o) -> o.next().append(m.number));
        FIELDS.put("frame.len", (d, m, o) -> o.next().append(m.wireLength));
        FIELDS.put("frame.cap_len", (d, m, o) -> o.next().append(m.capturedLength));
        FIELDS.put("frame.time_epoch", (d, m, o) -> appendNanos(o.next().append(m.seconds).append('.'), m.nanos));
        FIELDS.put("eth.src", (d, m, o) -> {
            if (d.has(Layer.ETHERNET)) {
                AddressText.appendMac(o.next(), d.ethernet().source());
            }
        });
        FIELDS.put("eth.dst", (d, m, o) -> {
            if (d.has(Layer.ETHERNET)) {
                AddressText.appendMac(o.next(), d.ethernet().destination());
            }
        });
        FIELDS.put("eth.type", (d, m, o) -> {
            if (d.has(Layer.ETHERNET) && d.ethernet().isEthernetII()) {
                hex4(o.next(), d.ethernet().typeOrLength());
            }
        });
        FIELDS.put("vlan.id", (d, m, o) -> {
            for (int i = 0; i < d.vlan().count(); i++) {
                if (d.vlan().tpid(i) != 0x88A8) {           // tshark shows 802.1ad S-tags as ieee8021ad.id
                    o.next().append(d.vlan().id(i));
                }
            }
        });
        FIELDS.put("ip.src", (d, m, o) -> {
            if (d.has(Layer.IPV4)) {
                AddressText.appendIpv4(o.next(), d.ipv4().source());
            }
        });
        FIELDS.put("ip.dst", (d, m, o) -> {
            if (d.has(Layer.IPV4)) {
                AddressText.appendIpv4(o.next(), d.ipv4().destination());
            }
        });
        FIELDS.put("ip.proto", (d, m, o) -> {
            if (d.has(Layer.IPV4)) {
                o.next().append(d.ipv4().protocol());
            }
        });
        FIELDS.put("ip.ttl", (d, m, o) -> {
            if (d.has(Layer.IPV4)) {
                o.next().append(d.ipv4().ttl());
            }
        });
        FIELDS.put("ip.id", (d, m, o) -> {
            if (d.has(Layer.IPV4)) {
                hex4(o.next(), d.ipv4().identification());
            }
        });
        FIELDS.put("ipv6.src", (d, m, o) -> {
            if (d.has(Layer.IPV6)) {
                d.ipv6().appendSource(o.next());
            }
        });
        FIELDS.put("ipv6.dst", (d, m, o) -> {
            if (d.has(Layer.IPV6)) {
                d.ipv6().appendDestination(o.next());
            }
        });
        FIELDS.put("ipv6.nxt", (d, m, o) -> {
            if (d.has(Layer.IPV6)) {
                o.next().append(d.ipv6().nextHeader());
            }
        });
        FIELDS.put("ipv6.hlim", (d, m, o) -> {
            if (d.has(Layer.IPV6)) {
                o.next().append(d.ipv6().hopLimit());
            }
        });
        // tshark prints the ports of a TCP header cut short after them (ICMP errors quote 8 bytes).
        FIELDS.put("tcp.srcport", (d, m, o) -> {
            if (d.has(Layer.TCP) || cutTcp(d, 2)) {
                o.next().append(d.u16(d.upperLayerOffset()));
            }
        });
        FIELDS.put("tcp.dstport", (d, m, o) -> {
            if (d.has(Layer.TCP) || cutTcp(d, 4)) {
                o.next().append(d.u16(d.upperLayerOffset() + 2));
            }
        });
        FIELDS.put("tcp.flags", (d, m, o) -> {
            if (d.has(Layer.TCP)) {
                hex4(o.next(), d.tcp().flags());
            }
        });
        FIELDS.put("udp.srcport", (d, m, o) -> {
            if (d.has(Layer.UDP)) {
                o.next().append(d.udp().sourcePort());
            }
        });
        FIELDS.put("udp.dstport", (d, m, o) -> {
            if (d.has(Layer.UDP)) {
                o.next().append(d.udp().destinationPort());
            }
        });
        FIELDS.put("udp.length", (d, m, o) -> {
            if (d.has(Layer.UDP)) {
                o.next().append(d.udp().length());
            }
        });
        // Only on the fragments before the last, read from a file (tshark -2): see FragmentLines.
        FIELDS.put("ip.reassembled_in", (d, m, o) -> {
            if (d.has(Layer.IPV4) && m.reassembledIn > 0) {
                o.next().append(m.reassembledIn);
            }
        });
        FIELDS.put("ipv6.reassembled.in", (d, m, o) -> {
            if (d.has(Layer.IPV6) && m.reassembledIn > 0) {
                o.next().append(m.reassembledIn);
            }
        });
        FIELDS.put("communityid", (d, m, o) -> {
            String id = CommunityId.of(d, m.defragmenting);
            if (id != null) {
                o.next().append(id);
            }
        });
        FIELDS.put("icmp.type", (d, m, o) -> {
            if (d.has(Layer.ICMP)) {
                o.next().append(d.icmp().type());
            }
        });
        FIELDS.put("icmp.code", (d, m, o) -> {
            if (d.has(Layer.ICMP)) {
                o.next().append(d.icmp().code());
            }
        });
        FIELDS.put("icmpv6.type", (d, m, o) -> {
            if (d.has(Layer.ICMPV6)) {
                o.next().append(d.icmpv6().type());
            }
        });
        FIELDS.put("icmpv6.code", (d, m, o) -> {
            if (d.has(Layer.ICMPV6)) {
                o.next().append(d.icmpv6().code());
            }
        });
        FIELDS.put("arp.opcode", (d, m, o) -> {
            if (d.has(Layer.ARP)) {
                o.next().append(d.arp().opcode());
            }
        });
        FIELDS.put("dns.id", (d, m, o) -> {
            if (d.has(Layer.DNS)) {
                hex4(o.next(), d.dns().id());
            }
        });
        FIELDS.put("dns.qry.name", (d, m, o) -> {
            if (d.has(Layer.DNS) && d.dns().questionCount() > 0) {
                StringBuilder sb = o.next();
                int at = sb.length();
                if (d.dns().appendQuestionName(sb)) {
                    if (sb.length() == at) {
                        sb.append("<Root>");
                    }
                    escapeOctal(sb, at);
                }
            }
            application(m, ApplicationFields.DNS_QUERY_NAME, o);      // DNS over TCP
        });
        for (int i = 0; i < ApplicationFields.DNS_QUERY_NAME; i++) {
            int index = i;
            FIELDS.put(ApplicationFields.NAMES.get(i), (d, m, o) -> application(m, index, o));
        }
    }

    /** An application field's values on this frame (never on an ICMP error's quoted set: a frame with those reports none). */
    private static void application(FrameMeta m, int field, Occurrences o) {
        if (m.app != null) {
            m.app.append(field, o);
        }
    }

    /** Whether any of {@code names} is an HTTP, TLS or DNS field read from reassembled streams. */
    static boolean needsApplication(List<String> names) {
        return names.stream().anyMatch(ApplicationFields::isApplicationField);
    }

    /** True when a TCP header was cut short but its first {@code bytes} bytes are there. */
    private static boolean cutTcp(PacketDecoder d, int bytes) {
        int at = d.upperLayerOffset();
        return d.ipProtocol() == 6 && at >= 0 && d.u8(at + bytes - 1) >= 0;
    }

    /** Which occurrences to print: all (0), the first (1), the last (-1), or number N. */
    static final int ALL = 0;
    static final int LAST = -1;

    private final String[] names;
    private final Field[] fields;
    private final char separator;
    private final int occurrence;
    private final Occurrences occ = new Occurrences();

    /**
     * @param names the fields, in output order
     * @param separator between fields (tshark's default is a tab)
     * @param occurrence {@link #ALL}, {@link #LAST}, or a 1-based occurrence number
     * @throws IllegalArgumentException naming an unknown field and the known ones
     */
    FieldPrinter(List<String> names, char separator, int occurrence) {
        if (names.isEmpty()) {
            throw new IllegalArgumentException("-T fields needs at least one -e FIELD; known fields: " + String.join(" ", FIELDS.keySet()));
        }
        this.names = names.toArray(String[]::new);
        this.fields = new Field[this.names.length];
        for (int i = 0; i < this.names.length; i++) {
            fields[i] = field(this.names[i]);
        }
        this.separator = separator;
        this.occurrence = occurrence;
    }

    /** The fields, in output order. */
    List<String> names() {
        return List.of(names);
    }

    static Field field(String name) {
        Field f = FIELDS.get(name);
        if (f == null) {
            throw new IllegalArgumentException("unknown field '" + name + "'; known fields: " + String.join(" ", FIELDS.keySet()));
        }
        return f;
    }

    /**
     * Reads tshark's {@code -E} options: {@code occurrence=f|l|a|N} and {@code separator=C}
     * ({@code /t} tab, {@code /s} space), giving {separator, occurrence}.
     * @throws IllegalArgumentException for any other option or value
     */
    static int[] parseOptions(List<String> options) {
        int separator = '\t';
        int occurrence = ALL;
        for (String opt : options) {
            int eq = opt.indexOf('=');
            String key = eq < 0 ? opt : opt.substring(0, eq);
            String value = eq < 0 ? "" : opt.substring(eq + 1);
            switch (key) {
                case "separator" -> separator = switch (value) {
                    case "/t" -> '\t';
                    case "/s" -> ' ';
                    default -> {
                        if (value.length() != 1) {
                            throw new IllegalArgumentException("-E separator takes one character, /t or /s, was '" + value + "'");
                        }
                        yield value.charAt(0);
                    }
                };
                case "occurrence" -> occurrence = switch (value.toLowerCase(Locale.ROOT)) {
                    case "f" -> 1;
                    case "l" -> LAST;
                    case "a" -> ALL;
                    default -> {
                        try {
                            int n = Integer.parseInt(value);
                            if (n < 1) {
                                throw new NumberFormatException();
                            }
                            yield n;
                        } catch (NumberFormatException e) {
                            throw new IllegalArgumentException("-E occurrence takes f, l, a or a number from 1, was '" + value + "'");
                        }
                    }
                };
                default -> throw new IllegalArgumentException("unsupported -E option '" + opt + "' (supported: occurrence=f|l|a|N, separator=C)");
            }
        }
        return new int[] {separator, occurrence};
    }

    /** Appends the line for one frame (without the newline). */
    void append(StringBuilder out, PacketLayers layers, FrameMeta meta) {
        for (int i = 0; i < fields.length; i++) {
            if (i > 0) {
                out.append(separator);
            }
            collect(fields[i], names[i], layers, meta);
            appendSelected(out);
        }
    }

    /**
     * The occurrences of one field, for the JSON printer. IP header fields read the frame's own
     * header ({@link PacketLayers#network}), which differs from the outer set on a frame that
     * completes a fragmented datagram.
     */
    Occurrences collect(Field f, String name, PacketLayers layers, FrameMeta meta) {
        occ.clear();
        int sets = name.startsWith("frame.") ? 1 : layers.count();
        boolean network = name.startsWith("ip.") || name.startsWith("ipv6.");
        for (int k = 0; k < sets; k++) {
            f.values(network ? layers.network(k) : layers.get(k), meta, occ);
        }
        return occ;
    }

    private void appendSelected(StringBuilder out) {
        int n = occ.count;
        if (n == 0) {
            return;
        }
        if (occurrence == ALL) {
            for (int i = 0; i < n; i++) {
                if (i > 0) {
                    out.append(',');
                }
                out.append(occ.text, occ.start(i), occ.end(i));
            }
            return;
        }
        int pick = occurrence == LAST ? n - 1 : occurrence - 1;
        if (pick < n) {
            out.append(occ.text, occ.start(pick), occ.end(pick));
        }
    }

    static List<String> knownFields() {
        return new ArrayList<>(FIELDS.keySet());
    }

    /** tshark's escape for unprintable bytes in names: a backslash and three octal digits. */
    private static void escapeOctal(StringBuilder sb, int from) {
        for (int i = from; i < sb.length(); i++) {
            char c = sb.charAt(i);
            if (c < 0x20 || c >= 0x7F) {
                sb.replace(i, i + 1, "\\" + (char) ('0' + (c >> 6)) + (char) ('0' + ((c >> 3) & 7)) + (char) ('0' + (c & 7)));
                i += 3;
            }
        }
    }

    static StringBuilder hex4(StringBuilder sb, int v) {
        sb.append("0x");
        for (int shift = 12; shift >= 0; shift -= 4) {
            sb.append(Character.forDigit((v >> shift) & 0xF, 16));
        }
        return sb;
    }

    static StringBuilder appendNanos(StringBuilder sb, int nanos) {
        for (int div = 100_000_000; div > 0; div /= 10) {
            sb.append((char) ('0' + (nanos / div) % 10));
        }
        return sb;
    }
}
