package io.netring.xdp;

import io.netring.InterfaceNotFoundException;
import io.netring.NetringException;
import io.netring.filter.BpfProgram;
import io.netring.filter.XdpFilterCode;
import io.netring.internal.linux.InterfaceQuery;
import io.netring.internal.xdp.XdpAttachment;
import io.netring.internal.xdp.XdpRedirectProgram;
import io.netring.internal.xdp.XskConfig;
import io.netring.internal.xdp.XskMap;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.stream.IntStream;

/**
 * Settings of an {@link XdpRx}: the interface and its queues, the UMEM and rings of each
 * queue's socket, copy or zero-copy, how the program is attached, and an optional filter that
 * runs inside the XDP program. Every setter checks its value and names the rule it broke.
 */
public final class XdpRxBuilder {
    private String interfaceName;
    private int queue;
    private boolean allQueues;
    private XdpMode mode = XdpMode.AUTO;
    private XdpAttachMode attachMode = XdpAttachMode.NATIVE;
    private boolean replaceProgram;
    private int frameSize = 4096;
    private int frameCount = 4096;
    private int ringSize = XskConfig.DEFAULT_RING_SIZE;
    /** 0 until set: then the default, or the ring size when that is smaller. */
    private int batchSize;
    private boolean needWakeup = true;
    private int busyPollMicros;
    private int busyPollBudget;
    private boolean preferBusyPoll;
    private BpfProgram filter;
    private Duration idleNap = DEFAULT_IDLE_NAP;

    /**
     * How long {@code nextBatchBlocking} sleeps on an empty ring by default, while frames keep
     * coming: 500 µs (as the napping C reader of the bench).
     */
    public static final Duration DEFAULT_IDLE_NAP = Duration.ofNanos(500_000);

    /** Descriptors a batch takes at most, by default. */
    public static final int DEFAULT_BATCH_SIZE = 1024;

    XdpRxBuilder() {}

    /** The interface to read (required). */
    public XdpRxBuilder interfaceName(String name) {
        this.interfaceName = Objects.requireNonNull(name, "interfaceName");
        return this;
    }

    /** The RX queue to read (default 0); frames the NIC steers to other queues are not seen. */
    public XdpRxBuilder queue(int queue) {
        if (queue < 0) {
            throw new IllegalArgumentException("queue=" + queue + ": must be 0 or more (an RX queue id of the interface)");
        }
        this.queue = queue;
        this.allQueues = false;
        return this;
    }

    /** Every RX queue of the interface, one socket each, served in turn by one reader. */
    public XdpRxBuilder allQueues() {
        this.allQueues = true;
        return this;
    }

    /** Copy, zero-copy, or zero-copy when the driver has it (default {@link XdpMode#AUTO}). */
    public XdpRxBuilder mode(XdpMode mode) {
        this.mode = Objects.requireNonNull(mode, "mode");
        return this;
    }

    /**
     * Attach the program in the driver ({@link XdpAttachMode#NATIVE}, default), generically, or
     * natively where the driver allows and generically elsewhere ({@link XdpAttachMode#AUTO}).
     */
    public XdpRxBuilder attachMode(XdpAttachMode attachMode) {
        this.attachMode = Objects.requireNonNull(attachMode, "attachMode");
        return this;
    }

    /**
     * Replace an XDP program already attached to the interface (default false: such a program
     * makes {@link #build()} fail, naming it). Replacing names the program it saw, so one
     * attached in between is not replaced; without CAP_SYS_ADMIN it is a plain replace.
     */
    public XdpRxBuilder replaceProgram(boolean replace) {
        this.replaceProgram = replace;
        return this;
    }

    /** Bytes per UMEM frame: a power of two from 2048 to the page size (default 4096). */
    public XdpRxBuilder frameSize(int bytes) {
        this.frameSize = bytes;
        return this;
    }

    /** UMEM frames per queue (default 4096); each is either with the kernel or in an open batch. */
    public XdpRxBuilder frameCount(int frames) {
        this.frameCount = frames;
        return this;
    }

    /** Entries of each queue's RX ring, a power of two (default 2048). */
    public XdpRxBuilder ringSize(int entries) {
        this.ringSize = entries;
        return this;
    }

    /** The most descriptors one batch takes (default {@value #DEFAULT_BATCH_SIZE}, or the ring size if smaller). */
    public XdpRxBuilder batchSize(int descriptors) {
        if (descriptors <= 0) {
            throw new IllegalArgumentException("batchSize=" + descriptors + ": must be positive");
        }
        this.batchSize = descriptors;
        return this;
    }

    /**
     * How long {@code nextBatchBlocking} sleeps when the ring is empty before it looks again
     * (default {@link #DEFAULT_IDLE_NAP}), instead of waiting in {@code poll}: on a link such as
     * veth the kernel wakes a reader in {@code poll} for nearly every frame, and frames gather
     * in the ring while it naps, as they do in a TPACKET_V3 block. After 100 ms without a frame
     * the reader waits in {@code poll} again, so an idle capture costs nothing. Zero: always
     * {@code poll}, one wake-up per run, the lowest latency. A platform thread naps in
     * {@code usleep}, as a C reader would (a virtual thread parks, keeping its carrier free).
     */
    public XdpRxBuilder idleNap(Duration nap) {
        Objects.requireNonNull(nap, "nap");
        if (nap.isNegative() || nap.compareTo(Duration.ofMillis(100)) > 0) {
            throw new IllegalArgumentException("idleNap=" + nap + ": must be in [0, 100ms]");
        }
        this.idleNap = nap;
        return this;
    }

    /** Bind with XDP_USE_NEED_WAKEUP (default true): a syscall only when the kernel asks for one. */
    public XdpRxBuilder needWakeup(boolean needWakeup) {
        this.needWakeup = needWakeup;
        return this;
    }

    /**
     * Busy polling on each socket: SO_BUSY_POLL for {@code micros} (0: off), SO_BUSY_POLL_BUDGET
     * packets per poll (0: the kernel's), SO_PREFER_BUSY_POLL.
     */
    public XdpRxBuilder busyPoll(int micros, int budget, boolean prefer) {
        this.busyPollMicros = micros;
        this.busyPollBudget = budget;
        this.preferBusyPoll = prefer;
        return this;
    }

    /**
     * A tcpdump expression run inside the XDP program: frames it rejects are passed on to the
     * kernel's stack and never reach the UMEM.
     *
     * @throws io.netring.filter.FilterSyntaxException when the expression does not compile
     */
    public XdpRxBuilder filter(String expression) {
        return filter(BpfProgram.compile(Objects.requireNonNull(expression, "expression")));
    }

    /** A classic BPF program run inside the XDP program (translated to eBPF), as {@link #filter(String)}. */
    public XdpRxBuilder filter(BpfProgram program) {
        this.filter = Objects.requireNonNull(program, "program");
        XdpFilterCode.prefix(program);                   // refuses what XDP cannot run, now
        return this;
    }

    /**
     * Opens one socket per queue, loads the redirect program (with the filter) and attaches it.
     *
     * @throws IllegalStateException when no interface name was given
     * @throws IllegalArgumentException when a size is out of range (the message names it)
     * @throws InterfaceNotFoundException when the interface does not exist
     * @throws io.netring.PermissionDeniedException without CAP_NET_RAW, CAP_NET_ADMIN and CAP_BPF
     * @throws NetringException when the kernel refuses a step; the message says which and why
     */
    public XdpRx build() throws NetringException {
        if (interfaceName == null) {
            throw new IllegalStateException("interfaceName is required: XdpRx.builder().interfaceName(\"eth0\")");
        }
        if (batchSize > ringSize) {
            throw new IllegalArgumentException("batchSize=" + batchSize + ": must be at most ringSize (" + ringSize + ")");
        }
        int batch = batchSize == 0 ? Math.min(DEFAULT_BATCH_SIZE, ringSize) : batchSize;
        XskConfig template = XskConfig.of(interfaceName, 0)
                .withFrames(frameSize, frameCount, 0)
                .withRings(ringSize, 0, fillRingSize(frameCount), ringSize)
                .withMode(mode).withNeedWakeup(needWakeup)
                .withBusyPoll(busyPollMicros, busyPollBudget, preferBusyPoll);
        List<Integer> queues = allQueues ? allQueuesOf(interfaceName) : List.of(queue);
        return XdpRx.open(new Settings(interfaceName, queues, template, attachMode, replaceProgram, batch, idleNap.toNanos(), filter));
    }

    /**
     * Twice the frames, rounded up to a power of two: the kernel publishes how far it has read
     * the fill ring only now and then, and the room must not run out in between.
     */
    private static int fillRingSize(int frames) {
        int atLeast = Math.max(2, frames) * 2;
        return Integer.bitCount(atLeast) == 1 ? atLeast : Integer.highestOneBit(atLeast) << 1;
    }

    private static List<Integer> allQueuesOf(String name) throws NetringException {
        int count;
        try (InterfaceQuery q = InterfaceQuery.open(name)) {
            count = q.rxQueueCount();
        }
        return IntStream.range(0, Math.max(count, 1)).boxed().toList();
    }

    /** What {@link #build()} decided, for {@link XdpRx#open}. */
    record Settings(String interfaceName, List<Integer> queueList, XskConfig template, XdpAttachMode attachMode,
                    boolean replace, int batchSize, long idleNapNanos, BpfProgram filter) {
        XskConfig socketConfig(int queue) {
            return new XskConfig(interfaceName, queue, template.frameSize(), template.frameCount(), template.headroom(),
                    template.rxRingSize(), template.txRingSize(), template.fillRingSize(), template.completionRingSize(),
                    template.mode(), template.needWakeup(), template.busyPollMicros(), template.busyPollBudget(),
                    template.preferBusyPoll());
        }

        XskMap newMap() throws NetringException {
            int max = queueList.stream().mapToInt(Integer::intValue).max().orElse(0) + 1;
            return XskMap.create(max);
        }

        XdpRedirectProgram newProgram(XskMap map) throws NetringException {
            return XdpRedirectProgram.load(map, filter == null ? List.of() : XdpFilterCode.prefix(filter));
        }

        XdpAttachment attach(XdpRedirectProgram program) throws NetringException {
            return XdpAttachment.attach(interfaceName, program.fd(), attachMode, replace);
        }
    }
}
