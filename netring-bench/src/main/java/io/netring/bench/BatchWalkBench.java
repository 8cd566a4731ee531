package io.netring.bench;

import io.netring.Capture;
import io.netring.Packet;
import io.netring.PacketBatch;
import io.netring.PacketHandler;
import io.netring.PacketView;
import io.netring.afpacket.TpacketV3;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.Iterator;
import java.util.stream.Stream;

/**
 * Per-packet cost of walking a TPACKET_V3 block, without a socket: one synthetic block of
 * {@value #PACKETS} 64-byte test frames, walked whole per invocation (batch opened, walked,
 * closed), so the figures are nanoseconds and, with {@code -prof gc}, bytes per packet.
 * Each walk does what the end-to-end consumers do: check the EtherType and the sequence number.
 */
@OperationsPerInvocation(BatchWalkBench.PACKETS)
public class BatchWalkBench extends AverageNanosBench {
    /** Packets per block: a 640 KiB block, large enough that per-block costs fade. */
    public static final int PACKETS = 4096;

    private Arena arena;
    private MemorySegment block;
    private BlockReplay replay;
    private Iterator<Packet> stream;
    private final FrameCheck check = new FrameCheck();
    private final PacketHandler segmentCheck = v -> check.check(v.segment(), v.dataOffset());

    @Setup(Level.Trial)
    public void setUp() {
        arena = Arena.ofShared();
        block = TestFrames.block(arena, PACKETS, TestFrames.FRAME_SIZE, 0, 1);
        replay = new BlockReplay(block);
        // One endless stream for the whole trial, as a capture would run: blocks come and go.
        Stream<Packet> packets = Capture.stream(replay, Duration.ofMillis(100));
        stream = packets.iterator();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        replay.close();
        arena.close();
    }

    /**
     * The floor of the micro rows: the same walk and checks as a plain loop over the block
     * segment (no batch, no arena, no handler), what a hand-written FFM ring walk costs.
     */
    @Benchmark
    public long rawWalk() {
        check.reset();
        MemorySegment b = block;
        int n = b.get(ValueLayout.JAVA_INT, TpacketV3.NUM_PKTS_OFFSET);
        long hdr = Integer.toUnsignedLong(b.get(ValueLayout.JAVA_INT, TpacketV3.FIRST_PKT_OFFSET));
        for (int i = 0; i < n; i++) {
            long mac = hdr + Short.toUnsignedLong(b.get(ValueLayout.JAVA_SHORT, hdr + TpacketV3.MAC_OFFSET));
            check.check(b, mac);
            hdr += Integer.toUnsignedLong(b.get(ValueLayout.JAVA_INT, hdr + TpacketV3.NEXT_OFFSET_OFFSET));
        }
        return check.frames;
    }

    /**
     * The zero-allocation path: one reused view, a handler call per packet, fields read with
     * {@link PacketView#unsignedShortAt} and {@link PacketView#intAt}.
     */
    @Benchmark
    public long dispatch() {
        return dispatchTo(check);
    }

    /**
     * The same walk with the handler reading through {@link PacketView#segment()}
     * at {@link PacketView#dataOffset()}: the block segment's scope checks per read.
     */
    @Benchmark
    public long dispatchSegment() {
        return dispatchTo(segmentCheck);
    }

    /** One batch over the block, dispatched to {@code handler} (each benchmark runs in a fork of its own). */
    private long dispatchTo(PacketHandler handler) {
        check.reset();
        try (PacketBatch batch = PacketBatch.ofBlock(block)) {
            batch.dispatch(handler);
        }
        return check.frames;
    }

    /** The Iterable path: a {@link Packet} per packet, its bytes through {@link Packet#data()}. */
    @Benchmark
    public long iterable() {
        check.reset();
        try (PacketBatch batch = PacketBatch.ofBlock(block)) {
            for (Packet p : batch) {
                check.accept(p);
            }
        }
        return check.frames;
    }

    /** Kept so the JIT cannot drop the README loops' reads. */
    private long lengths;

    /**
     * README.md's {@code for (Packet pkt : batch)} loop as written there (the length, the
     * EtherType with {@code unsignedShortAt}) plus the sequence number the check needs, as
     * {@code JavaConsumer readme-iter}.
     */
    @Benchmark
    public long readmeIterable() {
        check.reset();
        try (PacketBatch batch = PacketBatch.ofBlock(block)) {
            for (Packet pkt : batch) {
                lengths += pkt.length();
                if (pkt.unsignedShortAt(TestFrames.ETHERTYPE_OFFSET) == TestFrames.ETHERTYPE) {
                    check.count(pkt.intAt(TestFrames.SEQUENCE_OFFSET));
                }
            }
        }
        return check.frames + lengths;
    }

    /** README.md's {@code packets().forEach(pkt -> ...)} over a one-block source, the same body. */
    @Benchmark
    public long readmeStream() {
        check.reset();
        try (Stream<Packet> packets = Capture.stream(new BlockReplay(block, 1), Duration.ofMillis(100))) {
            packets.forEach(pkt -> {
                lengths += pkt.length();
                if (pkt.unsignedShortAt(TestFrames.ETHERTYPE_OFFSET) == TestFrames.ETHERTYPE) {
                    check.count(pkt.intAt(TestFrames.SEQUENCE_OFFSET));
                }
            });
        }
        return check.frames + lengths;
    }

    /** The {@code for} loop reading the same fields through {@link Packet#data()}. */
    @Benchmark
    public long dataIterable() {
        check.reset();
        try (PacketBatch batch = PacketBatch.ofBlock(block)) {
            for (Packet pkt : batch) {
                MemorySegment d = pkt.data();
                lengths += pkt.length();
                check.check(d, 0);
            }
        }
        return check.frames + lengths;
    }

    /** The stream reading the same fields through {@link Packet#data()}. */
    @Benchmark
    public long dataStream() {
        check.reset();
        try (Stream<Packet> packets = Capture.stream(new BlockReplay(block, 1), Duration.ofMillis(100))) {
            packets.forEach(pkt -> {
                MemorySegment d = pkt.data();
                lengths += pkt.length();
                check.check(d, 0);
            });
        }
        return check.frames + lengths;
    }

    /** The {@code packets()} stream ({@link Capture#stream} over a block replay): one block's worth of packets. */
    @Benchmark
    public long stream() {
        check.reset();
        Iterator<Packet> it = stream;
        for (int i = 0; i < PACKETS; i++) {
            check.accept(it.next());
        }
        return check.frames;
    }

    /** The same stream used with forEach-style terminal operations: a fresh pipeline over the next block. */
    @Benchmark
    public long streamForEach() {
        check.reset();
        try (Stream<Packet> s = Capture.stream(replay, Duration.ofMillis(100))) {
            s.limit(PACKETS).forEach(check::accept);
        }
        return check.frames;
    }

    /**
     * The stream's plain {@code forEach} (no short-circuiting operation, so the pipeline hands
     * the whole traversal to the cursor's {@code forEachRemaining}) over a source of one block.
     */
    @Benchmark
    public long streamForEachAll() {
        check.reset();
        try (Stream<Packet> s = Capture.stream(new BlockReplay(block, 1), Duration.ofMillis(100))) {
            s.forEach(check::accept);
        }
        return check.frames;
    }

    /** Copying every packet out of the ring. */
    @Benchmark
    public void toOwned(Blackhole bh) {
        try (PacketBatch batch = PacketBatch.ofBlock(block)) {
            batch.dispatch(v -> bh.consume(v.toOwned()));
        }
    }
}
