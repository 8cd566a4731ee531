package io.netring.filter;

import java.util.Map;

/**
 * The names the filter language knows without a system lookup: services (port, and whether
 * it is a TCP or UDP service, as {@code /etc/services} of a Debian system says), IP protocols
 * ({@code /etc/protocols}), EtherTypes for {@code ether proto}, and the constants of byte
 * accessors ({@code tcpflags}, {@code tcp-syn}, {@code icmp-echo}, ...).
 */
final class FilterNames {
    private FilterNames() {
    }

    static final int TCP = 1;
    static final int UDP = 2;

    /** A service: its port and which of TCP and UDP list it. */
    record Service(int port, int protocols) {
    }

    static final Map<String, Service> SERVICES = Map.ofEntries(
            Map.entry("ftp-data", new Service(20, TCP)), Map.entry("ftp", new Service(21, TCP)),
            Map.entry("ssh", new Service(22, TCP)), Map.entry("telnet", new Service(23, TCP)),
            Map.entry("smtp", new Service(25, TCP)), Map.entry("domain", new Service(53, TCP | UDP)),
            Map.entry("http", new Service(80, TCP)), Map.entry("https", new Service(443, TCP | UDP)),
            Map.entry("pop3", new Service(110, TCP)), Map.entry("imaps", new Service(993, TCP)),
            Map.entry("pop3s", new Service(995, TCP)), Map.entry("snmp", new Service(161, TCP | UDP)),
            Map.entry("snmp-trap", new Service(162, TCP | UDP)), Map.entry("ntp", new Service(123, UDP)),
            Map.entry("bootps", new Service(67, UDP)), Map.entry("bootpc", new Service(68, UDP)),
            Map.entry("tftp", new Service(69, UDP)), Map.entry("syslog", new Service(514, UDP)),
            Map.entry("ldap", new Service(389, TCP | UDP)), Map.entry("ldaps", new Service(636, TCP | UDP)),
            Map.entry("kerberos", new Service(88, TCP | UDP)), Map.entry("microsoft-ds", new Service(445, TCP)),
            Map.entry("netbios-ns", new Service(137, UDP)), Map.entry("netbios-dgm", new Service(138, UDP)),
            Map.entry("netbios-ssn", new Service(139, TCP)), Map.entry("submission", new Service(587, TCP)),
            Map.entry("rsync", new Service(873, TCP)), Map.entry("mysql", new Service(3306, TCP)),
            Map.entry("postgresql", new Service(5432, TCP)), Map.entry("sip", new Service(5060, TCP | UDP)),
            Map.entry("isakmp", new Service(500, UDP)), Map.entry("openvpn", new Service(1194, TCP | UDP)),
            Map.entry("bgp", new Service(179, TCP)), Map.entry("rtsp", new Service(554, TCP | UDP)),
            Map.entry("nfs", new Service(2049, TCP | UDP)), Map.entry("xmpp-client", new Service(5222, TCP)),
            Map.entry("http-alt", new Service(8080, TCP)));

    static final Map<String, Integer> IP_PROTOCOLS = Map.ofEntries(
            Map.entry("ip", 0), Map.entry("icmp", 1), Map.entry("igmp", 2), Map.entry("ggp", 3),
            Map.entry("ipencap", 4), Map.entry("tcp", 6), Map.entry("egp", 8), Map.entry("igp", 9),
            Map.entry("pup", 12), Map.entry("udp", 17), Map.entry("rdp", 27), Map.entry("dccp", 33),
            Map.entry("ipv6", 41), Map.entry("ipv6-route", 43), Map.entry("ipv6-frag", 44), Map.entry("rsvp", 46),
            Map.entry("gre", 47), Map.entry("esp", 50), Map.entry("ah", 51), Map.entry("ipv6-icmp", 58),
            Map.entry("ipv6-nonxt", 59), Map.entry("ipv6-opts", 60), Map.entry("eigrp", 88), Map.entry("ospf", 89),
            Map.entry("ipip", 94), Map.entry("etherip", 97), Map.entry("pim", 103), Map.entry("ipcomp", 108),
            Map.entry("vrrp", 112), Map.entry("l2tp", 115), Map.entry("sctp", 132), Map.entry("udplite", 136));

    static final Map<String, Integer> ETHER_TYPES = Map.ofEntries(
            Map.entry("ip", 0x0800), Map.entry("ip6", 0x86dd), Map.entry("arp", 0x0806), Map.entry("rarp", 0x8035),
            Map.entry("atalk", 0x809b), Map.entry("aarp", 0x80f3), Map.entry("decnet", 0x6003),
            Map.entry("sca", 0x6007), Map.entry("lat", 0x6004), Map.entry("mopdl", 0x6001), Map.entry("moprc", 0x6002),
            Map.entry("loopback", 0x9000));

    /** Names that stand for numbers wherever a number may stand (libpcap's scanner turns them into numbers). */
    static final Map<String, Integer> CONSTANTS = Map.ofEntries(
            Map.entry("icmptype", 0), Map.entry("icmpcode", 1),
            Map.entry("icmp-echoreply", 0), Map.entry("icmp-unreach", 3), Map.entry("icmp-sourcequench", 4),
            Map.entry("icmp-redirect", 5), Map.entry("icmp-echo", 8), Map.entry("icmp-routeradvert", 9),
            Map.entry("icmp-routersolicit", 10), Map.entry("icmp-timxceed", 11), Map.entry("icmp-paramprob", 12),
            Map.entry("icmp-tstamp", 13), Map.entry("icmp-tstampreply", 14), Map.entry("icmp-ireq", 15),
            Map.entry("icmp-ireqreply", 16), Map.entry("icmp-maskreq", 17), Map.entry("icmp-maskreply", 18),
            Map.entry("icmp6type", 0), Map.entry("icmp6code", 1),
            Map.entry("icmp6-destinationunreach", 1), Map.entry("icmp6-packettoobig", 2),
            Map.entry("icmp6-timeexceeded", 3), Map.entry("icmp6-parameterproblem", 4),
            Map.entry("icmp6-echo", 128), Map.entry("icmp6-echoreply", 129),
            Map.entry("icmp6-multicastlistenerquery", 130), Map.entry("icmp6-multicastlistenerreportv1", 131),
            Map.entry("icmp6-multicastlistenerdone", 132), Map.entry("icmp6-routersolicit", 133),
            Map.entry("icmp6-routeradvert", 134), Map.entry("icmp6-neighborsolicit", 135),
            Map.entry("icmp6-neighboradvert", 136), Map.entry("icmp6-redirect", 137),
            Map.entry("icmp6-routerrenum", 138), Map.entry("icmp6-nodeinformationquery", 139),
            Map.entry("icmp6-nodeinformationresponse", 140), Map.entry("icmp6-ineighbordiscoverysolicit", 141),
            Map.entry("icmp6-ineighbordiscoveryadvert", 142), Map.entry("icmp6-multicastlistenerreportv2", 143),
            Map.entry("icmp6-homeagentdiscoveryrequest", 144), Map.entry("icmp6-homeagentdiscoveryreply", 145),
            Map.entry("icmp6-mobileprefixsolicit", 146), Map.entry("icmp6-mobileprefixadvert", 147),
            Map.entry("icmp6-certpathsolicit", 148), Map.entry("icmp6-certpathadvert", 149),
            Map.entry("icmp6-multicastrouteradvert", 151), Map.entry("icmp6-multicastroutersolicit", 152),
            Map.entry("icmp6-multicastrouterterm", 153),
            Map.entry("tcpflags", 13), Map.entry("tcp-fin", 0x01), Map.entry("tcp-syn", 0x02), Map.entry("tcp-rst", 0x04),
            Map.entry("tcp-push", 0x08), Map.entry("tcp-ack", 0x10), Map.entry("tcp-urg", 0x20),
            Map.entry("tcp-ece", 0x40), Map.entry("tcp-cwr", 0x80));
}
