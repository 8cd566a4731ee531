package io.netring;

import io.netring.internal.DescriptorBatches;
import io.netring.internal.DescriptorOwner;
import io.netring.internal.PacketAccess;
import io.netring.internal.TxFrames;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * One captured packet, read in place in the ring (zero copy).
 *
 * <p>A packet lives as long as its {@link PacketBatch}: once the batch is closed the block goes
 * back to the kernel, and every accessor, as well as any {@link MemorySegment} obtained from
 * {@link #data()}, throws {@link IllegalStateException} instead of showing bytes the kernel may
 * have overwritten. Call {@link #toOwned()} to keep a copy. A packet is confined to the thread
 * that obtained its batch.
 */
public final class Packet {
    static {
        PacketAccess.install(new Access());
    }

    private final PacketBatch batch;
    private final long hdr;
    /** Offset of the first byte and captured length, read and checked by the walk that made the packet. */
    private final long data;
    private final int length;

    Packet(PacketBatch batch, long hdr, long data, int length) {
        this.batch = batch;
        this.hdr = hdr;
        this.data = data;
        this.length = length;
    }

    /**
     * The block to read this packet's header from, after the checks a scoped read would make
     * (open batch, its thread): header fields need no per-block scope or per-read check.
     */
    private BatchLayout headers() {
        checkOpen();                            // first: a kept packet reports that, not the batch
        return batch.headersOnThisThread();
    }

    private void checkOpen() {
        checkOpen(batch);
    }

    private static void checkOpen(PacketBatch batch) {
        if (!batch.isOpen()) {
            throw released();
        }
    }

    /** What a packet's accessors throw once its batch is released. */
    static IllegalStateException released() {
        return new IllegalStateException("Packet used after its PacketBatch was released; copy it with toOwned() to keep it");
    }

    /** The reads behind {@link PacketAccess}: the same checks as the accessors above. */
    private static final class Access extends PacketAccess {
        @Override
        public PacketBatch batch(Packet packet) {
            return packet.batch;
        }

        @Override
        public long header(Packet packet) {
            return packet.hdr;
        }

        @Override
        public long data(Packet packet) {
            return packet.data;
        }

        @Override
        public int length(Packet packet) {
            return packet.length;
        }

        @Override
        public MemorySegment block(PacketBatch batch) {
            checkOpen(batch);
            return batch.userBlock();
        }

        private static BatchLayout headers(PacketBatch batch) {
            checkOpen(batch);
            return batch.headersOnThisThread();
        }

        @Override
        public int wireLength(PacketBatch batch, long header) {
            return headers(batch).wireLength(header);
        }

        @Override
        public long seconds(PacketBatch batch, long header) {
            return headers(batch).seconds(header);
        }

        @Override
        public int nanos(PacketBatch batch, long header) {
            return headers(batch).nanos(header);
        }

        @Override
        public int vlanTci(PacketBatch batch, long header) {
            return headers(batch).vlanTci(header);
        }

        @Override
        public boolean descriptorRun(PacketBatch batch) {
            return batch.descriptorRun();
        }

        @Override
        public TxSlot txSlot(TxFrames frames, int index, long dataAt) {
            return new TxSlot(frames, index, dataAt);
        }

        @Override
        public void holdSlot(TxSlot slot, int length) {
            slot.hold(length);
        }

        @Override
        public void releaseSlotOnClose(TxSlot slot) {
            slot.releaseOnClose();
        }

        @Override
        public DescriptorBatches descriptorBatches(DescriptorOwner owner, MemorySegment frames,
                                                   MemorySegment descriptors, long mask) {
            return new DescriptorRuns(owner, frames, descriptors, mask);
        }

        @Override
        public PacketDirection direction(PacketBatch batch, long header) {
            return PacketDirection.of(headers(batch).pktType(header));
        }
    }

    /**
     * The captured bytes from the MAC header on: a read-only segment over the ring, valid until
     * the batch is released. Each call makes a new segment object. In a compiled loop that only
     * reads through it, the JIT removes that object, so nothing is allocated; a segment kept or
     * passed to a method the JIT does not inline costs one small object per call. Hot loops that
     * read a few fields are cheapest with {@link #shortAt}, {@link #intAt} and {@link #byteAt},
     * or {@link #segment()} with {@link #dataOffset()}.
     */
    public MemorySegment data() {
        checkOpen();
        return batch.packetData(data, length);
    }

    /**
     * The read-only block segment holding this packet, valid until the batch is released; the
     * packet's bytes are its {@link #length()} bytes from {@link #dataOffset()}. Unlike
     * {@link #data()} this makes no segment per packet, for decoders that read in place.
     */
    public MemorySegment segment() {
        checkOpen();
        return batch.userBlock();
    }

    /** Offset in {@link #segment()} of the packet's first byte (the MAC header). */
    public long dataOffset() {
        checkOpen();
        return data;
    }

    /** When the kernel stamped the packet (see {@link PacketStatus#timestampSource()} for the clock). */
    public Timestamp timestamp() {
        BatchLayout b = headers();
        return new Timestamp(b.seconds(hdr), b.nanos(hdr));
    }

    /**
     * Seconds of {@link #timestamp()} (unsigned 32-bit in the kernel header), read without making
     * a {@link Timestamp}: for code that hands the time on as numbers.
     */
    public long timestampSeconds() {
        return headers().seconds(hdr);
    }

    /** Nanoseconds within the second of {@link #timestamp()}, read without making a {@link Timestamp}. */
    public int timestampNanos() {
        return headers().nanos(hdr);
    }

    /** {@link #timestamp()} as nanoseconds since the epoch, read without making a {@link Timestamp}. */
    public long timestampEpochNanos() {
        BatchLayout b = headers();
        return b.seconds(hdr) * 1_000_000_000L + b.nanos(hdr);
    }

    /** Captured length in bytes ({@code tp_snaplen}). */
    public int length() {
        // No memory read, so no thread test; an open ring batch passes on the field the
        // field reads test next (one load for both), others on the open test.
        if (!batch.isOpenRing()) {
            checkOpen();
        }
        return length;
    }

    /**
     * Byte {@code index} of the packet. Reads the ring directly after the checks a read through
     * {@link #data()} would make (the batch is open, this is its thread, the byte lies inside the
     * packet), and without {@code data()}'s per-block scope: a walk that only reads fields this
     * way creates none.
     * @throws IndexOutOfBoundsException when {@code index} is not inside the packet
     */
    public byte byteAt(int index) {
        return batch.packetByteAt(data, length, index);
    }

    /**
     * The two bytes at {@code index} of the packet as a {@code short} in network byte order
     * (big-endian), e.g. the EtherType at 12; checked and read as {@link #byteAt(int)}.
     * @throws IndexOutOfBoundsException when the bytes are not all inside the packet
     */
    public short shortAt(int index) {
        return batch.packetShortAt(data, length, index);
    }

    /**
     * The four bytes at {@code index} of the packet as an {@code int} in network byte order
     * (big-endian), e.g. an IPv4 address; checked and read as {@link #byteAt(int)}.
     * @throws IndexOutOfBoundsException when the bytes are not all inside the packet
     */
    public int intAt(int index) {
        return batch.packetIntAt(data, length, index);
    }

    /**
     * Byte {@code index} as an unsigned value, 0 to 255: {@code pkt.unsignedByteAt(23) == 17}
     * holds for UDP, where a {@code byte} compared with a literal above 127 never would.
     * @throws IndexOutOfBoundsException when {@code index} is not inside the packet
     */
    public int unsignedByteAt(int index) {
        return Byte.toUnsignedInt(byteAt(index));
    }

    /**
     * The two bytes at {@code index} in network byte order as an unsigned value, 0 to 65535:
     * {@code pkt.unsignedShortAt(12) == 0x86DD} for IPv6, which {@code shortAt} (signed) never equals.
     * @throws IndexOutOfBoundsException when the bytes are not all inside the packet
     */
    public int unsignedShortAt(int index) {
        return Short.toUnsignedInt(shortAt(index));
    }

    /**
     * The four bytes at {@code index} in network byte order as an unsigned value, 0 to 2^32 - 1.
     * @throws IndexOutOfBoundsException when the bytes are not all inside the packet
     */
    public long unsignedIntAt(int index) {
        return Integer.toUnsignedLong(intAt(index));
    }

    /** Length on the wire ({@code tp_len}); larger than {@link #length()} when truncated. */
    public int originalLength() {
        return headers().wireLength(hdr);
    }

    /**
     * The kernel's status word for this packet, decoded (truncation, VLAN validity, checksum
     * state).
     */
    public PacketStatus status() {
        return headers().decodedStatus(hdr);
    }

    /** The kernel's flow hash ({@code tp_rxhash}); filled when {@code fillRxHash} is on (the default). */
    public int rxHash() {
        return headers().rxHash(hdr);
    }

    /** The VLAN tag control information the kernel stripped, or 0 when the frame had no tag. */
    public int vlanTci() {
        return headers().vlanTci(hdr);
    }

    /** The VLAN TPID (0x8100 when the kernel did not report it), or 0 when the frame had no tag. */
    public int vlanTpid() {
        return headers().vlanTpid(hdr);
    }

    /**
     * Where the packet was going: to this host, broadcast, multicast, to another host, or sent by
     * this host ({@link PacketDirection#OUTGOING}, which on {@code lo} is the first of each
     * packet's two copies).
     */
    public PacketDirection direction() {
        return PacketDirection.of(headers().pktType(hdr));
    }

    /** The index of the interface the packet was seen on. */
    public int interfaceIndex() {
        return headers().ifIndex(hdr);
    }

    /** The EtherType the kernel parsed for this frame. */
    public int protocol() {
        return headers().protocol(hdr);
    }

    /** Copies the packet out of the ring; the copy outlives the batch and may cross threads. */
    public OwnedPacket toOwned() {
        return copy(headers(), batch.rawBlockOnThisThread(), hdr, data, length);
    }

    /** Copies {@code length} bytes at {@code data} and the header fields an owned packet keeps. */
    static OwnedPacket copy(BatchLayout headers, MemorySegment block, long hdr, long data, int length) {
        byte[] bytes = new byte[length];
        MemorySegment.copy(block, ValueLayout.JAVA_BYTE, data, bytes, 0, length);
        return new OwnedPacket(bytes, new Timestamp(headers.seconds(hdr), headers.nanos(hdr)),
                headers.wireLength(hdr));
    }

    @Override
    public String toString() {
        if (!batch.isOpen()) {
            return "Packet[released]";
        }
        return "Packet[" + timestamp() + ", " + length() + "/" + originalLength() + " bytes, " + direction() + "]";
    }
}
