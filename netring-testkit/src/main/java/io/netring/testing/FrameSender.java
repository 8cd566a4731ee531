package io.netring.testing;

import io.netring.afpacket.PacketSocket;
import io.netring.internal.linux.KernelLayouts;
import io.netring.internal.linux.LinuxConstants;
import io.netring.internal.linux.Syscalls;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * Sends test frames with a plain AF_PACKET {@code sendto} (no ring), independent of the code
 * under test. Frames carry the local experimental EtherType 0x88B5 and a sequence number, so
 * stray traffic never counts and order and content can be checked.
 *
 * <p>Frame layout: dst ff:ff:ff:ff:ff:ff, src 02:00:00:00:00:01, EtherType 0x88B5,
 * 4-byte big-endian sequence number, then bytes {@code (seq + i) & 0xFF}.
 */
public final class FrameSender implements AutoCloseable {
    public static final int ETHERTYPE = 0x88B5;

    /** How long one frame may keep meeting a full backlog before the send fails. */
    private static final Duration ENOBUFS_PATIENCE = Duration.ofSeconds(10);

    private final int fd;
    private final Arena arena = Arena.ofConfined();
    private final MemorySegment address;
    private final MemorySegment buffer = arena.allocate(65536);

    /** Opens the sender on {@code ifName}; call inside the test's namespace. */
    public FrameSender(String ifName) throws IOException {
        this(ifName, ETHERTYPE);
    }

    /**
     * Opens the sender on {@code ifName} with {@code protocol} as the socket buffer's protocol;
     * 0 makes the kernel read it from each frame's EtherType, so an IP frame gets a flow hash
     * (which, among other things, picks a multi-queue device's TX queue).
     */
    public FrameSender(String ifName, int protocol) throws IOException {
        int ifIndex = PacketSocket.interfaceIndex(ifName);
        fd = Syscalls.socket(LinuxConstants.AF_PACKET, LinuxConstants.SOCK_RAW, 0);
        if (fd < 0) {
            throw new IOException("socket failed: errno " + -fd);
        }
        address = PacketSocket.sockaddr(arena, ifIndex, protocol);
        address.set(ValueLayout.JAVA_BYTE, KernelLayouts.offset(KernelLayouts.SOCKADDR_LL, "sll_halen"), (byte) 6);
    }

    /** The bytes of frame {@code seq} of {@code size} bytes (at least 18). */
    public static byte[] frame(int seq, int size) {
        ByteBuffer f = ByteBuffer.allocate(size);
        f.put(new byte[] {-1, -1, -1, -1, -1, -1, 2, 0, 0, 0, 0, 1});
        f.putShort((short) ETHERTYPE);
        f.putInt(seq);
        for (int i = f.position(); i < size; i++) {
            f.put((byte) (seq + i));
        }
        return f.array();
    }

    /** The sequence number of a captured test frame, or -1 for any other frame. */
    public static int sequenceOf(byte[] frame) {
        if (frame.length < 18 || (((frame[12] & 0xFF) << 8) | (frame[13] & 0xFF)) != ETHERTYPE) {
            return -1;
        }
        return ByteBuffer.wrap(frame, 14, 4).getInt();
    }

    public void send(byte[] frame) throws IOException {
        MemorySegment.copy(frame, 0, buffer, ValueLayout.JAVA_BYTE, 0, frame.length);
        long deadline = 0;
        for (;;) {
            long r = Syscalls.sendto(fd, buffer, frame.length, 0, address, (int) address.byteSize());
            if (r >= 0) {
                return;
            }
            // ENOBUFS: the frame was dropped because the CPU's backlog (netdev_max_backlog) is
            // full, perhaps with other namespaces' traffic. Send it again once the backlog
            // drains, for as long as a loaded machine may take.
            if (r == -105) {
                long now = System.nanoTime();
                if (deadline == 0) {
                    deadline = now + ENOBUFS_PATIENCE.toNanos();
                }
                if (now < deadline) {
                    LockSupport.parkNanos(50_000);
                    continue;
                }
            }
            throw new IOException("sendto failed: errno " + -r);
        }
    }

    /** Sends frames {@code first .. first+count-1} of {@code size} bytes. */
    public void sendSequence(int first, int count, int size) throws IOException {
        for (int i = 0; i < count; i++) {
            send(frame(first + i, size));
        }
    }

    @Override
    public void close() {
        Syscalls.close(fd);
        arena.close();
    }
}
