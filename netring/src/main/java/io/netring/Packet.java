package io.netring;

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

    private MemorySegment block() {
        checkOpen();
        return batch.userBlock();
    }

    private void checkOpen() {
        if (!batch.isOpen()) {
            throw new IllegalStateException("Packet used after its PacketBatch was released; copy it with toOwned() to keep it");
        }
    }

    /** The captured bytes from the MAC header on: a read-only slice of the ring, valid until the batch is released. */
    public MemorySegment data() {
        return block().asSlice(data, Integer.toUnsignedLong(length));
    }

    /**
     * The read-only block segment holding this packet, valid until the batch is released; the
     * packet's bytes are its {@link #length()} bytes from {@link #dataOffset()}. Unlike
     * {@link #data()} this makes no slice per packet, for decoders that read in place.
     */
    public MemorySegment segment() {
        return block();
    }

    /** Offset in {@link #segment()} of the packet's first byte (the MAC header). */
    public long dataOffset() {
        checkOpen();
        return data;
    }

    /** When the kernel stamped the packet (see {@link PacketStatus#timestampSource()} for the clock). */
    public Timestamp timestamp() {
        MemorySegment b = block();
        return new Timestamp(PacketHeaders.seconds(b, hdr), PacketHeaders.nanos(b, hdr));
    }

    /** Captured length in bytes ({@code tp_snaplen}). */
    public int length() {
        checkOpen();                            // no memory read: the batch need not make its scope
        return length;
    }

    /**
     * The two bytes at {@code index} of the packet as a {@code short} in network byte order
     * (big-endian), e.g. the EtherType at 12. Reads the ring directly after the checks a read
     * through {@link #data()} would make (the batch is open, this is its thread, the bytes lie
     * inside the packet), and without {@code data()}'s per-block scope: a walk that only reads
     * fields this way creates none.
     * @throws IndexOutOfBoundsException when the bytes are not all inside the packet
     */
    public short shortAt(int index) {
        checkOpen();
        return batch.shortAt(data, length, index);
    }

    /**
     * The four bytes at {@code index} of the packet as an {@code int} in network byte order
     * (big-endian), e.g. an IPv4 address. See {@link #shortAt(int)}.
     * @throws IndexOutOfBoundsException when the bytes are not all inside the packet
     */
    public int intAt(int index) {
        checkOpen();
        return batch.intAt(data, length, index);
    }

    /** Length on the wire ({@code tp_len}); larger than {@link #length()} when truncated. */
    public int originalLength() {
        return PacketHeaders.wireLength(block(), hdr);
    }

    public PacketStatus status() {
        return PacketHeaders.decodedStatus(block(), hdr);
    }

    /** The kernel's flow hash ({@code tp_rxhash}); filled when {@code fillRxHash} is on (the default). */
    public int rxHash() {
        return PacketHeaders.rxHash(block(), hdr);
    }

    /** The VLAN tag control information the kernel stripped, or 0 when the frame had no tag. */
    public int vlanTci() {
        return PacketHeaders.vlanTci(block(), hdr);
    }

    /** The VLAN TPID (0x8100 when the kernel did not report it), or 0 when the frame had no tag. */
    public int vlanTpid() {
        return PacketHeaders.vlanTpid(block(), hdr);
    }

    public PacketDirection direction() {
        return PacketDirection.of(PacketHeaders.pktType(block(), hdr));
    }

    /** The index of the interface the packet was seen on. */
    public int interfaceIndex() {
        return PacketHeaders.ifIndex(block(), hdr);
    }

    /** The EtherType the kernel parsed for this frame. */
    public int protocol() {
        return PacketHeaders.protocol(block(), hdr);
    }

    /** Copies the packet out of the ring; the copy outlives the batch and may cross threads. */
    public OwnedPacket toOwned() {
        return copy(block(), hdr, data, length);
    }

    /** Copies {@code length} bytes at {@code data} and the header fields an owned packet keeps. */
    static OwnedPacket copy(MemorySegment block, long hdr, long data, int length) {
        byte[] bytes = new byte[length];
        MemorySegment.copy(block, ValueLayout.JAVA_BYTE, data, bytes, 0, length);
        return new OwnedPacket(bytes, new Timestamp(PacketHeaders.seconds(block, hdr), PacketHeaders.nanos(block, hdr)),
                PacketHeaders.wireLength(block, hdr));
    }

    @Override
    public String toString() {
        if (!batch.isOpen()) {
            return "Packet[released]";
        }
        return "Packet[" + timestamp() + ", " + length() + "/" + originalLength() + " bytes, " + direction() + "]";
    }
}
