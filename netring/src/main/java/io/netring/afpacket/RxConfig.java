package io.netring.afpacket;

import io.netring.TimestampSource;

import java.time.Duration;

/**
 * A validated receive configuration, as the public builders hand it to the backend.
 *
 * @param blockTimeoutMillis tp_retire_blk_tov; 0 lets the kernel derive it from link speed
 * @param busyPollMicros SO_BUSY_POLL, 0 for off
 * @param lockMemory map the ring with MAP_LOCKED (falls back to unlocked with a warning)
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
        TimestampSource timestampSource,
        Duration pollTimeout,
        boolean lockMemory,
        int reserve,
        FilterSpec filter,
        FanoutSpec fanout) {
}
