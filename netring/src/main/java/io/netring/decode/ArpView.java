package io.netring.decode;

/**
 * The ARP packet of the decoded frame. The addresses are read for Ethernet and IPv4 sizes
 * (hardware length 6, protocol length 4); {@link #isEthernetIpv4()} says whether they apply.
 */
public final class ArpView extends NetworkLayerView {
    /** The fixed part: hardware and protocol types, their lengths, the operation. */
    static final int FIXED_SIZE = 8;
    /** Operation code of a request ("who has"). */
    public static final int REQUEST = 1;
    /** Operation code of a reply ("is at"). */
    public static final int REPLY = 2;

    ArpView(PacketDecoder d) {
        super(d, Layer.ARP);
    }

    /** Hardware type (1 for Ethernet). */
    public int hardwareType() { return field16(0); }

    /** Protocol type, an EtherType (0x0800 for IPv4). */
    public int protocolType() { return field16(2); }

    /** Length of a hardware address in bytes (6 for Ethernet). */
    public int hardwareLength() { return field8(4); }

    /** Length of a protocol address in bytes (4 for IPv4). */
    public int protocolLength() { return field8(5); }

    /** The operation: {@link #REQUEST}, {@link #REPLY}, or another code. */
    public int opcode() { return field16(6); }

    /** True when the addresses are 6-byte MACs and 4-byte IPv4 addresses, all captured. */
    public boolean isEthernetIpv4() {
        int o = at(0);
        return d.get8(o + 4) == 6 && d.get8(o + 5) == 4 && d.length >= o + 28;
    }

    /** Sender MAC (low 48 bits); only when {@link #isEthernetIpv4()}. */
    public long senderMac() { return d.get48(addresses(8)); }

    /** Sender IPv4 address; only when {@link #isEthernetIpv4()}. */
    public int senderIp() { return d.get32(addresses(14)); }

    /** Target MAC (low 48 bits); only when {@link #isEthernetIpv4()}. */
    public long targetMac() { return d.get48(addresses(18)); }

    /** Target IPv4 address; only when {@link #isEthernetIpv4()}. */
    public int targetIp() { return d.get32(addresses(24)); }

    private int addresses(int field) {
        if (!isEthernetIpv4()) {
            throw new IllegalStateException("ARP addresses are not Ethernet/IPv4 sized or not captured");
        }
        return d.l3Offset + field;
    }
}
