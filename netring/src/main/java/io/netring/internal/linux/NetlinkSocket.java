package io.netring.internal.linux;

import io.netring.NetringException;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static io.netring.internal.linux.KernelLayouts.NLMSGHDR;
import static io.netring.internal.linux.KernelLayouts.TIMEVAL;
import static io.netring.internal.linux.KernelLayouts.offset;
import static io.netring.internal.linux.LinuxConstants.*;

/**
 * A netlink socket of one protocol (rtnetlink, generic netlink) that sends a request and returns
 * the kernel's answer to it, with extended and capped acks. It talks to the network namespace it
 * was opened in, whichever thread uses it later. Requests are serialised, and the buffer lives
 * in a shared arena, so a cleaner or a shutdown hook may use it too.
 */
final class NetlinkSocket implements AutoCloseable {
    /** An RTM_NEWLINK reply carries every attribute of the link; 64 KiB holds a NIC with VFs. */
    private static final int RECEIVE_BUFFER = 64 * 1024;
    /** The kernel answers at once; a missing answer must not hang a close or a shutdown hook. */
    private static final int RECEIVE_TIMEOUT_SECONDS = 5;

    private final LinuxSocket socket;
    private final String name;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment buffer = arena.allocate(RECEIVE_BUFFER, 8);
    private int sequence;
    private boolean closed;

    private NetlinkSocket(LinuxSocket socket, String name) {
        this.socket = socket;
        this.name = name;
    }

    /** A socket of netlink {@code protocol} ({@code name} in messages: "NETLINK_ROUTE") in the calling thread's namespace. */
    static NetlinkSocket open(int protocol, String name) throws NetringException {
        int fd = LinuxSocket.create(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, protocol);
        if (fd < 0) {
            throw LinuxErrors.exception("socket(AF_NETLINK, " + name + ")", -fd, "CAP_NET_ADMIN", "opening a netlink socket");
        }
        LinuxSocket s = LinuxSocket.of(fd);
        // Kernels without them answer with the errno alone: no reason to fail.
        s.setInt(SOL_NETLINK, NETLINK_EXT_ACK, 1);
        s.setInt(SOL_NETLINK, NETLINK_CAP_ACK, 1);
        try (Arena call = Arena.ofConfined()) {
            MemorySegment timeout = call.allocate(TIMEVAL);
            timeout.set(ValueLayout.JAVA_LONG, offset(TIMEVAL, "tv_sec"), RECEIVE_TIMEOUT_SECONDS);
            s.setStruct(SOL_SOCKET, SO_RCVTIMEO, timeout);
        }
        return new NetlinkSocket(s, name);
    }

    /** Sends the request {@code encoder} makes for the next sequence number; returns the first message answering it. */
    synchronized ByteBuffer request(java.util.function.IntFunction<byte[]> encoder) throws NetringException {
        if (closed) {
            throw new IllegalStateException("the " + name + " socket is closed");
        }
        int seq = ++sequence;
        byte[] request = encoder.apply(seq);
        MemorySegment.copy(request, 0, buffer, ValueLayout.JAVA_BYTE, 0, request.length);
        long sent = Syscalls.sendto(socket.fd(), buffer, request.length, 0, MemorySegment.NULL, 0);
        if (sent < 0) {
            throw LinuxErrors.exception("sendto(" + name + ")", (int) -sent, "CAP_NET_ADMIN", "sending a netlink request");
        }
        return replyTo(seq);
    }

    /** The first message answering {@code seq}, copied out; answers to earlier requests (one that timed out) are skipped. */
    private ByteBuffer replyTo(int seq) throws NetringException {
        for (;;) {
            long n = Syscalls.recv(socket.fd(), buffer, RECEIVE_BUFFER, 0);
            if (n < 0) {
                throw LinuxErrors.exception("recv(" + name + ")", (int) -n, "CAP_NET_ADMIN",
                        n == -Errno.EAGAIN ? "no netlink answer within " + RECEIVE_TIMEOUT_SECONDS + " s" : "");
            }
            ByteBuffer in = buffer.asSlice(0, n).asByteBuffer().order(ByteOrder.nativeOrder());
            for (int at = 0; at + Netlink.HEADER <= in.limit(); ) {
                int len = in.getInt(at + (int) offset(NLMSGHDR, "nlmsg_len"));
                if (len < Netlink.HEADER || at + len > in.limit()) {
                    throw LinuxErrors.failure("malformed netlink reply (a message of " + len + " bytes at " + at
                            + " of " + in.limit() + ")", "recv(" + name + ")", 0);
                }
                if (in.getInt(at + (int) offset(NLMSGHDR, "nlmsg_seq")) == seq) {
                    byte[] copy = new byte[len];
                    in.get(at, copy);
                    return ByteBuffer.wrap(copy).order(ByteOrder.nativeOrder());
                }
                at += Netlink.align(len);
            }
        }
    }

    /** Closes the socket; idempotent, from any thread. */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            socket.close();
            arena.close();
        }
    }
}
