package io.netring.decode;

import io.netring.Packet;
import io.netring.PacketBatch;
import io.netring.PacketHandler;
import io.netring.testing.SyntheticBlock;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

import static io.netring.internal.linux.LinuxConstants.TP_STATUS_USER;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The decode loop allocates nothing per packet, over ring packets ({@code Packet} and
 * {@code PacketView}) and plain segments. Measured with the thread's allocation counter after
 * warm-up, not timed.
 */
class DecoderAllocationTest {
    private long sink;
    private final PacketDecoder d = new PacketDecoder();
    private final byte[] name = new byte[256];

    private void read(PacketDecoder p) {
        if (p.has(Layer.IPV4)) {
            sink += p.ipv4().source() + p.ipv4().ttl();
        } else if (p.has(Layer.IPV6)) {
            sink += p.ipv6().sourceLow() + p.ipv6().hopLimit();
        }
        if (p.has(Layer.TCP)) {
            sink += p.tcp().flags() + p.tcp().mss() + p.tcp().destinationPort();
        } else if (p.has(Layer.UDP)) {
            sink += p.udp().destinationPort();
        }
        if (p.has(Layer.DNS)) {
            sink += p.dns().questionName(name);
        }
    }

    @Test
    void decodingRingPacketsAndSegmentsAllocatesNothing() {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        List<byte[]> frames = new ArrayList<>();
        for (FrameCorpus.Frame f : FrameCorpus.generate(5, 300)) {
            frames.add(f.data());
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment block = arena.allocate(1 << 20, 4096);
            SyntheticBlock.write(block, 1, TP_STATUS_USER, frames);
            MemorySegment flat = arena.allocate(1 << 20);
            long[] offsets = new long[frames.size()];
            long at = 0;
            for (int i = 0; i < frames.size(); i++) {
                offsets[i] = at;
                MemorySegment.copy(MemorySegment.ofArray(frames.get(i)), 0, flat, at, frames.get(i).length);
                at += frames.get(i).length;
            }
            try (PacketBatch batch = PacketBatch.ofBlock(block)) {
                PacketHandler viaView = v -> read(d.decode(v));
                // The batch's iterator makes a Packet object per packet (unless the JIT elides it):
                // take them first, so the loop measures the decoder alone.
                List<Packet> packets = new ArrayList<>();
                batch.forEach(packets::add);
                Runnable viaPacket = () -> {
                    for (int i = 0; i < packets.size(); i++) {
                        read(d.decode(packets.get(i)));
                    }
                };
                Runnable viaSegment = () -> {
                    for (int i = 0; i < offsets.length; i++) {
                        read(d.decode(flat, offsets[i], frames.get(i).length));
                    }
                };
                for (int i = 0; i < 20_000; i++) {
                    batch.dispatch(viaView);
                    viaPacket.run();
                    viaSegment.run();
                }
                int rounds = 2_000;
                for (Runnable loop : List.<Runnable>of(() -> batch.dispatch(viaView), viaPacket, viaSegment)) {
                    long before = threads.getCurrentThreadAllocatedBytes();
                    for (int i = 0; i < rounds; i++) {
                        loop.run();
                    }
                    long allocated = threads.getCurrentThreadAllocatedBytes() - before;
                    double perPacket = (double) allocated / ((long) rounds * frames.size());
                    assertTrue(perPacket < 0.05, "bytes allocated per packet: " + perPacket + " (" + allocated + " in total)");
                }
            }
        }
    }
}
