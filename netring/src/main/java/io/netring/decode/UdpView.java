package io.netring.decode;

/** The UDP header of the decoded frame. */
public final class UdpView extends TransportLayerView {
    UdpView(PacketDecoder d) {
        super(d, Layer.UDP);
    }

    /** Source port, 0 to 65535. */
    public int sourcePort() { return field16(0); }

    /** Destination port, 0 to 65535. */
    public int destinationPort() { return field16(2); }

    /** The length field: header plus payload, as the sender wrote it. */
    public int length() { return field16(4); }

    /** Checksum field as sent (not verified); 0 over IPv4 means none was computed. */
    public int checksum() { return field16(6); }
}
