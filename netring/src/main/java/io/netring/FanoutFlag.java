package io.netring;

/** Modifiers of a fanout group ({@code PACKET_FANOUT_FLAG_*}), set with {@link AbstractRxBuilder#fanoutFlags}. */
public enum FanoutFlag {
    /**
     * When the chosen socket's ring is full, try the others instead of dropping. Not with
     * {@link FanoutMode#ROLLOVER}, which already does this.
     */
    ROLLOVER,
    /**
     * Let the kernel pick an unused group id (Linux 4.4). The group id given must be 0; read
     * the chosen one with {@link AfPacketRx#fanoutGroupId()}. Other sockets join that id with
     * the same mode and the other flags, without UNIQUE_ID.
     */
    UNIQUE_ID,
    /** Do not hand outgoing packets to the group (Linux 4.20). */
    IGNORE_OUTGOING,
    /** Reassemble IP fragments before choosing a socket, so a fragmented flow stays together. */
    DEFRAG
}
