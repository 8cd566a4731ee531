package io.netring.filter;

import java.util.List;
import java.util.Random;

/** Random filter expressions over the grammar, from the same address and port pools as {@link FrameCorpus}. */
final class ExpressionGenerator {
    private final Random rnd;

    ExpressionGenerator(long base) {
        rnd = new Random(base);
    }

    private static final String[] DIRS = {"", "src ", "dst ", "src or dst ", "src and dst "};
    private static final List<String> SIMPLE = List.of("ip", "ip6", "arp", "rarp", "tcp", "udp", "icmp", "icmp6", "sctp",
            "esp", "ah", "igmp", "pim", "vrrp", "llc", "stp", "vlan", "pppoed", "pppoes", "mpls", "broadcast", "multicast",
            "ether broadcast", "ether multicast", "ip broadcast", "ip multicast", "ip6 multicast");

    String expression() {
        return expr(rnd.nextInt(3));
    }

    private String expr(int depth) {
        if (depth == 0) {
            return primitive();
        }
        return switch (rnd.nextInt(5)) {
            case 0 -> expr(depth - 1) + " and " + expr(depth - 1);
            case 1 -> expr(depth - 1) + " or " + expr(depth - 1);
            case 2 -> "not " + expr(depth - 1);
            case 3 -> "(" + expr(depth - 1) + (rnd.nextBoolean() ? " || " : " && ") + expr(depth - 1) + ")";
            default -> "!(" + expr(depth - 1) + ")";
        };
    }

    private String pick(String[] a) {
        return a[rnd.nextInt(a.length)];
    }

    private int port() {
        return FrameCorpus.PORTS[rnd.nextInt(FrameCorpus.PORTS.length)];
    }

    String primitive() {
        return switch (rnd.nextInt(22)) {
            case 0, 1 -> SIMPLE.get(rnd.nextInt(SIMPLE.size()));
            case 2 -> pick(new String[] {"", "ip ", "arp ", "rarp "}) + pick(DIRS) + "host " + pick(FrameCorpus.IPV4);
            case 3 -> pick(new String[] {"", "ip6 "}) + pick(DIRS) + "host " + pick(FrameCorpus.IPV6);
            case 4 -> pick(DIRS) + "net " + pick(new String[] {"10.0.0.0/8", "192.168.1.0/24", "10", "192.168", "1.2.3.0 mask 255.255.255.0",
                    "224.0.0.0/4", "0.0.0.0/0", "2001:db8::/32", "fe80::/10", "2001:db8:1::/48"});
            case 5, 6 -> pick(new String[] {"", "tcp ", "udp ", "sctp "}) + pick(DIRS) + "port " + port();
            case 7 -> pick(new String[] {"", "tcp ", "udp "}) + pick(DIRS) + "portrange " + port() + "-" + port();
            case 8 -> "ether " + pick(DIRS) + "host " + pick(FrameCorpus.MACS);
            case 9 -> pick(new String[] {"ip proto ", "ip6 proto ", "proto "}) + pick(new String[] {"6", "17", "1", "58", "132", "50", "51", "\\tcp", "\\udp", "\\icmp", "44", "59"});
            case 10 -> pick(new String[] {"ip protochain ", "ip6 protochain ", "protochain "}) + pick(new String[] {"6", "17", "58", "51", "50", "59", "132"});
            case 11 -> "vlan " + pick(new String[] {"1", "10", "20", "100", "4095", "0"});
            case 12 -> "mpls " + pick(new String[] {"3", "5", "100", "1048575"}) + pick(new String[] {"", " and ip", " and ip6", " and mpls"});
            case 13 -> "pppoes " + pick(new String[] {"1", "3", "5", "65535"}) + pick(new String[] {"", " and ip", " and ip6", " and tcp"});
            case 14 -> pick(new String[] {"len", "greater", "less"}) + (rnd.nextBoolean() ? " " : " ") + (rnd.nextBoolean() ? "" : "") + lenTail();
            case 15 -> "tcp[tcpflags] & " + pick(new String[] {"tcp-syn", "tcp-ack", "tcp-fin", "tcp-rst", "tcp-push", "(tcp-syn|tcp-ack)", "tcp-urg", "tcp-ece", "tcp-cwr"})
                    + pick(new String[] {" != 0", " = 0", " == tcp-syn", " = 18"});
            case 16 -> pick(new String[] {"icmp[icmptype] = icmp-echo", "icmp[icmptype] != icmp-echoreply", "icmp[0] = 3",
                    "icmp6[icmp6type] = icmp6-echo", "icmp6[icmp6type] == icmp6-neighborsolicit", "icmp6[0] > 130", "icmp[icmpcode] = 1"});
            case 17 -> accessor() + " " + pick(new String[] {"=", "==", "!=", "<", "<=", ">", ">="}) + " " + arith(2);
            case 18 -> "vlan and " + primitive();
            case 19 -> "ether proto " + pick(new String[] {"0x800", "0x86dd", "\\arp", "\\ip", "\\ip6", "0x88b5", "0x8847", "\\rarp", "66", "6"});
            case 20 -> "ether " + pick(new String[] {"src", "dst"}) + " " + pick(FrameCorpus.MACS);
            default -> pick(new String[] {"port domain", "port http", "tcp port https", "udp port ntp", "port ssh", "udp port domain"});
        };
    }

    private String lenTail() {
        return switch (rnd.nextInt(3)) {
            case 0 -> "> " + rnd.nextInt(120);
            case 1 -> "<= " + rnd.nextInt(120);
            default -> "= " + rnd.nextInt(120);
        };
    }

    private String accessor() {
        String proto = pick(new String[] {"ether", "ip", "ip6", "arp", "tcp", "udp", "icmp", "icmp6", "sctp"});
        String size = pick(new String[] {"", ":1", ":2", ":4"});
        return proto + "[" + arith(1) + size + "]";
    }

    private String arith(int depth) {
        if (depth == 0 || rnd.nextInt(3) == 0) {
            return switch (rnd.nextInt(6)) {
                case 0 -> "len";
                case 1 -> "0x" + Integer.toHexString(rnd.nextInt(256));
                case 2 -> accessor0();
                default -> Integer.toString(rnd.nextInt(40));
            };
        }
        String op = pick(new String[] {"+", "-", "*", "/", "%", "&", "|", "^", "<<", ">>"});
        String right = arith(depth - 1);
        if (op.equals("<<") || op.equals(">>")) {
            right = Integer.toString(rnd.nextInt(32));
        }
        if ((op.equals("/") || op.equals("%")) && right.equals("0")) {
            right = "3";
        }
        String e = arith(depth - 1) + " " + op + " " + right;
        return rnd.nextInt(3) == 0 ? "(" + e + ")" : e;
    }

    private String accessor0() {
        return pick(new String[] {"ether", "ip", "tcp", "udp", "ip6"}) + "[" + rnd.nextInt(40) + pick(new String[] {"", ":1", ":2", ":4"}) + "]";
    }
}
