package io.netring;

import io.netring.decode.PacketDecoder;
import io.netring.internal.DescriptorOwner;
import io.netring.internal.PacketAccess;
import io.netring.pcap.PcapFormat;
import io.netring.pcap.PcapReader;
import io.netring.pcap.PcapWriter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Batches over runs of AF_XDP RX descriptors, built in memory: the same Packet API as a
 * TPACKET_V3 block, frames read in place in the UMEM, the run given back once on close.
 */
class DescriptorBatchTest {
    private static final int FRAME = 2048;
    private static final int RING = 8;
    private static final long MAC = 0x0200_0000_0001L;
    private static final long STAMP = 1_700_000_000_123_456_789L;

    private final Arena arena = Arena.ofConfined();
    private final MemorySegment umem = arena.allocate(FRAME * 16L, 4096);
    private final MemorySegment descs = arena.allocate(RING * 16L, 64);
    private final List<String> events = new ArrayList<>();

    private final DescriptorOwner owner = new DescriptorOwner() {
        @Override
        public void release(PacketBatch batch, long firstIndex, int count) {
            events.add("release " + firstIndex + "+" + count);
        }

        @Override
        public void reportMalformed(PacketBatch batch, int index, long descriptorOffset) {
            events.add("malformed " + index + " at " + descriptorOffset);
        }

        @Override
        public int ifIndex() {
            return 7;
        }

        @Override
        public long localMac() {
            return MAC;
        }
    };

    @AfterEach
    void free() {
        arena.close();
    }

    /** Frame {@code frame} of the UMEM holds {@code bytes} at offset 256; descriptor {@code index} points at it. */
    private void put(long index, int frame, byte[] bytes) {
        long addr = (long) frame * FRAME + 256;
        MemorySegment.copy(bytes, 0, umem, ValueLayout.JAVA_BYTE, addr, bytes.length);
        long d = (index & (RING - 1)) * 16;
        descs.set(ValueLayout.JAVA_LONG_UNALIGNED, d, addr);
        descs.set(ValueLayout.JAVA_INT_UNALIGNED, d + 8, bytes.length);
        descs.set(ValueLayout.JAVA_INT_UNALIGNED, d + 12, 0);
    }

    private static byte[] frame(long dstMac, int etherType, int seq, int length) {
        byte[] f = new byte[length];
        for (int i = 0; i < 6; i++) {
            f[i] = (byte) (dstMac >>> (40 - 8 * i));
        }
        f[12] = (byte) (etherType >>> 8);
        f[13] = (byte) etherType;
        f[14] = (byte) (seq >>> 24);
        f[15] = (byte) (seq >>> 16);
        f[16] = (byte) (seq >>> 8);
        f[17] = (byte) seq;
        return f;
    }

    private PacketBatch batch(long first, int count) {
        return PacketAccess.get().descriptorBatches(owner, umem, descs, RING - 1).batch(first, count, 42, STAMP);
    }

    @Test
    void packetsAreReadInPlaceAcrossTheRingsWrap() {
        // Indexes 6, 7, 8, 9: the run wraps at the ring's end (slots 6, 7, 0, 1).
        put(6, 3, frame(MAC, 0x88B5, 0, 60));
        put(7, 9, frame(0xFFFF_FFFF_FFFFL, 0x0806, 1, 64));
        put(8, 0, frame(0x0100_5E00_0001L, 0x0800, 2, 100));
        put(9, 5, frame(0x0200_0000_0099L, 0x86DD, 3, 1514));
        try (PacketBatch b = batch(6, 4)) {
            assertEquals(4, b.size());
            assertEquals(42, b.seqNum());
            assertEquals(new Timestamp(1_700_000_000L, 123_456_789), b.tsFirst());
            List<Packet> packets = new ArrayList<>();
            b.forEach(packets::add);
            assertEquals(List.of(60, 64, 100, 1514), packets.stream().map(Packet::length).toList());
            assertEquals(List.of(60, 64, 100, 1514), packets.stream().map(Packet::originalLength).toList());
            assertEquals(List.of(0, 1, 2, 3), packets.stream().map(p -> p.intAt(14)).toList());
            assertEquals(List.of(0x88B5, 0x0806, 0x0800, 0x86DD), packets.stream().map(p -> p.unsignedShortAt(12)).toList());
            assertEquals(List.of(0x88B5, 0x0806, 0x0800, 0x86DD), packets.stream().map(Packet::protocol).toList());
            assertEquals(List.of(PacketDirection.HOST, PacketDirection.BROADCAST, PacketDirection.MULTICAST,
                    PacketDirection.OTHERHOST), packets.stream().map(Packet::direction).toList());
            Packet first = packets.get(0);
            assertEquals(3L * FRAME + 256, first.dataOffset());
            assertEquals(7, first.interfaceIndex());
            assertEquals(0, first.vlanTci());
            assertEquals(STAMP, first.timestampEpochNanos());
            assertEquals(first.data().byteSize(), 60);
            assertEquals(0, first.data().get(ValueLayout.JAVA_BYTE, 17));
            OwnedPacket owned = packets.get(3).toOwned();
            assertEquals(1514, owned.length());
            assertEquals(new Timestamp(1_700_000_000L, 123_456_789), owned.timestamp());
            assertEquals(0x86DD, new PacketDecoder().decode(packets.get(3)).etherType());
        }
        assertEquals(List.of("release 6+4"), events);
    }

    @Test
    void dispatchLendsOneViewPerPacket() {
        for (int i = 0; i < 5; i++) {
            put(i, i, frame(MAC, 0x88B5, i, 60 + i));
        }
        List<String> seen = new ArrayList<>();
        try (PacketBatch b = batch(0, 5)) {
            assertEquals(5, b.dispatch(v -> seen.add(v.intAt(14) + ":" + v.length() + ":" + v.originalLength())));
        }
        assertEquals(List.of("0:60:60", "1:61:61", "2:62:62", "3:63:63", "4:64:64"), seen);
        assertEquals(List.of("release 0+5"), events);
    }

    @Test
    void aDescriptorOutsideTheUmemEndsTheWalkBeforeIt() {
        put(0, 0, frame(MAC, 0x88B5, 0, 60));
        put(1, 1, frame(MAC, 0x88B5, 1, 60));
        descs.set(ValueLayout.JAVA_LONG_UNALIGNED, 16, umem.byteSize() - 10);   // 60 bytes from 10 before the end
        try (PacketBatch b = batch(0, 2)) {
            assertEquals(1, b.dispatch(v -> { }));
            int n = 0;
            for (Packet p : b) {
                n++;
            }
            assertEquals(1, n);
        }
        assertEquals(List.of("malformed 1 at 16", "malformed 1 at 16", "release 0+2"), events);
    }

    @Test
    void aClosedBatchsPacketsThrowAndTheRunIsGivenBackOnce() {
        put(0, 0, frame(MAC, 0x88B5, 0, 60));
        PacketBatch b = batch(0, 1);
        Packet p = b.iterator().next();
        MemorySegment data = p.data();
        b.close();
        b.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, p::length);
        assertTrue(e.getMessage().contains("after its PacketBatch was released"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> data.get(ValueLayout.JAVA_BYTE, 0));
        assertThrows(IllegalStateException.class, p::timestamp);
        assertEquals(List.of("release 0+1"), events);
    }

    @Test
    void theStreamAndThePcapWriterTakeDescriptorPackets(@TempDir Path dir) throws Exception {
        for (int i = 0; i < 3; i++) {
            put(i, i, frame(MAC, 0x88B5, i, 80));
        }
        PacketSource source = new PacketSource() {
            private boolean given;

            @Override
            public PacketBatch nextBatch() {
                if (given) {
                    return null;
                }
                given = true;
                return batch(0, 3);
            }

            @Override
            public PacketBatch nextBatchBlocking(java.time.Duration timeout) {
                return nextBatch();
            }

            @Override
            public CaptureStats stats() {
                throw new UnsupportedOperationException();
            }

            @Override
            public int fd() {
                return -1;
            }
        };
        Path file = dir.resolve("x.pcap");
        try (PcapWriter w = PcapWriter.open(file, PcapFormat.PCAP)) {
            String seqs = Capture.stream(source).map(p -> {
                try {
                    w.write(p);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                return String.valueOf(p.intAt(14));
            }).collect(Collectors.joining(","));
            assertEquals("0,1,2", seqs);
        }
        Path whole = dir.resolve("whole.pcapng");
        try (PcapWriter w = PcapWriter.open(whole, PcapFormat.PCAPNG); PacketBatch b = batch(0, 3)) {
            assertEquals(3, w.write(b));            // a whole batch: no block to walk, packet by packet
        }
        try (PcapReader r = PcapReader.open(whole); PacketBatch b = r.nextBatch()) {
            assertEquals(3, b.size());
        }
        try (PcapReader r = PcapReader.open(file); PacketBatch b = r.nextBatch()) {
            List<byte[]> read = new ArrayList<>();
            b.forEach(p -> read.add(p.toOwned().data()));
            assertEquals(3, read.size());
            assertArrayEquals(frame(MAC, 0x88B5, 2, 80), read.get(2));
        }
    }

    @Test
    void aDescriptorAreaSmallerThanItsRingIsRefused() {
        // The walk reads descriptor (index & mask) with no segment bounds of its own.
        MemorySegment half = descs.asSlice(0, RING * 16L / 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PacketAccess.get().descriptorBatches(owner, umem, half, RING - 1));
        assertEquals("descriptor area of 64 bytes for a ring of 8 descriptors", e.getMessage());
    }
}
