package io.netring.decode;

/** A view of a header that starts at the transport-layer offset (TCP, UDP, ICMP, ICMPv6). */
abstract class TransportLayerView extends LayerView {
    TransportLayerView(PacketDecoder d, Layer layer) {
        super(d, layer);
    }

    @Override
    final int start() { return d.l4Offset; }
}
