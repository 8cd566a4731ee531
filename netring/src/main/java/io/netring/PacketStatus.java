package io.netring;

import static io.netring.internal.linux.LinuxConstants.*;

/**
 * The kernel's per-packet status word ({@code tp_status}), decoded.
 *
 * @param bits the raw status bits
 * @param truncated true when fewer bytes were captured than were on the wire: the packet did
 *                  not fit the block ("packet too big, clamped") or a filter cut it short
 */
public record PacketStatus(int bits, boolean truncated) {

    /** TP_STATUS_LOSING: the kernel has dropped packets on this socket since the last stats read. */
    public boolean losing() { return has(TP_STATUS_LOSING); }

    /** TP_STATUS_VLAN_VALID: {@link Packet#vlanTci()} holds the stripped VLAN tag. */
    public boolean vlanValid() { return has(TP_STATUS_VLAN_VALID); }

    /** TP_STATUS_VLAN_TPID_VALID: {@link Packet#vlanTpid()} holds the tag's TPID as sent. */
    public boolean vlanTpidValid() { return has(TP_STATUS_VLAN_TPID_VALID); }

    /** TP_STATUS_CSUM_VALID: the NIC (or the stack) verified the transport checksum. */
    public boolean checksumValid() { return has(TP_STATUS_CSUM_VALID); }

    /** TP_STATUS_CSUMNOTREADY: an outgoing packet whose checksum the NIC will fill in. */
    public boolean checksumNotReady() { return has(TP_STATUS_CSUMNOTREADY); }

    /** TP_STATUS_GSO_TCP: a TCP GSO packet. */
    public boolean gsoTcp() { return has(TP_STATUS_GSO_TCP); }

    private boolean has(int flag) {
        return (bits & flag) != 0;
    }

    /** Which clock stamped the packet. */
    public TimestampSource timestampSource() {
        if (has(TP_STATUS_TS_RAW_HARDWARE)) {
            return TimestampSource.RAW_HARDWARE;
        }
        if (has(TP_STATUS_TS_SYS_HARDWARE)) {
            return TimestampSource.SYS_HARDWARE;
        }
        return TimestampSource.SOFTWARE;
    }
}
