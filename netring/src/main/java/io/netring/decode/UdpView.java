package io.netring.decode;

/** The UDP header of the decoded frame. */
public final class UdpView extends TransportLayerView {
    UdpView(PacketDecoder d) {
        super(d, Layer.UDP);
    }

    public int sourcePort() { return field16(0); }

    public int destinationPort() { return field16(2); }

    /** The length field: header plus payload, as the sender wrote it. */
    public int length() { return field16(4); }

    public int checksum() { return field16(6); }
}
