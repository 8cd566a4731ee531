package io.netring;

import java.time.Duration;

/**
 * The seed's tuning presets. {@code builder.profile(P)} sets block size, block count, frame
 * size, block timeout and busy polling at once; setters called after it override single values.
 *
 * <table>
 * <caption>Values</caption>
 * <tr><th>profile</th><th>block size</th><th>blocks</th><th>ring</th><th>block timeout</th><th>extra</th></tr>
 * <tr><td>DEFAULT</td><td>4 MiB</td><td>64</td><td>256 MiB</td><td>60 ms</td><td></td></tr>
 * <tr><td>HIGH_THROUGHPUT</td><td>4 MiB</td><td>128</td><td>512 MiB</td><td>60 ms</td><td>pair with FanoutMode.CPU and a thread per CPU</td></tr>
 * <tr><td>LOW_LATENCY</td><td>256 KiB</td><td>64</td><td>16 MiB</td><td>1 ms</td><td>busy poll 50 µs</td></tr>
 * <tr><td>MEMORY_CONSTRAINED</td><td>1 MiB</td><td>16</td><td>16 MiB</td><td>100 ms</td><td></td></tr>
 * <tr><td>JUMBO_FRAMES</td><td>4 MiB</td><td>64</td><td>256 MiB</td><td>60 ms</td><td>frame size 65536</td></tr>
 * </table>
 */
public enum RingProfile {
    DEFAULT(1 << 22, 64, 2048, Duration.ofMillis(60), Duration.ZERO),
    HIGH_THROUGHPUT(1 << 22, 128, 2048, Duration.ofMillis(60), Duration.ZERO),
    LOW_LATENCY(1 << 18, 64, 2048, Duration.ofMillis(1), Duration.ofNanos(50_000)),
    MEMORY_CONSTRAINED(1 << 20, 16, 2048, Duration.ofMillis(100), Duration.ZERO),
    JUMBO_FRAMES(1 << 22, 64, 65536, Duration.ofMillis(60), Duration.ZERO);

    private final int blockSize;
    private final int blockCount;
    private final int frameSize;
    private final Duration blockTimeout;
    private final Duration busyPoll;

    RingProfile(int blockSize, int blockCount, int frameSize, Duration blockTimeout, Duration busyPoll) {
        this.blockSize = blockSize;
        this.blockCount = blockCount;
        this.frameSize = frameSize;
        this.blockTimeout = blockTimeout;
        this.busyPoll = busyPoll;
    }

    public int blockSize() {
        return blockSize;
    }

    public int blockCount() {
        return blockCount;
    }

    public int frameSize() {
        return frameSize;
    }

    public Duration blockTimeout() {
        return blockTimeout;
    }

    /** SO_BUSY_POLL time; zero means off. */
    public Duration busyPoll() {
        return busyPoll;
    }
}
