package io.netring.xdp;

import io.netring.NetringException;
import io.netring.PacketBatch;
import io.netring.internal.DescriptorBatches;
import io.netring.internal.DescriptorOwner;
import io.netring.internal.PacketAccess;
import io.netring.internal.linux.InterfaceQuery;
import io.netring.internal.xdp.Umem;
import io.netring.internal.xdp.XskConsumerRing;
import io.netring.internal.xdp.XskProducerRing;
import io.netring.internal.xdp.XskSocket;

/**
 * One RX queue of an {@link XdpRx}: its socket, and the way back for a batch's frames: their
 * addresses are read from the RX descriptors, the descriptors released, and the frames given
 * to the fill ring (the kernel receives the next frames there).
 */
final class XdpQueue implements DescriptorOwner {
    private static final System.Logger LOG = System.getLogger("io.netring");

    private final XskSocket socket;
    private final long localMac;
    private OpenBatch open;
    private DescriptorBatches batches;
    /**
     * Frames back from closed batches that the fill ring had no room for yet, oldest first: they
     * go back in the order they came, so the kernel fills them in the order the reader walked
     * them (the UMEM read forward, as on the C reader; given back last-in first-out, each batch's
     * frames came back reversed, and the README loop over XDP batches cost more, docs/PERFORMANCE.md
     * "The JVM's floor for AF_XDP").
     */
    private final long[] held;
    private int heldCount;
    /** Frames handed out in batches since the socket was opened. */
    private volatile long framesTaken;

    XdpQueue(XskSocket socket, String interfaceName) {
        this.socket = socket;
        this.localMac = macOf(interfaceName);
        this.held = new long[socket.frameCount()];
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

    long framesTaken() {
        return framesTaken;
    }

    XskSocket socket() {
        return socket;
    }

    /** Makes this queue's batches; {@code open} hears of each release. */
    void bind(OpenBatch open) {
        this.open = open;
        this.batches = PacketAccess.get().descriptorBatches(this, socket.umem().memory(), socket.rx().descriptors(),
                socket.rx().size() - 1);
    }

    /** The run of {@code count} descriptors the last peek handed out, as a batch. */
    PacketBatch take(int count, long sequence, long stampNanos) {
        framesTaken += count; // one writer, the reading thread
        return batches.batch(socket.rx().startIndex(), count, sequence, stampNanos);
    }

    @Override
    public void release(PacketBatch batch, long firstIndex, int count) {
        XskConsumerRing ring = socket.rx();
        Umem umem = socket.umem();
        // The frames' addresses first: once the descriptors are released the kernel may reuse them.
        int direct = 0;
        if (heldCount == 0) {
            // Nothing waits before them: as many as fit go straight to the fill ring, one pass.
            XskProducerRing fill = socket.fill();
            direct = fill.reserve(count);
            long at = fill.startIndex();
            for (int i = 0; i < direct; i++) {
                fill.setAddress(at + i, umem.frameStart(ring.address(firstIndex + i)));
            }
            fill.submit(direct);
        }
        for (int i = direct; i < count; i++) {
            held[heldCount++] = umem.frameStart(ring.address(firstIndex + i));
        }
        ring.release(count);
        refill();
        open.released();
    }

    /**
     * Gives the held frames to the fill ring, as many as it has room for. The kernel publishes
     * how far it has read the fill ring only now and then, so a full-looking ring is normal for a
     * moment: what does not fit stays here for the next call, never out of circulation.
     */
    void refill() {
        int n = heldCount;
        if (n == 0) {
            return;
        }
        XskProducerRing fill = socket.fill();
        int room = fill.reserve(n);
        long at = fill.startIndex();
        for (int i = 0; i < room; i++) {
            fill.setAddress(at + i, held[i]);
        }
        fill.submit(room);
        if (room < n) {
            System.arraycopy(held, room, held, 0, n - room);
        }
        heldCount = n - room;
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
