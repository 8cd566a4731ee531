package io.netring;

import io.netring.afpacket.TpacketV3;
import io.netring.testing.FrameSender;
import io.netring.testing.SyntheticBlock;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import static io.netring.internal.linux.LinuxConstants.TP_STATUS_BLK_TMO;
import static io.netring.internal.linux.LinuxConstants.TP_STATUS_USER;
import static org.junit.jupiter.api.Assertions.*;

/** Walking blocks built in memory: no privileges, no kernel. */
class SyntheticBatchTest {

    private static List<byte[]> frames(int n) {
        List<byte[]> frames = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            frames.add(FrameSender.frame(i, 60 + 7 * i));
        }
        return frames;
    }

    @Test
    void iteratorAndDispatchSeeEveryPacket() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment block = arena.allocate(1 << 16, 4096);
            List<byte[]> frames = frames(20);
            SyntheticBlock.write(block, 41, TP_STATUS_USER | TP_STATUS_BLK_TMO, frames);
            try (PacketBatch batch = PacketBatch.ofBlock(block)) {
                assertEquals(20, batch.size());
                assertEquals(41, batch.seqNum());
                assertTrue(batch.timedOut());
                assertFalse(batch.losing());
                assertEquals(new Timestamp(1_700_000_000, 0), batch.tsFirst());
                int i = 0;
                for (Packet p : batch) {
                    assertArrayEquals(frames.get(i), p.data().toArray(ValueLayout.JAVA_BYTE));
                    assertEquals(new Timestamp(1_700_000_000 + i, 1000 * i), p.timestamp());
                    assertEquals(0x1000 + i, p.rxHash());
                    i++;
                }
                assertEquals(20, i);
                int[] lengths = new int[20];
                int[] n = {0};
                assertEquals(20, batch.dispatch(v -> lengths[n[0]++] = v.length()));
                for (int k = 0; k < 20; k++) {
                    assertEquals(frames.get(k).length, lengths[k]);
                }
            }
        }
    }

    @Test
    void releasedBatchMakesItsPacketsUnusable() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment block = block(arena, frames(3));
            PacketBatch batch = PacketBatch.ofBlock(block);
            Packet first = batch.iterator().next();
            MemorySegment data = first.data();
            batch.close();
            IllegalStateException e = assertThrows(IllegalStateException.class, first::length);
            assertEquals("Packet used after its PacketBatch was released; copy it with toOwned() to keep it", e.getMessage());
            assertThrows(IllegalStateException.class, first::data);
            assertThrows(IllegalStateException.class, first::toOwned);
            assertThrows(IllegalStateException.class, () -> data.get(ValueLayout.JAVA_BYTE, 0));
            IllegalStateException b = assertThrows(IllegalStateException.class, batch::iterator);
            assertEquals("PacketBatch already released", b.getMessage());
            assertThrows(IllegalStateException.class, () -> batch.dispatch(v -> {}));
            batch.close(); // idempotent
        }
    }

    @Test
    void viewIsUsableOnlyInsideTheCallback() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment block = block(arena, frames(2));
            PacketView[] kept = new PacketView[1];
            try (PacketBatch batch = PacketBatch.ofBlock(block)) {
                batch.dispatch(v -> kept[0] = v);
            }
            IllegalStateException e = assertThrows(IllegalStateException.class, kept[0]::length);
            assertTrue(e.getMessage().startsWith("PacketView used outside PacketHandler.onPacket"), e.getMessage());
        }
    }

    @Test
    void viewReadsNetworkOrderFieldsInsideThePacket() {
        try (Arena arena = Arena.ofConfined()) {
            List<byte[]> frames = frames(3);
            MemorySegment block = block(arena, frames);
            List<String> seen = new ArrayList<>();
            try (PacketBatch batch = PacketBatch.ofBlock(block)) {
                batch.dispatch(v -> {
                    int len = v.length();
                    seen.add(Integer.toHexString(v.shortAt(12) & 0xFFFF) + "/" + v.intAt(14)
                            + "/" + v.shortAt(len - 2) + "/" + v.intAt(len - 4));
                    IndexOutOfBoundsException past = assertThrows(IndexOutOfBoundsException.class, () -> v.intAt(len - 3));
                    assertEquals("bytes " + (len - 3) + ".." + len + " outside packet of " + len + " bytes", past.getMessage());
                    assertThrows(IndexOutOfBoundsException.class, () -> v.shortAt(-1));
                    assertThrows(IndexOutOfBoundsException.class, () -> v.shortAt(len - 1));
                });
            }
            for (int k = 0; k < 3; k++) {
                ByteBuffer f = ByteBuffer.wrap(frames.get(k));
                int len = frames.get(k).length;
                assertEquals("88b5/" + k + "/" + f.getShort(len - 2) + "/" + f.getInt(len - 4), seen.get(k));
            }
        }
    }

    @Test
    void viewFieldReadsFollowTheBatchRules() throws Exception {
        try (Arena arena = Arena.ofShared()) {
            MemorySegment block = block(arena, frames(2));
            PacketView[] kept = new PacketView[1];
            Throwable[] fromOtherThread = new Throwable[1];
            try (PacketBatch batch = PacketBatch.ofBlock(block)) {
                batch.dispatch(v -> {
                    kept[0] = v;
                    Thread t = Thread.ofPlatform().start(() -> {
                        try {
                            v.shortAt(12);
                        } catch (Throwable e) {
                            fromOtherThread[0] = e;
                        }
                    });
                    try {
                        t.join();
                    } catch (InterruptedException e) {
                        throw new AssertionError(e);
                    }
                });
            }
            assertInstanceOf(WrongThreadException.class, fromOtherThread[0]);
            IllegalStateException stale = assertThrows(IllegalStateException.class, () -> kept[0].intAt(14));
            assertTrue(stale.getMessage().startsWith("PacketView used outside PacketHandler.onPacket"), stale.getMessage());
        }
        // Memory under an ofBlock batch freed inside the handler: the next read refuses.
        Arena owner = Arena.ofConfined();
        MemorySegment block = owner.allocate(1 << 16, 4096);
        SyntheticBlock.write(block, 1, TP_STATUS_USER, frames(2));
        try (PacketBatch batch = PacketBatch.ofBlock(block)) {
            IllegalStateException freed = assertThrows(IllegalStateException.class, () -> batch.dispatch(v -> {
                owner.close();
                v.shortAt(12);
            }));
            assertEquals("the memory under this PacketBatch was freed while it was open", freed.getMessage());
        }
    }

    @Test
    void packetFieldReadsNeedNoScopeAndFollowTheBatchRules() throws Exception {
        try (Arena arena = Arena.ofShared()) {
            List<byte[]> frames = frames(3);
            MemorySegment block = block(arena, frames);
            PacketBatch batch = PacketBatch.ofBlock(block);
            List<Packet> packets = new ArrayList<>();
            batch.forEach(packets::add);
            for (int k = 0; k < 3; k++) {
                Packet p = packets.get(k);
                ByteBuffer f = ByteBuffer.wrap(frames.get(k));
                assertEquals((short) 0x88B5, p.shortAt(12));
                assertEquals(k, p.intAt(14));
                assertEquals(f.getInt(p.length() - 4), p.intAt(p.length() - 4));
                int len = p.length();
                IndexOutOfBoundsException past = assertThrows(IndexOutOfBoundsException.class, () -> p.shortAt(len - 1));
                assertEquals("bytes " + (len - 1) + ".." + len + " outside packet of " + len + " bytes", past.getMessage());
            }
            Throwable[] fromOtherThread = new Throwable[1];
            Thread t = Thread.ofPlatform().start(() -> {
                try {
                    packets.get(0).intAt(14);
                } catch (Throwable e) {
                    fromOtherThread[0] = e;
                }
            });
            t.join();
            assertInstanceOf(WrongThreadException.class, fromOtherThread[0]);
            batch.close();
            IllegalStateException stale = assertThrows(IllegalStateException.class, () -> packets.get(1).shortAt(12));
            assertEquals("Packet used after its PacketBatch was released; copy it with toOwned() to keep it", stale.getMessage());
        }
    }

    @Test
    void ownedCopyOutlivesTheBatch() {
        try (Arena arena = Arena.ofConfined()) {
            List<byte[]> frames = frames(1);
            MemorySegment block = block(arena, frames);
            OwnedPacket owned;
            try (PacketBatch batch = PacketBatch.ofBlock(block)) {
                owned = batch.iterator().next().toOwned();
            }
            assertArrayEquals(frames.get(0), owned.data());
            assertEquals(frames.get(0).length, owned.originalLength());
        }
    }

    @Test
    void headerPointingOutsideTheBlockStopsTheWalk() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment block = arena.allocate(4096, 4096);
            SyntheticBlock.write(block, 1, TP_STATUS_USER, frames(5));
            // Corrupt packet 2's successor link so packet 3 would lie beyond the block.
            long hdr = SyntheticBlock.FIRST_PACKET;
            hdr += block.get(ValueLayout.JAVA_INT, hdr + TpacketV3.NEXT_OFFSET_OFFSET);
            block.set(ValueLayout.JAVA_INT, hdr + TpacketV3.NEXT_OFFSET_OFFSET, 1 << 20);
            try (PacketBatch batch = PacketBatch.ofBlock(block)) {
                int seen = 0;
                for (Packet ignored : batch) {
                    seen++;
                }
                assertEquals(2, seen);
                assertEquals(2, batch.dispatch(v -> {}));
            }
            // A snaplen running past the end is caught too.
            SyntheticBlock.write(block, 1, TP_STATUS_USER, frames(1));
            block.set(ValueLayout.JAVA_INT, SyntheticBlock.FIRST_PACKET + TpacketV3.SNAPLEN_OFFSET, 5000);
            try (PacketBatch batch = PacketBatch.ofBlock(block)) {
                assertFalse(batch.iterator().hasNext());
            }
        }
    }

    @Test
    void batchIsConfinedToItsThread() throws Exception {
        try (Arena arena = Arena.ofShared()) {
            MemorySegment block = block(arena, frames(1));
            PacketBatch batch = PacketBatch.ofBlock(block);
            Throwable[] thrown = new Throwable[1];
            Thread t = Thread.ofPlatform().start(() -> {
                try {
                    batch.iterator().next().data().get(ValueLayout.JAVA_BYTE, 0);
                } catch (Throwable e) {
                    thrown[0] = e;
                }
            });
            t.join();
            assertInstanceOf(WrongThreadException.class, thrown[0]);
            batch.close();
        }
    }

    @Test
    void timestampPrintsNineDigits() {
        assertEquals("1700000000.000001234", new Timestamp(1_700_000_000, 1234).toString());
        assertThrows(IllegalArgumentException.class, () -> new Timestamp(0, 1_000_000_000));
        assertEquals("packets: 3, drops: 1, freezes: 0", new CaptureStats(3, 1, 0).toString());
    }

    @Test
    void ofBlockRefusesHeapAndTooSmallSegments() {
        UnsupportedOperationException heap = assertThrows(UnsupportedOperationException.class,
                () -> PacketBatch.ofBlock(MemorySegment.ofArray(new byte[4096])));
        assertTrue(heap.getMessage().startsWith("PacketBatch.ofBlock needs a native segment"), heap.getMessage());
        try (Arena arena = Arena.ofConfined()) {
            IllegalArgumentException small = assertThrows(IllegalArgumentException.class,
                    () -> PacketBatch.ofBlock(arena.allocate(16)));
            assertEquals("block.byteSize()=16: must hold at least the 48-byte block descriptor", small.getMessage());
        }
    }

    /** A 64 KiB block (sequence 1, retired) holding {@code frames}. */
    private static MemorySegment block(Arena arena, List<byte[]> frames) {
        MemorySegment block = arena.allocate(1 << 16, 4096);
        SyntheticBlock.write(block, 1, TP_STATUS_USER, frames);
        return block;
    }
}
