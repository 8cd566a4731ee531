package io.netring;

import io.netring.afpacket.TpacketV3;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Iterator;
import java.util.NoSuchElementException;

import static io.netring.internal.linux.LinuxConstants.TP_STATUS_BLK_TMO;
import static io.netring.internal.linux.LinuxConstants.TP_STATUS_LOSING;

/**
 * One retired block of the ring: the packets the kernel wrote into it, read in place.
 *
 * <p>Close it (try-with-resources) to give the block back to the kernel. After that its
 * packets and their segments throw {@link IllegalStateException}. The batch and its packets are
 * confined to the thread that obtained it; copy packets with {@link Packet#toOwned()} to hand
 * them to another thread.
 *
 * <p>Two ways through it: {@link #iterator()} yields a {@link Packet} object per packet;
 * {@link #dispatch(PacketHandler)} re-points one {@link PacketView} and allocates nothing.
 * Both check every header against the block's end and stop at one that does not fit.
 */
public final class PacketBatch implements Iterable<Packet>, AutoCloseable {
    private final BlockOwner owner;
    private final Arena arena;
    private final MemorySegment block;
    private final int numPackets;
    private final long firstPacket;
    private final int blockStatus;
    private final long seqNum;
    private final long gap;
    private boolean open = true;

    PacketBatch(BlockOwner owner, Arena arena, MemorySegment block, int blockStatus, long gap) {
        this.owner = owner;
        this.arena = arena;
        this.block = block;
        this.blockStatus = blockStatus;
        this.gap = gap;
        this.numPackets = block.get(ValueLayout.JAVA_INT, TpacketV3.NUM_PKTS_OFFSET);
        this.firstPacket = Integer.toUnsignedLong(block.get(ValueLayout.JAVA_INT, TpacketV3.FIRST_PKT_OFFSET));
        this.seqNum = block.get(ValueLayout.JAVA_LONG, TpacketV3.SEQ_NUM_OFFSET);
    }

    /**
     * A batch over a TPACKET_V3 block held in memory you own (a saved block, a test fixture).
     * The batch reads {@code block} through its own scope, so its packets still become unusable
     * when it is closed; closing it does not touch {@code block} itself.
     */
    public static PacketBatch ofBlock(MemorySegment block) {
        Arena arena = Arena.ofConfined();
        MemorySegment scoped = block.reinterpret(arena, null).asReadOnly();
        int status = block.get(ValueLayout.JAVA_INT, TpacketV3.BLOCK_STATUS_OFFSET);
        return new PacketBatch(DetachedBlock.INSTANCE, arena, scoped, status, 0);
    }

    /** Number of packets the kernel put in the block. */
    public int size() {
        return numPackets;
    }

    public boolean isEmpty() {
        return numPackets == 0;
    }

    /** True when the block was retired by the block timeout rather than because it was full. */
    public boolean timedOut() {
        return (blockStatus & TP_STATUS_BLK_TMO) != 0;
    }

    /** True when the kernel was dropping packets on this socket when it retired the block. */
    public boolean losing() {
        return (blockStatus & TP_STATUS_LOSING) != 0;
    }

    /** The kernel's block sequence number; consecutive blocks differ by one. */
    public long seqNum() {
        return seqNum;
    }

    /** Blocks skipped between the previous batch and this one (0 when none). */
    public long sequenceGap() {
        return gap;
    }

    /** Timestamp of the first packet in the block. */
    public Timestamp tsFirst() {
        checkOpen();
        return new Timestamp(Integer.toUnsignedLong(block.get(ValueLayout.JAVA_INT, TpacketV3.TS_FIRST_SEC_OFFSET)),
                block.get(ValueLayout.JAVA_INT, TpacketV3.TS_FIRST_NSEC_OFFSET));
    }

    /** Timestamp of the last packet in the block. */
    public Timestamp tsLast() {
        checkOpen();
        return new Timestamp(Integer.toUnsignedLong(block.get(ValueLayout.JAVA_INT, TpacketV3.TS_LAST_SEC_OFFSET)),
                block.get(ValueLayout.JAVA_INT, TpacketV3.TS_LAST_NSEC_OFFSET));
    }

    /** The whole block, read-only, valid until {@link #close()}. */
    public MemorySegment segment() {
        checkOpen();
        return block;
    }

    public boolean isOpen() {
        return open;
    }

    private void checkOpen() {
        if (!open) {
            throw new IllegalStateException("PacketBatch already released");
        }
    }

    /**
     * Calls {@code handler} once per packet with a reused view; allocates nothing.
     * @return the number of packets delivered
     */
    public int dispatch(PacketHandler handler) {
        checkOpen();
        final MemorySegment b = block;
        final long limit = b.byteSize();
        final int n = numPackets;
        final PacketView view = owner.view();
        long hdr = firstPacket;
        int i = 0;
        try {
            for (; i < n; i++) {
                // One bounds check per packet that also yields the data offset: the view then
                // answers dataOffset() without reading the header again.
                long data = TpacketV3.dataOffsetIfFits(b, hdr, limit);
                if (data < 0) {
                    owner.reportMalformed(this, i, hdr);
                    break;
                }
                view.wrap(b, hdr, data);
                handler.onPacket(view);
                hdr = TpacketV3.nextPacket(b, hdr);
            }
        } finally {
            view.invalidate();
        }
        return i;
    }

    /** Yields each packet as a {@link Packet} (one small object per packet). */
    @Override
    public Iterator<Packet> iterator() {
        checkOpen();
        return new Iterator<>() {
            private long hdr = firstPacket;
            private int index;
            private boolean stopped;

            @Override
            public boolean hasNext() {
                if (stopped || index >= numPackets) {
                    return false;
                }
                if (!TpacketV3.packetFits(block, hdr, block.byteSize())) {
                    stopped = true;
                    owner.reportMalformed(PacketBatch.this, index, hdr);
                    return false;
                }
                return true;
            }

            @Override
            public Packet next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                Packet p = new Packet(PacketBatch.this, block, hdr);
                index++;
                hdr = TpacketV3.nextPacket(block, hdr);
                return p;
            }
        };
    }

    /** Gives the block back to the kernel. Idempotent. */
    @Override
    public void close() {
        if (!open) {
            return;
        }
        arena.close(); // throws WrongThreadException on a foreign thread; the batch then stays open
        open = false;
        owner.releaseBlock(this);
    }

    @Override
    public String toString() {
        return "PacketBatch[seq=" + seqNum + ", packets=" + numPackets + ", timedOut=" + timedOut()
                + (open ? "" : ", released") + "]";
    }

    /** Owner of a block that did not come from a ring: nothing to give back. */
    private static final class DetachedBlock implements BlockOwner {
        static final DetachedBlock INSTANCE = new DetachedBlock();
        private static final System.Logger LOG = System.getLogger("io.netring");

        @Override
        public void releaseBlock(PacketBatch batch) {}

        @Override
        public void reportMalformed(PacketBatch batch, int index, long offset) {
            LOG.log(System.Logger.Level.WARNING, "malformed block: packet " + index + " at offset " + offset
                    + " does not fit; stopped there");
        }

        @Override
        public PacketView view() {
            return new PacketView();
        }
    }
}
