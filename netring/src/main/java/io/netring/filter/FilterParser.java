package io.netring.filter;

import io.netring.filter.FilterLexer.Kind;
import io.netring.filter.FilterLexer.Token;
import io.netring.filter.Primitives.Dir;

import java.util.List;
import java.util.Locale;
import java.util.Set;

import static io.netring.filter.Cond.and;
import static io.netring.filter.Cond.not;
import static io.netring.filter.Cond.or;

/**
 * Reads pcap-filter(7) for Ethernet, following libpcap's grammar: and/or of equal precedence and
 * left-associative, not binding tighter, a bare address or number after and/or taking the
 * qualifiers of the previous primitive ({@code host 10.0.0.1 or 10.0.0.2}), and arithmetic with
 * {@code | & << >> + - * /} by precedence ({@code %} and {@code ^} take all that follows as their
 * right operand, as libpcap's grammar does). Each primitive is expanded as it is read, so
 * {@code vlan} moves the offsets of what is written after it.
 */
final class FilterParser {
    /** Parentheses and not's nest at most this deep. */
    static final int MAX_DEPTH = 200;

    private static final Set<String> KEYWORDS = Set.of("dst", "src", "host", "gateway", "net", "mask", "port",
            "portrange", "less", "greater", "proto", "protochain", "byte", "ether", "fddi", "tr", "wlan", "ppp", "slip",
            "link", "arp", "rarp", "ip", "sctp", "tcp", "udp", "icmp", "igmp", "igrp", "pim", "vrrp", "carp", "radio",
            "ip6", "icmp6", "ah", "esp", "atalk", "aarp", "decnet", "lat", "sca", "moprc", "mopdl", "iso", "esis",
            "es-is", "isis", "is-is", "l1", "l2", "iih", "lsp", "snp", "csnp", "psnp", "clnp", "stp", "ipx", "netbeui",
            "broadcast", "multicast", "and", "or", "not", "len", "inbound", "outbound", "ifindex", "vlan", "mpls",
            "pppoed", "pppoes", "geneve", "lane", "llc", "metac", "bcc", "oam", "oamf4", "oamf4ec", "oamf4sc", "sc",
            "ilmic", "vpi", "vci", "connectmsg", "metaconnect", "on", "ifname", "rset", "rnr", "srnr", "reason",
            "action", "type", "subtype", "direction", "dir", "address1", "addr1", "address2", "addr2", "address3",
            "addr3", "address4", "addr4", "ra", "ta");

    /** Protocol qualifiers this compiler implements. */
    enum Proto { DEFAULT, LINK, IP, ARP, RARP, SCTP, TCP, UDP, ICMP, IGMP, IGRP, PIM, VRRP, CARP, IP6, ICMP6, AH, ESP, STP }

    /** Address qualifiers. */
    enum Addr { DEFAULT, HOST, NET, PORT, PORTRANGE, PROTO, PROTOCHAIN, GATEWAY }

    /** The qualifiers of a primitive; {@code null} after a term that leaves none to inherit. */
    record Qual(Proto proto, Dir dir, Addr addr) {
    }

    /** A parsed term and the qualifiers a following bare id inherits. */
    private record Term(Cond cond, Qual qual) {
    }

    /**
     * An arithmetic value, the protocol checks its loads need, and the constant libpcap's code for
     * it starts with ({@code ld #head}; null when it starts otherwise): libpcap's parser checks a
     * divisor or shift count by that first instruction alone (a constant index counts too:
     * {@code x >> ether[62]} is "shift by more than 31 bits"), its optimizer the rest.
     */
    private record Arith(Value value, Cond guard, Integer head) {
    }

    /** Thrown when a speculative arithmetic parse does not fit; the caller tries another reading. */
    private static final class NotArithmetic extends RuntimeException {
        NotArithmetic() {
            super(null, null, false, false);
        }
    }

    private final String expr;
    private final List<Token> tokens;
    private final Primitives prim = new Primitives();
    private int pos;
    private int depth;

    private FilterParser(String expr) {
        this.expr = expr;
        this.tokens = FilterLexer.tokens(expr);
    }

    /** The condition the expression stands for; an empty expression accepts everything. */
    static Cond parse(String expr) {
        FilterParser p = new FilterParser(expr);
        if (p.peek().kind() == Kind.END) {
            return Cond.TRUE;
        }
        Cond c = p.expression().cond;
        if (p.peek().kind() != Kind.END) {
            throw p.error(p.peek(), "syntax error: unexpected '" + p.peek().text() + "'");
        }
        return c;
    }

    // ---- tokens

    private Token peek() {
        return tokens.get(pos);
    }

    private Token peek(int ahead) {
        return tokens.get(Math.min(pos + ahead, tokens.size() - 1));
    }

    private Token next() {
        return tokens.get(pos++);
    }

    private FilterSyntaxException error(Token at, String reason) {
        return new FilterSyntaxException(expr, at.pos(), reason);
    }

    private Token expect(String op) {
        Token t = next();
        if (!t.is(op)) {
            throw error(t, "syntax error: expected '" + op + "' but found " + describe(t));
        }
        return t;
    }

    private static String describe(Token t) {
        return t.kind() == Kind.END ? "the end of the expression" : "'" + t.text() + "'";
    }

    private static String word(Token t) {
        return t.kind() == Kind.WORD ? t.text().toLowerCase(Locale.ROOT) : null;
    }

    private static boolean isKeyword(Token t) {
        return t.kind() == Kind.WORD && KEYWORDS.contains(t.text().toLowerCase(Locale.ROOT));
    }

    private static boolean isAnd(Token t) {
        return t.is("&&") || t.isWord("and");
    }

    private static boolean isOr(Token t) {
        return t.is("||") || t.isWord("or");
    }

    private static boolean isNot(Token t) {
        return t.is("!") || t.isWord("not");
    }

    /** A number token's value (decimal, 0x hex, 0 octal, or a named constant), or null. */
    private Long number(Token t) {
        if (t.kind() != Kind.WORD) {
            return null;
        }
        String w = t.text();
        Integer named = FilterNames.CONSTANTS.get(w.toLowerCase(Locale.ROOT));
        if (named != null) {
            return (long) named;
        }
        boolean hex = w.startsWith("0x") || w.startsWith("0X");
        boolean octal = !hex && w.length() > 1 && w.startsWith("0");
        final int radix = hex ? 16 : octal ? 8 : 10;
        String digits = hex ? w.substring(2) : octal ? w.substring(1) : w;
        if (digits.isEmpty() || !digits.chars().allMatch(c -> Character.digit(c, radix) >= 0)) {
            return null;
        }
        if (digits.length() > 12) {
            throw error(t, "number " + w + " overflows 32 bits");
        }
        long v = Long.parseLong(digits, radix);
        if (v > 0xffff_ffffL) {
            throw error(t, "number " + w + " overflows 32 bits");
        }
        return v;
    }

    private void enter(Token at) {
        if (++depth > MAX_DEPTH) {
            throw error(at, "expression nested more than " + MAX_DEPTH + " levels deep");
        }
    }

    // ---- expressions

    private Term expression() {
        Term left = term();
        while (isAnd(peek()) || isOr(peek())) {
            boolean isAnd = isAnd(next());
            Cond right;
            Qual q;
            if (startsId()) {
                if (left.qual == null) {
                    throw error(peek(), "syntax error in filter expression: '" + peek().text()
                            + "' has no qualifier to inherit (write e.g. 'host " + peek().text() + "')");
                }
                right = id(left.qual);
                q = left.qual;
            } else {
                Term t = term();
                right = t.cond;
                q = t.qual;
            }
            left = new Term(isAnd ? and(left.cond, right) : or(left.cond, right), q);
        }
        return left;
    }

    /** After and/or: does a bare id (inheriting qualifiers) follow, rather than a term? */
    private boolean startsId() {
        int i = 0;
        while (isNot(peek(i)) || peek(i).is("(")) {
            i++;
        }
        Token t = peek(i);
        if (t.kind() == Kind.ESCAPED) {
            return true;
        }
        if (t.kind() != Kind.WORD || isKeyword(t)) {
            return false;
        }
        if (number(t) != null) {
            Token after = peek(i + 1);
            return !(after.kind() == Kind.OP && !after.is("(") && !after.is(")") && !after.is("!")
                    && !after.is("&&") && !after.is("||"));
        }
        return true;
    }

    private Term term() {
        Token t = peek();
        if (isNot(t)) {
            next();
            enter(t);
            Term inner = term();
            depth--;
            return new Term(not(inner.cond), inner.qual);
        }
        return rterm();
    }

    private Term rterm() {
        Token t = peek();
        if (t.is("(")) {
            int save = pos;
            int saveDepth = depth;
            LinkState before = snapshot();
            RuntimeException asArithmetic;
            try {
                return new Term(relation(), null);
            } catch (NotArithmetic | FilterSyntaxException e) {
                asArithmetic = e;
                pos = save;
                depth = saveDepth;
                restore(before);
            }
            try {
                next();
                enter(t);
                Term inner = expression();
                expect(")");
                depth--;
                return inner;
            } catch (FilterSyntaxException e) {
                // report whichever reading got further into the expression
                if (asArithmetic instanceof FilterSyntaxException a && !(a instanceof NotArithmeticOr) && a.position() > e.position()) {
                    throw a;
                }
                throw e;
            }
        }
        if (t.kind() == Kind.ESCAPED) {
            throw error(t, "syntax error: '\\" + t.text() + "' needs a qualifier such as 'proto'");
        }
        if (t.kind() != Kind.WORD) {
            if (t.is("-")) {
                return new Term(relation(), null);
            }
            throw error(t, "syntax error: unexpected " + describe(t));
        }
        String w = word(t);
        if (number(t) != null || w.equals("len")) {
            return new Term(relation(), null);
        }
        Proto pname = pname(t);
        if (pname != null) {
            if (peek(1).is("[")) {
                return new Term(relation(), null);
            }
            next();
            return headOrAlone(pname, t);
        }
        switch (w) {
            case "src", "dst", "host", "net", "port", "portrange", "proto", "protochain", "gateway", "broadcast", "multicast" -> {
                return headOrAlone(Proto.DEFAULT, t);
            }
            case "less", "greater" -> {
                next();
                Token n = next();
                Long v = number(n);
                if (v == null) {
                    throw error(n, "syntax error: '" + w + "' needs a number");
                }
                Value len = new Value.Len();
                Cond c = w.equals("less") ? not(Cond.test(len, Bpf.JGT, v.intValue())) : Cond.test(len, Bpf.JGE, v.intValue());
                return new Term(c, null);
            }
            case "vlan" -> {
                next();
                Long id = optionalNumber();
                if (id != null && id > 4095) {
                    throw error(t, "VLAN tag " + id + " greater than maximum 4095");
                }
                return new Term(prim.vlan(id == null ? -1 : id.intValue()), null);
            }
            case "mpls" -> {
                next();
                Long label = optionalNumber();
                if (label != null && label > 0xfffff) {
                    throw error(t, "MPLS label " + label + " greater than maximum 1048575");
                }
                return new Term(prim.mpls(label == null ? -1 : label.intValue()), null);
            }
            case "pppoed" -> {
                next();
                return new Term(prim.pppoed(), null);
            }
            case "pppoes" -> {
                next();
                Long session = optionalNumber();
                if (session != null && session > 0xffff) {
                    throw error(t, "PPPoE session number " + session + " greater than maximum 65535");
                }
                return new Term(prim.pppoes(session == null ? -1 : session.intValue()), null);
            }
            case "llc" -> {
                next();
                if (peek().kind() == Kind.WORD && !isKeyword(peek()) && number(peek()) == null) {
                    throw error(peek(), "'llc " + peek().text() + "' (LLC frame types) is not supported");
                }
                if (prim.s.pppoes) {
                    throw error(t, "'llc' not supported for PPP");
                }
                return new Term(prim.llc(), null);
            }
            default -> {
                if (isKeyword(t)) {
                    throw error(t, "'" + t.text() + "' is not supported for Ethernet captures by this compiler");
                }
                throw error(t, "syntax error: '" + t.text() + "' needs a qualifier such as 'host', 'net' or 'port'");
            }
        }
    }

    /** A pnum after vlan/mpls/pppoes: a number, possibly in parentheses. */
    private Long optionalNumber() {
        int i = 0;
        while (peek(i).is("(")) {
            i++;
        }
        Long v = number(peek(i));
        if (v == null) {
            return null;
        }
        Token after = peek(i + 1);
        if (i == 0 && after.kind() == Kind.OP && !after.is(")") && !after.is("&&") && !after.is("||") && !after.is("!")) {
            return null;
        }
        for (int j = 0; j <= i; j++) {
            next();
        }
        for (int j = 0; j < i; j++) {
            expect(")");
        }
        return v;
    }

    private Proto pname(Token t) {
        String w = word(t);
        if (w == null) {
            return null;
        }
        return switch (w) {
            case "ether", "link", "fddi", "tr", "wlan", "ppp", "slip" -> Proto.LINK;
            case "ip" -> Proto.IP;
            case "arp" -> Proto.ARP;
            case "rarp" -> Proto.RARP;
            case "sctp" -> Proto.SCTP;
            case "tcp" -> Proto.TCP;
            case "udp" -> Proto.UDP;
            case "icmp" -> Proto.ICMP;
            case "igmp" -> Proto.IGMP;
            case "igrp" -> Proto.IGRP;
            case "pim" -> Proto.PIM;
            case "vrrp" -> Proto.VRRP;
            case "carp" -> Proto.CARP;
            case "ip6" -> Proto.IP6;
            case "icmp6" -> Proto.ICMP6;
            case "ah" -> Proto.AH;
            case "esp" -> Proto.ESP;
            case "stp" -> Proto.STP;
            default -> null;
        };
    }

    /** After an optional protocol qualifier: the rest of a head then an id, broadcast/multicast, or the protocol alone. */
    private Term headOrAlone(Proto proto, Token at) {
        Token t = peek();
        String w = word(t);
        Dir dir = null;
        if ("src".equals(w) || "dst".equals(w)) {
            next();
            dir = w.equals("src") ? Dir.SRC : Dir.DST;
            String other = w.equals("src") ? "dst" : "src";
            if ((isAnd(peek()) || isOr(peek())) && peek(1).isWord(other)) {
                dir = isAnd(next()) ? Dir.AND : Dir.OR;
                next();
            }
            w = word(peek());
        } else if ("broadcast".equals(w)) {
            next();
            return new Term(broadcast(proto, at), null);
        } else if ("multicast".equals(w)) {
            next();
            return new Term(multicast(proto, at), null);
        }
        Addr addr = null;
        if (w != null) {
            addr = switch (w) {
                case "host" -> Addr.HOST;
                case "net" -> Addr.NET;
                case "port" -> Addr.PORT;
                case "portrange" -> Addr.PORTRANGE;
                case "proto" -> dir == null ? Addr.PROTO : null;
                case "protochain" -> dir == null ? Addr.PROTOCHAIN : null;
                case "gateway" -> dir == null ? Addr.GATEWAY : null;
                default -> null;
            };
        }
        if (addr != null) {
            next();
        }
        if (dir == null && addr == null) {
            return new Term(protoAlone(proto, at), null);
        }
        Qual q = new Qual(proto, dir == null ? Dir.DEFAULT : dir, addr == null ? Addr.DEFAULT : addr);
        return new Term(id(q), q);
    }

    // ---- ids (addresses, numbers, names) under qualifiers

    private Cond id(Qual q) {
        Token t = peek();
        if (isNot(t)) {
            next();
            enter(t);
            Cond c = not(id(q));
            depth--;
            return c;
        }
        if (t.is("(")) {
            next();
            enter(t);
            Cond c = id(q);
            while (isAnd(peek()) || isOr(peek())) {
                boolean isAnd = isAnd(next());
                Cond r = id(q);
                c = isAnd ? and(c, r) : or(c, r);
            }
            expect(")");
            depth--;
            return c;
        }
        next();
        if (t.kind() == Kind.ESCAPED) {
            return name(t, t.text(), q);
        }
        if (t.kind() != Kind.WORD || isKeyword(t)) {
            throw error(t, "syntax error: expected an address, number or name but found " + describe(t));
        }
        String w = t.text();
        if (q.proto() == Proto.LINK && Addresses.mac(w) != null) {
            return mac(t, Addresses.mac(w), q);
        }
        Long n = number(t);
        if (n != null) {
            return numeric(t, n, q);
        }
        Addresses.Ipv4 v4 = Addresses.ipv4(w);
        if (v4 != null) {
            if (peek().is("/")) {
                next();
                Token m = next();
                Long len = number(m);
                if (len == null) {
                    throw error(m, "syntax error: expected a mask length after '/'");
                }
                return maskedNet(t, v4, len, null, q);
            }
            if (peek().isWord("mask")) {
                next();
                Token m = next();
                Addresses.Ipv4 mask = Addresses.ipv4(m.text());
                if (mask == null) {
                    throw error(m, "syntax error: expected a dotted mask after 'mask'");
                }
                return maskedNet(t, v4, -1, mask, q);
            }
            return ipv4Id(t, v4, q);
        }
        byte[] v6 = Addresses.ipv6(w);
        if (v6 != null) {
            int len = 128;
            if (peek().is("/")) {
                next();
                Token m = next();
                Long l = number(m);
                if (l == null) {
                    throw error(m, "syntax error: expected a prefix length after '/'");
                }
                if (l > 128) {
                    throw error(m, "mask length must be <= 128");
                }
                len = l.intValue();
            }
            return ipv6Id(t, v6, len, q);
        }
        if (Addresses.isMac(w)) {
            return mac(t, Addresses.mac(w), q);
        }
        return name(t, w, q);
    }

    private Cond numeric(Token t, long n, Qual q) {
        int v = (int) n;
        return switch (q.addr()) {
            case DEFAULT, HOST, NET -> {
                if (q.proto() == Proto.LINK) {
                    throw error(t, "illegal link layer address");
                }
                int mask = 0xffffffff;
                if (q.addr() == Addr.NET) {
                    // a short net number is promoted: net 10 is 10.0.0.0/8
                    while (v != 0 && (v & 0xff000000) == 0) {
                        v <<= 8;
                        mask <<= 8;
                    }
                }
                yield host(t, v, mask, q);
            }
            case PORT -> portNumbers(t, v, v, false, portProtos(t, q, 0, null), q.dir());
            case PORTRANGE -> portNumbers(t, v, v, true, portProtos(t, q, 0, null), q.dir());
            case PROTO -> proto(t, v, q);
            case PROTOCHAIN -> protochain(t, v, q);
            case GATEWAY -> throw error(t, "'gateway' requires a name (and name lookups are not supported)");
        };
    }

    private Cond ipv4Id(Token t, Addresses.Ipv4 v4, Qual q) {
        switch (q.addr()) {
            case PORT -> throw error(t, "'port' modifier applied to ip host");
            case PORTRANGE -> throw error(t, "'portrange' modifier applied to ip host");
            case PROTO -> throw error(t, "'proto' modifier applied to ip host");
            case PROTOCHAIN -> throw error(t, "'protochain' modifier applied to ip host");
            case GATEWAY -> throw error(t, "'gateway' requires a name (and name lookups are not supported)");
            default -> { }
        }
        if (q.proto() == Proto.LINK) {
            throw error(t, "illegal link layer address");
        }
        int shift = 32 - v4.bits();
        int v = shift == 32 ? 0 : v4.value() << shift;
        int mask = shift == 32 ? 0 : 0xffffffff << shift;
        return host(t, v, mask, q);
    }

    private Cond maskedNet(Token t, Addresses.Ipv4 v4, long len, Addresses.Ipv4 maskAddr, Qual q) {
        int shift = 32 - v4.bits();
        int addr = shift == 32 ? 0 : v4.value() << shift;
        int mask;
        String shown;
        if (maskAddr != null) {
            int ms = 32 - maskAddr.bits();
            mask = ms == 32 ? 0 : maskAddr.value() << ms;
            shown = "\"" + t.text() + " mask " + tokens.get(pos - 1).text() + "\"";
        } else {
            if (len > 32) {
                throw error(t, "mask length must be <= 32");
            }
            mask = len == 0 ? 0 : 0xffffffff << (32 - len);
            shown = "\"" + t.text() + "/" + len + "\"";
        }
        if ((addr & ~mask) != 0) {
            throw error(t, "non-network bits set in " + shown);
        }
        if (q.addr() != Addr.NET) {
            throw error(t, "Mask syntax for networks only");
        }
        return host(t, addr, mask, q);
    }

    private Cond host(Token t, int addr, int mask, Qual q) {
        String type = q.addr() == Addr.NET ? "net" : "host";
        return switch (q.proto()) {
            // after mpls libpcap looks for IPv4 addresses only (ARP cannot follow a label)
            case DEFAULT -> prim.s.mplsDepth > 0 ? prim.hostOp(addr, mask, q.dir(), Primitives.ETHERTYPE_IP, 12, 16)
                    : or(or(prim.hostOp(addr, mask, q.dir(), Primitives.ETHERTYPE_IP, 12, 16),
                    prim.hostOp(addr, mask, q.dir(), Primitives.ETHERTYPE_ARP, 14, 24)),
                    prim.hostOp(addr, mask, q.dir(), Primitives.ETHERTYPE_RARP, 14, 24));
            case IP -> prim.hostOp(addr, mask, q.dir(), Primitives.ETHERTYPE_IP, 12, 16);
            case ARP -> prim.hostOp(addr, mask, q.dir(), Primitives.ETHERTYPE_ARP, 14, 24);
            case RARP -> prim.hostOp(addr, mask, q.dir(), Primitives.ETHERTYPE_RARP, 14, 24);
            case LINK -> throw error(t, "link-layer modifier applied to " + type);
            case IP6 -> throw error(t, "'ip6' modifier applied to ip " + type);
            default -> throw error(t, "'" + q.proto().name().toLowerCase(Locale.ROOT) + "' modifier applied to " + type);
        };
    }

    private Cond ipv6Id(Token t, byte[] v6, int len, Qual q) {
        int[] addr = new int[4];
        int[] mask = new int[4];
        for (int i = 0; i < 4; i++) {
            addr[i] = ((v6[4 * i] & 0xff) << 24) | ((v6[4 * i + 1] & 0xff) << 16) | ((v6[4 * i + 2] & 0xff) << 8) | (v6[4 * i + 3] & 0xff);
            int bits = Math.max(0, Math.min(32, len - 32 * i));
            mask[i] = bits == 0 ? 0 : 0xffffffff << (32 - bits);
            if ((addr[i] & ~mask[i]) != 0) {
                throw error(t, "non-network bits set in \"" + t.text() + "/" + len + "\"");
            }
        }
        switch (q.addr()) {
            case DEFAULT, HOST -> {
                if (len != 128) {
                    throw error(t, "Mask syntax for networks only");
                }
            }
            case NET -> { }
            default -> throw error(t, "invalid qualifier against IPv6 address");
        }
        return switch (q.proto()) {
            case DEFAULT, IP6 -> prim.host6Op(addr, mask, q.dir());
            case LINK -> throw error(t, "link-layer modifier applied to ip6 " + (q.addr() == Addr.NET ? "net" : "host"));
            default -> throw error(t, "'" + q.proto().name().toLowerCase(Locale.ROOT) + "' modifier applied to ip6 "
                    + (q.addr() == Addr.NET ? "net" : "host"));
        };
    }

    private Cond mac(Token t, byte[] mac, Qual q) {
        if ((q.addr() == Addr.HOST || q.addr() == Addr.DEFAULT) && q.proto() == Proto.LINK) {
            notPpp(t, ETHER_ADDRESSES_ONLY);
            return prim.etherHost(mac, q.dir());
        }
        throw error(t, "ethernet address used in non-ether expression");
    }

    private Cond name(Token t, String name, Qual q) {
        String lower = name.toLowerCase(Locale.ROOT);
        return switch (q.addr()) {
            case DEFAULT, HOST, NET -> {
                if (q.proto() == Proto.LINK && q.addr() != Addr.NET && Addresses.mac(name) != null) {
                    notPpp(t, ETHER_ADDRESSES_ONLY);
                    yield prim.etherHost(Addresses.mac(name), q.dir());
                }
                throw error(t, "unknown host '" + name + "' (host and network names are not looked up; write the address)");
            }
            case PORT -> {
                FilterNames.Service svc = FilterNames.SERVICES.get(lower);
                if (svc == null) {
                    throw error(t, "unknown port '" + name + "'");
                }
                yield portNumbers(t, svc.port(), svc.port(), false, portProtos(t, q, svc.protocols(), name), q.dir());
            }
            case PORTRANGE -> {
                // libpcap's pcap_nametoportrange: split at the first '-', each end a decimal number
                // or a service; the range is a TCP (UDP) one when both ends are, else any protocol
                int dash = name.indexOf('-');
                FilterNames.Service lo = dash < 0 ? null : rangeEnd(t, name.substring(0, dash));
                FilterNames.Service hi = dash < 0 ? null : rangeEnd(t, name.substring(dash + 1));
                if (lo == null || hi == null) {
                    throw error(t, "unknown port in range '" + name + "'");
                }
                int protos = lo.protocols() == hi.protocols() ? lo.protocols() : FilterNames.TCP | FilterNames.UDP;
                yield portNumbers(t, lo.port(), hi.port(), true, portProtos(t, q, protos, name), q.dir());
            }
            case PROTO, PROTOCHAIN -> {
                Integer v;
                if (q.proto() == Proto.LINK) {
                    v = FilterNames.ETHER_TYPES.get(lower);
                    if (v == null) {
                        throw error(t, "unknown ether proto '" + name + "'");
                    }
                } else {
                    v = FilterNames.IP_PROTOCOLS.get(lower);
                    if (v == null) {
                        throw error(t, "unknown ip proto '" + name + "'");
                    }
                }
                yield q.addr() == Addr.PROTO ? proto(t, v, q) : protochain(t, v, q);
            }
            case GATEWAY -> throw error(t, "'gateway' needs a host name lookup, which is not supported");
        };
    }

    /** One end of a port range: a decimal number (any protocol) or a service name; null when neither. */
    private FilterNames.Service rangeEnd(Token t, String end) {
        if (!end.isEmpty() && end.chars().allMatch(c -> c >= '0' && c <= '9')) {
            long port = end.length() > 10 ? Long.MAX_VALUE : Long.parseLong(end);
            if (port > 65535) {
                throw error(t, "illegal port number " + port + " > 65535");
            }
            return new FilterNames.Service((int) port, FilterNames.TCP | FilterNames.UDP);
        }
        return FilterNames.SERVICES.get(end.toLowerCase(Locale.ROOT));
    }

    /** The transport protocols a port primitive covers, checking a named service against the qualifier. */
    private int[] portProtos(Token t, Qual q, int serviceProtos, String serviceName) {
        int tcp = Primitives.IPPROTO_TCP;
        int udp = Primitives.IPPROTO_UDP;
        int sctp = Primitives.IPPROTO_SCTP;
        String which = q.addr() == Addr.PORTRANGE ? "portrange" : "port";
        String named = (q.addr() == Addr.PORTRANGE ? "port in range '" : "port '") + serviceName;
        return switch (q.proto()) {
            case DEFAULT -> serviceProtos == FilterNames.TCP ? new int[] {tcp}
                    : serviceProtos == FilterNames.UDP ? new int[] {udp} : new int[] {sctp, tcp, udp};
            case TCP -> {
                if (serviceProtos == FilterNames.UDP) {
                    throw error(t, named + "' is udp");
                }
                yield new int[] {tcp};
            }
            case UDP -> {
                if (serviceProtos == FilterNames.TCP) {
                    throw error(t, named + "' is tcp");
                }
                yield new int[] {udp};
            }
            case SCTP -> {
                if (serviceProtos == FilterNames.TCP) {
                    throw error(t, named + "' is tcp");
                }
                if (serviceProtos == FilterNames.UDP) {
                    throw error(t, named + "' is udp");
                }
                yield new int[] {sctp};
            }
            default -> throw error(t, "illegal qualifier of '" + which + "'");
        };
    }

    private Cond portNumbers(Token t, int lo, int hi, boolean range, int[] protos, Dir dir) {
        for (int p : new int[] {lo, hi}) {
            if (Integer.toUnsignedLong(p) > 65535) {
                throw error(t, "illegal port number " + Integer.toUnsignedLong(p) + " > 65535");
            }
        }
        int low = Math.min(lo, hi);
        int high = Math.max(lo, hi);
        Primitives.PortTest cmp = range
                ? field -> and(Cond.test(field, Bpf.JGE, low), not(Cond.test(field, Bpf.JGT, high)))
                : field -> Cond.eq(field, low);
        return prim.port(cmp, protos, dir);
    }

    private Cond proto(Token t, int v, Qual q) {
        if (q.dir() != Dir.DEFAULT) {
            throw error(t, "direction applied to 'proto'");
        }
        return switch (q.proto()) {
            case DEFAULT -> prim.anyProto(v);
            case LINK -> prim.linkType(v);
            case IP -> prim.ipProto(v);
            case IP6 -> prim.ip6Proto(v);
            default -> throw error(t, "'" + q.proto().name().toLowerCase(Locale.ROOT) + " proto' is not supported");
        };
    }

    private Cond protochain(Token t, int v, Qual q) {
        if (q.dir() != Dir.DEFAULT) {
            throw error(t, "direction applied to 'protochain'");
        }
        return switch (q.proto()) {
            case DEFAULT -> or(prim.protochain(v, false), prim.protochain(v, true));
            case IP -> prim.protochain(v, false);
            case IP6 -> prim.protochain(v, true);
            default -> throw error(t, "bad protocol applied for 'protochain'");
        };
    }

    private static final String ETHER_ADDRESSES_ONLY =
            "ethernet addresses supported only on ethernet/FDDI/token ring/802.11/ATM LANE/Fibre Channel";
    private static final String LINK_MULTICAST_ONLY =
            "link-layer multicast filters supported only on ethernet/FDDI/token ring/ARCNET/802.11/ATM LANE/Fibre Channel";

    /** After pppoes libpcap treats the rest of the expression as PPP, which has no link-layer addresses. */
    private void notPpp(Token at, String reason) {
        if (prim.s.pppoes) {
            throw error(at, reason);
        }
    }

    private Cond broadcast(Proto proto, Token at) {
        return switch (proto) {
            case DEFAULT, LINK -> {
                notPpp(at, "not a broadcast link");
                yield prim.etherBroadcast();
            }
            case IP -> prim.ipBroadcast();
            default -> throw error(at, "only link-layer/IP broadcast filters supported");
        };
    }

    private Cond multicast(Proto proto, Token at) {
        return switch (proto) {
            case DEFAULT, LINK -> {
                notPpp(at, LINK_MULTICAST_ONLY);
                yield prim.etherMulticast();
            }
            case IP -> prim.ipMulticast();
            case IP6 -> prim.ip6Multicast();
            default -> throw error(at, LINK_MULTICAST_ONLY);
        };
    }

    private Cond protoAlone(Proto proto, Token at) {
        return switch (proto) {
            case IP -> prim.linkType(Primitives.ETHERTYPE_IP);
            case IP6 -> prim.linkType(Primitives.ETHERTYPE_IPV6);
            case ARP -> prim.linkType(Primitives.ETHERTYPE_ARP);
            case RARP -> prim.linkType(Primitives.ETHERTYPE_RARP);
            case TCP -> prim.anyProto(Primitives.IPPROTO_TCP);
            case UDP -> prim.anyProto(Primitives.IPPROTO_UDP);
            case SCTP -> prim.anyProto(Primitives.IPPROTO_SCTP);
            case ICMP -> prim.ipProto(Primitives.IPPROTO_ICMP);
            case ICMP6 -> prim.ip6Proto(Primitives.IPPROTO_ICMPV6);
            case IGMP -> prim.ipProto(Primitives.IPPROTO_IGMP);
            case IGRP -> prim.ipProto(Primitives.IPPROTO_IGRP);
            case PIM -> prim.anyProto(Primitives.IPPROTO_PIM);
            case VRRP, CARP -> prim.ipProto(Primitives.IPPROTO_VRRP);
            case AH -> prim.anyProto(Primitives.IPPROTO_AH);
            case ESP -> prim.anyProto(Primitives.IPPROTO_ESP);
            case STP -> prim.stp();
            case LINK -> throw error(at, "'" + at.text() + "' alone is not a filter: add host, src, dst, proto, broadcast or multicast");
            case DEFAULT -> throw error(at, "syntax error: '" + at.text() + "' needs an address or number after it");
        };
    }

    // ---- arithmetic

    private LinkState snapshot() {
        LinkState copy = new LinkState();
        copy.linkType = prim.s.linkType;
        copy.network = prim.s.network;
        copy.mplsDepth = prim.s.mplsDepth;
        copy.pppoes = prim.s.pppoes;
        return copy;
    }

    private void restore(LinkState saved) {
        prim.s.linkType = saved.linkType;
        prim.s.network = saved.network;
        prim.s.mplsDepth = saved.mplsDepth;
        prim.s.pppoes = saved.pppoes;
    }

    /** arth relop arth. */
    private Cond relation() {
        Arith left = arith();
        Token op = next();
        int code;
        boolean negate = false;
        switch (op.kind() == Kind.OP ? op.text() : "") {
            case ">" -> code = Bpf.JGT;
            case ">=" -> code = Bpf.JGE;
            case "=", "==" -> code = Bpf.JEQ;
            case "<=" -> { code = Bpf.JGT; negate = true; }
            case "<" -> { code = Bpf.JGE; negate = true; }
            case "!=" -> { code = Bpf.JEQ; negate = true; }
            default -> throw new NotArithmeticOr(error(op, "syntax error: expected a comparison (= != < <= > >=) but found " + describe(op)));
        }
        Arith right = arith();
        Cond test = new Cond.Test(left.value, code, right.value);
        if (negate) {
            test = not(test);
        }
        Cond guard = guards(left.guard, right.guard);
        return guard == null ? test : and(guard, test);
    }

    /** A syntax error that a speculative parse may swallow. */
    private static final class NotArithmeticOr extends FilterSyntaxException {
        NotArithmeticOr(FilterSyntaxException e) {
            super(e.expression(), e.position(), e.reason());
        }
    }

    private static Cond guards(Cond a, Cond b) {
        if (a == null) {
            return b;
        }
        return b == null ? a : and(a, b);
    }

    private static final String[][] LEVELS = {{"|"}, {"&"}, {"<<", ">>"}, {"+", "-"}, {"*", "/"}};

    private Arith arith() {
        return binary(0);
    }

    private Arith binary(int level) {
        if (level == LEVELS.length) {
            return unary();
        }
        Arith left = binary(level + 1);
        while (true) {
            Token t = peek();
            String op = null;
            for (String candidate : LEVELS[level]) {
                if (t.is(candidate)) {
                    op = candidate;
                }
            }
            if (op == null) {
                return left;
            }
            next();
            Arith right = binary(level + 1);
            left = combine(t, op, left, right);
        }
    }

    private Arith unary() {
        Token t = peek();
        if (t.is("-")) {
            next();
            enter(t);
            Arith a = unary();
            depth--;
            if (a.value instanceof Value.Const c) {
                return new Arith(new Value.Const(-c.k()), null, a.head);
            }
            return new Arith(new Value.Neg(a.value), a.guard, a.head);
        }
        Arith p = primary();
        Token op = peek();
        if (op.is("%") || op.is("^")) {
            // no precedence in libpcap's grammar: the parser shifts, so the right operand is all that follows
            next();
            Arith right = arith();
            return combine(op, op.text(), p, right);
        }
        return p;
    }

    private Arith combine(Token at, String op, Arith left, Arith right) {
        int code = switch (op) {
            case "+" -> Bpf.ADD;
            case "-" -> Bpf.SUB;
            case "*" -> Bpf.MUL;
            case "/" -> Bpf.DIV;
            case "%" -> Bpf.MOD;
            case "&" -> Bpf.AND;
            case "|" -> Bpf.OR;
            case "^" -> Bpf.XOR;
            case "<<" -> Bpf.LSH;
            case ">>" -> Bpf.RSH;
            default -> throw new IllegalStateException(op);
        };
        if (right.head != null) {
            int h = right.head;
            if (code == Bpf.DIV && h == 0) {
                throw error(at, "division by zero");
            }
            if (code == Bpf.MOD && h == 0) {
                throw error(at, "modulus by zero");
            }
            if ((code == Bpf.LSH || code == Bpf.RSH) && Integer.toUnsignedLong(h) > 31) {
                throw error(at, "shift by more than 31 bits");
            }
        }
        boolean byZero = (code == Bpf.DIV || code == Bpf.MOD) && right.value instanceof Value.Const z && z.k() == 0;
        if (left.value instanceof Value.Const l && right.value instanceof Value.Const r && !byZero) {
            return new Arith(new Value.Const(Value.apply(code, l.k(), r.k())), null, left.head);
        }
        return new Arith(new Value.Bin(code, left.value, right.value), left.guard, left.head);
    }

    private Arith primary() {
        Token t = peek();
        if (t.is("(")) {
            next();
            enter(t);
            Arith inner = arith();
            if (!peek().is(")")) {
                throw new NotArithmeticOr(error(peek(), "syntax error: expected ')' but found " + describe(peek())));
            }
            next();
            depth--;
            return new Arith(inner.value, inner.guard, inner.head);
        }
        Long n = number(t);
        if (n != null) {
            next();
            return new Arith(new Value.Const(n.intValue()), null, n.intValue());
        }
        if (t.isWord("len")) {
            next();
            return new Arith(new Value.Len(), null, null);
        }
        Proto proto = pname(t);
        if (proto != null && peek(1).is("[")) {
            next();
            next();
            Arith index = arith();
            int size = 1;
            if (peek().is(":")) {
                next();
                Token st = next();
                Long s = number(st);
                if (s == null) {
                    throw error(st, "syntax error: expected a size (1, 2 or 4) after ':'");
                }
                if (s != 1 && s != 2 && s != 4) {
                    throw error(st, "data size must be 1, 2, or 4");
                }
                size = s.intValue();
            }
            expect("]");
            return load(t, proto, index, size);
        }
        throw new NotArithmeticOr(error(t, "syntax error: unexpected " + describe(t)));
    }

    /** proto[index : size]: the bytes at index from the start of that protocol's header. */
    private Arith load(Token t, Proto proto, Arith index, int size) {
        int nl = prim.s.network;
        Value v;
        Cond guard;
        switch (proto) {
            case LINK -> {
                v = new Value.LoadInd(size, 0, index.value);
                guard = null;
            }
            case IP, ARP, RARP, IP6 -> {
                v = new Value.LoadInd(size, nl, index.value);
                guard = protoAlone(proto, t);
            }
            case TCP, UDP, SCTP, ICMP, IGMP, IGRP, PIM, VRRP, CARP -> {
                Value msh = new Value.Msh(nl);
                Value idx = index.value instanceof Value.Const ? new Value.Bin(Bpf.ADD, msh, index.value)
                        : new Value.Bin(Bpf.ADD, index.value, msh);
                v = new Value.LoadInd(size, nl, idx);
                guard = and(and(prim.linkType(Primitives.ETHERTYPE_IP), protoAlone(proto, t)), prim.notFragment());
            }
            case ICMP6 -> {
                v = new Value.LoadInd(size, nl + 40, index.value);
                guard = and(prim.linkType(Primitives.ETHERTYPE_IPV6), Cond.eq(Primitives.load(1, nl + 6), Primitives.IPPROTO_ICMPV6));
            }
            default -> throw error(t, "'" + t.text() + "[...]' is not supported");
        }
        return new Arith(v, guards(index.guard, guard), index.head);
    }
}
