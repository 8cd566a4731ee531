package io.netring;

import io.netring.internal.linux.LinuxConstants;

/**
 * Which clock stamps captured packets ({@code PACKET_TIMESTAMP}). Hardware stamps also need
 * the NIC configured with {@code SIOCSHWTSTAMP} (e.g. {@code hwstamp_ctl -i eth0 -r 1});
 * otherwise the kernel falls back to software time, which {@link PacketStatus#timestampSource()}
 * shows per packet.
 */
public enum TimestampSource {
    /** The kernel's software clock when the packet reached the socket (the default). */
    SOFTWARE(0),
    /** The NIC's raw hardware clock (SOF_TIMESTAMPING_RAW_HARDWARE = 64). */
    RAW_HARDWARE(LinuxConstants.SOF_TIMESTAMPING_RAW_HARDWARE),
    /** Hardware time translated to system time (SOF_TIMESTAMPING_SYS_HARDWARE = 32; deprecated by the kernel). */
    SYS_HARDWARE(LinuxConstants.SOF_TIMESTAMPING_SYS_HARDWARE);

    private final int sofFlags;

    TimestampSource(int sofFlags) {
        this.sofFlags = sofFlags;
    }

    /** The SOF_TIMESTAMPING_* bits given to PACKET_TIMESTAMP (0 for software). */
    public int sofFlags() {
        return sofFlags;
    }
}
