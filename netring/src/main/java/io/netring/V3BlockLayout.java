package io.netring;

import java.lang.foreign.MemorySegment;

/** The metadata of a TPACKET_V3 block (a ring block or a file's synthetic one): each packet's own header. */
final class V3BlockLayout extends BatchLayout {
    /** The block without a scope; see {@link PacketBatch}'s {@code raw}. */
    private final MemorySegment block;

    V3BlockLayout(MemorySegment block) {
        this.block = block;
    }

    @Override
    long seconds(long hdr) {
        return PacketHeaders.seconds(block, hdr);
    }

    @Override
    int nanos(long hdr) {
        return PacketHeaders.nanos(block, hdr);
    }

    @Override
    int snaplen(long hdr) {
        return PacketHeaders.snaplen(block, hdr);
    }

    @Override
    int wireLength(long hdr) {
        return PacketHeaders.wireLength(block, hdr);
    }

    @Override
    int status(long hdr) {
        return PacketHeaders.status(block, hdr);
    }

    @Override
    int rxHash(long hdr) {
        return PacketHeaders.rxHash(block, hdr);
    }

    @Override
    int vlanTci(long hdr) {
        return PacketHeaders.vlanTci(block, hdr);
    }

    @Override
    int vlanTpid(long hdr) {
        return PacketHeaders.vlanTpid(block, hdr);
    }

    @Override
    int pktType(long hdr) {
        return PacketHeaders.pktType(block, hdr);
    }

    @Override
    int ifIndex(long hdr) {
        return PacketHeaders.ifIndex(block, hdr);
    }

    @Override
    int protocol(long hdr) {
        return PacketHeaders.protocol(block, hdr);
    }
}
