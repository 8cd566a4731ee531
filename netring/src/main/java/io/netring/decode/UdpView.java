package io.netring.decode;

/** The UDP header of the decoded frame. */
public final class UdpView {
    private final PacketDecoder d;

    UdpView(PacketDecoder d) {
        this.d = d;
    }

    private int at(int field) {
        d.require(Layer.UDP);
        return d.l4Offset + field;
    }

    public int sourcePort() {
        return d.get16(at(0));
    }

    public int destinationPort() {
        return d.get16(at(2));
    }

    /** The length field: header plus payload, as the sender wrote it. */
    public int length() {
        return d.get16(at(4));
    }

    public int checksum() {
        return d.get16(at(6));
    }
}
