package io.netring.afpacket;

import io.netring.NetringException;
import io.netring.internal.linux.Errno;
import io.netring.internal.linux.LinuxErrors;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static io.netring.internal.linux.KernelLayouts.TPACKET_REQ3;
import static io.netring.internal.linux.KernelLayouts.offset;
import static io.netring.internal.linux.LinuxConstants.PACKET_RX_RING;
import static io.netring.internal.linux.LinuxConstants.SOL_PACKET;
import static io.netring.internal.linux.LinuxConstants.TP_FT_REQ_FILL_RXHASH;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * Creates the RX ring and its mapping, shrinking the ring when memory is short.
 *
 * <p>ENOMEM from {@code PACKET_RX_RING} or from {@code mmap} is retried with 25 % fewer blocks
 * per step, down to a quarter of the request, and each step is logged. libpcap shrinks by 5 %
 * and netsniff-ng halves; a quarter per step reaches a working size in a few tries while still
 * keeping most of the buffer the user asked for.
 */
public final class RxRingSetup {
    private static final System.Logger LOG = System.getLogger("io.netring");

    private RxRingSetup() {}

    /** The created ring: its mapping and the geometry the kernel accepted. */
    public record Result(RingMapping mapping, RingGeometry geometry) {}

    public static Result create(PacketSocket socket, RxConfig config) throws NetringException {
        RingGeometry requested = config.geometry();
        int lastErrno = 0;
        int lastCount = requested.blockCount();
        for (int count : requested.shrinkSteps()) {
            RingGeometry g = requested.withBlockCount(count);
            if (count != requested.blockCount()) {
                LOG.log(System.Logger.Level.WARNING, "ring for " + socket.interfaceName() + ": "
                        + Errno.name(lastErrno) + " for " + lastCount + " blocks; retrying with " + count
                        + " blocks of " + g.blockSize() + " bytes (" + RingGeometry.describeBytes(g.totalBytes()) + ")");
            }
            lastCount = count;
            int r = setRing(socket, g, config);
            if (r == -Errno.ENOMEM) {
                lastErrno = Errno.ENOMEM;
                continue;
            }
            if (r < 0) {
                throw LinuxErrors.exception("setsockopt(PACKET_RX_RING)", -r, "CAP_NET_RAW",
                        "kernel refused a ring of " + count + " blocks of " + g.blockSize() + " bytes, frame "
                                + g.frameSize() + " on " + socket.interfaceName());
            }
            RingMapping mapping = RingMapping.map(socket.fd(), g.totalBytes(), config.lockMemory(), socket.interfaceName());
            if (mapping == null) {
                lastErrno = Errno.ENOMEM;
                freeRing(socket);
                continue;
            }
            return new Result(mapping, g);
        }
        throw LinuxErrors.failure("not enough memory for the ring of " + socket.interfaceName()
                + ": the kernel answered ENOMEM down to " + requested.shrinkSteps().getLast() + " blocks of "
                + requested.blockSize() + " bytes; lower blockSize or blockCount, or free memory",
                "setsockopt(PACKET_RX_RING)", Errno.ENOMEM);
    }

    private static int setRing(PacketSocket socket, RingGeometry g, RxConfig config) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment req = arena.allocate(TPACKET_REQ3);
            req.set(JAVA_INT, offset(TPACKET_REQ3, "tp_block_size"), g.blockSize());
            req.set(JAVA_INT, offset(TPACKET_REQ3, "tp_block_nr"), g.blockCount());
            req.set(JAVA_INT, offset(TPACKET_REQ3, "tp_frame_size"), g.frameSize());
            req.set(JAVA_INT, offset(TPACKET_REQ3, "tp_frame_nr"), g.frameCount());
            req.set(JAVA_INT, offset(TPACKET_REQ3, "tp_retire_blk_tov"), config.blockTimeoutMillis());
            req.set(JAVA_INT, offset(TPACKET_REQ3, "tp_sizeof_priv"), 0);
            req.set(JAVA_INT, offset(TPACKET_REQ3, "tp_feature_req_word"), config.fillRxHash() ? TP_FT_REQ_FILL_RXHASH : 0);
            return socket.trySetStruct(SOL_PACKET, PACKET_RX_RING, req);
        }
    }

    /** A zeroed request frees the kernel's ring so a smaller one can be asked for. */
    private static void freeRing(PacketSocket socket) {
        try (Arena arena = Arena.ofConfined()) {
            socket.trySetStruct(SOL_PACKET, PACKET_RX_RING, arena.allocate(TPACKET_REQ3));
        }
    }
}
