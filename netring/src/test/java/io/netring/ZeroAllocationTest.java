package io.netring;

import io.netring.testing.FrameSender;
import io.netring.testing.SyntheticBlock;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.netring.internal.linux.LinuxConstants.TP_STATUS_USER;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The dispatch path and the README's iterator loop allocate nothing per packet. Measured with the thread's allocation
 * counter after warm-up (not a timing): a whole-batch walk over 1000 packets, repeated.
 */
class ZeroAllocationTest {
    private long sink;

    @Test
    void dispatchAllocatesNothingPerPacket() {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment block = arena.allocate(1 << 20, 4096);
            List<byte[]> frames = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                frames.add(FrameSender.frame(i, 64));
            }
            SyntheticBlock.write(block, 1, TP_STATUS_USER, frames);
            try (PacketBatch batch = PacketBatch.ofBlock(block)) {
                PacketHandler handler = v -> sink += v.length() + v.byteAt(14) + v.shortAt(12) + v.intAt(14) + v.timestampNanos();
                // A per-packet allocation shows in every measurement; JIT warm-up only in the first
                // ones, and on a loaded machine the compiler may take a while: measure again
                // until a measurement is clean or a minute has passed.
                int rounds = 2_000;
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                long allocated;
                double perPacket;
                do {
                    for (int i = 0; i < 20_000; i++) {
                        batch.dispatch(handler);      // warm-up: let the JIT compile the walk
                    }
                    long before = threads.getCurrentThreadAllocatedBytes();
                    for (int i = 0; i < rounds; i++) {
                        batch.dispatch(handler);
                    }
                    allocated = threads.getCurrentThreadAllocatedBytes() - before;
                    perPacket = (double) allocated / (rounds * 1000L);
                } while (perPacket >= 0.01 && System.nanoTime() < deadline);
                assertTrue(perPacket < 0.01, "bytes allocated per packet: " + perPacket + " (" + allocated + " in total)");
            }
        }
    }

    /**
     * README.md's {@code for (Packet pkt : batch)} loop, the body in the loop: the Packet the
     * iterator makes and the segment {@code data()} makes are both removed by the JIT once the
     * loop is compiled, so a whole-batch walk allocates only the iterator.
     */
    @Test
    void readmeLoopAllocatesNothingPerPacket() {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment block = arena.allocate(1 << 20, 4096);
            List<byte[]> frames = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                frames.add(FrameSender.frame(i, 64));
            }
            SyntheticBlock.write(block, 1, TP_STATUS_USER, frames);
            int rounds = 2_000;
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            long allocated;
            double perPacket;
            do {
                for (int i = 0; i < 20_000; i++) {
                    readmeLoop(block);
                }
                long before = threads.getCurrentThreadAllocatedBytes();
                for (int i = 0; i < rounds; i++) {
                    readmeLoop(block);
                }
                allocated = threads.getCurrentThreadAllocatedBytes() - before;
                perPacket = (double) allocated / (rounds * 1000L);
            } while (perPacket >= 0.5 && System.nanoTime() < deadline);
            // A batch, its iterator and walk are a few hundred bytes per 1000 packets; a Packet or
            // a segment per packet would be 40 bytes each.
            assertTrue(perPacket < 0.5, "bytes allocated per packet: " + perPacket + " (" + allocated + " in total)");
        }
    }

    private void readmeLoop(MemorySegment block) {
        try (PacketBatch batch = PacketBatch.ofBlock(block)) {
            walk(batch);
        }
    }

    /** The loop on its own, as the README has it inside its batch loop. */
    private void walk(PacketBatch batch) {
        for (Packet pkt : batch) {
            sink += pkt.length() + pkt.originalLength();
            if (pkt.shortAt(12) == (short) FrameSender.ETHERTYPE) {
                sink += pkt.intAt(14);
            }
            sink += pkt.data().get(ValueLayout.JAVA_BYTE, 0);
        }
    }
}
