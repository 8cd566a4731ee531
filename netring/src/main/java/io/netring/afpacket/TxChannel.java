package io.netring.afpacket;

import io.netring.NetringException;

/**
 * An open AF_PACKET transmit socket with its mapped TX ring: everything {@code AfPacketTx}
 * delegates to. {@link #open} is the whole set-up (link facts, ring, options, bind with
 * protocol 0 so the socket receives nothing) and undoes what it did when a step fails.
 *
 * @param link the link facts read when the channel opened
 */
public record TxChannel(PacketSocket socket, RingMapping mapping, TxRing ring, LinkInfo link) {

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

    /** Reads the link facts again (the MTU may have changed since). */
    public LinkInfo readLink() throws NetringException {
        return LinkInfo.read(socket.fd(), socket.interfaceName());
    }

    /**
     * One non-blocking kick naming {@code protocol}, the EtherType every queued frame shares, or
     * {@link PacketSocket#MIXED} (see {@link PacketSocket#kick(int)}).
     *
     * @return the bytes the kernel sent, or -errno
     */
    public long kick(int protocol) {
        return socket.kick(protocol);
    }

    /** Unmaps the ring, then closes the socket, as for RX. */
    public void close() {
        RingMapping.unmapThenClose(mapping, socket);
    }
}
