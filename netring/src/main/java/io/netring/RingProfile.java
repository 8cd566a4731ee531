package io.netring;

import java.time.Duration;

/**
 * The tuning presets of the Rust netring 0.1.0. {@code builder.profile(P)} sets block size, block
 * count, frame size, block timeout and busy polling at once; setters called after it override
 * single values. What each preset is for: docs/TUNING_GUIDE.md, "Profiles".
 */
public enum RingProfile {
    // block size, block count, frame size, block timeout (ms), busy poll (us; 0 = off)
    DEFAULT(1 << 22, 64, 2048, 60, 0),
    HIGH_THROUGHPUT(1 << 22, 128, 2048, 60, 0),
    LOW_LATENCY(1 << 18, 64, 2048, 1, 50),
    MEMORY_CONSTRAINED(1 << 20, 16, 2048, 100, 0),
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

    public int blockSize() { return blockSize; }

    public int blockCount() { return blockCount; }

    public int frameSize() { return frameSize; }

    public Duration blockTimeout() { return blockTimeout; }

    /** SO_BUSY_POLL time; zero means off. */
    public Duration busyPoll() { return busyPoll; }
}
