package io.netring;

import io.netring.afpacket.TpacketV3;
import io.netring.testing.FrameSender;
import io.netring.testing.SyntheticBlock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import static io.netring.internal.linux.LinuxConstants.TP_STATUS_USER;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The Packet accessors the README's loops read with (byteAt, shortAt, intAt, the header
 * fields, data()) and the finite-source stream: values, bounds, and refusal after release, from
 * another thread and over freed memory. Synthetic blocks, no privileges.
 */
class PacketAccessorsTest {
    private static final String RELEASED = "Packet used after its PacketBatch was released; copy it with toOwned() to keep it";

    private static List<byte[]> frames(int n) {
        List<byte[]> frames = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            frames.add(FrameSender.frame(i, 60 + 3 * i));
        }
        return frames;
    }

    @Test
    void fieldReadsMatchTheFrameBytes() {
        try (Arena arena = Arena.ofConfined()) {
            List<byte[]> frames = frames(5);
            try (PacketBatch batch = PacketBatch.ofBlock(SyntheticBlock.allocate(arena, 1, TP_STATUS_USER, frames))) {
                int i = 0;
                for (Packet p : batch) {
                    byte[] f = frames.get(i++);
                    ByteBuffer be = ByteBuffer.wrap(f);
                    for (int k = 0; k < f.length; k++) {
                        assertEquals(f[k], p.byteAt(k));
                    }
                    assertEquals(be.getShort(12), p.shortAt(12));
                    assertEquals(be.getInt(14), p.intAt(14));
                    assertEquals(f.length, p.length());
                    assertEquals(f.length, p.originalLength());
                    MemorySegment d = p.data();
                    assertEquals(f.length, d.byteSize());
                    assertTrue(d.isReadOnly());
                    assertArrayEquals(f, d.toArray(ValueLayout.JAVA_BYTE));
                    assertEquals(p.segment().address() + p.dataOffset(), d.address());
                }
                assertEquals(5, i);
            }
        }
    }

    /** An IPv6 EtherType, a byte and a word with the top bit set: where signed readers mislead. */
    private static byte[] highBitFrame() {
        byte[] f = FrameSender.frame(0, 60);
        f[12] = (byte) 0x86;
        f[13] = (byte) 0xDD;
        f[14] = (byte) 0xFF;
        ByteBuffer.wrap(f).putInt(16, 0xFFFFFFFE);
        return f;
    }

    @Test
    void unsignedReadersGiveTheFieldAsTheProtocolWritesIt() {
        byte[] f = highBitFrame();
        try (Arena arena = Arena.ofConfined();
             PacketBatch batch = PacketBatch.ofBlock(SyntheticBlock.allocate(arena, 1, TP_STATUS_USER, List.of(f)))) {
            Packet p = batch.iterator().next();
            assertNotEquals(0x86DD, p.shortAt(12), "the signed reader never equals an EtherType above 0x7FFF");
            assertEquals(0x86DD, p.unsignedShortAt(12));
            assertEquals(0xFF, p.unsignedByteAt(14));
            assertEquals(0xFFFFFFFEL, p.unsignedIntAt(16));
            assertEquals("bytes 59..60 outside packet of 60 bytes",
                    assertThrows(IndexOutOfBoundsException.class, () -> p.unsignedShortAt(59)).getMessage());
            assertThrows(IndexOutOfBoundsException.class, () -> p.unsignedIntAt(57));
            assertThrows(IndexOutOfBoundsException.class, () -> p.unsignedByteAt(60));
            int[] seen = new int[3];
            long[] word = new long[1];
            batch.dispatch(v -> {
                seen[0] = v.unsignedShortAt(12);
                seen[1] = v.unsignedByteAt(14);
                word[0] = v.unsignedIntAt(16);
                seen[2] = v.shortAt(12);
            });
            assertArrayEquals(new int[] {0x86DD, 0xFF, (short) 0x86DD}, seen);
            assertEquals(0xFFFFFFFEL, word[0]);
        }
    }

    @Test
    void unsignedViewReadersRefuseAKeptView() {
        try (Arena arena = Arena.ofConfined()) {
            PacketView[] kept = new PacketView[1];
            try (PacketBatch batch = PacketBatch.ofBlock(SyntheticBlock.allocate(arena, 1, TP_STATUS_USER, List.of(highBitFrame())))) {
                batch.dispatch(v -> kept[0] = v);
            }
            for (Executable read : List.<Executable>of(() -> kept[0].unsignedByteAt(0), () -> kept[0].unsignedShortAt(12),
                    () -> kept[0].unsignedIntAt(14))) {
                IllegalStateException e = assertThrows(IllegalStateException.class, read);
                assertTrue(e.getMessage().startsWith("PacketView used outside PacketHandler.onPacket"), e.getMessage());
            }
        }
    }

    @Test
    void byteAtOutsideThePacketNamesTheBytes() {
        try (Arena arena = Arena.ofConfined();
             PacketBatch batch = PacketBatch.ofBlock(SyntheticBlock.allocate(arena, 1, TP_STATUS_USER, frames(1)))) {
            Packet p = batch.iterator().next();
            IndexOutOfBoundsException past = assertThrows(IndexOutOfBoundsException.class, () -> p.byteAt(60));
            assertEquals("bytes 60..60 outside packet of 60 bytes", past.getMessage());
            IndexOutOfBoundsException negative = assertThrows(IndexOutOfBoundsException.class, () -> p.byteAt(-1));
            assertEquals("bytes -1..-1 outside packet of 60 bytes", negative.getMessage());
        }
    }

    @Test
    void everyAccessorRefusesAReleasedPacket() {
        try (Arena arena = Arena.ofConfined()) {
            PacketBatch batch = PacketBatch.ofBlock(SyntheticBlock.allocate(arena, 1, TP_STATUS_USER, frames(2)));
            Packet p = batch.iterator().next();
            MemorySegment data = p.data();
            batch.close();
            List<Executable> reads = new ArrayList<>(reads(p));
            reads.addAll(List.of(p::length, p::segment, p::dataOffset));
            for (Executable read : reads) {
                IllegalStateException e = assertThrows(IllegalStateException.class, read);
                assertEquals(RELEASED, e.getMessage());
            }
            assertThrows(IllegalStateException.class, () -> data.get(ValueLayout.JAVA_BYTE, 0));
        }
    }

    @Test
    void everyAccessorRefusesAnotherThread() throws Exception {
        try (Arena arena = Arena.ofShared();
             PacketBatch batch = PacketBatch.ofBlock(SyntheticBlock.allocate(arena, 1, TP_STATUS_USER, frames(2)))) {
            Packet p = batch.iterator().next();
            MemorySegment data = p.data();
            // length() and dataOffset() read no memory; segment() hands out a confined segment.
            List<Executable> reads = new ArrayList<>(reads(p));
            reads.add(() -> data.get(ValueLayout.JAVA_BYTE, 0));
            reads.add(() -> p.segment().get(ValueLayout.JAVA_BYTE, p.dataOffset()));
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread other = Thread.ofPlatform().start(() -> {
                try {
                    for (Executable read : reads) {
                        assertThrows(WrongThreadException.class, read);
                    }
                } catch (Throwable t) {
                    failure.set(t);
                }
            });
            other.join(Duration.ofSeconds(30));
            assertFalse(other.isAlive());
            if (failure.get() != null) {
                throw new AssertionError(failure.get());
            }
            assertEquals(p.shortAt(12), data.get(ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(java.nio.ByteOrder.BIG_ENDIAN), 12));
        }
    }

    @Test
    void fieldReadsRefuseFreedCallerMemory() {
        Arena arena = Arena.ofConfined();
        PacketBatch batch = PacketBatch.ofBlock(SyntheticBlock.allocate(arena, 1, TP_STATUS_USER, frames(2)));
        Packet p = batch.iterator().next();
        arena.close();
        for (Executable read : List.<Executable>of(() -> p.byteAt(0), () -> p.shortAt(12), p::originalLength, p::rxHash)) {
            IllegalStateException e = assertThrows(IllegalStateException.class, read);
            assertEquals("the memory under this PacketBatch was freed while it was open", e.getMessage());
        }
        batch.close();
    }

    @Test
    void aPacketOf2GiBOrMoreEndsTheWalkLikeOneOutsideTheBlock() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment block = SyntheticBlock.allocate(arena, 1, TP_STATUS_USER, frames(3));
            long first = Integer.toUnsignedLong(block.get(ValueLayout.JAVA_INT, TpacketV3.FIRST_PKT_OFFSET));
            long second = first + Integer.toUnsignedLong(block.get(ValueLayout.JAVA_INT, first + TpacketV3.NEXT_OFFSET_OFFSET));
            block.set(ValueLayout.JAVA_INT, second + TpacketV3.SNAPLEN_OFFSET, Integer.MIN_VALUE);   // 2^31 unsigned
            try (PacketBatch batch = PacketBatch.ofBlock(block)) {
                List<Integer> lengths = new ArrayList<>();
                for (Packet p : batch) {
                    lengths.add(p.length());
                }
                assertEquals(List.of(60), lengths);
            }
        }
    }

    /** Every accessor that reads the ring or its headers. */
    private static List<Executable> reads(Packet p) {
        return List.of(() -> p.byteAt(0), () -> p.shortAt(12), () -> p.intAt(14), () -> p.unsignedByteAt(0),
                () -> p.unsignedShortAt(12), () -> p.unsignedIntAt(14), p::originalLength, p::data,
                p::timestamp, p::status, p::rxHash, p::vlanTci, p::vlanTpid, p::direction, p::interfaceIndex,
                p::protocol, p::toOwned);
    }

    @Test
    void finiteSourceStreamEndsAfterTheLastBatchAndReleasesEach() {
        try (Arena arena = Arena.ofConfined()) {
            List<PacketBatch> handed = new ArrayList<>();
            List<MemorySegment> blocks = List.of(SyntheticBlock.allocate(arena, 1, TP_STATUS_USER, frames(3)),
                    SyntheticBlock.allocate(arena, 2, TP_STATUS_USER, frames(4)));
            PacketSource source = new PacketSource() {
                @Override
                public PacketBatch nextBatch() {
                    if (handed.size() == blocks.size()) {
                        return null;
                    }
                    PacketBatch b = PacketBatch.ofBlock(blocks.get(handed.size()));
                    handed.add(b);
                    return b;
                }

                @Override
                public PacketBatch nextBatchBlocking(Duration timeout) {
                    throw new AssertionError("a finite source is read with nextBatch()");
                }

                @Override
                public CaptureStats stats() {
                    return new CaptureStats(0, 0, 0);
                }

                @Override
                public int fd() {
                    return -1;
                }
            };
            long sum;
            try (Stream<Packet> packets = Capture.stream(source)) {
                sum = packets.mapToInt(p -> p.intAt(14)).sum();
            }
            assertEquals(0 + 1 + 2 + 0 + 1 + 2 + 3, sum);
            assertEquals(2, handed.size());
            assertTrue(handed.stream().noneMatch(PacketBatch::isOpen));
        }
    }
}
