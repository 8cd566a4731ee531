package io.netring;

import java.time.Duration;

/**
 * The tuning presets of the Rust netring 0.1.0. {@code builder.profile(P)} sets block size, block
 * count, frame size, block timeout and busy polling at once; setters called after it override
 * single values. What each preset is for: docs/TUNING_GUIDE.md, "Profiles".
 */
public enum RingProfile {
    // block size, block count, frame size, block timeout (ms), busy poll (us; 0 = off)
    /**
     * 4 MiB blocks x 64 (256 MiB), 2 KiB frames, 60 ms block timeout, no busy polling: what the
     * builders use when no profile is set.
     */
    DEFAULT(1 << 22, 64, 2048, 60, 0),
    /**
     * 4 MiB blocks x 128 (512 MiB), 2 KiB frames, 60 ms timeout: more room to ride out bursts at
     * the cost of memory.
     */
    HIGH_THROUGHPUT(1 << 22, 128, 2048, 60, 0),
    /**
     * 256 KiB blocks x 64 (16 MiB), 2 KiB frames, 1 ms timeout and 50 µs busy polling: blocks reach
     * the reader soon after their first packet, for more CPU.
     */
    LOW_LATENCY(1 << 18, 64, 2048, 1, 50),
    /**
     * 1 MiB blocks x 16 (16 MiB), 2 KiB frames, 100 ms timeout: small hosts or many captures at
     * once.
     */
    MEMORY_CONSTRAINED(1 << 20, 16, 2048, 100, 0),
    /**
     * 4 MiB blocks x 64, 64 KiB frames, 60 ms timeout: for links with an MTU above 1500 (up to 9000
     * and GRO super-packets).
     */
    JUMBO_FRAMES(1 << 22, 64, 65536, 60, 0);

    private final int blockSize;
    private final int blockCount;
    private final int frameSize;
    private final Duration blockTimeout;
    private final Duration busyPoll;

    RingProfile(int blockSize, int blockCount, int frameSize, int blockTimeoutMillis, int busyPollMicros) {
        this.blockSize = blockSize;
        this.blockCount = blockCount;
        this.frameSize = frameSize;
        this.blockTimeout = Duration.ofMillis(blockTimeoutMillis);
        this.busyPoll = Duration.ofNanos(busyPollMicros * 1000L);
    }

    /** Size of one ring block in bytes (a multiple of the page size). */
    public int blockSize() { return blockSize; }

    /** Number of blocks in the ring; block size times block count is the ring's memory. */
    public int blockCount() { return blockCount; }

    /**
     * Frame size in bytes: the largest packet, kernel header included, that fits a block slot
     * without being cut.
     */
    public int frameSize() { return frameSize; }

    /** How long the kernel keeps a block that is not yet full before handing it to the reader. */
    public Duration blockTimeout() { return blockTimeout; }

    /** SO_BUSY_POLL time; zero means off. */
    public Duration busyPoll() { return busyPoll; }
}
