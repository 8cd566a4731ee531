package io.netring;

import io.netring.internal.linux.LinuxConstants;

/** Where a captured packet was going, from the kernel's {@code sll_pkttype}. */
public enum PacketDirection {
    /** Addressed to this host. */
    HOST,
    /** Link-layer broadcast. */
    BROADCAST,
    /** Link-layer multicast. */
    MULTICAST,
    /** Addressed to another host (seen in promiscuous mode). */
    OTHERHOST,
    /** Sent by this host. On {@code lo} every packet shows up twice: once OUTGOING, once incoming. */
    OUTGOING,
    /** A value this version does not know. */
    UNKNOWN;

    static PacketDirection of(int pktType) {
        return switch (pktType) {
            case LinuxConstants.PACKET_HOST -> HOST;
            case LinuxConstants.PACKET_BROADCAST -> BROADCAST;
            case LinuxConstants.PACKET_MULTICAST -> MULTICAST;
            case LinuxConstants.PACKET_OTHERHOST -> OTHERHOST;
            case LinuxConstants.PACKET_OUTGOING -> OUTGOING;
            default -> UNKNOWN;
        };
    }
}
