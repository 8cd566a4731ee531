package io.netring;

/**
 * Where a batch finds each packet's metadata, given the packet's header position: a TPACKET_V3
 * block ({@link V3BlockLayout}) or a run of AF_XDP RX descriptors ({@link XdpDescriptorLayout}).
 * Read only after the batch's own check that it is open and on its thread. Two final classes
 * behind one abstract one, so a process that reads one layout calls it monomorphically.
 */
abstract sealed class BatchLayout permits V3BlockLayout, XdpDescriptorLayout {
    abstract long seconds(long hdr);

    abstract int nanos(long hdr);

    abstract int snaplen(long hdr);

    abstract int wireLength(long hdr);

    abstract int status(long hdr);

    abstract int rxHash(long hdr);

    abstract int vlanTci(long hdr);

    abstract int vlanTpid(long hdr);

    abstract int pktType(long hdr);

    abstract int ifIndex(long hdr);

    /** The link-level protocol (EtherType) in host order. */
    abstract int protocol(long hdr);

    final PacketStatus decodedStatus(long hdr) {
        return new PacketStatus(status(hdr), snaplen(hdr) != wireLength(hdr));
    }
}
