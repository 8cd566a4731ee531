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
    ARP,
    IPV4,
    IPV6,
    TCP,
    UDP,
    ICMP,
    ICMPV6,
    /** A DNS header (12 bytes) in a UDP datagram to or from port 53. */
    DNS;

    final int bit = 1 << ordinal();
}
