package io.netring;

import io.netring.decode.AddressText;
import io.netring.decode.Layer;
import io.netring.decode.PacketDecoder;

import java.lang.foreign.MemorySegment;

/**
 * A one-line description of an Ethernet frame ("IPv4 UDP 10.0.0.1:53 > 10.0.0.2:40000, 42 bytes
 * payload"), built on {@link PacketDecoder}'s views (IPv6 addresses in RFC 5952 form, the upper
 * layer found past IPv6 extension headers). Never throws on short or garbage frames: what
 * cannot be decoded is described as such. For tcpdump's own line format see {@code netring
 * capture}.
 */
public final class FrameSummary {
    private FrameSummary() {}

    private static final ThreadLocal<PacketDecoder> DECODER = ThreadLocal.withInitial(PacketDecoder::new);

    /** Describes {@code frame}, which starts at the MAC header. */
    public static String describe(MemorySegment frame) {
        PacketDecoder d = DECODER.get().decode(frame);
        if (!d.has(Layer.ETHERNET)) {
            return "runt frame, " + d.length() + " bytes";
        }
        StringBuilder sb = new StringBuilder(96);
        for (int i = 0; i < d.vlan().count(); i++) {
            sb.append("vlan ").append(d.vlan().id(i)).append(", ");
        }
        int type = d.etherType();
        if (type == 0x0800) {
            if (!d.has(Layer.IPV4)) {
                return sb.append("IPv4, truncated").toString();
            }
            transport(sb.append("IPv4 "), d, AddressText.ipv4(d.ipv4().source()), AddressText.ipv4(d.ipv4().destination()));
        } else if (type == 0x86DD) {
            if (!d.has(Layer.IPV6)) {
                return sb.append("IPv6, truncated").toString();
            }
            var ip = d.ipv6();
            transport(sb.append("IPv6 "), d, "[" + AddressText.ipv6(ip.sourceHigh(), ip.sourceLow()) + "]",
                    "[" + AddressText.ipv6(ip.destinationHigh(), ip.destinationLow()) + "]");
        } else if (type == 0x0806) {
            sb.append("ARP");
        } else if (type < 0 && d.has(Layer.LLC)) {
            sb.append(String.format("802.3 LLC dsap 0x%02x ssap 0x%02x, %d bytes", d.ethernet().llcDsap(), d.ethernet().llcSsap(), d.length()));
        } else {
            sb.append(String.format("ethertype 0x%04x, %d bytes", d.ethernet().typeOrLength(), d.length()));
        }
        return sb.toString();
    }

    private static void transport(StringBuilder sb, PacketDecoder d, String src, String dst) {
        int proto = d.ipProtocol();
        if (d.has(Layer.TCP)) {
            StringBuilder flags = new StringBuilder();
            int f = d.tcp().flags();
            if ((f & 0x02) != 0) flags.append('S');
            if ((f & 0x01) != 0) flags.append('F');
            if ((f & 0x04) != 0) flags.append('R');
            if ((f & 0x08) != 0) flags.append('P');
            if ((f & 0x10) != 0) flags.append('.');
            sb.append("TCP ").append(src).append(':').append(d.tcp().sourcePort()).append(" > ").append(dst).append(':')
                    .append(d.tcp().destinationPort()).append(" [").append(flags).append("], ")
                    .append(d.payloadLength()).append(" bytes payload");
        } else if (d.has(Layer.UDP)) {
            sb.append("UDP ").append(src).append(':').append(d.udp().sourcePort()).append(" > ").append(dst).append(':')
                    .append(d.udp().destinationPort()).append(", ").append(d.payloadLength()).append(" bytes payload");
        } else if (d.has(Layer.ICMP)) {
            sb.append("ICMP ").append(src).append(" > ").append(dst).append(", type ").append(d.icmp().type());
        } else if (d.has(Layer.ICMPV6)) {
            sb.append("ICMPv6 ").append(src).append(" > ").append(dst).append(", type ").append(d.icmpv6().type());
        } else if (proto == 6 || proto == 17) {
            sb.append(proto == 6 ? "TCP " : "UDP ").append(src).append(" > ").append(dst)
                    .append(d.upperLayerOffset() < 0 ? ", fragment" : ", truncated");
        } else {
            sb.append("proto ").append(proto).append(' ').append(src).append(" > ").append(dst);
        }
    }
}
