package io.netring.bench;

import com.sun.management.ThreadMXBean;
import io.netring.AfPacketRx;
import io.netring.xdp.XdpMode;
import io.netring.xdp.XdpRx;
import io.netring.xdp.XdpRxBuilder;
import io.netring.Capture;
import io.netring.CaptureStats;
import io.netring.OwnedPacket;
import io.netring.Packet;
import io.netring.PacketBatch;
import io.netring.PacketHandler;
import io.netring.adapter.ChannelCapture;
import io.netring.afpacket.TpacketV3;
import io.netring.decode.PacketDecoder;
import io.netring.filter.BpfProgram;
import io.netring.flow.FlowPacket;
import io.netring.flow.FlowTable;
import io.netring.internal.NativeMemory;
import io.netring.internal.linux.Syscalls;
import io.netring.internal.xdp.Umem;
import io.netring.internal.xdp.XdpAttachment;
import io.netring.internal.xdp.XdpRedirectProgram;
import io.netring.internal.xdp.XskConfig;
import io.netring.internal.xdp.XskConsumerRing;
import io.netring.internal.xdp.XskMap;
import io.netring.internal.xdp.XskProducerRing;
import io.netring.internal.xdp.XskSocket;
import io.netring.xdp.XdpAttachMode;
import io.netring.xdp.XdpStatistics;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNetworkInterface;
import org.pcap4j.core.RawPacketListener;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * One Java consumer of the end-to-end run, in its own JVM inside the namespace:
 * {@code JavaConsumer MODE IFNAME TOTAL WARMUP IDLE_MS}. It prints {@code READY}, counts test
 * frames until TOTAL arrived or none came for IDLE_MS, and prints one {@code RESULT} line:
 * frames, kernel drops and, from frame WARMUP on, the capture thread's and the process's CPU
 * time and the bytes the capture thread allocated. Modes: {@code batch}, {@code stream},
 * {@code readme-iter}/{@code readme-stream} (README.md's loops), {@code data-iter}/{@code data-stream}
 * (the same through {@code data()}), {@code work-stream}/{@code work-inline}/{@code work-iter}
 * (filter, decode and flow table in a lambda, written inline, in a {@code for} loop),
 * {@code main-loop} (the README loop pasted into {@code main}), {@code channel}, {@code pcap4j}.
 */
public final class JavaConsumer {
    private final long total;
    private final long warmup;
    private final long idleNanos;
    private final FrameCheck check = new FrameCheck();
    private final Window window;
    private volatile long lastProgress = System.nanoTime();

    private JavaConsumer(long total, long warmup, long idleMillis) {
        this.total = total;
        this.warmup = warmup;
        this.idleNanos = idleMillis * 1_000_000L;
        this.window = new Window(warmup, total);
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 5) {
            System.err.println("usage: JavaConsumer batch|batch-metrics|stream|readme-iter|bare-walk|readme-stream|data-iter|data-stream|work-stream|work-inline|work-iter|main-loop|channel|pcap4j|xdp-iter|xdp-iter-nowait|xdp-batch|xdp-bare IFNAME TOTAL WARMUP IDLE_MS");
            System.exit(1);
        }
        JavaConsumer c = new JavaConsumer(Long.parseLong(args[2]), Long.parseLong(args[3]), Long.parseLong(args[4]));
        switch (args[0]) {
            case "batch" -> c.batch(args[1]);
            case "batch-metrics" -> c.batchWithMetrics(args[1]);
            case "stream" -> c.stream(args[1]);
            case "readme-iter" -> c.readmeIter(args[1]);
            case "bare-walk" -> c.bareWalk(args[1]);
            case "readme-stream" -> c.readmeStream(args[1]);
            case "data-iter" -> c.dataIter(args[1]);
            case "data-stream" -> c.dataStream(args[1]);
            case "work-stream" -> c.workStream(args[1]);
            case "work-inline" -> c.workStreamInline(args[1]);
            case "work-iter" -> c.workIter(args[1]);
            case "main-loop" -> c.mainLoop(args[1]);
            case "channel" -> c.channel(args[1]);
            case "pcap4j" -> c.pcap4j(args[1]);
            case "xdp-iter" -> c.xdpIter(args[1], XdpRxBuilder.DEFAULT_IDLE_NAP);
            case "xdp-iter-nowait" -> c.xdpIter(args[1], Duration.ZERO);
            case "xdp-batch" -> c.xdpBatch(args[1]);
            case "xdp-bare" -> c.xdpBare(args[1]);
            default -> throw new IllegalArgumentException("mode=" + args[0] + ": one of batch, batch-metrics, stream, readme-iter, bare-walk, readme-stream, data-iter, data-stream, work-stream, work-inline, work-iter, main-loop, channel, pcap4j, xdp-iter, xdp-iter-nowait, xdp-batch, xdp-bare");
        }
    }

    private boolean idle() {
        long quiet = System.nanoTime() - lastProgress;
        return check.frames > 0 ? quiet > idleNanos : quiet > 20 * idleNanos;
    }

    /**
     * For the per-packet consumers: reads the clock once per 1024 frames, as the batch and C
     * consumers read it once per block, so no consumer pays a clock read per packet.
     */
    private void noteProgress() {
        if ((check.frames & 1023) == 1) {
            lastProgress = System.nanoTime();
        }
    }

    /** {@link PacketBatch#dispatch} with {@link FrameCheck}'s {@code unsignedShortAt}/{@code intAt} reads. */
    private void batch(String ifName) throws Exception {
        // One handler for the whole run, as the C consumer checks its window per packet: a
        // second handler class for the block where the window opens would make the JIT
        // recompile the walk right as measuring starts.
        PacketHandler handler = v -> {
            window.observe(check.frames);
            check.onPacket(v);
        };
        batches(ifName, batch -> batch.dispatch(handler));
    }

    /**
     * {@link #batch} with the capture's Micrometer counters bound to a registry that a thread of
     * its own reads every second, as a Prometheus scrape would: the row shows what metrics cost.
     */
    private void batchWithMetrics(String ifName) throws Exception {
        PacketHandler handler = v -> {
            window.observe(check.frames);
            check.onPacket(v);
        };
        io.micrometer.core.instrument.simple.SimpleMeterRegistry registry = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
        Thread scraper = Thread.ofPlatform().daemon().name("scrape").unstarted(() -> {
            while (true) {
                double sum = 0;
                for (io.micrometer.core.instrument.Meter m : registry.getMeters()) {
                    for (io.micrometer.core.instrument.Measurement x : m.measure()) {
                        sum += x.getValue();
                    }
                }
                scraped = sum;
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        batches(ifName, batch -> batch.dispatch(handler), rx -> {
            new io.netring.metrics.CaptureMetrics(rx, null).bindTo(registry);
            scraper.start();
        });
    }

    /** The last scrape's sum, kept so the reads are not dropped. */
    private volatile double scraped;

    /** Kept so the JIT cannot drop the README loops' reads. */
    private long lengths;

    /**
     * README.md's low-level loop as written there, {@code for (Packet pkt : batch)} with the body
     * in the loop (the length, the EtherType with {@code unsignedShortAt}), plus the sequence number
     * ({@code intAt}) the check needs.
     */
    private void readmeIter(String ifName) throws Exception {
        // Shaped as README.md's example, all in one method: the batch loop and the packet loop
        // are compiled together, as they would be in a user's program.
        try (AfPacketRx rx = AfPacketRx.builder().interfaceName(ifName).build()) {
            ready();
            while (!check.done(total)) {
                try (PacketBatch batch = rx.nextBatchBlocking(Duration.ofMillis(100))) {
                    if (batch == null) {
                        if (idle()) {
                            break;
                        }
                        continue;
                    }
                    for (Packet pkt : batch) {
                        window.observe(check.frames);
                        lengths += pkt.length();
                        if (pkt.unsignedShortAt(TestFrames.ETHERTYPE_OFFSET) == TestFrames.ETHERTYPE) {
                            check.count(pkt.intAt(TestFrames.SEQUENCE_OFFSET));
                        }
                    }
                    lastProgress = System.nanoTime();
                }
            }
            window.end(check.frames);
            report(rx.stats());
        }
    }

    /**
     * The JVM's floor for the README loop: {@link #readmeIter}'s batches and body, but the block
     * walked as the C ring walk walks it, at raw addresses with no check at all (no bounds, no
     * open or thread test, no Packet), through the library's own {@link NativeMemory#ALL} and
     * mask. Not code to copy: a corrupt header sends it anywhere. What the README loop costs
     * beyond it is the price of the library's guarantees; beyond the C walk, the JVM's.
     */
    private void bareWalk(String ifName) throws Exception {
        try (AfPacketRx rx = AfPacketRx.builder().interfaceName(ifName).build()) {
            ready();
            while (!check.done(total)) {
                try (PacketBatch batch = rx.nextBatchBlocking(Duration.ofMillis(100))) {
                    if (batch == null) {
                        if (idle()) {
                            break;
                        }
                        continue;
                    }
                    MemorySegment block = batch.segment();
                    int n = block.get(TpacketV3.WALK_INT, TpacketV3.NUM_PKTS_OFFSET);
                    long h = block.address() + Integer.toUnsignedLong(block.get(TpacketV3.WALK_INT, TpacketV3.FIRST_PKT_OFFSET));
                    for (int i = 0; i < n; i++) {
                        window.observe(check.frames);
                        long at = NativeMemory.address(h);
                        lengths += NativeMemory.ALL.get(TpacketV3.WALK_INT, at + TpacketV3.SNAPLEN_OFFSET);
                        long data = at + Short.toUnsignedLong(NativeMemory.ALL.get(TpacketV3.WALK_SHORT, at + TpacketV3.MAC_OFFSET));
                        if (Short.toUnsignedInt(NativeMemory.ALL.get(TestFrames.BE_SHORT, data + TestFrames.ETHERTYPE_OFFSET)) == TestFrames.ETHERTYPE) {
                            check.count(NativeMemory.ALL.get(TestFrames.BE_INT, data + TestFrames.SEQUENCE_OFFSET));
                        }
                        h += Integer.toUnsignedLong(NativeMemory.ALL.get(TpacketV3.WALK_INT, at + TpacketV3.NEXT_OFFSET_OFFSET));
                    }
                    lastProgress = System.nanoTime();
                }
            }
            window.end(check.frames);
            report(rx.stats());
        }
    }

    /**
     * The README's {@code for (Packet pkt : batch)} loop of {@link #readmeIter}, on AF_XDP:
     * {@link XdpRx} on queue 0 in copy mode, its UMEM and rings as the C AF_XDP reader's.
     */
    private void xdpIter(String ifName, Duration idleNap) throws Exception {
        try (XdpRx rx = xdp(ifName, idleNap)) {
            ready();
            while (!check.done(total)) {
                try (PacketBatch batch = rx.nextBatchBlocking(Duration.ofMillis(100))) {
                    if (batch == null) {
                        if (idle()) {
                            break;
                        }
                        continue;
                    }
                    for (Packet pkt : batch) {
                        window.observe(check.frames);
                        lengths += pkt.length();
                        if (pkt.unsignedShortAt(TestFrames.ETHERTYPE_OFFSET) == TestFrames.ETHERTYPE) {
                            check.count(pkt.intAt(TestFrames.SEQUENCE_OFFSET));
                        }
                    }
                    lastProgress = System.nanoTime();
                }
            }
            window.end(check.frames);
            report(rx.stats());
        }
    }

    /** {@link #batch}'s dispatch walk on AF_XDP batches. */
    private void xdpBatch(String ifName) throws Exception {
        PacketHandler handler = v -> {
            window.observe(check.frames);
            check.onPacket(v);
        };
        try (XdpRx rx = xdp(ifName, XdpRxBuilder.DEFAULT_IDLE_NAP)) {
            ready();
            while (!check.done(total)) {
                try (PacketBatch batch = rx.nextBatchBlocking(Duration.ofMillis(100))) {
                    if (batch == null) {
                        if (idle()) {
                            break;
                        }
                        continue;
                    }
                    batch.dispatch(handler);
                    lastProgress = System.nanoTime();
                }
            }
            window.end(check.frames);
            report(rx.stats());
        }
    }

    /** Bytes of a {@code struct xdp_desc}: addr (u64), len (u32), options (u32). */
    private static final long XDP_DESC_SIZE = 16;

    /**
     * The JVM's floor for AF_XDP: rx_xdp.c's napping loop written in Java, on the socket,
     * UMEM, program and rings {@link XdpRx} would set up (queue 0, copy mode, 4096 frames of
     * 4096 bytes, RX ring of 2048). The rings' indexes move through the library's own ring
     * classes (cached indexes, acquire and release words); the descriptors, frames and fill
     * entries are read and written through {@link NativeMemory#ALL} at masked raw addresses, the
     * rings' geometry held in locals as libxdp's inline helpers hold it: no batch, no Packet,
     * no check, no warm-up pass. Every frame taken goes straight back to the fill ring;
     * an empty RX ring sleeps 0.5 ms in {@code usleep}, as the C reader does. What XdpRx costs
     * beyond it is the library's; what it costs beyond the C reader, the JVM's.
     */
    private void xdpBare(String ifName) throws Exception {
        XskConfig config = XskConfig.of(ifName, 0).withFrames(4096, 4096, 0).withRings(2048, 0, 8192, 2048)
                .withMode(XdpMode.COPY);
        try (XskSocket socket = XskSocket.open(config);
             XskMap map = XskMap.create(1)) {
            map.put(0, socket.fd());
            try (XdpRedirectProgram program = XdpRedirectProgram.load(map, List.of());
                 XdpAttachment attached = XdpAttachment.attach(ifName, program.fd(), XdpAttachMode.NATIVE, false)) {
                XskConsumerRing rx = socket.rx();
                XskProducerRing fill = socket.fill();
                Umem umem = socket.umem();
                long base = umem.memory().address();
                // The rings' geometry in locals, as libxdp's inline ring helpers have it in C:
                // the loop reads descriptors and writes fill entries at masked raw addresses.
                long rxDescs = rx.descriptors().address();
                long rxMask = rx.size() - 1;
                long fillDescs = fill.descriptors().address();
                long fillMask = fill.size() - 1;
                long frameMask = -(long) umem.frameSize();
                ready();
                while (!check.done(total)) {
                    int n = rx.peek(2048);
                    if (n == 0) {
                        if (idle()) {
                            break;
                        }
                        Syscalls.usleep(500);
                        continue;
                    }
                    long first = rx.startIndex();
                    // 4096 frames and 8192 fill entries: the frames just read always fit.
                    if (fill.reserve(n) != n) {
                        throw new IllegalStateException("fill ring full");
                    }
                    long to = fill.startIndex();
                    for (int i = 0; i < n; i++) {
                        window.observe(check.frames);
                        long desc = NativeMemory.address(rxDescs + ((first + i) & rxMask) * XDP_DESC_SIZE);
                        long addr = NativeMemory.ALL.get(ValueLayout.JAVA_LONG_UNALIGNED, desc);
                        long data = NativeMemory.address(base + addr);
                        lengths += NativeMemory.ALL.get(ValueLayout.JAVA_INT_UNALIGNED, desc + Long.BYTES);
                        if (Short.toUnsignedInt(NativeMemory.ALL.get(TestFrames.BE_SHORT, data + TestFrames.ETHERTYPE_OFFSET)) == TestFrames.ETHERTYPE) {
                            check.count(NativeMemory.ALL.get(TestFrames.BE_INT, data + TestFrames.SEQUENCE_OFFSET));
                        }
                        NativeMemory.ALL.set(ValueLayout.JAVA_LONG_UNALIGNED,
                                NativeMemory.address(fillDescs + ((to + i) & fillMask) * Long.BYTES), addr & frameMask);
                    }
                    fill.submit(n);
                    rx.release(n);
                    if (fill.needsWakeup()) {
                        socket.wakeUpRx();
                    }
                    lastProgress = System.nanoTime();
                }
                window.end(check.frames);
                XdpStatistics st = socket.statistics();
                long drops = st.rxDropped() + st.rxRingFull();
                report(new CaptureStats(check.frames + drops, drops, st.rxFillRingEmptyDescs()));
            }
        }
    }

    /**
     * As rx_xdp.c: queue 0, copy mode, 4096 frames of 4096 bytes, rings of 2048; the batch size
     * is the library's (up to 1024 descriptors), the nap on an empty ring as given (zero: wait
     * in poll, a batch per wake-up, as the C reader's without naps).
     */
    private static XdpRx xdp(String ifName, Duration idleNap) throws Exception {
        return XdpRx.builder().interfaceName(ifName).queue(0).mode(XdpMode.COPY).frameSize(4096).frameCount(4096)
                .ringSize(2048).idleNap(idleNap).build();
    }

    /** The same loop reading the same fields through {@link Packet#data()}. */
    private void dataIter(String ifName) throws Exception {
        batches(ifName, batch -> {
            for (Packet pkt : batch) {
                window.observe(check.frames);
                MemorySegment d = pkt.data();
                lengths += pkt.length();
                check.check(d, 0);
            }
        });
    }

    /** Takes batches with {@code nextBatchBlocking}, as the README's low-level example, until TOTAL frames or idle. */
    private void batches(String ifName, Consumer<PacketBatch> walk) throws Exception {
        batches(ifName, walk, rx -> { });
    }

    /** As {@link #batches(String, Consumer)}, {@code opened} given the capture before the first batch. */
    private void batches(String ifName, Consumer<PacketBatch> walk, Consumer<AfPacketRx> opened) throws Exception {
        try (AfPacketRx rx = AfPacketRx.builder().interfaceName(ifName).build()) {
            opened.accept(rx);
            ready();
            Duration poll = Duration.ofMillis(100);
            while (!check.done(total)) {
                try (PacketBatch batch = rx.nextBatchBlocking(poll)) {
                    if (batch == null) {
                        if (idle()) {
                            break;
                        }
                        continue;
                    }
                    walk.accept(batch);
                    lastProgress = System.nanoTime();
                }
            }
            window.end(check.frames);
            report(rx.stats());
        }
    }

    /** {@link Capture#packets()} with {@code takeWhile} and {@link FrameCheck}'s reads. */
    private void stream(String ifName) throws Exception {
        packets(ifName, packets -> packets.takeWhile(p -> check.frames < total).forEach(p -> {
            window.observe(check.frames);
            check.accept(p);
            counted();
        }));
    }

    /** The README's high-level loop, {@code cap.packets().forEach(pkt -> ...)}, with the body of {@link #readmeIter}. */
    private void readmeStream(String ifName) throws Exception {
        packets(ifName, packets -> packets.forEach(pkt -> {
            window.observe(check.frames);
            lengths += pkt.length();
            if (pkt.unsignedShortAt(TestFrames.ETHERTYPE_OFFSET) == TestFrames.ETHERTYPE) {
                check.count(pkt.intAt(TestFrames.SEQUENCE_OFFSET));
            }
            counted();
        }));
    }

    /** The same stream reading the same fields through {@link Packet#data()}. */
    private void dataStream(String ifName) throws Exception {
        packets(ifName, packets -> packets.forEach(pkt -> {
            window.observe(check.frames);
            MemorySegment d = pkt.data();
            lengths += pkt.length();
            check.check(d, 0);
            counted();
        }));
    }

    /**
     * A lambda with real work, written as README.md ("Staying allocation-free") advises: it hands
     * the {@code Packet} only to library methods (a filter, the decoder) and reads a few numbers
     * for its own method, which updates a flow table (the test frames are not IP, so the flow
     * key is made from the sequence number: 4096 flows, each packet an update of one).
     */
    private void workStream(String ifName) throws Exception {
        PacketDecoder decoder = new PacketDecoder();
        BpfProgram filter = BpfProgram.compile("ether proto " + TestFrames.ETHERTYPE + " or ip");
        FlowWork work = new FlowWork();
        packets(ifName, packets -> packets.forEach(pkt -> {
            window.observe(check.frames);
            if (filter.matches(pkt) && decoder.decode(pkt).etherType() == TestFrames.ETHERTYPE) {
                work.update(pkt.intAt(TestFrames.SEQUENCE_OFFSET), pkt.length(), pkt.timestampEpochNanos());
            }
            counted();
        }));
        lengths += work.kept + work.records + work.flows.size();
    }

    /** The same work written inline in the lambda: what README.md says to avoid, and what it costs. */
    private void workStreamInline(String ifName) throws Exception {
        PacketDecoder decoder = new PacketDecoder();
        BpfProgram filter = BpfProgram.compile("ether proto " + TestFrames.ETHERTYPE + " or ip");
        FlowWork work = new FlowWork();
        packets(ifName, packets -> packets.forEach(pkt -> {
            window.observe(check.frames);
            if (filter.matches(pkt) && decoder.decode(pkt).etherType() == TestFrames.ETHERTYPE) {
                int seq = pkt.intAt(TestFrames.SEQUENCE_OFFSET);
                check.count(seq);
                work.flows.add(work.key.ipv4(0x0A000001, 0x0A000000 | (seq & 0xFFF))
                        .transport(17, 1024, 9, 0, pkt.length() - 18)
                        .frame(pkt.timestampEpochNanos(), pkt.length(), 0));
                work.kept++;
            }
            counted();
        }));
        lengths += work.kept + work.records + work.flows.size();
    }

    /** The same work in a {@code for (Packet pkt : batch)} loop, which the JIT compiles as one piece with its body. */
    private void workIter(String ifName) throws Exception {
        PacketDecoder decoder = new PacketDecoder();
        BpfProgram filter = BpfProgram.compile("ether proto " + TestFrames.ETHERTYPE + " or ip");
        FlowWork work = new FlowWork();
        batches(ifName, batch -> {
            for (Packet pkt : batch) {
                window.observe(check.frames);
                if (filter.matches(pkt) && decoder.decode(pkt).etherType() == TestFrames.ETHERTYPE) {
                    work.update(pkt.intAt(TestFrames.SEQUENCE_OFFSET), pkt.length(), pkt.timestampEpochNanos());
                }
            }
        });
        lengths += work.kept + work.records + work.flows.size();
    }

    /** The per-packet work of the work-stream rows, on numbers read from the packet. */
    private final class FlowWork {
        long kept, records;
        final FlowPacket key = new FlowPacket();
        final FlowTable flows = FlowTable.builder().maxFlows(65_536).onRecord(r -> records++).build();

        void update(int seq, int length, long timestampNanos) {
            check.count(seq);
            flows.add(key.ipv4(0x0A000001, 0x0A000000 | (seq & 0xFFF))
                    .transport(17, 1024, 9, 0, length - 18)
                    .frame(timestampNanos, length, 0));
            kept++;
        }
    }

    /**
     * README.md's low-level loop pasted into {@code main} as a user would, with a little
     * bookkeeping: a progress line every 2^21 packets (a branch taken now and then, so it is
     * compiled in) and a count of IPv4 frames read with {@code shortAt}.
     */
    private void mainLoop(String ifName) throws Exception {
        JavaConsumer c = this;
        long bytes = 0, ipv4 = 0, seen = 0;
        try (AfPacketRx rx = AfPacketRx.builder().interfaceName(ifName).build()) {
            ready();
            while (c.check.frames < c.total) {
                try (PacketBatch batch = rx.nextBatchBlocking(Duration.ofMillis(100))) {
                    if (batch == null) {
                        if (c.idle()) {
                            break;
                        }
                        continue;
                    }
                    for (Packet pkt : batch) {
                        c.window.observe(c.check.frames);
                        bytes += pkt.length();
                        int type = pkt.shortAt(12) & 0xFFFF;
                        if (type == 0x0800) {
                            ipv4++;
                        } else if (type == TestFrames.ETHERTYPE) {
                            c.check.count(pkt.intAt(TestFrames.SEQUENCE_OFFSET));
                        }
                        if ((++seen & ((1 << 21) - 1)) == 0) {
                            System.err.printf("%d packets, %d bytes, %d IPv4, %s%n", seen, bytes, ipv4, rx.totalStats());
                        }
                    }
                    c.lastProgress = System.nanoTime();
                }
            }
            c.window.end(check.frames);
            c.report(rx.stats());
        }
        lengths += bytes + ipv4;
    }

    /**
     * After each packet of a stream: notes progress for the watchdog (the window stops measuring
     * at the last frame by itself; the stream ends when the watchdog closes the capture).
     */
    private void counted() {
        noteProgress();
    }

    /**
     * Opens a {@link Capture} and runs {@code consume} on its stream; a watchdog closes the
     * capture once TOTAL frames arrived or none came for IDLE_MS, which ends the stream.
     */
    private void packets(String ifName, Consumer<Stream<Packet>> consume) throws Exception {
        AtomicReference<CaptureStats> stats = new AtomicReference<>();
        try (Capture cap = Capture.builder().interfaceName(ifName).build()) {
            ready();
            Thread watchdog = Thread.ofPlatform().daemon().start(() -> {
                while (!cap.unwrap().isClosed()) {
                    try {
                        Thread.sleep(250);          // a check four times a second: the watchdog is the bench's, not the user's, cost
                        if (idle() || check.frames >= total) {
                            stats.set(cap.stats());
                            cap.close();
                        }
                    } catch (Exception e) {
                        return;
                    }
                }
            });
            consume.accept(cap.packets());
            window.end(check.frames);
            if (stats.get() == null) {
                stats.set(cap.stats());
            }
            cap.close();
            watchdog.join(1000);
            report(stats.get());
        }
    }

    private void channel(String ifName) throws Exception {
        try (ChannelCapture ch = ChannelCapture.spawn(ifName, 65536)) {
            ready();
            while (!check.done(total)) {
                OwnedPacket p = ch.recv(Duration.ofMillis(100));
                if (p == null) {
                    if (idle()) {
                        break;
                    }
                    continue;
                }
                window.observe(check.frames);
                check.accept(p.data());
                lastProgress = System.nanoTime();
            }
            window.end(check.frames);
            // Two threads share the work (the capture thread copies, this one consumes), so the
            // CPU figure is the whole process's; the allocation figure is this thread's.
            window.cpu = window.procCpu;
            report(ch.stats());
        }
    }

    private void pcap4j(String ifName) throws Exception {
        PcapHandle handle = new PcapHandle.Builder(ifName)
                .snaplen(65535)
                .promiscuousMode(PcapNetworkInterface.PromiscuousMode.NONPROMISCUOUS)
                .timeoutMillis(60)
                .bufferSize(256 << 20)
                .build();
        try {
            ready();
            Thread watchdog = Thread.ofPlatform().daemon().start(() -> {
                try {
                    while (!idle() && !check.done(total)) {
                        Thread.sleep(100);
                    }
                    handle.breakLoop();
                } catch (Exception ignored) {
                    // the run ended
                }
            });
            RawPacketListener listener = bytes -> {
                window.observe(check.frames);
                check.accept(bytes);
                noteProgress();
                if (check.frames >= total) {
                    window.end(check.frames);
                    try {
                        handle.breakLoop();
                    } catch (Exception ignored) {
                        // already closed
                    }
                }
            };
            try {
                handle.loop(-1, listener);
            } catch (InterruptedException broken) {
                // breakLoop: done or idle
            }
            window.end(check.frames);
            watchdog.interrupt();
            var s = handle.getStats();
            report(new CaptureStats(s.getNumPacketsReceived(), s.getNumPacketsDropped(), 0));
        } finally {
            handle.close();
        }
    }

    private static void ready() {
        System.out.println("READY");
        System.out.flush();
    }

    private void report(CaptureStats stats) {
        long measured = window.started ? window.endFrame - warmup : 0;
        System.out.printf("RESULT received=%d drops=%d gaps=%d measured=%d cpuNs=%d procCpuNs=%d wallNs=%d allocBytes=%d%n",
                check.frames, stats.drops(), check.gaps, measured, window.cpu, window.procCpu, window.wall, window.alloc);
        System.out.flush();
    }

    /**
     * CPU, process CPU, wall time and allocation of the capture thread from frame WARMUP to the
     * last frame (TOTAL - 1, as the C walk stops at its last frame: the wait for the stream's end
     * and the compilation of the end path stay out). The readings are also taken every
     * {@link #STEP} frames during the warm-up, the last time at frame WARMUP: a branch first taken
     * when measuring starts would be one the JIT had left out, and the recompilation would land
     * inside the measurement.
     */
    private static final class Window {
        private static final ThreadMXBean THREADS =
                (ThreadMXBean) ManagementFactory.getThreadMXBean();
        private static final long STEP = 1 << 18;
        private final long warmup;
        private final long total;
        /** The frame count at which the readings are next taken; TOTAL - 1 once measuring. */
        private long mark;
        boolean started;
        private boolean ended;
        long cpu, procCpu, wall, alloc;
        /** The frame count when the closing readings were taken. */
        long endFrame;

        Window(long warmup, long total) {
            this.warmup = warmup;
            this.total = total;
            this.mark = warmup % STEP;
            // The per-thread snapshot reads ~40 small /proc files as Strings. Taken every STEP
            // frames of the whole warm-up, its String code reached C2's thresholds (or was
            // recompiled after an uncommon trap) right at the window's opening, and those
            // compilations (2-10 ms of the C2 thread) landed inside the window; taken at the
            // window's ends alone, the opening one set off 30-270 ms of them. A cost of the
            // measuring, not of the loop measured: made hot here, before any traffic, and in
            // the warm-up's first half, so its compilations are over when the window opens.
            for (int i = 0; i < WARM_SNAPSHOTS; i++) {
                ThreadCpu.snapshot();
            }
        }

        /** Snapshots before the traffic: enough calls for C2 to compile what they run. */
        private static final int WARM_SNAPSHOTS = 300;

        /**
         * Called per packet: one comparison, the readings out of line, so that a stream's
         * action stays small enough for the JIT to inline into the walk, as a README loop's
         * body without the instrumentation would be.
         */
        void observe(long frames) {
            if (frames == mark) {
                take(frames);
            }
        }

        private java.util.Map<String, Long> threadsAtStart = java.util.Map.of();

        private void take(long frames) {
            if (started) {
                end(frames);
                return;
            }
            if (frames == warmup || frames < warmup / 2) {
                threadsAtStart = ThreadCpu.snapshot();
            }
            cpu = THREADS.getCurrentThreadCpuTime();
            procCpu = ThreadCpu.processNanos();
            wall = System.nanoTime();
            alloc = THREADS.getCurrentThreadAllocatedBytes();
            started = frames == warmup;
            mark = started ? total - 1 : frames + STEP;
        }

        /** Takes the closing readings at frame {@code frames}; only the first call counts. */
        void end(long frames) {
            if (ended) {
                return;
            }
            ended = true;
            endFrame = frames;
            if (started) {
                alloc = THREADS.getCurrentThreadAllocatedBytes() - alloc;
                cpu = THREADS.getCurrentThreadCpuTime() - cpu;
                procCpu = ThreadCpu.processNanos() - procCpu;
                wall = System.nanoTime() - wall;
                // Where the process's CPU went beyond this thread (JIT, GC, VM and our own threads).
                System.err.println("THREADS " + ThreadCpu.difference(threadsAtStart, ThreadCpu.snapshot()));
            } else {
                cpu = procCpu = wall = alloc = 0;
            }
        }
    }
}
