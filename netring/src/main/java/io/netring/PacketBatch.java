package io.netring;

import io.netring.afpacket.TpacketV3;
import io.netring.internal.NativeMemory;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Iterator;
import java.util.NoSuchElementException;

import static io.netring.afpacket.TpacketV3.WALK_INT;
import static io.netring.internal.NativeMemory.ALL;
import static io.netring.internal.NativeMemory.address;
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
    /** Made on first use by {@link #userBlock()}: the per-block path runs interpreted (docs/ARCHITECTURE.md, "The JIT and memory ordering"). */
    private Arena arena;
    /** What users see: read-only, scoped to {@link #arena}, so it throws once the batch is closed. */
    private MemorySegment block;
    /**
     * The same bytes without a scope, for the header metadata, copies and the users' scoped
     * view (the walk reads at {@link #base} instead). Read only after {@link #checkReadable()}
     * and with no user code in between; the memory stays mapped (or, for {@link #ofBlock},
     * stays the caller's) while the batch is open, and only this thread can close the batch.
     */
    private final MemorySegment raw;
    /** {@link #raw}'s address and size: the walk and the field reads check against these and read through {@link io.netring.internal.NativeMemory#ALL}. */
    private final long base;
    private final long limit;
    /** The caller's segment of {@link #ofBlock}, whose liveness is checked per walk; null for a ring block. */
    private final MemorySegment source;
    private final Thread thread;
    private final int numPackets;
    private final long firstPacket;
    private final int blockStatus;
    private final long seqNum;
    private final long gap;
    /** Where each packet's metadata is: the block's own headers, or the XDP descriptors. */
    private final BatchLayout layout;
    /** The RX ring's descriptor area for a run of AF_XDP descriptors, without a scope; null for a block. */
    private final MemorySegment descriptors;
    /** The RX ring's size minus one, for {@link #descriptors}. */
    private final long descriptorMask;
    /** {@link #descriptors}'s address (0 for a block): the walk reads descriptors through {@link io.netring.internal.NativeMemory#ALL}. */
    private final long descriptorBase;
    private boolean open = true;
    /**
     * Open and over a ring's memory (not an {@link #ofBlock} caller's, whose liveness each read
     * must test): what {@link #checkReadable()} tests with one load instead of two.
     */
    private boolean openRing;
    private PacketView view;
    /** The view a running {@link #dispatch} has lent out; invalidated if the handler closes the batch. */
    private PacketView lentView;

    PacketBatch(BlockOwner owner, MemorySegment raw, MemorySegment source, int blockStatus, long gap) {
        this.owner = owner;
        this.raw = raw;
        this.base = NativeMemory.addressable(raw);
        this.limit = raw.byteSize();
        this.source = source;
        this.thread = Thread.currentThread();
        this.blockStatus = blockStatus;
        this.gap = gap;
        this.numPackets = raw.get(WALK_INT, TpacketV3.NUM_PKTS_OFFSET);
        this.firstPacket = Integer.toUnsignedLong(raw.get(WALK_INT, TpacketV3.FIRST_PKT_OFFSET));
        this.seqNum = raw.get(ValueLayout.JAVA_LONG_UNALIGNED, TpacketV3.SEQ_NUM_OFFSET);
        this.layout = new V3BlockLayout(raw);
        this.descriptors = null;
        this.descriptorMask = 0;
        this.descriptorBase = 0;
        this.openRing = source == null;
    }

    /**
     * A batch over {@code count} AF_XDP RX descriptors from ring index {@code firstIndex}: the
     * frames are read in place in {@code frames} (the UMEM), and go back to the kernel through
     * {@code owner} when the batch is closed. {@code layout} is the queue's, shared by its
     * batches: only the one open batch reads it.
     */
    PacketBatch(BlockOwner owner, MemorySegment frames, MemorySegment descriptors, long descriptorMask,
                XdpDescriptorLayout layout, long firstIndex, int count, long sequence) {
        this.owner = owner;
        this.raw = frames;
        this.base = NativeMemory.addressable(frames);
        this.limit = frames.byteSize();
        this.source = null;
        this.thread = Thread.currentThread();
        this.blockStatus = 0;
        this.gap = 0;
        this.numPackets = count;
        this.firstPacket = firstIndex;
        this.seqNum = sequence;
        this.layout = layout;
        this.descriptors = descriptors;
        this.descriptorMask = descriptorMask;
        this.descriptorBase = NativeMemory.addressable(descriptors);
        this.openRing = true;
    }

    /**
     * A batch over a TPACKET_V3 block held in native memory you own (a saved block, a test
     * fixture). The batch reads {@code block} through its own scope, so its packets still become
     * unusable when it is closed; closing it does not touch {@code block} itself. Keep
     * {@code block} alive while the batch is open: a walk checks that it is, but memory freed
     * by another thread in the middle of a walk cannot be detected.
     *
     * @throws UnsupportedOperationException when {@code block} is not a native segment
     * @throws IllegalArgumentException when {@code block} is smaller than a block descriptor
     */
    public static PacketBatch ofBlock(MemorySegment block) {
        if (!block.isNative()) {
            // The walk reads through the block's address: only native memory has one.
            throw new UnsupportedOperationException("PacketBatch.ofBlock needs a native segment (e.g. from an Arena), not "
                    + block);
        }
        if (block.byteSize() < TpacketV3.BLOCK_DESC_SIZE) {
            throw new IllegalArgumentException("block.byteSize()=" + block.byteSize() + ": must hold at least the "
                    + TpacketV3.BLOCK_DESC_SIZE + "-byte block descriptor");
        }
        int status = block.get(ValueLayout.JAVA_INT, TpacketV3.BLOCK_STATUS_OFFSET);
        MemorySegment raw = MemorySegment.ofAddress(block.address()).reinterpret(block.byteSize());
        return new PacketBatch(DetachedBlock.INSTANCE, raw, block, status, 0);
    }

    /** Number of packets the kernel put in the block. */
    public int size() {
        return numPackets;
    }

    /**
     * True when the block holds no packet (a block the timeout retired empty, or a file batch past
     * the end).
     */
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
        checkReadable();
        if (descriptors != null) {
            return new Timestamp(layout.seconds(0), layout.nanos(0));
        }
        return new Timestamp(Integer.toUnsignedLong(raw.get(WALK_INT, TpacketV3.TS_FIRST_SEC_OFFSET)),
                raw.get(WALK_INT, TpacketV3.TS_FIRST_NSEC_OFFSET));
    }

    /** Timestamp of the last packet in the block. */
    public Timestamp tsLast() {
        checkReadable();
        if (descriptors != null) {
            return new Timestamp(layout.seconds(0), layout.nanos(0));
        }
        return new Timestamp(Integer.toUnsignedLong(raw.get(WALK_INT, TpacketV3.TS_LAST_SEC_OFFSET)),
                raw.get(WALK_INT, TpacketV3.TS_LAST_NSEC_OFFSET));
    }

    /** The whole block, read-only, valid until {@link #close()}. */
    public MemorySegment segment() {
        return userBlock();
    }

    /**
     * The block as users may hold it: read-only and scoped to this batch (made on first use, on
     * the batch's thread), so reads through it throw once the batch is released.
     */
    MemorySegment userBlock() {
        MemorySegment b = block;
        if (b == null) {
            checkReadable();
            Arena a = Arena.ofConfined();
            block = b = raw.reinterpret(a, null).asReadOnly();
            arena = a;
        } else if (!open) {
            throw new IllegalStateException("PacketBatch already released");
        }
        return b;
    }

    /**
     * {@code length} bytes at block offset {@code offset} as a read-only segment scoped to this
     * batch, for {@link Packet#data()}. Made from the address rather than as a slice of
     * {@link #userBlock()}: a slice is made by a virtual call the JIT can bind to two segment
     * classes once any heap segment was sliced in the process, and two allocation sites merged
     * keep escape analysis from removing the segment; here every class is exact, so a loop that
     * reads the segment in place allocates nothing (docs/PERFORMANCE.md).
     */
    MemorySegment packetData(long offset, int length) {
        Arena a = arena;
        if (a == null || !open) {
            userBlock();                        // makes the arena, or throws once released
            a = arena;
        }
        return MemorySegment.ofAddress(raw.address() + offset).reinterpret(length, a, null).asReadOnly();
    }

    /**
     * The unscoped block for a lent {@link PacketView}'s reads, after the checks its scope would
     * make: the batch is open, this is its thread (another thread could race a close that unmaps
     * the ring), and an {@link #ofBlock} caller's memory is still alive.
     */
    MemorySegment rawBlockOnThisThread() {
        checkReadable();
        return raw;
    }

    /** The first ring index of a run of AF_XDP descriptors (for its owner's release). */
    long firstIndex() {
        return firstPacket;
    }

    /** Whether this batch is a run of AF_XDP descriptors rather than a TPACKET_V3 block. */
    boolean descriptorRun() {
        return descriptors != null;
    }

    /** The packets' metadata, after the same checks as {@link #rawBlockOnThisThread()}. */
    BatchLayout headersOnThisThread() {
        checkReadable();
        return layout;
    }

    /**
     * The two bytes at {@code index} of the packet whose {@code length} bytes start at block
     * offset {@code data}, in network byte order, read from the unscoped block: the field reads
     * of {@link PacketView} and {@link Packet}, which check their own validity first.
     */
    short shortAt(long data, int length, int index) {
        long at = fieldAt(data, length, index, Short.BYTES);
        checkReadable();
        return ALL.get(NETWORK_SHORT, address(base + at));
    }

    /** As {@link #shortAt(long, int, int)}, one byte. */
    byte byteAt(long data, int length, int index) {
        long at = fieldAt(data, length, index, Byte.BYTES);
        checkReadable();
        return ALL.get(ValueLayout.JAVA_BYTE, address(base + at));
    }

    /** As {@link #shortAt(long, int, int)}, four bytes. */
    int intAt(long data, int length, int index) {
        long at = fieldAt(data, length, index, Integer.BYTES);
        checkReadable();
        return ALL.get(NETWORK_INT, address(base + at));
    }

    /**
     * {@link #byteAt(long, int, int)} for a {@link Packet}: its one readability test
     * ({@link #checkPacketReadable()}), then the bounds, then the read. The view's reads test
     * after their bounds; a packet's report a released batch before a bad index.
     */
    byte packetByteAt(long data, int length, int index) {
        checkPacketReadable();
        return ALL.get(ValueLayout.JAVA_BYTE, address(base + fieldAt(data, length, index, Byte.BYTES)));
    }

    /** As {@link #packetByteAt}, two bytes in network byte order. */
    short packetShortAt(long data, int length, int index) {
        checkPacketReadable();
        return ALL.get(NETWORK_SHORT, address(base + fieldAt(data, length, index, Short.BYTES)));
    }

    /** As {@link #packetByteAt}, four bytes in network byte order. */
    int packetIntAt(long data, int length, int index) {
        checkPacketReadable();
        return ALL.get(NETWORK_INT, address(base + fieldAt(data, length, index, Integer.BYTES)));
    }

    /** Whether this is an open batch of a ring, for a {@link Packet}'s cheapest test (one field). */
    boolean isOpenRing() {
        return openRing;
    }

    private static long fieldAt(long data, int length, int index, int size) {
        return data + FieldBounds.check(index, size, length, "packet of ");
    }

    private static final ValueLayout.OfShort NETWORK_SHORT =
            ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfInt NETWORK_INT =
            ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    /**
     * True until {@link #close()} hands the block back; reading an element of a closed batch throws
     * {@link IllegalStateException}.
     */
    public boolean isOpen() {
        return open;
    }

    /**
     * What every scoped access would check, once: the batch is open, this is its thread, and
     * the memory under an {@link #ofBlock} batch is still alive. After it, {@link #raw} may be
     * read until user code runs again.
     */
    private void checkReadable() {
        // Under 35 bytecodes, so the JIT inlines it at every call site, warm or not: an open
        // ring batch passes with two field tests; the rest is out of line.
        if (!openRing || Thread.currentThread() != thread) {
            checkReadableSlow();
        }
    }

    /**
     * {@link #checkReadable()} for a {@link Packet}'s field reads: the same tests, and a released
     * batch is reported as the kept packet it is.
     */
    void checkPacketReadable() {
        if (!openRing || Thread.currentThread() != thread) {
            if (!open) {
                throw Packet.released();
            }
            checkReadableSlow();
        }
    }

    /** {@link #checkReadable()} for a closed batch, another thread, or an {@link #ofBlock} batch. */
    private void checkReadableSlow() {
        if (!open || Thread.currentThread() != thread || !source.scope().isAlive()) {
            throw unreadable();
        }
    }

    /** Why {@link #checkReadable()} refused, in the order it tests. */
    private RuntimeException unreadable() {
        if (!open) {
            return new IllegalStateException("PacketBatch already released");
        }
        if (Thread.currentThread() != thread) {
            return new WrongThreadException("PacketBatch is confined to thread " + thread.getName()
                    + "; used from " + Thread.currentThread().getName());
        }
        return new IllegalStateException("the memory under this PacketBatch was freed while it was open");
    }

    /**
     * Calls {@code handler} once per packet with a reused view; allocates nothing. If the
     * handler closes the batch, the walk stops after that packet.
     * @return the number of packets delivered
     */
    public int dispatch(PacketHandler handler) {
        checkReadable();
        PacketView v = view;
        if (v == null) {
            view = v = owner.view();
        }
        lentView = v;
        v.lend(this);
        final int n = numPackets;
        long hdr = firstPacket;
        int i = 0;
        try {
            while (i < n) {
                int end = n - i > DISPATCH_RUN ? i + DISPATCH_RUN : n;
                hdr = descriptors == null ? dispatchRun(handler, v, hdr, i, end) : dispatchDescriptorRun(handler, v, i, end);
                if (hdr < 0) {
                    return (int) (-1 - hdr);
                }
                i = end;
            }
            return n;
        } finally {
            v.invalidate();
            lentView = null;
        }
    }

    /** Packets per call of {@link #dispatchRun}, so its loop is compiled early (docs/ARCHITECTURE.md, "The JIT and memory ordering"). */
    private static final int DISPATCH_RUN = 256;

    /**
     * Walks packets {@code from} to {@code to - 1}, the first at {@code hdr}.
     * @return the header of the next packet (0 when the last one had no successor, which the
     *         next run reports as malformed), or {@code -1 - delivered} when the walk stopped:
     *         at a header that does not fit, or because the handler closed the batch
     */
    private long dispatchRun(PacketHandler handler, PacketView v, long hdr, int from, int to) {
        // Everything in locals; each packet costs three header reads at checked addresses,
        // plain arithmetic against the block end and the handler call.
        final long at = base;
        final MemorySegment src = source;
        final long end = limit;
        for (int i = from; i < to; i++) {
            long data = TpacketV3.dataOffset(at, hdr, end);
            if (data < 0) {
                reportMalformed(i, hdr);
                return -1 - i;
            }
            long next = TpacketV3.nextHeader(at, hdr);
            v.at(hdr, data, TpacketV3.snaplen(at, hdr));
            handler.onPacket(v);
            // The handler may have closed the batch (or freed an ofBlock caller's memory):
            // then nothing more is read.
            if (!open || (src != null && !src.scope().isAlive())) {
                return -1 - (i + 1);
            }
            hdr = next;
        }
        return hdr;
    }

    /**
     * {@link #dispatchRun} for a run of XDP descriptors: each one's address and length checked
     * against the UMEM's end.
     * @return 0, or {@code -1 - delivered} when the walk stopped
     */
    private long dispatchDescriptorRun(PacketHandler handler, PacketView v, int from, int to) {
        final long d = descriptorBase;
        final long end = limit;
        final long mask = descriptorMask;
        final long first = firstPacket;
        for (int i = from; i < to; i++) {
            long hdr = ((first + i) & mask) * XdpDescriptorLayout.DESC_SIZE;
            long data = XdpDescriptorLayout.address(d, hdr);
            int length = XdpDescriptorLayout.length(d, hdr);
            if (!fits(data, length, end)) {
                reportMalformed(i, hdr);
                return -1 - i;
            }
            v.at(hdr, data, length);
            handler.onPacket(v);
            if (!open) {
                return -1 - (i + 1);
            }
        }
        return 0;
    }

    /** Whether {@code length} bytes at {@code data} lie inside {@code limit} bytes. */
    private static boolean fits(long data, int length, long limit) {
        return data >= 0 && length >= 0 && data <= limit - length;
    }

    /** Yields each packet as a {@link Packet} (one small object per packet). */
    @Override
    public Iterator<Packet> iterator() {
        checkReadable();
        return new PacketIterator(this);
    }

    /**
     * The iterator of {@code for (Packet pkt : batch)}: the walk itself, so the user's loop
     * reaches the walk's fields with no second object (a loop compiled on the stack, as a
     * README loop in {@code main} is, keeps them in memory). {@link #next()} stays small
     * whatever the JIT inlines into it: after {@code hasNext()} its move to the next packet is
     * a branch never taken. The JIT may compile {@code next()} on its own before the user's
     * loop, and it will not inline a method whose compiled code is already large into that
     * loop; {@code next()} with the header walk inside crossed that limit under
     * {@code -XX:+PreserveFramePointer}, and every Packet it returned was then allocated.
     */
    static final class PacketIterator extends Walk implements Iterator<Packet> {
        /** hasNext() moved the walk to a packet next() has not returned yet. */
        private boolean pending;

        PacketIterator(PacketBatch batch) {
            super(batch);
        }

        @Override
        public boolean hasNext() {
            return pending || fetch();
        }

        @Override
        public Packet next() {
            if (!pending && !fetch()) {
                throw new NoSuchElementException();
            }
            pending = false;
            return packet();
        }

        /** Moves the walk to the next packet; false once the batch has ended (and after, as advance() is). */
        private boolean fetch() {
            return pending = advance();
        }
    }

    private void reportMalformed(int index, long hdr) {
        owner.reportMalformed(this, index, hdr);
    }

    /**
     * A position in the batch's chain of packets, for the iterator and the {@code packets()}
     * stream: {@link #advance()} checks and decodes the next header, {@link #packet()} makes its
     * {@link Packet} from the decoded fields; apart, so the Packet can be scalar-replaced.
     */
    static class Walk {
        private final PacketBatch batch;
        private final int count;
        /** The batch's XDP descriptors, or null for a block: one field test per packet picks the walk. */
        private final MemorySegment descs;
        private long next;
        private int index;
        private long hdr;
        private long data;
        private int length;

        Walk(PacketBatch batch) {
            this.batch = batch;
            this.count = batch.numPackets;
            this.descs = batch.descriptors;
            this.next = batch.firstPacket;
        }

        final PacketBatch batch() {
            return batch;
        }

        /**
         * Moves to the next packet and decodes its header. False at the end of the block and at
         * a header that does not fit the block (reported once; the walk ends there).
         * @throws IllegalStateException when the batch was released
         */
        final boolean advance() {
            int i = index;
            if (i >= count) {
                return false;
            }
            PacketBatch b = batch;
            b.checkReadable();
            if (descs != null) {
                return advanceDescriptor(b, i);
            }
            long at = b.base;
            long h = next;
            long d = TpacketV3.dataOffset(at, h, b.limit);
            if (d < 0) {
                return stop(i, h);
            }
            hdr = h;
            data = d;
            length = TpacketV3.snaplen(at, h);
            next = TpacketV3.nextHeader(at, h);
            index = i + 1;
            return true;
        }

        /** {@link #advance()} over a run of XDP descriptors: packet {@code i} is descriptor {@code first + i}. */
        private boolean advanceDescriptor(PacketBatch b, int i) {
            long h = ((b.firstPacket + i) & b.descriptorMask) * XdpDescriptorLayout.DESC_SIZE;
            long d = XdpDescriptorLayout.address(b.descriptorBase, h);
            int len = XdpDescriptorLayout.length(b.descriptorBase, h);
            if (!fits(d, len, b.limit)) {
                return stop(i, h);
            }
            hdr = h;
            data = d;
            length = len;
            index = i + 1;
            return true;
        }

        /** The packet {@link #advance()} moved to, made without reading memory; never null. */
        final Packet packet() {
            return new Packet(batch, hdr, data, length);
        }

        private boolean stop(int i, long h) {
            index = count;
            batch.reportMalformed(i, h);
            return false;
        }
    }

    /** A walk over this batch for the {@code packets()} stream. */
    Walk walk() {
        checkReadable();
        return new Walk(this);
    }

    /** Gives the block back to the kernel. Idempotent. */
    @Override
    public void close() {
        if (!open) {
            return;
        }
        if (Thread.currentThread() != thread) {
            throw new WrongThreadException("PacketBatch is confined to thread " + thread.getName()
                    + "; closed from " + Thread.currentThread().getName());
        }
        if (arena != null) {
            arena.close();
        }
        open = false;
        openRing = false;
        PacketView lent = lentView;
        if (lent != null) {
            lent.invalidate(); // closed from inside dispatch: the view must not outlive the block
        }
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

        @Override
        public void releaseBlock(PacketBatch batch) {}

        @Override
        public void reportMalformed(PacketBatch batch, int index, long offset) {
            // The logger only when there is something to say: making it starts java.util.logging
            // (some 7 ms), which every file read paid at its first batch.
            System.getLogger("io.netring").log(System.Logger.Level.WARNING, "malformed block: packet " + index + " at offset " + offset
                    + " does not fit; stopped there");
        }

        @Override
        public PacketView view() {
            return new PacketView();
        }
    }
}
