package io.netring.internal.linux;

import io.netring.NetringException;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

import static io.netring.internal.linux.KernelLayouts.IFINFOMSG;
import static io.netring.internal.linux.KernelLayouts.NLATTR;
import static io.netring.internal.linux.KernelLayouts.NLMSGHDR;
import static io.netring.internal.linux.KernelLayouts.TIMEVAL;
import static io.netring.internal.linux.KernelLayouts.offset;
import static io.netring.internal.linux.LinuxConstants.*;

/**
 * The two rtnetlink requests XDP attachment needs, in pure Java: {@code RTM_SETLINK} with
 * {@code IFLA_XDP} (attach or detach a program) and {@code RTM_GETLINK} (which program is
 * attached, and how). Messages are encoded and parsed by static methods that need no socket,
 * so they are tested as bytes. The socket asks for the kernel's extended ack: its text is the
 * best explanation of a refusal there is.
 *
 * <p>A netlink socket talks to the network namespace it was opened in, whichever thread uses
 * it later; so a holder that must act from a cleaner or a shutdown hook keeps the socket it
 * opened. Requests are serialised, and the buffer lives in a shared arena for that reason.
 *
 * <pre>
 * RTM_SETLINK: nlmsghdr | ifinfomsg{AF_UNSPEC, ifindex} | IFLA_XDP (nested) {
 *                  IFLA_XDP_FD s32, IFLA_XDP_FLAGS u32 [, IFLA_XDP_EXPECTED_FD s32] }
 * ack:         nlmsghdr{NLMSG_ERROR} | s32 -errno | request's nlmsghdr (capped)
 *                  [| NLMSGERR_ATTR_MSG string, ... when NLM_F_ACK_TLVS]
 * </pre>
 */
public final class RtNetlink implements AutoCloseable {
    static final int HEADER = (int) NLMSGHDR.byteSize();
    static final int IFINFO = (int) IFINFOMSG.byteSize();
    static final int ATTR = (int) NLATTR.byteSize();
    private static final int ERROR_CODE = Integer.BYTES;
    /** An RTM_NEWLINK reply carries every attribute of the link; 64 KiB holds a NIC with VFs. */
    private static final int RECEIVE_BUFFER = 64 * 1024;
    /** The kernel answers at once; a missing answer must not hang a close or a shutdown hook. */
    private static final int RECEIVE_TIMEOUT_SECONDS = 5;
    private static final int NLM_F_CAPPED = 0x100;

    /**
     * What {@code IFLA_XDP} says of an interface: {@code XDP_ATTACHED_*}, the program's id when
     * one mode has one (0 otherwise), and the id in each mode (0: none there).
     */
    public record XdpState(int attached, int programId, int nativeProgramId, int genericProgramId, int offloadProgramId) {
        /** No program in any mode. */
        public static final XdpState NONE = new XdpState(XDP_ATTACHED_NONE, 0, 0, 0, 0);

        /** The id of the program attached in the mode {@code modeFlag} ({@code XDP_FLAGS_DRV_MODE} or {@code XDP_FLAGS_SKB_MODE}); 0 for none. */
        public int programIn(int modeFlag) {
            return modeFlag == XDP_FLAGS_SKB_MODE ? genericProgramId : nativeProgramId;
        }

        /** The id of some program attached, in whichever mode; 0 when there is none. */
        public int anyProgramId() {
            return programId != 0 ? programId : nativeProgramId != 0 ? nativeProgramId
                    : genericProgramId != 0 ? genericProgramId : offloadProgramId;
        }
    }

    /** The kernel's answer to a request: 0 or an errno, and the extended ack's message (may be empty). */
    public record Ack(int errno, String message) {
        /** True when the request was carried out. */
        public boolean ok() {
            return errno == 0;
        }
    }

    private final LinuxSocket socket;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment buffer = arena.allocate(RECEIVE_BUFFER, 8);
    private int sequence;
    private boolean closed;

    private RtNetlink(LinuxSocket socket) {
        this.socket = socket;
    }

    /** A NETLINK_ROUTE socket in the calling thread's namespace, with extended and capped acks. */
    public static RtNetlink open() throws NetringException {
        int fd = LinuxSocket.create(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
        if (fd < 0) {
            throw LinuxErrors.exception("socket(AF_NETLINK, NETLINK_ROUTE)", -fd, "CAP_NET_ADMIN", "opening an rtnetlink socket");
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
        return new RtNetlink(s);
    }

    /**
     * Sets {@code ifIndex}'s XDP program to {@code programFd} (-1: none) with {@code XDP_FLAGS_*}
     * {@code flags}; {@code expectedFd} (-1: not sent) is {@code IFLA_XDP_EXPECTED_FD}, which
     * XDP_FLAGS_REPLACE compares with the program attached.
     *
     * @return the kernel's answer; a refusal is an answer, not an exception
     * @throws NetringException when the socket itself fails
     */
    public synchronized Ack setXdp(int ifIndex, int programFd, int flags, int expectedFd) throws NetringException {
        int seq = ++sequence;
        send(setXdpRequest(seq, ifIndex, programFd, flags, expectedFd));
        ByteBuffer reply = replyTo(seq);
        if (type(reply) != NLMSG_ERROR) {
            throw LinuxErrors.failure("rtnetlink answered RTM_SETLINK with message type " + type(reply)
                    + " instead of an acknowledgement", "RTM_SETLINK", 0);
        }
        return parseAck(reply);
    }

    /**
     * Which XDP program {@code ifIndex} has.
     *
     * @throws NetringException with errno ENODEV when there is no such interface
     */
    public synchronized XdpState xdpState(int ifIndex) throws NetringException {
        int seq = ++sequence;
        send(getLinkRequest(seq, ifIndex));
        ByteBuffer reply = replyTo(seq);
        if (type(reply) == NLMSG_ERROR) {
            Ack ack = parseAck(reply);
            throw LinuxErrors.failure("RTM_GETLINK of interface index " + ifIndex + " failed with "
                    + LinuxErrors.describe(ack.errno()) + (ack.message().isEmpty() ? "" : ": " + ack.message()),
                    "RTM_GETLINK", ack.errno());
        }
        return parseXdpState(reply);
    }

    private void send(byte[] request) throws NetringException {
        if (closed) {
            throw new IllegalStateException("the rtnetlink socket is closed");
        }
        MemorySegment.copy(request, 0, buffer, ValueLayout.JAVA_BYTE, 0, request.length);
        long sent = Syscalls.sendto(socket.fd(), buffer, request.length, 0, MemorySegment.NULL, 0);
        if (sent < 0) {
            throw LinuxErrors.exception("sendto(NETLINK_ROUTE)", (int) -sent, "CAP_NET_ADMIN", "sending an rtnetlink request");
        }
    }

    /** The first message answering {@code seq}; answers to earlier requests (one that timed out) are skipped. */
    private ByteBuffer replyTo(int seq) throws NetringException {
        for (;;) {
            long n = Syscalls.recv(socket.fd(), buffer, RECEIVE_BUFFER, 0);
            if (n < 0) {
                throw LinuxErrors.exception("recv(NETLINK_ROUTE)", (int) -n, "CAP_NET_ADMIN",
                        n == -Errno.EAGAIN ? "no rtnetlink answer within " + RECEIVE_TIMEOUT_SECONDS + " s" : "");
            }
            ByteBuffer in = buffer.asSlice(0, n).asByteBuffer().order(ByteOrder.nativeOrder());
            for (int at = 0; at + HEADER <= in.limit(); ) {
                int len = in.getInt(at + (int) offset(NLMSGHDR, "nlmsg_len"));
                if (len < HEADER || at + len > in.limit()) {
                    throw LinuxErrors.failure("malformed rtnetlink reply (a message of " + len + " bytes at " + at
                            + " of " + in.limit() + ")", "recv(NETLINK_ROUTE)", 0);
                }
                if (in.getInt(at + (int) offset(NLMSGHDR, "nlmsg_seq")) == seq) {
                    return in.slice(at, len).order(ByteOrder.nativeOrder());
                }
                at += align(len);
            }
        }
    }

    private static int type(ByteBuffer msg) {
        return Short.toUnsignedInt(msg.getShort((int) offset(NLMSGHDR, "nlmsg_type")));
    }

    /** NLMSG_ALIGN / NLA_ALIGN: rounds up to 4 bytes. */
    static int align(int n) {
        return (n + 3) & ~3;
    }

    /** An RTM_SETLINK request setting IFLA_XDP of {@code ifIndex}; {@code expectedFd} -1 leaves IFLA_XDP_EXPECTED_FD out. */
    static byte[] setXdpRequest(int seq, int ifIndex, int programFd, int flags, int expectedFd) {
        int u32 = ATTR + Integer.BYTES;
        int nested = ATTR + 2 * u32 + (expectedFd >= 0 ? u32 : 0);
        ByteBuffer b = message(RTM_SETLINK, NLM_F_REQUEST | NLM_F_ACK, seq, ifIndex, nested);
        attribute(b, nested, IFLA_XDP | NLA_F_NESTED);
        attribute(b, u32, IFLA_XDP_FD).putInt(programFd);
        attribute(b, u32, IFLA_XDP_FLAGS).putInt(flags);
        if (expectedFd >= 0) {
            attribute(b, u32, IFLA_XDP_EXPECTED_FD).putInt(expectedFd);
        }
        return b.array();
    }

    /** An RTM_GETLINK request for {@code ifIndex}. */
    static byte[] getLinkRequest(int seq, int ifIndex) {
        return message(RTM_GETLINK, NLM_F_REQUEST, seq, ifIndex, 0).array();
    }

    private static ByteBuffer attribute(ByteBuffer b, int length, int type) {
        return b.putShort((short) length).putShort((short) type);
    }

    /** A message's nlmsghdr and ifinfomsg (family AF_UNSPEC), positioned where {@code attributes} more bytes go. */
    private static ByteBuffer message(int type, int flags, int seq, int ifIndex, int attributes) {
        int len = HEADER + IFINFO + attributes;
        ByteBuffer b = ByteBuffer.allocate(len).order(ByteOrder.nativeOrder());
        b.putInt((int) offset(NLMSGHDR, "nlmsg_len"), len);
        b.putShort((int) offset(NLMSGHDR, "nlmsg_type"), (short) type);
        b.putShort((int) offset(NLMSGHDR, "nlmsg_flags"), (short) flags);
        b.putInt((int) offset(NLMSGHDR, "nlmsg_seq"), seq);
        b.putInt(HEADER + (int) offset(IFINFOMSG, "ifi_index"), ifIndex);
        return b.position(HEADER + IFINFO);
    }

    /**
     * An NLMSG_ERROR message: its errno (0 for success) and the extended ack's text. The request
     * comes back after the error code, whole or (capped) its header only; the ack's attributes
     * follow it when NLM_F_ACK_TLVS is set.
     */
    static Ack parseAck(ByteBuffer msg) {
        int flags = Short.toUnsignedInt(msg.getShort((int) offset(NLMSGHDR, "nlmsg_flags")));
        int errno = -msg.getInt(HEADER);
        String text = "";
        if ((flags & NLM_F_ACK_TLVS) != 0 && msg.limit() >= HEADER + ERROR_CODE + HEADER) {
            int echoed = (flags & NLM_F_CAPPED) != 0 ? HEADER
                    : align(msg.getInt(HEADER + ERROR_CODE + (int) offset(NLMSGHDR, "nlmsg_len")));
            int at = HEADER + ERROR_CODE + echoed;
            for (int a = at; a + ATTR <= msg.limit(); ) {
                int len = attributeLength(msg, a);
                if (len < ATTR || a + len > msg.limit()) {
                    break;
                }
                if (attributeType(msg, a) == NLMSGERR_ATTR_MSG) {
                    text = cString(msg, a + ATTR, len - ATTR);
                }
                a += align(len);
            }
        }
        return new Ack(errno, text);
    }

    /** The IFLA_XDP attribute of an RTM_NEWLINK message; {@link XdpState#NONE} without one. */
    static XdpState parseXdpState(ByteBuffer msg) {
        int xdp = find(msg, HEADER + IFINFO, msg.limit(), IFLA_XDP);
        if (xdp < 0) {
            return XdpState.NONE;
        }
        int from = xdp + ATTR;
        int to = xdp + attributeLength(msg, xdp);
        return new XdpState(u8(msg, find(msg, from, to, IFLA_XDP_ATTACHED)),
                u32(msg, find(msg, from, to, IFLA_XDP_PROG_ID)),
                u32(msg, find(msg, from, to, IFLA_XDP_DRV_PROG_ID)),
                u32(msg, find(msg, from, to, IFLA_XDP_SKB_PROG_ID)),
                u32(msg, find(msg, from, to, IFLA_XDP_HW_PROG_ID)));
    }

    /** Where the attribute of {@code type} starts among those from {@code from} to {@code to}; -1 when absent or malformed. */
    private static int find(ByteBuffer msg, int from, int to, int type) {
        for (int a = from; a + ATTR <= to; ) {
            int len = attributeLength(msg, a);
            if (len < ATTR || a + len > to) {
                return -1;
            }
            if (attributeType(msg, a) == type) {
                return a;
            }
            a += align(len);
        }
        return -1;
    }

    private static int attributeLength(ByteBuffer msg, int at) {
        return Short.toUnsignedInt(msg.getShort(at + (int) offset(NLATTR, "nla_len")));
    }

    private static int attributeType(ByteBuffer msg, int at) {
        return Short.toUnsignedInt(msg.getShort(at + (int) offset(NLATTR, "nla_type"))) & NLA_TYPE_MASK;
    }

    private static int u8(ByteBuffer msg, int at) {
        return at < 0 || attributeLength(msg, at) < ATTR + 1 ? 0 : Byte.toUnsignedInt(msg.get(at + ATTR));
    }

    private static int u32(ByteBuffer msg, int at) {
        return at < 0 || attributeLength(msg, at) < ATTR + Integer.BYTES ? 0 : msg.getInt(at + ATTR);
    }

    private static String cString(ByteBuffer b, int at, int max) {
        int end = at;
        while (end < at + max && b.get(end) != 0) {
            end++;
        }
        byte[] bytes = new byte[end - at];
        b.get(at, bytes);
        return new String(bytes, StandardCharsets.UTF_8).strip();
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
