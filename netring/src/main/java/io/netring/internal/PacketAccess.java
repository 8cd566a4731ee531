package io.netring.internal;

import io.netring.Packet;
import io.netring.PacketBatch;
import io.netring.PacketDirection;
import io.netring.TxSlot;

import java.lang.foreign.MemorySegment;

/**
 * A packet's place in its batch, for the library's own methods that take a {@link Packet}
 * (decoding, flows, filters, pcap writing, Kafka publishing). Not exported.
 *
 * <p>A {@code packets().forEach} lambda is inlined where the stream makes its {@code Packet}
 * only while its compiled code stays small; otherwise the {@code Packet} is allocated. So such a
 * library method is a few unchecked field loads ({@link #batch}, {@link #header}, {@link #data},
 * {@link #length}) and a call to a body too large for the JIT to inline, which makes the checks
 * the public accessors make ({@link #block}, {@link #wireLength}, ...). README.md, "Staying
 * allocation-free". {@code Packet} installs the one implementation.
 */
public abstract class PacketAccess {
    private static PacketAccess installed;

    protected PacketAccess() {}

    /** Called once, by {@code Packet}'s class initialiser. */
    public static synchronized void install(PacketAccess access) {
        if (installed != null) {
            throw new IllegalStateException("PacketAccess is installed by io.netring.Packet only");
        }
        installed = access;
    }

    /** The implementation; a constant to the JIT. */
    public static PacketAccess get() {
        return Holder.INSTANCE;
    }

    private static final class Holder {
        static final PacketAccess INSTANCE = load();

        private static PacketAccess load() {
            try {
                Class.forName(Packet.class.getName(), true, PacketAccess.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new ExceptionInInitializerError(e);
            }
            synchronized (PacketAccess.class) {
                return installed;
            }
        }
    }

    /** The packet's batch; no check. */
    public abstract PacketBatch batch(Packet packet);

    /** Offset of the packet's TPACKET_V3 header in the block; no check. */
    public abstract long header(Packet packet);

    /** Offset of the packet's first byte in the block; no check. */
    public abstract long data(Packet packet);

    /** Captured length; no check. */
    public abstract int length(Packet packet);

    /**
     * The read-only block segment, as {@code Packet.segment()} gives it.
     * @throws IllegalStateException when the batch was released (with {@code Packet}'s message)
     */
    public abstract MemorySegment block(PacketBatch batch);

    /** Length on the wire, checked as {@code Packet.originalLength()}. */
    public abstract int wireLength(PacketBatch batch, long header);

    /** Seconds of the timestamp, checked as {@code Packet.timestampSeconds()}. */
    public abstract long seconds(PacketBatch batch, long header);

    /** Nanoseconds of the timestamp, checked as {@code Packet.timestampNanos()}. */
    public abstract int nanos(PacketBatch batch, long header);

    /** The stripped VLAN TCI, checked as {@code Packet.vlanTci()}. */
    public abstract int vlanTci(PacketBatch batch, long header);

    /** The direction, checked as {@code Packet.direction()}. */
    public abstract PacketDirection direction(PacketBatch batch, long header);

    /**
     * The batches of one AF_XDP RX ring whose frames are read in place in {@code frames} and
     * whose descriptors are in {@code descriptors} (ring size {@code mask + 1}); closing a batch
     * calls {@link DescriptorOwner#release}.
     */
    public abstract DescriptorBatches descriptorBatches(DescriptorOwner owner, MemorySegment frames,
                                                        MemorySegment descriptors, long mask);

    /** A slot over frame {@code index} of {@code frames}, its data at {@code dataAt}; made once per frame. */
    public abstract TxSlot txSlot(TxFrames frames, int index, long dataAt);

    /** Lends {@code slot} to the caller for a frame of {@code length} bytes. */
    public abstract void holdSlot(TxSlot slot, int length);

    /** The sink is closing on this thread: ends {@code slot}'s data() scope if this thread holds it. */
    public abstract void releaseSlotOnClose(TxSlot slot);

    /** Whether {@code batch} is a run of AF_XDP descriptors rather than a TPACKET_V3 block. */
    public abstract boolean descriptorRun(PacketBatch batch);
}
