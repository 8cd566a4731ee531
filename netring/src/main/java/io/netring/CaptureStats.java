package io.netring;

/**
 * The kernel's counters for one socket ({@code PACKET_STATISTICS}).
 *
 * <p>Reading them resets the kernel's counters, so {@code stats()} returns what happened since
 * the previous read; {@code totalStats()} keeps the running sum. As in libpcap,
 * {@link #packets()} counts every packet that passed the filter, the dropped ones included.
 *
 * @param packets packets that reached the socket (received plus dropped)
 * @param drops packets dropped because the ring was full
 * @param freezeCount times the kernel froze the queue because the next block was still held
 *                    by user space
 */
public record CaptureStats(long packets, long drops, long freezeCount) {

    public static final CaptureStats ZERO = new CaptureStats(0, 0, 0);

    /** Packets that made it into the ring: {@code packets - drops}. */
    public long delivered() {
        return packets - drops;
    }

    /** The sum of two readings. */
    public CaptureStats plus(CaptureStats other) {
        return new CaptureStats(packets + other.packets, drops + other.drops, freezeCount + other.freezeCount);
    }

    @Override
    public String toString() {
        return "packets: " + packets + ", drops: " + drops + ", freezes: " + freezeCount;
    }
}
