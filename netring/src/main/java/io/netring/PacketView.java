package io.netring;

import io.netring.internal.linux.LinuxConstants;

import java.lang.foreign.MemorySegment;

/**
 * A flyweight over one packet in a block, re-pointed for each packet by
 * {@link PacketBatch#dispatch(PacketHandler)}. Reading it allocates nothing.
 *
 * <p>It is valid only inside {@link PacketHandler#onPacket}; afterwards every accessor throws
 * {@link IllegalStateException}. The bytes are {@code segment()} from {@code dataOffset()} for
 * {@code length()} bytes; the segment is the whole block, read-only, and unusable once the
 * batch is released. Use {@link #toOwned()} to keep a packet.
 */
public final class PacketView {
    private static final long INVALID = -1;

    private PacketBatch batch;
    private long hdr = INVALID;
    private long data;
    private int length;

    PacketView() {}

    /**
     * Lends the view to {@code batch} for one dispatch: set once per block, not per packet,
     * because a reference store also pays a GC barrier.
     */
    void lend(PacketBatch batch) {
        this.batch = batch;
    }

    /**
     * Points the lent view at the packet whose header is at {@code hdr}, with {@code length}
     * captured bytes at {@code data}; the walk has read and checked these, so the accessors for
     * them touch no memory.
     */
    void at(long hdr, long data, int length) {
        this.hdr = hdr;
        this.data = data;
        this.length = length;
    }

    void invalidate() {
        this.hdr = INVALID;
    }

    /**
     * The block to read this packet's header from, after checking that the view is in its
     * callback and the checks a scoped read would make (see {@link Packet}'s accessors).
     */
    private BatchLayout headers() {
        hdr();
        return batch.headersOnThisThread();
    }

    private long hdr() {
        long h = hdr;
        if (h == INVALID) {
            throw new IllegalStateException("PacketView used outside PacketHandler.onPacket; copy it with toOwned() to keep it");
        }
        return h;
    }

    /** The read-only block segment holding this packet (see {@link #dataOffset()}). */
    public MemorySegment segment() {
        hdr();
        return batch.userBlock();
    }

    /** Offset in {@link #segment()} of the first byte (the MAC header). */
    public long dataOffset() {
        hdr();
        return data;
    }

    /** Captured length in bytes. */
    public int length() {
        hdr();
        return length;
    }

    /** Length on the wire. */
    public int originalLength() {
        return headers().wireLength(hdr);
    }

    /**
     * Byte {@code index} of the packet, checked against the captured length.
     * @throws IndexOutOfBoundsException when {@code index} is not inside the packet
     */
    public byte byteAt(int index) {
        hdr();
        return batch.byteAt(data, length, index);
    }

    /**
     * The two bytes at {@code index} as a big-endian {@code short}, e.g. the EtherType at 12:
     * see {@link Packet#shortAt(int)}. Cheaper per call than a read through {@link #segment()}.
     * @throws IndexOutOfBoundsException when the bytes are not all inside the packet
     */
    public short shortAt(int index) {
        hdr();                                  // first, so a kept view reports that, not the batch
        return batch.shortAt(data, length, index);
    }

    /**
     * The four bytes at {@code index} as a big-endian {@code int}: see {@link Packet#intAt(int)}.
     * @throws IndexOutOfBoundsException when the bytes are not all inside the packet
     */
    public int intAt(int index) {
        hdr();
        return batch.intAt(data, length, index);
    }

    /**
     * Byte {@code index} as an unsigned value, 0 to 255: see {@link Packet#unsignedByteAt(int)}.
     * @throws IndexOutOfBoundsException when {@code index} is not inside the packet
     */
    public int unsignedByteAt(int index) {
        return Byte.toUnsignedInt(byteAt(index));
    }

    /**
     * The two bytes at {@code index}, big-endian, as an unsigned value, 0 to 65535, e.g.
     * {@code view.unsignedShortAt(12) == 0x86DD}: see {@link Packet#unsignedShortAt(int)}.
     * @throws IndexOutOfBoundsException when the bytes are not all inside the packet
     */
    public int unsignedShortAt(int index) {
        return Short.toUnsignedInt(shortAt(index));
    }

    /**
     * The four bytes at {@code index}, big-endian, as an unsigned value, 0 to 2^32 - 1.
     * @throws IndexOutOfBoundsException when the bytes are not all inside the packet
     */
    public long unsignedIntAt(int index) {
        return Integer.toUnsignedLong(intAt(index));
    }

    /** Timestamp seconds (unsigned 32-bit in the kernel header). */
    public long timestampSeconds() {
        return headers().seconds(hdr);
    }

    /**
     * Nanoseconds within {@link #timestampSeconds()}, 0 to 999 999 999 (microseconds times 1000
     * when the kernel stamps in microseconds).
     */
    public int timestampNanos() {
        return headers().nanos(hdr);
    }

    /** The timestamp as nanoseconds since the epoch. */
    public long timestampEpochNanos() {
        BatchLayout b = headers();
        return b.seconds(hdr) * 1_000_000_000L + b.nanos(hdr);
    }

    /** The raw {@code tp_status} bits (see {@link PacketStatus} for their meaning). */
    public int statusBits() {
        return headers().status(hdr);
    }

    /**
     * The kernel's flow hash ({@code tp_rxhash}); filled when {@code fillRxHash} is on (the
     * default).
     */
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

    /** True when this host sent the packet (on {@code lo}: the first of its two copies). */
    public boolean isOutgoing() {
        return headers().pktType(hdr) == LinuxConstants.PACKET_OUTGOING;
    }

    /**
     * Where the packet was going, from the kernel's {@code sll_pkttype}; see {@link
     * PacketDirection}.
     */
    public PacketDirection direction() {
        return PacketDirection.of(headers().pktType(hdr));
    }

    /** The EtherType the kernel parsed for this frame. */
    public int protocol() {
        return headers().protocol(hdr);
    }

    /** Copies the packet out of the ring (allocates). */
    public OwnedPacket toOwned() {
        return Packet.copy(headers(), batch.rawBlockOnThisThread(), hdr, data, length);
    }
}
