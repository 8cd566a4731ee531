package io.netring.afpacket;

import io.netring.NetringException;
import io.netring.internal.linux.Errno;
import io.netring.internal.linux.LinuxErrors;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static io.netring.internal.linux.KernelLayouts.TPACKET_REQ;
import static io.netring.internal.linux.KernelLayouts.TPACKET_REQ3;
import static io.netring.internal.linux.KernelLayouts.offset;
import static io.netring.internal.linux.LinuxConstants.PACKET_TX_RING;
import static io.netring.internal.linux.LinuxConstants.SOL_PACKET;
import static io.netring.internal.linux.LinuxConstants.TPACKET_V2;
import static io.netring.internal.linux.LinuxConstants.TPACKET_V3;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * Creates the TX ring and its mapping on a fresh packet socket: {@code PACKET_VERSION} →
 * {@code PACKET_LOSS} (refused with EBUSY once a ring exists) → {@code PACKET_TX_RING} →
 * {@code mmap}. A kernel older than 4.11 answers EINVAL to a V3 TX ring; the socket then
 * switches to TPACKET_V2 (no ring exists yet) and asks again, and says so in the log; callers
 * see no difference ({@link TxFrameLayout}). PACKET_LOSS is always set, so that the kernel
 * steps over a discarded ({@link TxRing#poison poisoned}) frame; whether a rejected frame is the
 * user's error is {@link TxConfig#lossy()}'s decision, above.
 */
public final class TxRingSetup {
    private static final System.Logger LOG = System.getLogger("io.netring");

    private TxRingSetup() {}

    /** Creates the ring; returns the frame layout of the version the kernel accepted. */
    public static TxFrameLayout createRing(PacketSocket socket, TxConfig config) throws NetringException {
        TxGeometry g = config.geometry();
        TxFrameLayout layout = null;
        if (config.allowV3()) {
            socket.setVersion(TPACKET_V3);
            setLoss(socket);
            int r = setRing(socket, g, true);
            if (r == 0) {
                layout = TxFrameLayout.V3;
            } else if (r == -Errno.EINVAL) {
                LOG.log(System.Logger.Level.INFO, "TX ring on " + socket.interfaceName() + ": this kernel refused a "
                        + "TPACKET_V3 TX ring (EINVAL; V3 TX rings need Linux 4.11); using TPACKET_V2 frames instead");
            } else {
                throw ringError(socket, g, r, "TPACKET_V3");
            }
        }
        if (layout == null) {
            socket.setVersion(TPACKET_V2);
            setLoss(socket);
            int r = setRing(socket, g, false);
            if (r < 0) {
                throw ringError(socket, g, r, "TPACKET_V2");
            }
            layout = TxFrameLayout.V2;
        }
        return layout;
    }

    /** Maps the ring {@link #createRing} made (the TX ring alone). */
    public static RingMapping map(PacketSocket socket, TxConfig config) throws NetringException {
        TxGeometry g = config.geometry();
        RingMapping mapping = RingMapping.map(socket.fd(), g.totalBytes(), config.lockMemory(), socket.interfaceName());
        if (mapping == null) {
            throw LinuxErrors.failure("not enough memory to map the " + (g.totalBytes() >> 10) + " KiB TX ring of "
                    + socket.interfaceName() + " (mmap: ENOMEM); lower frameSize or frameCount",
                    "mmap", Errno.ENOMEM);
        }
        return mapping;
    }

    private static void setLoss(PacketSocket socket) throws NetringException {
        socket.setLoss();
    }

    private static NetringException ringError(PacketSocket socket, TxGeometry g, int r, String version) {
        return LinuxErrors.exception("setsockopt(PACKET_TX_RING)", -r, "CAP_NET_RAW",
                "kernel refused a " + version + " TX ring of " + g.frameCount() + " frames of " + g.frameSize()
                        + " bytes (" + g.blockCount() + " blocks of " + g.blockSize() + ") on " + socket.interfaceName());
    }

    /** Frame semantics under both versions; V3's timeout, private area and feature word must be 0. */
    private static int setRing(PacketSocket socket, TxGeometry g, boolean v3) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment req = arena.allocate(v3 ? TPACKET_REQ3 : TPACKET_REQ);
            var layout = v3 ? TPACKET_REQ3 : TPACKET_REQ;
            req.set(JAVA_INT, offset(layout, "tp_block_size"), g.blockSize());
            req.set(JAVA_INT, offset(layout, "tp_block_nr"), g.blockCount());
            req.set(JAVA_INT, offset(layout, "tp_frame_size"), g.frameSize());
            req.set(JAVA_INT, offset(layout, "tp_frame_nr"), g.frameCount());
            // V3: tp_retire_blk_tov, tp_sizeof_priv and tp_feature_req_word stay 0 (allocate zeroes)
            return socket.trySetStruct(SOL_PACKET, PACKET_TX_RING, req);
        }
    }
}
