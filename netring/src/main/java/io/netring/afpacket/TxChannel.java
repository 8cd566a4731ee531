package io.netring.afpacket;

import io.netring.NetringException;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

import static io.netring.internal.linux.KernelLayouts.SOCKADDR_LL;
import static io.netring.internal.linux.KernelLayouts.offset;

/**
 * An open AF_PACKET transmit socket with its mapped TX ring: everything {@code AfPacketTx}
 * delegates to. {@link #open} is the whole set-up (link facts, ring, options, bind with
 * protocol 0 so the socket receives nothing) and undoes what it did when a step fails.
 */
public final class TxChannel {
    /** {@link #kick}: the queued frames do not share one EtherType. */
    public static final int MIXED = -1;
    private static final ValueLayout.OfShort BIG_ENDIAN_SHORT =
            ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final long SLL_PROTOCOL_OFFSET = offset(SOCKADDR_LL, "sll_protocol");

    private final PacketSocket socket;
    private final RingMapping mapping;
    private final TxRing ring;
    private final LinkInfo link;
    /** sockaddr_ll for kicks that name the protocol of the queued frames. */
    private final MemorySegment kickAddress;
    private int kickAddressProtocol = MIXED;

    private TxChannel(PacketSocket socket, RingMapping mapping, TxRing ring, LinkInfo link) {
        this.socket = socket;
        this.mapping = mapping;
        this.ring = ring;
        this.link = link;
        this.kickAddress = PacketSocket.sockaddr(Arena.ofAuto(), socket.ifIndex(), 0);
    }

    /** Opens socket and ring for {@code config}; closes everything on failure. */
    public static TxChannel open(TxConfig config) throws NetringException {
        PacketSocket socket = PacketSocket.open(config.interfaceName());
        RingMapping mapping = null;
        try {
            LinkInfo link = LinkInfo.read(socket.fd(), config.interfaceName());
            TxFrameLayout layout = TxRingSetup.createRing(socket, config);
            mapping = TxRingSetup.map(socket, config);
            if (config.qdiscBypass()) {
                socket.setQdiscBypass();
            }
            socket.bind(0);
            // The producer's path (allocate, copy, send) goes through the scoped view: it holds no
            // guard use, so a close may unmap the ring between two of its calls, and an access
            // racing the close throws instead of touching unmapped memory.
            TxRing ring = new TxRing(mapping.scoped(), mapping.raw(), layout, config.geometry());
            return new TxChannel(socket, mapping, ring, link);
        } catch (NetringException | RuntimeException e) {
            RingMapping.unmapThenClose(mapping, socket);
            throw e;
        }
    }

    /** The socket's fd. */
    public int fd() {
        return socket.fd();
    }

    /** The whole mapping, unchecked: valid only while the owner's guard is held. */
    public MemorySegment rawRing() {
        return mapping.raw();
    }

    public TxRing ring() {
        return ring;
    }

    /** The link facts read when the channel opened. */
    public LinkInfo link() {
        return link;
    }

    /** Reads the link facts again (the MTU may have changed since). */
    public LinkInfo readLink() throws NetringException {
        return LinkInfo.read(socket.fd(), socket.interfaceName());
    }

    /**
     * One non-blocking kick: the kernel sends queued frames in order until it meets one that is
     * not queued or the device pushes back. With a {@code protocol} shared by every queued
     * frame the kick names it (as a socket bound to it would), so the kernel need not parse each
     * frame's link header to find it; {@link #MIXED} names none.
     *
     * @return the bytes the kernel sent, or -errno
     */
    public long kick(int protocol) {
        if (protocol == MIXED) {
            return socket.kick(MemorySegment.NULL);
        }
        if (kickAddressProtocol != protocol) {
            kickAddress.set(BIG_ENDIAN_SHORT, SLL_PROTOCOL_OFFSET, (short) protocol);
            kickAddressProtocol = protocol;
        }
        return socket.kick(kickAddress);
    }

    /** Unmaps the ring, then closes the socket, as for RX. */
    public void close() {
        RingMapping.unmapThenClose(mapping, socket);
    }
}
