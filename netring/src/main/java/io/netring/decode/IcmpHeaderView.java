package io.netring.decode;

/**
 * The first eight bytes that ICMP (RFC 792) and ICMPv6 (RFC 4443) share: type, code, checksum,
 * then four bytes whose meaning the type decides (identifier and sequence for echo messages).
 */
abstract class IcmpHeaderView extends TransportLayerView {
    IcmpHeaderView(PacketDecoder d, Layer layer) {
        super(d, layer);
    }

    /** The message type, 0 to 255 (the constants of {@link IcmpView} and {@link Icmpv6View}). */
    public int type() { return field8(0); }

    /** The code, 0 to 255, which refines the type (for unreachable: which thing was). */
    public int code() { return field8(1); }

    /** The checksum field as sent (not verified). */
    public int checksum() { return field16(2); }

    /** Echo identifier (bytes 4-5). */
    public int identifier() { return restOfHeader() >>> 16; }

    /** Echo sequence number (bytes 6-7). */
    public int sequence() { return restOfHeader() & 0xFFFF; }

    /**
     * Bytes 4-7 as one number: for instance the MTU of ICMP "fragmentation needed" (low 16 bits)
     * or of ICMPv6 "packet too big", or the flags of a neighbour advertisement.
     */
    public int restOfHeader() { return field32(4); }
}
