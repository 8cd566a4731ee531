package io.netring.pcap;

import io.netring.OwnedPacket;
import io.netring.Packet;
import io.netring.PacketBatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PcapWriterTest {
    @TempDir
    Path dir;

    /** Which write method copies the input's packets. */
    private interface Copy {
        void copy(PcapReader in, PcapWriter out) throws IOException;
    }

    private byte[] write(Path input, PcapFormat format, Copy copy) throws IOException {
        Path out = dir.resolve("out-" + System.nanoTime());
        try (PcapReader in = PcapReader.open(input); PcapWriter w = PcapWriter.builder(out).format(format)
                .addInterface(PcapInterface.ethernet("e0")).build()) {
            copy.copy(in, w);
        }
        return Files.readAllBytes(out);
    }

    @Test
    void aBatchPrefixIsTheBatchsFirstPackets() throws IOException {
        List<TestFiles.Rec> recs = TestFiles.records(50, 7);
        Path input = dir.resolve("prefix.pcapng");
        TestFiles.Ng ng = new TestFiles.Ng().section(ByteOrder.LITTLE_ENDIAN).iface(1, 0, "x", 9);
        for (TestFiles.Rec r : recs) {
            ng.epb(0, r.seconds() * 1_000_000_000L + r.nanos(), r.data(), r.originalLength(), 0);
        }
        Files.write(input, ng.bytes());
        long[] written = new long[2];
        byte[] file = write(input, PcapFormat.PCAP, (in, w) -> {
            try (PacketBatch b = in.nextBatch()) {
                written[0] = w.write(b, 3);              // a limit inside the batch: packet by packet
                written[1] = w.write(b, Long.MAX_VALUE); // room for all: the batch path
            }
        });
        assertEquals(3, written[0]);
        assertEquals(recs.size(), written[1]);
        List<TestFiles.Rec> back = Read.all(save(file));
        assertEquals(3 + recs.size(), back.size());
        for (int i = 0; i < back.size(); i++) {
            assertArrayEquals(recs.get(i < 3 ? i : i - 3).data(), back.get(i).data(), "record " + i);
        }
    }

    @Test
    void everyWriteMethodWritesTheSameFile() throws IOException {
        List<TestFiles.Rec> recs = TestFiles.records(3000, 31);
        Path input = dir.resolve("in.pcapng");
        TestFiles.Ng ng = new TestFiles.Ng().section(ByteOrder.LITTLE_ENDIAN).iface(1, 0, "x", 9);
        for (int i = 0; i < recs.size(); i++) {
            TestFiles.Rec r = recs.get(i);
            ng.epb(0, r.seconds() * 1_000_000_000L + r.nanos(), r.data(), r.originalLength(), new int[] {1 | 1 << 2, 2, 1 | 3 << 2}[i % 3]);
        }
        Files.write(input, ng.bytes());
        for (PcapFormat format : PcapFormat.values()) {
            byte[] viaBatch = write(input, format, (in, w) -> {
                for (PacketBatch next = in.nextBatch(); next != null; next = in.nextBatch()) {
                    try (PacketBatch b = next) {
                        w.write(b);
                    }
                }
            });
            byte[] viaView = write(input, format, (in, w) -> {
                for (PacketBatch next = in.nextBatch(); next != null; next = in.nextBatch()) {
                    try (PacketBatch b = next) {
                        b.dispatch(v -> {
                            try {
                                w.write(v);
                            } catch (IOException e) {
                                throw new java.io.UncheckedIOException(e);
                            }
                        });
                    }
                }
            });
            byte[] viaPacket = write(input, format, (in, w) -> {
                for (Packet p : (Iterable<Packet>) in.packets()::iterator) {
                    w.write(p);
                }
            });
            assertArrayEquals(viaBatch, viaView, format + ": batch vs view");
            assertArrayEquals(viaBatch, viaPacket, format + ": batch vs packet");
            List<TestFiles.Rec> back = Read.all(save(viaBatch));
            assertEquals(recs.size(), back.size());
            for (int i = 0; i < recs.size(); i++) {
                assertArrayEquals(recs.get(i).data(), back.get(i).data());
                assertEquals(recs.get(i).nanos(), back.get(i).nanos());
            }
            if (format == PcapFormat.PCAPNG) {
                try (PcapReader r = PcapReader.open(save(viaBatch)); var s = r.packets()) {
                    List<String> dirs = s.limit(3).map(p -> p.direction().name()).toList();
                    assertEquals(List.of("HOST", "OUTGOING", "BROADCAST"), dirs);
                }
            }
        }
    }

    private Path save(byte[] bytes) throws IOException {
        Path p = dir.resolve("saved-" + System.nanoTime());
        Files.write(p, bytes);
        return p;
    }

    @Test
    void ownedPacketsSnaplenAndClosedWriter() throws IOException {
        List<TestFiles.Rec> recs = TestFiles.records(50, 32);
        Path in = dir.resolve("in.pcap");
        Files.write(in, TestFiles.classic(recs, ByteOrder.nativeOrder(), true, 1, 262144));
        List<OwnedPacket> owned = new ArrayList<>();
        try (PcapReader r = PcapReader.open(in); var s = r.packets()) {
            s.forEach(p -> owned.add(p.toOwned()));
        }
        Path out = dir.resolve("cut.pcapng");
        PcapWriter w = PcapWriter.builder(out).format(PcapFormat.PCAPNG)
                .addInterface(new PcapInterface("short", 1, 20)).build();
        for (OwnedPacket p : owned) {
            w.write(p);
        }
        w.close();
        w.close();
        assertThrows(IllegalStateException.class, () -> w.write(owned.getFirst()));
        List<TestFiles.Rec> back = Read.all(out);
        for (int i = 0; i < recs.size(); i++) {
            byte[] want = java.util.Arrays.copyOf(recs.get(i).data(), Math.min(20, recs.get(i).data().length));
            assertArrayEquals(want, back.get(i).data(), "cut to the snaplen");
            assertEquals(recs.get(i).originalLength(), back.get(i).originalLength());
        }
        try (PcapReader r = PcapReader.open(out)) {
            assertEquals(20, r.snaplen());
            assertEquals("short", r.interfaceName(0));
        }
    }
}
