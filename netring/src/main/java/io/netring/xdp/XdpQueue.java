package io.netring.xdp;

import io.netring.NetringException;
import io.netring.PacketBatch;
import io.netring.internal.DescriptorOwner;
import io.netring.internal.linux.InterfaceQuery;
import io.netring.internal.xdp.Umem;
import io.netring.internal.xdp.XskConsumerRing;
import io.netring.internal.xdp.XskProducerRing;
import io.netring.internal.xdp.XskSocket;

/**
 * One RX queue of an {@link XdpRx}: its socket, and the way back for a batch's frames, which
 * go to the fill ring (the kernel writes the next frames there) before the RX descriptors are
 * released (the kernel may then reuse those slots).
 */
final class XdpQueue implements DescriptorOwner {
    private static final System.Logger LOG = System.getLogger("io.netring");

    private final XskSocket socket;
    private final long localMac;
    private XdpRx rx;
    private long framesLost;

    XdpQueue(XskSocket socket, String interfaceName) {
        this.socket = socket;
        this.localMac = macOf(interfaceName);
    }

    private static long macOf(String interfaceName) {
        try (InterfaceQuery q = InterfaceQuery.open(interfaceName)) {
            byte[] mac = q.hardwareAddress();
            if (mac.length != 6) {
                return -1;
            }
            long m = 0;
            for (byte b : mac) {
                m = (m << 8) | (b & 0xFF);
            }
            return m;
        } catch (NetringException e) {
            return -1;
        }
    }

    XskSocket socket() {
        return socket;
    }

    /** This queue as the owner of batches taken for {@code rx}. */
    DescriptorOwner owner(XdpRx rx) {
        this.rx = rx;
        return this;
    }

    @Override
    public void release(PacketBatch batch, long firstIndex, int count) {
        XskConsumerRing ring = socket.rx();
        XskProducerRing fill = socket.fill();
        Umem umem = socket.umem();
        int room = fill.reserve(count);
        long at = fill.startIndex();
        for (int i = 0; i < room; i++) {
            fill.setAddress(at + i, umem.frameStart(ring.address(firstIndex + i)));
        }
        fill.submit(room);
        ring.release(count);
        if (room < count) {
            // Cannot happen while the fill ring holds every RX frame (XskConfig checks that);
            // if it did, the frames would be out of circulation, so say so.
            framesLost += count - room;
            LOG.log(System.Logger.Level.WARNING, "fill ring of " + socket + " had room for " + room + " of " + count
                    + " frames; " + framesLost + " frames out of circulation");
        }
        rx.released();
    }

    @Override
    public void reportMalformed(PacketBatch batch, int index, long descriptorOffset) {
        LOG.log(System.Logger.Level.WARNING, "AF_XDP descriptor " + index + " of batch " + batch.seqNum() + " on "
                + socket + " points outside the UMEM; skipped the rest of the batch");
    }

    @Override
    public int ifIndex() {
        return socket.ifIndex();
    }

    @Override
    public long localMac() {
        return localMac;
    }
}
