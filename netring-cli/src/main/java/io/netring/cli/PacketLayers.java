package io.netring.cli;

import io.netring.decode.Layer;
import io.netring.decode.PacketDecoder;

/**
 * The decoded frame plus, for an ICMP or ICMPv6 error, the datagram it quotes, decoded as a
 * second set of layers: tshark shows both, so {@code ip.src} of a "port unreachable" has two
 * occurrences, the outer and the quoted one. On the frame that completes a fragmented datagram
 * the outer set is the reassembled datagram and {@link #network} the frame itself, whose own
 * IP header tshark shows.
 */
final class PacketLayers {
    PacketDecoder outer;
    /** Where the outer set's network header fields (ip.*, ipv6.*) come from: {@link #outer} but on a completing frame. */
    PacketDecoder network;
    final PacketDecoder quoted = new PacketDecoder();
    boolean hasQuoted;

    PacketLayers(PacketDecoder outer) {
        this.outer = outer;
        this.network = outer;
    }

    /** Points the outer set at {@code transport}, its network header at {@code network}, and looks for a quoted datagram. */
    PacketLayers refresh(PacketDecoder transport, PacketDecoder network) {
        this.outer = transport;
        this.network = network;
        return refresh();
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

    /** The set {@code i} for a network header field. */
    PacketDecoder network(int i) {
        return i == 0 ? network : quoted;
    }
}
