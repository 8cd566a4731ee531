package io.netring.cli;

/** A pcap link type as tcpdump names it in its "link-type" header line: {@code EN10MB (Ethernet)}. */
final class LinkTypeNames {
    private LinkTypeNames() {}

    static String describe(int linkType) {
        return switch (linkType) {
            case 0 -> "NULL (BSD loopback)";
            case 1 -> "EN10MB (Ethernet)";
            case 101 -> "RAW (Raw IP)";
            case 105 -> "IEEE802_11 (802.11)";
            case 113 -> "LINUX_SLL (Linux cooked v1)";
            case 127 -> "IEEE802_11_RADIO (802.11 plus radiotap header)";
            case 228 -> "IPV4 (Raw IPv4)";
            case 229 -> "IPV6 (Raw IPv6)";
            case 276 -> "LINUX_SLL2 (Linux cooked v2)";
            default -> String.valueOf(linkType);
        };
    }
}
