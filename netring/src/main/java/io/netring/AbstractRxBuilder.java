package io.netring;

import io.netring.afpacket.RingGeometry;
import io.netring.afpacket.RxConfig;
import io.netring.internal.linux.LinuxConstants;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The receive options shared by {@link CaptureBuilder} and {@link AfPacketRxBuilder}.
 *
 * <p>Setters only record values; {@code build()} checks all of them before any system call and
 * throws {@link IllegalArgumentException} naming the parameter, its value and the rule broken.
 *
 * @param <B> the concrete builder, so chained calls keep their type
 */
public abstract sealed class AbstractRxBuilder<B extends AbstractRxBuilder<B>>
        permits CaptureBuilder, AfPacketRxBuilder {

    private String interfaceName;
    private int blockSize = RingProfile.DEFAULT.blockSize();
    private int blockCount = RingProfile.DEFAULT.blockCount();
    private int frameSize = RingProfile.DEFAULT.frameSize();
    private Duration blockTimeout = RingProfile.DEFAULT.blockTimeout();
    private boolean fillRxHash = true;
    private boolean promiscuous;
    private boolean ignoreOutgoing;
    private Duration busyPoll = Duration.ZERO;
    private TimestampSource timestampSource = TimestampSource.SOFTWARE;
    private Duration pollTimeout = Duration.ofMillis(100);
    private boolean lockMemory = true;
    private int reserve;

    AbstractRxBuilder() {}

    @SuppressWarnings("unchecked")
    private B self() {
        return (B) this;
    }

    /** The interface to capture on, e.g. {@code "eth0"} (required; {@code interface} is a Java keyword). */
    public B interfaceName(String interfaceName) {
        this.interfaceName = interfaceName;
        return self();
    }

    /** Bytes per ring block: a power of two and a multiple of the page size (default 4 MiB). */
    public B blockSize(int blockSize) {
        this.blockSize = blockSize;
        return self();
    }

    /** Number of blocks in the ring (default 64). */
    public B blockCount(int blockCount) {
        this.blockCount = blockCount;
        return self();
    }

    /**
     * Nominal frame size (default 2048): at least 68 and a multiple of 16. Under TPACKET_V3 it
     * only sizes the kernel's frame count; packets are packed into blocks whatever their size.
     * A packet larger than a block is truncated by the kernel ({@link PacketStatus#truncated()}).
     */
    public B frameSize(int frameSize) {
        this.frameSize = frameSize;
        return self();
    }

    /**
     * How long the kernel waits before retiring a block that is not full (default 60 ms).
     * Zero lets the kernel derive a value from link speed (8 ms when unknown). An idle link
     * never retires a block; {@link #pollTimeout} is what bounds a wait.
     */
    public B blockTimeout(Duration blockTimeout) {
        this.blockTimeout = blockTimeout;
        return self();
    }

    /** Ask the kernel to fill {@link Packet#rxHash()} (default on). */
    public B fillRxHash(boolean fillRxHash) {
        this.fillRxHash = fillRxHash;
        return self();
    }

    /** Put the interface in promiscuous mode while this handle is open (needs CAP_NET_ADMIN). */
    public B promiscuous(boolean promiscuous) {
        this.promiscuous = promiscuous;
        return self();
    }

    /**
     * Do not capture packets this host sends (PACKET_IGNORE_OUTGOING, Linux 4.20). On {@code lo}
     * this halves what is seen: every looped packet is otherwise captured going out and coming in.
     */
    public B ignoreOutgoing(boolean ignoreOutgoing) {
        this.ignoreOutgoing = ignoreOutgoing;
        return self();
    }

    /** SO_BUSY_POLL time (microsecond resolution; zero for off). Raising it needs CAP_NET_ADMIN. */
    public B busyPoll(Duration busyPoll) {
        this.busyPoll = busyPoll;
        return self();
    }

    /** Which clock stamps packets (default {@link TimestampSource#SOFTWARE}). */
    public B timestampSource(TimestampSource timestampSource) {
        this.timestampSource = timestampSource;
        return self();
    }

    /** How long {@code Capture.packets()} waits in one poll before checking for close (default 100 ms). */
    public B pollTimeout(Duration pollTimeout) {
        this.pollTimeout = pollTimeout;
        return self();
    }

    /**
     * Lock the ring in memory with MAP_LOCKED (default on). Without CAP_IPC_LOCK or enough
     * {@code ulimit -l}, the ring is mapped unlocked and a warning is logged once.
     */
    public B lockMemory(boolean lockMemory) {
        this.lockMemory = lockMemory;
        return self();
    }

    /** PACKET_RESERVE: headroom bytes the kernel leaves in front of each packet (default 0). */
    public B reserve(int reserve) {
        this.reserve = reserve;
        return self();
    }

    /** Applies one of the seed's tuning presets; setters called afterwards override single values. */
    public B profile(RingProfile profile) {
        if (profile == null) {
            throw new IllegalArgumentException("profile=null: must be one of " + java.util.Arrays.toString(RingProfile.values()));
        }
        this.blockSize = profile.blockSize();
        this.blockCount = profile.blockCount();
        this.frameSize = profile.frameSize();
        this.blockTimeout = profile.blockTimeout();
        this.busyPoll = profile.busyPoll();
        return self();
    }

    /** Validates every option; no system call has been made when this throws. */
    RxConfig config() {
        if (interfaceName == null || interfaceName.isEmpty()) {
            throw new IllegalArgumentException("interfaceName=" + (interfaceName == null ? "null" : "\"\"")
                    + ": an interface name is required, e.g. interfaceName(\"eth0\")");
        }
        if (interfaceName.getBytes(java.nio.charset.StandardCharsets.UTF_8).length >= LinuxConstants.IFNAMSIZ) {
            throw new IllegalArgumentException("interfaceName=\"" + interfaceName + "\": must be at most "
                    + (LinuxConstants.IFNAMSIZ - 1) + " bytes (IFNAMSIZ)");
        }
        if (interfaceName.chars().anyMatch(c -> c == '/' || c == ':' || Character.isWhitespace(c) || c == 0)) {
            throw new IllegalArgumentException("interfaceName=\"" + interfaceName
                    + "\": must not contain '/', ':', NUL or white space");
        }
        RingGeometry geometry = RingGeometry.validate(blockSize, blockCount, frameSize, physicalMemory());
        int blockTimeoutMillis = (int) wholeUnits("blockTimeout", blockTimeout, 1_000_000L, "milliseconds");
        int busyPollMicros = (int) wholeUnits("busyPoll", busyPoll, 1_000L, "microseconds");
        if (timestampSource == null) {
            throw new IllegalArgumentException("timestampSource=null: must be one of "
                    + java.util.Arrays.toString(TimestampSource.values()));
        }
        if (pollTimeout == null || pollTimeout.isNegative() || pollTimeout.isZero()) {
            throw new IllegalArgumentException("pollTimeout=" + pollTimeout + ": must be positive");
        }
        if (reserve < 0 || reserve > 1024) {
            throw new IllegalArgumentException("reserve=" + reserve + ": must be in [0, 1024] bytes");
        }
        return new RxConfig(interfaceName, geometry, blockTimeoutMillis, fillRxHash, promiscuous, ignoreOutgoing,
                busyPollMicros, timestampSource, pollTimeout, lockMemory, reserve);
    }

    /** A non-negative duration as a whole count of {@code unitNanos}, fitting an int. */
    private static long wholeUnits(String name, Duration d, long unitNanos, String unitName) {
        if (d == null || d.isNegative()) {
            throw new IllegalArgumentException(name + "=" + d + ": must be zero or positive");
        }
        long nanos;
        try {
            nanos = d.toNanos();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(name + "=" + d + ": too long");
        }
        if (nanos % unitNanos != 0) {
            throw new IllegalArgumentException(name + "=" + d + ": must be a whole number of " + unitName);
        }
        long units = nanos / unitNanos;
        if (units > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(name + "=" + d + ": must be at most " + Integer.MAX_VALUE + " " + unitName);
        }
        return units;
    }

    /** MemTotal from /proc/meminfo in bytes, or 0 when it cannot be read. */
    private static long physicalMemory() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // Not fatal: the kernel still refuses what it cannot allocate.
        }
        return 0;
    }
}
