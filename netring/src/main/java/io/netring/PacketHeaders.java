package io.netring;

import io.netring.afpacket.TpacketV3;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static io.netring.internal.linux.LinuxConstants.TP_STATUS_VLAN_TPID_VALID;
import static io.netring.internal.linux.LinuxConstants.TP_STATUS_VLAN_VALID;

/**
 * Reads the fields of one {@code tpacket3_hdr} inside a block. Shared by {@link Packet} and
 * the {@link PacketView} flyweight so both decode the header the same way.
 */
final class PacketHeaders {
    private PacketHeaders() {}

    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;
    private static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT;
    /** The TPID libpcap assumes when the kernel did not report one. */
    static final int DEFAULT_VLAN_TPID = 0x8100;

    static int snaplen(MemorySegment block, long hdr) {
        return block.get(INT, hdr + TpacketV3.SNAPLEN_OFFSET);
    }

    static int wireLength(MemorySegment block, long hdr) {
        return block.get(INT, hdr + TpacketV3.LEN_OFFSET);
    }

    static long seconds(MemorySegment block, long hdr) {
        return Integer.toUnsignedLong(block.get(INT, hdr + TpacketV3.SEC_OFFSET));
    }

    static int nanos(MemorySegment block, long hdr) {
        return block.get(INT, hdr + TpacketV3.NSEC_OFFSET);
    }

    static int status(MemorySegment block, long hdr) {
        return block.get(INT, hdr + TpacketV3.STATUS_OFFSET);
    }

    static int rxHash(MemorySegment block, long hdr) {
        return block.get(INT, hdr + TpacketV3.RXHASH_OFFSET);
    }

    static int vlanTci(MemorySegment block, long hdr) {
        return (status(block, hdr) & TP_STATUS_VLAN_VALID) != 0
                ? block.get(INT, hdr + TpacketV3.VLAN_TCI_OFFSET) & 0xFFFF : 0;
    }

    static int vlanTpid(MemorySegment block, long hdr) {
        int status = status(block, hdr);
        if ((status & TP_STATUS_VLAN_TPID_VALID) != 0) {
            return Short.toUnsignedInt(block.get(SHORT, hdr + TpacketV3.VLAN_TPID_OFFSET));
        }
        return (status & TP_STATUS_VLAN_VALID) != 0 ? DEFAULT_VLAN_TPID : 0;
    }

    static int pktType(MemorySegment block, long hdr) {
        return Byte.toUnsignedInt(block.get(ValueLayout.JAVA_BYTE, hdr + TpacketV3.PKTTYPE_OFFSET));
    }

    static int ifIndex(MemorySegment block, long hdr) {
        return block.get(INT, hdr + TpacketV3.IFINDEX_OFFSET);
    }

    /** The link-level protocol (EtherType) in host order. */
    static int protocol(MemorySegment block, long hdr) {
        return Short.toUnsignedInt(Short.reverseBytes(block.get(SHORT, hdr + TpacketV3.PROTOCOL_OFFSET)));
    }

    static PacketStatus decodedStatus(MemorySegment block, long hdr) {
        return new PacketStatus(status(block, hdr), snaplen(block, hdr) != wireLength(block, hdr));
    }
}
