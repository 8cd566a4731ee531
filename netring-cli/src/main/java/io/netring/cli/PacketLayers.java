package io.netring.cli;

import io.netring.decode.Layer;
import io.netring.decode.PacketDecoder;

/**
 * The decoded frame plus, for an ICMP or ICMPv6 error, the datagram it quotes, decoded as a
 * second set of layers: tshark shows both, so {@code ip.src} of a "port unreachable" has two
 * occurrences, the outer and the quoted one.
 */
final class PacketLayers {
    final PacketDecoder outer;
    final PacketDecoder quoted = new PacketDecoder();
    boolean hasQuoted;

    PacketLayers(PacketDecoder outer) {
        this.outer = outer;
    }

    /** Looks for a quoted datagram in {@link #outer}, decoded just before. */
    PacketLayers refresh() {
        PacketDecoder d = outer;
        hasQuoted = false;
        boolean error = (d.has(Layer.ICMP) && d.icmp().isError()) || (d.has(Layer.ICMPV6) && d.icmpv6().isError());
        if (error && d.payloadLength() > 0) {
            quoted.decodeIp(d.segment(), d.offset() + d.payloadOffset(), d.payloadLength());
            hasQuoted = quoted.has(Layer.IPV4) || quoted.has(Layer.IPV6);
        }
        return this;
    }

    int count() {
        return hasQuoted ? 2 : 1;
    }

    PacketDecoder get(int i) {
        return i == 0 ? outer : quoted;
    }
}
