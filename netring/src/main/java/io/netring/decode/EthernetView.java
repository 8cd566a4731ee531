package io.netring.decode;

/**
 * The Ethernet header of the decoded frame: addresses as 48-bit numbers, the EtherType of an
 * Ethernet II frame or the length of an IEEE 802.3 one, and the 802.2 LLC header after it.
 */
public final class EthernetView {
    private final PacketDecoder d;

    EthernetView(PacketDecoder d) {
        this.d = d;
    }

    /** Destination MAC address in the low 48 bits. */
    public long destination() {
        d.require(Layer.ETHERNET);
        return d.get48(0);
    }

    /** Source MAC address in the low 48 bits. */
    public long source() {
        d.require(Layer.ETHERNET);
        return d.get48(6);
    }

    /** The 16-bit field after the addresses: an EtherType (Ethernet II) or a length (802.3). */
    public int typeOrLength() {
        d.require(Layer.ETHERNET);
        return d.get16(12);
    }

    /** True for Ethernet II (the field after the addresses is an EtherType, above 1500). */
    public boolean isEthernetII() {
        return typeOrLength() > 1500;
    }

    /** The LLC destination service access point (802.3 frames only). */
    public int llcDsap() {
        d.require(Layer.LLC);
        return d.get8(d.llcOffset);
    }

    /** The LLC source service access point (802.3 frames only). */
    public int llcSsap() {
        d.require(Layer.LLC);
        return d.get8(d.llcOffset + 1);
    }

    /** The LLC control field's first byte (802.3 frames only). */
    public int llcControl() {
        d.require(Layer.LLC);
        return d.get8(d.llcOffset + 2);
    }

    /** Appends the source address as {@code 00:11:22:33:44:55}. */
    public StringBuilder appendSource(StringBuilder sb) {
        return AddressText.appendMac(sb, source());
    }

    /** Appends the destination address as {@code 00:11:22:33:44:55}. */
    public StringBuilder appendDestination(StringBuilder sb) {
        return AddressText.appendMac(sb, destination());
    }
}
