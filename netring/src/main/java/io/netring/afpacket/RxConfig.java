package io.netring.afpacket;

import java.time.Duration;

/**
 * A validated receive configuration, as the public builders hand it to the backend.
 *
 * @param blockTimeoutMillis tp_retire_blk_tov; 0 lets the kernel derive it from link speed
 * @param busyPollMicros SO_BUSY_POLL, 0 for off
 * @param lockMemory map the ring with MAP_LOCKED (falls back to unlocked with a warning)
 * @param timestamping SOF_TIMESTAMPING_* bits for PACKET_TIMESTAMP, 0 for the software clock
 * @param timestampName the clock's name for messages (the public enum's constant)
 * @param reserve PACKET_RESERVE headroom in bytes before each packet
 * @param filter the socket filter attached before the ring exists ({@link FilterSpec#NONE} for none)
 * @param fanout the fanout group joined after bind, or null
 */
public record RxConfig(
        String interfaceName,
        RingGeometry geometry,
        int blockTimeoutMillis,
        boolean fillRxHash,
        boolean promiscuous,
        boolean ignoreOutgoing,
        int busyPollMicros,
        int timestamping,
        String timestampName,
        Duration pollTimeout,
        boolean lockMemory,
        int reserve,
        FilterSpec filter,
        FanoutSpec fanout) {
}
