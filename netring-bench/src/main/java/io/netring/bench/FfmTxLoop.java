package io.netring.bench;

import io.netring.afpacket.PacketSocket;
import io.netring.afpacket.RingMapping;
import io.netring.afpacket.TxConfig;
import io.netring.afpacket.TxFrameLayout;
import io.netring.afpacket.TxGeometry;
import io.netring.afpacket.TxRingSetup;
import io.netring.internal.linux.Errno;
import io.netring.internal.linux.Syscalls;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

import static io.netring.internal.linux.LinuxConstants.MSG_DONTWAIT;
import static io.netring.internal.linux.LinuxConstants.TP_STATUS_AVAILABLE;
import static io.netring.internal.linux.LinuxConstants.TP_STATUS_SEND_REQUEST;
import static io.netring.internal.linux.LinuxConstants.TP_STATUS_WRONG_FORMAT;

/**
 * The Java floor of the TX comparison: the loop of {@code tx_ring.c}, written with
 * java.lang.foreign straight on a TX ring that netring's own setup creates (the Injector's socket
 * options, ring geometry and kick), with none of the library's hot path: no slots, no frame
 * bookkeeping, no closed-handle, length or MTU checks. It shows what any Java sender can reach
 * here, so the Injector's row can be read as "the floor minus the cost of its safety".
 *
 * <p>Not an API and not safe: it writes the mapping without a guard and trusts every length. The
 * bench runs it alone in its own JVM, on a veth inside the bench's namespace.
 */
final class FfmTxLoop {
    private static final VarHandle STATUS = ValueLayout.JAVA_INT.varHandle();
    private static final ValueLayout.OfLong LENGTHS = ValueLayout.JAVA_LONG_UNALIGNED;

    private final int fd;
    private final MemorySegment ring;
    private final MemorySegment kickAddress;
    private final long[] frameOffsets;
    private final long statusOffset;
    private final long lengthsOffset;
    private final long dataOffset;
    private int cursor;

    private FfmTxLoop(int fd, MemorySegment ring, MemorySegment kickAddress, TxGeometry geometry, TxFrameLayout layout) {
        this.fd = fd;
        this.ring = ring;
        this.kickAddress = kickAddress;
        this.statusOffset = layout.statusOffset();
        this.lengthsOffset = Math.min(layout.lenOffset(), layout.snaplenOffset());
        this.dataOffset = layout.dataOffset();
        this.frameOffsets = new long[geometry.frameCount()];
        for (int i = 0; i < frameOffsets.length; i++) {
            frameOffsets[i] = geometry.frameOffset(i);
        }
    }

    /** Sends {@code count} test frames of {@code size} bytes on {@code ifName} after a warm-up; prints READY and RESULT. */
    static void run(String ifName, long count, int size, long warmup) throws Exception {
        TxGeometry geometry = TxGeometry.validate(JavaSender.RING_FRAME_SIZE, JavaSender.RING_FRAME_COUNT, 0);
        PacketSocket socket = PacketSocket.open(ifName);
        TxConfig config = new TxConfig(ifName, geometry, false, false, false, true);
        TxFrameLayout layout = TxRingSetup.createRing(socket, config);
        RingMapping mapping = TxRingSetup.map(socket, config);
        try {
            if (layout != TxFrameLayout.V3 || Math.abs(layout.lenOffset() - layout.snaplenOffset()) != 4) {
                System.out.println("RESULT skipped=needs_a_TPACKET_V3_TX_ring");   // a skip, as the harness reads it
                return;
            }
            socket.bind(0);
            MemorySegment kickAddress = PacketSocket.sockaddr(Arena.ofAuto(), PacketSocket.interfaceIndex(ifName), TestFrames.ETHERTYPE);
            FfmTxLoop loop = new FfmTxLoop(socket.fd(), mapping.raw(), kickAddress, geometry, layout);
            MemorySegment template = MemorySegment.ofArray(TestFrames.frame(0, size));
            System.out.println("READY");
            System.out.flush();
            loop.send(template, warmup);
            loop.kick(0);
            long cpu0 = JavaSender.processCpuNanos();
            long wall0 = System.nanoTime();
            loop.send(template, count);
            loop.kick(0);                           // blocking: returns once every frame went out
            JavaSender.report(count, System.nanoTime() - wall0, JavaSender.processCpuNanos() - cpu0);
        } finally {
            mapping.unmap();
            socket.close();
        }
    }

    /** tx_ring.c's loop: wait for the next frame to be free, fill it, queue it, kick every KICK_EVERY frames. */
    private void send(MemorySegment template, long count) {
        int size = (int) template.byteSize();
        int pending = 0;
        for (long seq = 0; seq < count; seq++) {
            long frame = frameOffsets[cursor];
            int status;
            while ((status = (int) STATUS.getAcquire(ring, frame + statusOffset)) != TP_STATUS_AVAILABLE) {
                if (status == TP_STATUS_WRONG_FORMAT) {
                    throw new IllegalStateException("frame rejected (TP_STATUS_WRONG_FORMAT)");
                }
                kick(MSG_DONTWAIT);
                pending = 0;
                if ((int) STATUS.getAcquire(ring, frame + statusOffset) != TP_STATUS_AVAILABLE) {
                    Thread.yield();
                }
            }
            long data = frame + dataOffset;
            MemorySegment.copy(template, 0, ring, data, size);
            ring.set(TestFrames.BE_INT, data + TestFrames.SEQUENCE_OFFSET, (int) seq);
            ring.set(LENGTHS, frame + lengthsOffset, (size & 0xFFFF_FFFFL) * 0x1_0000_0001L); // tp_len and tp_snaplen
            STATUS.setRelease(ring, frame + statusOffset, TP_STATUS_SEND_REQUEST);
            cursor = cursor + 1 == frameOffsets.length ? 0 : cursor + 1;
            if (++pending == JavaSender.KICK_EVERY) {
                kick(MSG_DONTWAIT);
                pending = 0;
            }
        }
    }

    /** sendto(fd, NULL, 0, flags, the EtherType's address): retried while the device pushes back. */
    private void kick(int flags) {
        for (;;) {
            long r = Syscalls.sendto(fd, MemorySegment.NULL, 0, flags, kickAddress, (int) kickAddress.byteSize());
            if (r >= 0) {
                return;
            }
            if (r != -Errno.ENOBUFS && r != -Errno.EAGAIN && r != -Errno.EINTR) {
                throw new IllegalStateException("sendto(kick): errno " + -r);
            }
            Thread.yield();
        }
    }
}
