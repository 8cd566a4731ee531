package io.netring;

import io.netring.afpacket.FanoutSpec;
import io.netring.afpacket.FilterSpec;
import io.netring.afpacket.RingGeometry;
import io.netring.afpacket.RxConfig;
import io.netring.filter.BpfProgram;
import io.netring.filter.EbpfProgram;

import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;

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
    private boolean fanoutRequested;
    private FanoutMode fanoutMode;
    private int fanoutGroupId;
    private FanoutFlag[] fanoutFlags = {};
    private BpfProgram fanoutCbpf;
    private EbpfProgram fanoutEbpf;
    private BpfProgram bpfFilter;
    private EbpfProgram ebpfFilter;
    private boolean lockFilter;
    private String netns;

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

    /**
     * Opens the socket inside another network namespace: a name under {@code /run/netns}
     * ({@code ip netns add NAME}) or a path such as {@code /proc/PID/ns/net} (a container's).
     * Only the opening happens there, on a short-lived thread; the process and its other
     * connections stay in their own namespace. Needs CAP_SYS_ADMIN. {@code null}: the caller's.
     */
    public B netns(String nameOrPath) {
        if (nameOrPath != null && (nameOrPath.isBlank() || nameOrPath.indexOf('\0') >= 0)) {
            throw new IllegalArgumentException("netns=\"" + nameOrPath + "\": must be a namespace name or a path");
        }
        this.netns = nameOrPath;
        return self();
    }

    /** Opens with {@code opener} in the {@link #netns} namespace, or here when none was set. */
    <T> T inNamespace(io.netring.internal.linux.NetworkNamespace.Opener<T> opener) throws NetringException {
        return netns == null ? opener.open() : io.netring.internal.linux.NetworkNamespace.open(netns, opener);
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

    /**
     * Joins fanout group {@code groupId} (0..65535) with {@code mode}, after the socket is bound.
     * Every member of a group must use the same mode, flags and interface; groups are per network
     * namespace. {@link FanoutMode#CBPF} and {@link FanoutMode#EBPF} also need
     * {@link #fanoutProgram(BpfProgram)} or {@link #fanoutProgram(EbpfProgram)}.
     *
     * <p>The kernel lets only a bound socket join, so between bind and join inside
     * {@code build()} the socket receives on its own: a packet arriving in that moment reaches
     * this socket and the group both. Open every member before traffic that must be seen
     * exactly once.
     */
    public B fanout(FanoutMode mode, int groupId) {
        this.fanoutRequested = true;
        this.fanoutMode = mode;
        this.fanoutGroupId = groupId;
        return self();
    }

    /** Flags of the fanout group (replaces earlier ones); needs {@link #fanout(FanoutMode, int)}. */
    public B fanoutFlags(FanoutFlag... flags) {
        this.fanoutFlags = flags == null ? null : flags.clone();
        return self();
    }

    /**
     * The steering program of a {@link FanoutMode#CBPF} group: its return value modulo the
     * member count picks the socket. Offsets count from the network header, not the Ethernet header.
     */
    public B fanoutProgram(BpfProgram program) {
        this.fanoutCbpf = program;
        this.fanoutEbpf = null;
        return self();
    }

    /** The steering program of an {@link FanoutMode#EBPF} group (a loaded socket-filter program). */
    public B fanoutProgram(EbpfProgram program) {
        this.fanoutEbpf = program;
        this.fanoutCbpf = null;
        return self();
    }

    /**
     * A classic BPF socket filter (e.g. from {@code tcpdump -dd}), attached before the ring exists
     * so that no unfiltered packet ever reaches it. Replace it later with
     * {@link AfPacketRx#setFilter(BpfProgram)}.
     */
    public B bpfFilter(BpfProgram program) {
        this.bpfFilter = program;
        return self();
    }

    /**
     * A tcpdump filter expression ({@code "tcp port 443"}), compiled in pure Java by
     * {@link BpfProgram#compile} and attached as the classic BPF socket filter.
     *
     * @throws io.netring.filter.FilterSyntaxException when the expression does not compile
     */
    public B filter(String expression) {
        return bpfFilter(BpfProgram.compile(expression));
    }

    /** An eBPF socket filter (SO_ATTACH_BPF), attached before the ring exists; instead of {@link #bpfFilter}. */
    public B ebpfFilter(EbpfProgram program) {
        this.ebpfFilter = program;
        return self();
    }

    /**
     * Lock the socket filter (SO_LOCK_FILTER) once set up: neither this process nor one it passes
     * the fd to can change or remove it afterwards (default off).
     */
    public B lockFilter(boolean lockFilter) {
        this.lockFilter = lockFilter;
        return self();
    }

    /** Applies one of the tuning presets; setters called afterwards override single values. */
    public B profile(RingProfile profile) {
        if (profile == null) {
            throw new IllegalArgumentException("profile=null: must be one of " + Arrays.toString(RingProfile.values()));
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
        BuilderChecks.interfaceName(interfaceName);
        RingGeometry geometry = RingGeometry.validate(blockSize, blockCount, frameSize, BuilderChecks.physicalMemory());
        int blockTimeoutMillis = (int) wholeUnits("blockTimeout", blockTimeout, 1_000_000L, "milliseconds");
        int busyPollMicros = (int) wholeUnits("busyPoll", busyPoll, 1_000L, "microseconds");
        if (timestampSource == null) {
            throw new IllegalArgumentException("timestampSource=null: must be one of "
                    + Arrays.toString(TimestampSource.values()));
        }
        if (pollTimeout == null || pollTimeout.isNegative() || pollTimeout.isZero()) {
            throw new IllegalArgumentException("pollTimeout=" + pollTimeout + ": must be positive");
        }
        if (reserve < 0 || reserve > 1024) {
            throw new IllegalArgumentException("reserve=" + reserve + ": must be in [0, 1024] bytes");
        }
        return new RxConfig(interfaceName, geometry, blockTimeoutMillis, fillRxHash, promiscuous, ignoreOutgoing,
                busyPollMicros, timestampSource.sofFlags(), timestampSource.name(), pollTimeout, lockMemory, reserve,
                filterSpec(), fanoutSpec());
    }

    private FilterSpec filterSpec() {
        if (bpfFilter != null && ebpfFilter != null) {
            throw new IllegalArgumentException("ebpfFilter=" + ebpfFilter + ": a socket has one filter, and bpfFilter="
                    + bpfFilter + " is set too");
        }
        if (ebpfFilter != null && ebpfFilter.isClosed()) {
            throw new IllegalArgumentException("ebpfFilter=" + ebpfFilter + ": the program is closed");
        }
        return BackendSpecs.filter(bpfFilter, ebpfFilter, lockFilter);
    }

    /** Checks the fanout options as the kernel would, but with a message that says which rule. */
    private FanoutSpec fanoutSpec() {
        if (fanoutFlags == null || Arrays.asList(fanoutFlags).contains(null)) {
            throw new IllegalArgumentException("fanoutFlags=" + Arrays.toString(fanoutFlags)
                    + ": must not be or contain null (call fanoutFlags() with no argument for none)");
        }
        List<FanoutFlag> flags = List.of(fanoutFlags);
        String flagText = "fanoutFlags=" + flags;
        boolean hasProgram = fanoutCbpf != null || fanoutEbpf != null;
        if (fanoutRequested && fanoutMode == null) {
            throw new IllegalArgumentException("fanoutMode=null: must be one of " + Arrays.toString(FanoutMode.values()));
        }
        if (fanoutMode == null) {
            if (!flags.isEmpty()) {
                throw new IllegalArgumentException(flagText + ": flags need a fanout group; call fanout(mode, groupId) too");
            }
            if (hasProgram) {
                throw new IllegalArgumentException("fanoutProgram=" + (fanoutCbpf != null ? fanoutCbpf : fanoutEbpf)
                        + ": a steering program needs fanout(FanoutMode.CBPF or EBPF, groupId)");
            }
            return null;
        }
        if (fanoutGroupId < 0 || fanoutGroupId > 0xffff) {
            throw new IllegalArgumentException("fanoutGroupId=" + fanoutGroupId + ": must be in [0, 65535]");
        }
        EnumSet<FanoutFlag> set = EnumSet.noneOf(FanoutFlag.class);
        for (FanoutFlag f : flags) {
            if (!set.add(f)) {
                throw new IllegalArgumentException(flagText + ": " + f + " is listed twice");
            }
        }
        if (fanoutMode == FanoutMode.ROLLOVER && set.contains(FanoutFlag.ROLLOVER)) {
            throw new IllegalArgumentException(flagText + ": the ROLLOVER flag is not allowed with FanoutMode.ROLLOVER,"
                    + " which already rolls over; the flag is for the other modes");
        }
        if (set.contains(FanoutFlag.UNIQUE_ID) && fanoutGroupId != 0) {
            throw new IllegalArgumentException("fanoutGroupId=" + fanoutGroupId + ": must be 0 with "
                    + "FanoutFlag.UNIQUE_ID, which lets the kernel choose the id (read it with fanoutGroupId())");
        }
        if (fanoutMode == FanoutMode.CBPF && fanoutCbpf == null) {
            throw new IllegalArgumentException("fanout=CBPF: needs a classic steering program, fanoutProgram(BpfProgram)"
                    + (fanoutEbpf != null ? " (an EbpfProgram was given; use FanoutMode.EBPF for it)" : ""));
        }
        if (fanoutMode == FanoutMode.EBPF && fanoutEbpf == null) {
            throw new IllegalArgumentException("fanout=EBPF: needs an eBPF steering program, fanoutProgram(EbpfProgram)"
                    + (fanoutCbpf != null ? " (a BpfProgram was given; use FanoutMode.CBPF for it)" : ""));
        }
        if (!fanoutMode.needsProgram() && hasProgram) {
            throw new IllegalArgumentException("fanout=" + fanoutMode + ": takes no steering program; fanoutProgram is"
                    + " only for FanoutMode.CBPF and EBPF");
        }
        if (fanoutEbpf != null && fanoutEbpf.isClosed()) {
            throw new IllegalArgumentException("fanoutProgram=" + fanoutEbpf + ": the program is closed");
        }
        return BackendSpecs.fanout(fanoutMode, fanoutGroupId, set, fanoutCbpf, fanoutEbpf);
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
}
