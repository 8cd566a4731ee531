package io.netring.decode;

/**
 * The protocol layers {@link PacketDecoder} recognises; {@link PacketDecoder#has(Layer)} says
 * which one packet carries. A layer counts as present when its fixed header was captured whole.
 */
public enum Layer {
    /** An Ethernet header (14 bytes), Ethernet II or IEEE 802.3. */
    ETHERNET,
    /** An IEEE 802.2 LLC header after an 802.3 length field (the EtherType field is 1500 or less). */
    LLC,
    /** One or more 802.1Q / 802.1ad tags. */
    VLAN,
    /** An ARP packet (its 8-byte fixed part). */
    ARP,
    /** An IPv4 header (20 bytes or more, as its header length says). */
    IPV4,
    /** An IPv6 fixed header (40 bytes); extension headers are walked past. */
    IPV6,
    /** A TCP header (20 bytes or more) in an unfragmented datagram or a first fragment. */
    TCP,
    /** A UDP header (8 bytes) in an unfragmented datagram or a first fragment. */
    UDP,
    /** An ICMP header (8 bytes) over IPv4. */
    ICMP,
    /** An ICMPv6 header (8 bytes) over IPv6. */
    ICMPV6,
    /** A DNS header (12 bytes) in a UDP datagram to or from port 53. */
    DNS;

    final int bit = 1 << ordinal();
}
