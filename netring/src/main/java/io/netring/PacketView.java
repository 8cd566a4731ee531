package io.netring;

import io.netring.internal.linux.LinuxConstants;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

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

    /** The batch's scoped block, after checking that the view is in its callback. */
    private MemorySegment block() {
        hdr();
        return batch.userBlock();
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
        return block();
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
        return PacketHeaders.wireLength(block(), hdr);
    }

    /** Byte {@code index} of the packet, checked against the captured length. */
    public byte byteAt(int index) {
        hdr();
        int len = length;
        if (index < 0 || index >= len) {
            throw new IndexOutOfBoundsException("index " + index + " outside packet of " + len + " bytes");
        }
        return block().get(ValueLayout.JAVA_BYTE, data + index);
    }

    /**
     * The two bytes at {@code index} of the packet as a {@code short} in network byte order
     * (big-endian), e.g. the EtherType at index 12. Reads the ring directly: cheaper per call
     * than a read through {@link #segment()}, with the same checks (the view is valid, this is
     * the batch's thread, the bytes lie inside the packet).
     * @throws IndexOutOfBoundsException when the bytes are not all inside the packet
     */
    public short shortAt(int index) {
        hdr();                                  // first, so a kept view reports that, not the batch
        return batch.shortAt(data, length, index);
    }

    /**
     * The four bytes at {@code index} of the packet as an {@code int} in network byte order
     * (big-endian), e.g. an IPv4 address. Same checks and cost as {@link #shortAt(int)}.
     * @throws IndexOutOfBoundsException when the bytes are not all inside the packet
     */
    public int intAt(int index) {
        hdr();
        return batch.intAt(data, length, index);
    }

    /** Timestamp seconds (unsigned 32-bit in the kernel header). */
    public long timestampSeconds() {
        return PacketHeaders.seconds(block(), hdr);
    }

    public int timestampNanos() {
        return PacketHeaders.nanos(block(), hdr);
    }

    /** The raw {@code tp_status} bits (see {@link PacketStatus} for their meaning). */
    public int statusBits() {
        return PacketHeaders.status(block(), hdr);
    }

    public int rxHash() {
        return PacketHeaders.rxHash(block(), hdr);
    }

    public int vlanTci() {
        return PacketHeaders.vlanTci(block(), hdr);
    }

    public int vlanTpid() {
        return PacketHeaders.vlanTpid(block(), hdr);
    }

    /** True when this host sent the packet (on {@code lo}: the first of its two copies). */
    public boolean isOutgoing() {
        return PacketHeaders.pktType(block(), hdr) == LinuxConstants.PACKET_OUTGOING;
    }

    public PacketDirection direction() {
        return PacketDirection.of(PacketHeaders.pktType(block(), hdr));
    }

    /** The EtherType the kernel parsed for this frame. */
    public int protocol() {
        return PacketHeaders.protocol(block(), hdr);
    }

    /** Copies the packet out of the ring (allocates). */
    public OwnedPacket toOwned() {
        return Packet.copy(block(), hdr, data, length);
    }
}
