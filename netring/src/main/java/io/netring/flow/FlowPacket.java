package io.netring.flow;

/**
 * The decoded fields of one packet that a {@link FlowTable} needs, in a reusable holder: fill it
 * (by hand, from {@link FlowExtractor}, or from any decoder) and hand it to
 * {@link FlowTable#add(FlowPacket)}. Addresses are kept as two longs each (an IPv4 address is
 * {@code hi = 0, lo = the 32-bit address}), so nothing is allocated per packet.
 *
 * <p>For ICMP and ICMPv6, {@code srcPort} holds the type and {@code dstPort} the code.
 */
public final class FlowPacket {
    /** Nanoseconds since the epoch. */
    public long timestampNanos;
    /** 4 or 6. */
    public int ipVersion;
    /** High 64 bits of the source address; 0 for IPv4. */
    public long srcHi;
    /** Low 64 bits of the source address; for IPv4 the 32-bit address, unsigned. */
    public long srcLo;
    /** High 64 bits of the destination address; 0 for IPv4. */
    public long dstHi;
    /** Low 64 bits of the destination address; for IPv4 the 32-bit address, unsigned. */
    public long dstLo;
    /** IP protocol number (6 TCP, 17 UDP, 1 ICMP, 58 ICMPv6, ...). */
    public int protocol;
    /** Source port (TCP, UDP), the type for ICMP/ICMPv6, or 0 when the protocol has none. */
    public int srcPort;
    /** Destination port (TCP, UDP), the code for ICMP/ICMPv6, or 0 when the protocol has none. */
    public int dstPort;
    /** TCP flag bits as in the header's 13th byte (FIN 0x01 ... CWR 0x80); 0 for other protocols. */
    public int tcpFlags;
    /** Transport payload bytes (TCP: data after the header; decides the history's {@code D}). */
    public int payloadLength;
    /** Bytes counted for the packet: its length on the wire, link header included. */
    public int length;
    /** VLAN id (12 bits), or 0 for an untagged frame. */
    public int vlanId;

    /** An empty holder (every field 0); fill it for each packet and reuse it. */
    public FlowPacket() {}

    /** Sets an IPv4 source and destination ({@code int}s in network order as read from the header). */
    public FlowPacket ipv4(int src, int dst) {
        ipVersion = 4;
        srcHi = 0;
        srcLo = src & 0xFFFF_FFFFL;
        dstHi = 0;
        dstLo = dst & 0xFFFF_FFFFL;
        return this;
    }

    /** Sets IPv6 source and destination, each as its high and low 64 bits. */
    public FlowPacket ipv6(long srcHi, long srcLo, long dstHi, long dstLo) {
        ipVersion = 6;
        this.srcHi = srcHi;
        this.srcLo = srcLo;
        this.dstHi = dstHi;
        this.dstLo = dstLo;
        return this;
    }

    /** Sets protocol, ports (or ICMP type and code) and TCP flags. */
    public FlowPacket transport(int protocol, int srcPort, int dstPort, int tcpFlags, int payloadLength) {
        this.protocol = protocol;
        this.srcPort = srcPort;
        this.dstPort = dstPort;
        this.tcpFlags = tcpFlags;
        this.payloadLength = payloadLength;
        return this;
    }

    /** Sets time, counted length and VLAN id. */
    public FlowPacket frame(long timestampNanos, int length, int vlanId) {
        this.timestampNanos = timestampNanos;
        this.length = length;
        this.vlanId = vlanId;
        return this;
    }
}
