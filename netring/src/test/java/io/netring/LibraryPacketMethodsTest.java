package io.netring;

import io.netring.decode.Layer;
import io.netring.decode.PacketDecoder;
import io.netring.filter.BpfProgram;
import io.netring.flow.FlowExtractor;
import io.netring.pcap.PcapFormat;
import io.netring.pcap.PcapReader;
import io.netring.pcap.PcapWriter;
import io.netring.testing.FrameSender;
import io.netring.testing.SyntheticBlock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.Arena;
import java.nio.file.Path;
import java.util.List;

import static io.netring.internal.linux.LinuxConstants.TP_STATUS_USER;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The library's Packet-taking methods (decode, extract, matches, write), which read the packet
 * through io.netring.internal.PacketAccess instead of its accessors: the same values as the
 * segment forms, and the same refusal as the accessors once the batch is released.
 */
class LibraryPacketMethodsTest {
    private static final String RELEASED = "Packet used after its PacketBatch was released; copy it with toOwned() to keep it";

    @TempDir
    Path dir;

    @Test
    void packetFormsAgreeWithSegmentForms() throws Exception {
        byte[] frame = FrameSender.frame(7, 90);
        try (Arena arena = Arena.ofConfined();
             PacketBatch batch = PacketBatch.ofBlock(SyntheticBlock.allocate(arena, 1, TP_STATUS_USER, List.of(frame)))) {
            Packet p = batch.iterator().next();
            PacketDecoder byPacket = new PacketDecoder().decode(p);
            assertTrue(byPacket.has(Layer.ETHERNET));
            assertEquals(FrameSender.ETHERTYPE, byPacket.etherType());
            assertEquals(p.originalLength(), byPacket.originalLength());
            BpfProgram ours = BpfProgram.compile("ether proto " + FrameSender.ETHERTYPE);
            assertTrue(ours.matches(p));
            assertFalse(BpfProgram.compile("ip").matches(p));
            assertFalse(new FlowExtractor().extract(p), "not IP");
            assertEquals(p.timestamp().toEpochNanos(), p.timestampEpochNanos());
            assertEquals(p.timestamp().seconds(), p.timestampSeconds());
            assertEquals(p.timestamp().nanos(), p.timestampNanos());
            Path file = dir.resolve("one.pcapng");
            try (PcapWriter w = PcapWriter.open(file, PcapFormat.PCAPNG)) {
                w.write(p);
            }
            try (PcapReader r = PcapReader.open(file); PacketBatch read = r.nextBatch()) {
                Packet q = read.iterator().next();
                assertArrayEquals(p.toOwned().data(), q.toOwned().data());
                assertEquals(p.timestamp(), q.timestamp());
                assertEquals(p.originalLength(), q.originalLength());
            }
        }
    }

    @Test
    void packetFormsRefuseAReleasedPacket() throws Exception {
        try (Arena arena = Arena.ofConfined();
             PcapWriter w = PcapWriter.open(dir.resolve("none.pcap"), PcapFormat.PCAP)) {
            Packet kept;
            try (PacketBatch batch = PacketBatch.ofBlock(SyntheticBlock.allocate(arena, 1, TP_STATUS_USER,
                    List.of(FrameSender.frame(1, 64))))) {
                kept = batch.iterator().next();
            }
            BpfProgram program = BpfProgram.compile("ip");
            assertReleased(() -> new PacketDecoder().decode(kept));
            assertReleased(() -> new FlowExtractor().extract(kept));
            assertReleased(() -> program.matches(kept));
            assertReleased(() -> w.write(kept));
            assertReleased(kept::timestampEpochNanos);
            assertEquals(0, w.packetsWritten());
        }
    }

    private static void assertReleased(Executable call) {
        assertEquals(RELEASED, assertThrows(IllegalStateException.class, call).getMessage());
    }
}
