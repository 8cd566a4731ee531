package io.netring.decode;

/** A view of a header that starts at the network-layer offset (ARP, IPv4, IPv6). */
abstract class NetworkLayerView extends LayerView {
    NetworkLayerView(PacketDecoder d, Layer layer) {
        super(d, layer);
    }

    @Override
    final int start() { return d.l3Offset; }
}
