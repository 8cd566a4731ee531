package io.netring.filter;

import static io.netring.filter.Cond.and;
import static io.netring.filter.Cond.eq;
import static io.netring.filter.Cond.not;
import static io.netring.filter.Cond.or;
import static io.netring.filter.Cond.test;

/**
 * The meaning of each primitive of the language, written out as tests on frame bytes in the
 * order libpcap's code generator writes them (the order matters: a load past the captured
 * bytes rejects the frame, so an earlier branch of an "or" can win or lose before it).
 */
final class Primitives {
    static final int ETHERTYPE_IP = 0x0800;
    static final int ETHERTYPE_IPV6 = 0x86dd;
    static final int ETHERTYPE_ARP = 0x0806;
    static final int ETHERTYPE_RARP = 0x8035;
    static final int IPPROTO_ICMP = 1;
    static final int IPPROTO_IGMP = 2;
    static final int IPPROTO_TCP = 6;
    static final int IPPROTO_IGRP = 9;
    static final int IPPROTO_UDP = 17;
    static final int IPPROTO_FRAGMENT = 44;
    static final int IPPROTO_ESP = 50;
    static final int IPPROTO_AH = 51;
    static final int IPPROTO_ICMPV6 = 58;
    static final int IPPROTO_NONE = 59;
    static final int IPPROTO_PIM = 103;
    static final int IPPROTO_VRRP = 112;
    static final int IPPROTO_SCTP = 132;
    /** Extension headers protochain walks through, found before the protocol it looks for. */
    static final int PROTOCHAIN_DEPTH = 6;

    final LinkState s = new LinkState();

    static Value load(int size, int off) {
        return new Value.Load(size, off);
    }

    /** {@code v & mask}; a mask of all ones leaves {@code v} alone, as libpcap's gen_ncmp emits no {@code and} then. */
    static Value masked(Value v, int mask) {
        return mask == -1 ? v : new Value.Bin(Bpf.AND, v, new Value.Const(mask));
    }

    /** The network protocol is {@code ethertype} (libpcap's gen_linktype for Ethernet). */
    Cond linkType(int ethertype) {
        if (s.mplsDepth > 0) {
            Cond bottom = eq(masked(load(1, s.network - 2), 0x01), 0x01);
            return switch (ethertype) {
                case ETHERTYPE_IP -> and(bottom, eq(masked(load(1, s.network), 0xf0), 0x40));
                case ETHERTYPE_IPV6 -> and(bottom, eq(masked(load(1, s.network), 0xf0), 0x60));
                default -> throw new IllegalStateException("only ip and ip6 can follow mpls");
            };
        }
        if (s.pppoes) {
            int ppp = switch (ethertype) {
                case ETHERTYPE_IP -> 0x0021;
                case ETHERTYPE_IPV6 -> 0x0057;
                default -> ethertype;
            };
            return eq(load(2, s.linkType), ppp);
        }
        if (ethertype == 0x06 || ethertype == 0xf0 || ethertype == 0xfe) {
            // IP, NetBEUI and ISO SAPs: libpcap checks DSAP and SSAP together
            return and(not(test(load(2, s.linkType), Bpf.JGT, 1500)), eq(load(2, s.network), (ethertype << 8) | ethertype));
        }
        if (ethertype <= 1500) {
            // an LLC SAP: an 802.3 length field, then the DSAP
            return and(not(test(load(2, s.linkType), Bpf.JGT, 1500)), eq(load(1, s.network), ethertype));
        }
        return eq(load(2, s.linkType), ethertype);
    }

    Cond ipProto(int proto) {
        return and(linkType(ETHERTYPE_IP), eq(load(1, s.network + 9), proto));
    }

    /** ip6 proto: the fixed header's next header, or the one after a fragment header (libpcap 1.10). */
    Cond ip6Proto(int proto) {
        Value nh = load(1, s.network + 6);
        return and(linkType(ETHERTYPE_IPV6),
                or(eq(nh, proto), and(eq(nh, IPPROTO_FRAGMENT), eq(load(1, s.network + 40), proto))));
    }

    Cond anyProto(int proto) {
        return or(ipProto(proto), ip6Proto(proto));
    }

    /** The frame is not a non-first IPv4 fragment. */
    Cond notFragment() {
        return not(test(load(2, s.network + 6), Bpf.JSET, 0x1fff));
    }

    /** IPv4 address test: {@code ethertype} packets whose address at {@code srcOff}/{@code dstOff} matches. */
    Cond hostOp(int addr, int mask, Dir dir, int ethertype, int srcOff, int dstOff) {
        return switch (dir) {
            case SRC -> and(linkType(ethertype), eq(masked(load(4, s.network + srcOff), mask), addr & mask));
            case DST -> and(linkType(ethertype), eq(masked(load(4, s.network + dstOff), mask), addr & mask));
            case AND -> and(hostOp(addr, mask, Dir.SRC, ethertype, srcOff, dstOff), hostOp(addr, mask, Dir.DST, ethertype, srcOff, dstOff));
            case OR, DEFAULT -> or(hostOp(addr, mask, Dir.SRC, ethertype, srcOff, dstOff), hostOp(addr, mask, Dir.DST, ethertype, srcOff, dstOff));
        };
    }

    Cond host6Op(int[] addr, int[] mask, Dir dir) {
        return switch (dir) {
            case SRC -> and(linkType(ETHERTYPE_IPV6), words(addr, mask, s.network + 8));
            case DST -> and(linkType(ETHERTYPE_IPV6), words(addr, mask, s.network + 24));
            case AND -> and(host6Op(addr, mask, Dir.SRC), host6Op(addr, mask, Dir.DST));
            case OR, DEFAULT -> or(host6Op(addr, mask, Dir.SRC), host6Op(addr, mask, Dir.DST));
        };
    }

    private Cond words(int[] addr, int[] mask, int off) {
        Cond c = Cond.TRUE;
        for (int i = 0; i < 4; i++) {
            Cond w = eq(masked(load(4, off + 4 * i), mask[i]), addr[i] & mask[i]);
            c = i == 0 ? w : and(c, w);
        }
        return c;
    }

    Cond etherHost(byte[] mac, Dir dir) {
        int low = ((mac[2] & 0xff) << 24) | ((mac[3] & 0xff) << 16) | ((mac[4] & 0xff) << 8) | (mac[5] & 0xff);
        int high = ((mac[0] & 0xff) << 8) | (mac[1] & 0xff);
        return switch (dir) {
            case SRC -> and(eq(load(4, 8), low), eq(load(2, 6), high));
            case DST -> and(eq(load(4, 2), low), eq(load(2, 0), high));
            case AND -> and(etherHost(mac, Dir.SRC), etherHost(mac, Dir.DST));
            case OR, DEFAULT -> or(etherHost(mac, Dir.SRC), etherHost(mac, Dir.DST));
        };
    }

    Cond etherBroadcast() {
        return and(eq(load(4, 2), 0xffffffff), eq(load(2, 0), 0xffff));
    }

    Cond etherMulticast() {
        return test(load(1, 0), Bpf.JSET, 1);
    }

    /** ip broadcast with netmask 0 (what tcpdump -r passes): all-zeros or all-ones destination. */
    Cond ipBroadcast() {
        Value dst = load(4, s.network + 16);
        return and(linkType(ETHERTYPE_IP), or(eq(dst, 0), eq(dst, 0xffffffff)));
    }

    Cond ipMulticast() {
        return and(linkType(ETHERTYPE_IP), test(load(1, s.network + 16), Bpf.JGE, 224));
    }

    Cond ip6Multicast() {
        return and(linkType(ETHERTYPE_IPV6), eq(load(1, s.network + 24), 255));
    }

    /** Ports are compared with a test built by {@code cmp} on the port field at the given offset. */
    interface PortTest {
        Cond at(Value field);
    }

    private Cond portDir(PortTest cmp, Dir dir, boolean v6) {
        // IPv4: the transport header follows the variable-length IP header
        java.util.function.IntFunction<Value> field = v6
                ? off -> load(2, s.network + 40 + off)
                : off -> new Value.LoadInd(2, s.network + off, new Value.Msh(s.network));
        return switch (dir) {
            case SRC -> cmp.at(field.apply(0));
            case DST -> cmp.at(field.apply(2));
            case AND -> and(cmp.at(field.apply(0)), cmp.at(field.apply(2)));
            case OR, DEFAULT -> or(cmp.at(field.apply(0)), cmp.at(field.apply(2)));
        };
    }

    /** port / portrange: IPv6 first, then IPv4 (never a non-first fragment), over the given protocols. */
    Cond port(PortTest cmp, int[] protos, Dir dir) {
        Cond v6 = null;
        Cond v4 = null;
        for (int p : protos) {
            Cond six = and(eq(load(1, s.network + 6), p), portDir(cmp, dir, true));
            Cond four = and(and(eq(load(1, s.network + 9), p), notFragment()), portDir(cmp, dir, false));
            v6 = v6 == null ? six : or(v6, six);
            v4 = v4 == null ? four : or(v4, four);
        }
        return or(and(linkType(ETHERTYPE_IPV6), v6), and(linkType(ETHERTYPE_IP), v4));
    }

    Cond vlan(int id) {
        if (s.pppoes) {
            throw new IllegalStateException("no VLAN support for PPP");
        }
        if (s.mplsDepth > 0) {
            throw new IllegalStateException("no VLAN match after MPLS");
        }
        Value tpid = load(2, s.linkType);
        Cond c = or(or(eq(tpid, 0x8100), eq(tpid, 0x88a8)), eq(tpid, 0x9100));
        if (id >= 0) {
            c = and(c, eq(masked(load(2, s.network), 0x0fff), id));
        }
        s.linkType += 4;
        s.network += 4;
        return c;
    }

    Cond mpls(int label) {
        Cond c = s.mplsDepth > 0 ? eq(masked(load(1, s.network - 2), 0x01), 0) : eq(load(2, s.linkType), 0x8847);
        if (label >= 0) {
            c = and(c, eq(masked(load(4, s.network), 0xfffff000), label << 12));
        }
        s.network += 4;
        s.mplsDepth++;
        return c;
    }

    Cond pppoed() {
        noMpls();
        return eq(load(2, s.linkType), 0x8863);
    }

    private void noMpls() {
        if (s.mplsDepth > 0) {
            throw new IllegalStateException("unsupported protocol over mpls");
        }
    }

    Cond pppoes(int session) {
        noMpls();
        Cond c = eq(load(2, s.linkType), 0x8864);
        if (session >= 0) {
            c = and(c, eq(masked(load(4, s.network), 0xffff), session));
        }
        s.pppoes = true;
        s.linkType = s.network + 6;
        s.network += 8;
        return c;
    }

    Cond llc() {
        return and(not(test(load(2, s.linkType), Bpf.JGT, 1500)), not(eq(load(2, s.network), 0xffff)));
    }

    Cond stp() {
        return linkType(0x42);
    }

    /** protochain, unrolled to {@value #PROTOCHAIN_DEPTH} headers: the kernel takes no backward jump. */
    Cond protochain(int proto, boolean v6) {
        if (!v6) {
            return and(linkType(ETHERTYPE_IP), chain(proto, false, load(1, s.network + 9), new Value.Msh(s.network), 0));
        }
        return and(linkType(ETHERTYPE_IPV6), chain(proto, true, load(1, s.network + 6), new Value.Const(40), 0));
    }

    private Cond chain(int proto, boolean v6, Value next, Value offset, int depth) {
        Cond found = eq(next, proto);
        if (depth == PROTOCHAIN_DEPTH) {
            return found;
        }
        int slot = CodeEmitter.TEMP_SLOTS + depth;
        Value nextOfNext = new Value.LoadInd(1, s.network, offset);
        Value lengthByte = new Value.LoadInd(1, s.network + 1, offset);
        Cond rest = chain(proto, v6, nextOfNext, new Value.Mem(slot), depth + 1);
        // AH: libpcap sets the offset to the AH length alone (not added to the offset so far); kept for equal verdicts
        Value ahOffset = new Value.Bin(Bpf.MUL, new Value.Bin(Bpf.ADD, lengthByte, new Value.Const(2)), new Value.Const(4));
        Cond viaAh = and(eq(next, IPPROTO_AH), and(new Cond.Let(slot, ahOffset), rest));
        Cond walk = viaAh;
        if (v6) {
            Value extOffset = new Value.Bin(Bpf.ADD, offset,
                    new Value.Bin(Bpf.MUL, new Value.Bin(Bpf.ADD, lengthByte, new Value.Const(1)), new Value.Const(8)));
            Cond isExt = or(or(eq(next, 0), eq(next, 60)), or(eq(next, 43), eq(next, IPPROTO_FRAGMENT)));
            walk = new Cond.If(isExt, and(new Cond.Let(slot, extOffset), rest), viaAh);
        }
        return new Cond.If(found, Cond.TRUE, new Cond.If(eq(next, IPPROTO_NONE), Cond.FALSE, walk));
    }

    /** Direction qualifiers. */
    enum Dir { DEFAULT, SRC, DST, OR, AND }
}
