package io.netring;

import static io.netring.internal.linux.LinuxConstants.*;

/**
 * Modifiers of a fanout group ({@code PACKET_FANOUT_FLAG_*}), set with {@link AbstractRxBuilder#fanoutFlags}.
 * Each names the kernel that introduced it; an older kernel refuses the flag with EINVAL.
 */
public enum FanoutFlag {
    /**
     * When the chosen socket's ring is full, try the others instead of dropping (Linux 3.10). Not
     * with {@link FanoutMode#ROLLOVER}, which already does this.
     */
    ROLLOVER(PACKET_FANOUT_FLAG_ROLLOVER),
    /**
     * Let the kernel pick an unused group id (Linux 4.12). The group id given must be 0; read
     * the chosen one with {@link AfPacketRx#fanoutGroupId()}. Other sockets join that id with
     * the same mode and the other flags, without UNIQUE_ID.
     */
    UNIQUE_ID(PACKET_FANOUT_FLAG_UNIQUEID),
    /**
     * Do not hand outgoing packets to the group (PACKET_FANOUT_FLAG_IGNORE_OUTGOING, Linux 6.2).
     * Not the socket option {@link AbstractRxBuilder#ignoreOutgoing}, which needs only 4.20.
     */
    IGNORE_OUTGOING(PACKET_FANOUT_FLAG_IGNORE_OUTGOING),
    /** Reassemble IP fragments before choosing a socket, so a fragmented flow stays together (Linux 3.1). */
    DEFRAG(PACKET_FANOUT_FLAG_DEFRAG);

    /** The PACKET_FANOUT_FLAG_* bit (already in the upper byte of the 16-bit type half). */
    final int kernelBit;

    FanoutFlag(int kernelBit) {
        this.kernelBit = kernelBit;
    }
}
