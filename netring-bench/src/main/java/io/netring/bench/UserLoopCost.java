package io.netring.bench;

import com.sun.management.ThreadMXBean;
import io.netring.Capture;
import io.netring.Packet;
import io.netring.PacketBatch;
import io.netring.decode.Layer;
import io.netring.decode.PacketDecoder;
import io.netring.filter.BpfProgram;
import io.netring.flow.FlowExtractor;
import io.netring.flow.FlowTable;
import io.netring.pcap.PcapFormat;
import io.netring.pcap.PcapWriter;
import io.netring.testing.SyntheticBlock;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.stream.Stream;

import static io.netring.internal.linux.LinuxConstants.TP_STATUS_USER;

/**
 * Code as users write it, each form in a process of its own over an in-memory block replayed
 * many times ({@link BlockReplay}): no socket, so the figures are the library's and the JIT's.
 * {@code UserLoopCost FORM PACKETS} prints one {@code RESULT} line: thread and process CPU and
 * bytes allocated per packet, after a warm-up of the same length. Forms: {@code decode-flow-lambda}
 * (a {@code packets().forEach} lambda that decodes, counts TCP and updates a flow table),
 * {@code write-lambda} (writes each packet to a pcap file on {@code /dev/null}),
 * {@code matches-lambda} (counts what a filter keeps), {@code main-bookkeeping} (the README's
 * {@code for} loop pasted into {@code main}, with a progress line in a cold branch).
 */
public final class UserLoopCost {
    private static final ThreadMXBean THREADS = (ThreadMXBean) ManagementFactory.getThreadMXBean();

    private UserLoopCost() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: UserLoopCost decode-flow-lambda|write-lambda|matches-lambda|main-bookkeeping PACKETS");
            System.exit(1);
        }
        long packets = Long.parseLong(args[1]);
        try (Arena arena = Arena.ofShared()) {
            MemorySegment block = arena.allocate(1 << 22, 4096);
            SyntheticBlock.write(block, 1, TP_STATUS_USER, DecodeFrames.mix());
            long blocks = Math.max(1, packets / DecodeFrames.COUNT);
            Form form = switch (args[0]) {
                case "decode-flow-lambda" -> UserLoopCost::decodeFlowLambda;
                case "write-lambda" -> UserLoopCost::writeLambda;
                case "matches-lambda" -> UserLoopCost::matchesLambda;
                case "main-bookkeeping" -> UserLoopCost::mainBookkeeping;
                default -> throw new IllegalArgumentException("unknown form " + args[0]);
            };
            form.run(block, blocks);                  // warm-up, the same length as the measurement
            long cpu = THREADS.getCurrentThreadCpuTime();
            long proc = ThreadCpu.processNanos();
            long alloc = THREADS.getCurrentThreadAllocatedBytes();
            long wall = System.nanoTime();
            long result = form.run(block, blocks);
            wall = System.nanoTime() - wall;
            alloc = THREADS.getCurrentThreadAllocatedBytes() - alloc;
            proc = ThreadCpu.processNanos() - proc;
            cpu = THREADS.getCurrentThreadCpuTime() - cpu;
            double n = blocks * (double) DecodeFrames.COUNT;
            System.out.printf(Locale.ROOT, "RESULT form=%s packets=%.0f cpuNsPerPacket=%.1f procCpuNsPerPacket=%.1f bytesPerPacket=%.2f wallNsPerPacket=%.1f check=%d%n",
                    args[0], n, cpu / n, proc / n, alloc / n, wall / n, result);
        }
    }

    @FunctionalInterface
    private interface Form {
        long run(MemorySegment block, long blocks) throws Exception;
    }

    private static long decodeFlowLambda(MemorySegment block, long blocks) {
        PacketDecoder decoder = new PacketDecoder();
        FlowExtractor extractor = new FlowExtractor();
        var counts = new Object() { long tcp, records; };
        FlowTable table = FlowTable.builder().maxFlows(10_000).onRecord(r -> counts.records++).build();
        try (Stream<Packet> stream = Capture.stream(new BlockReplay(block, blocks))) {
            stream.forEach(pkt -> {
                if (decoder.decode(pkt).has(Layer.TCP)) {
                    counts.tcp++;
                }
                if (extractor.extract(pkt)) {
                    table.add(extractor.fields());
                }
            });
        }
        return counts.tcp + counts.records + table.size();
    }

    private static long writeLambda(MemorySegment block, long blocks) throws Exception {
        Path devNull = Path.of("/dev/null");
        if (!Files.isWritable(devNull)) {
            throw new IllegalStateException("/dev/null is not writable");
        }
        try (PcapWriter writer = PcapWriter.open(devNull, PcapFormat.PCAP);
             Stream<Packet> stream = Capture.stream(new BlockReplay(block, blocks))) {
            stream.forEach(pkt -> {
                try {
                    writer.write(pkt);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            return writer.packetsWritten();
        }
    }

    private static long matchesLambda(MemorySegment block, long blocks) {
        BpfProgram program = BpfProgram.compile("tcp port 80 or udp");
        var kept = new Object() { long n; };
        try (Stream<Packet> stream = Capture.stream(new BlockReplay(block, blocks))) {
            stream.forEach(pkt -> {
                if (program.matches(pkt)) {
                    kept.n++;
                }
            });
        }
        return kept.n;
    }

    /** The README's low-level loop as a user pastes it into {@code main}, with a progress line now and then. */
    private static long mainBookkeeping(MemorySegment block, long blocks) throws Exception {
        long bytes = 0, ipv4 = 0, seen = 0;
        BlockReplay rx = new BlockReplay(block, blocks);
        for (long b = 0; b < blocks; b++) {
            try (PacketBatch batch = rx.nextBatchBlocking(Duration.ofMillis(100))) {
                if (batch == null) continue;
                for (Packet pkt : batch) {
                    bytes += pkt.length();
                    if ((pkt.shortAt(12) & 0xFFFF) == 0x0800) ipv4++;
                    if (++seen % 10_000_000 == 0) {
                        System.err.printf("%d packets, %d bytes, %d IPv4%n", seen, bytes, ipv4);
                    }
                }
            }
        }
        return bytes + ipv4;
    }
}
