package io.netring.internal.linux;

import io.netring.NetringException;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

import static io.netring.internal.linux.LinuxConstants.*;

/**
 * The two rtnetlink requests XDP attachment needs, in pure Java: {@code RTM_SETLINK} with
 * {@code IFLA_XDP} (attach or detach a program) and {@code RTM_GETLINK} (which program is
 * attached, and how). Messages are encoded and parsed by the static methods, which need no
 * socket, so they are tested as bytes; the socket asks for the kernel's extended ack, whose text
 * is the best explanation of a refusal there is.
 */
public final class RtNetlink implements AutoCloseable {
    private static final int HEADER = 16;          // struct nlmsghdr
    private static final int IFINFO = 16;          // struct ifinfomsg
    private static final int ATTR = 4;             // struct nlattr
    private static final int RECEIVE_BUFFER = 32 * 1024;

    /** What {@code IFLA_XDP} says of an interface: {@code XDP_ATTACHED_*} and the program's id (0: none). */
    public record XdpState(int attached, int programId) {
        static final XdpState NONE = new XdpState(XDP_ATTACHED_NONE, 0);
    }

    /** The kernel's answer to a request: 0 or an errno, and the extended ack's message (may be empty). */
    public record Ack(int errno, String message) {}

    private final LinuxSocket socket;
    private final Arena arena = Arena.ofConfined();
    private final MemorySegment buffer = arena.allocate(RECEIVE_BUFFER, 8);
    private int sequence;

    private RtNetlink(LinuxSocket socket) {
        this.socket = socket;
    }

    /** A NETLINK_ROUTE socket with extended acks, capped (the request is not echoed back). */
    public static RtNetlink open() throws NetringException {
        int fd = LinuxSocket.create(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
        if (fd < 0) {
            throw LinuxErrors.exception("socket(AF_NETLINK)", -fd, "CAP_NET_ADMIN", "opening an rtnetlink socket");
        }
        LinuxSocket s = LinuxSocket.of(fd);
        s.setInt(SOL_NETLINK, NETLINK_EXT_ACK, 1);         // older kernels lack them: the errno alone then
        s.setInt(SOL_NETLINK, NETLINK_CAP_ACK, 1);
        return new RtNetlink(s);
    }

    /**
     * Sets {@code ifIndex}'s XDP program to {@code programFd} (-1: none) with {@code XDP_FLAGS_*}
     * {@code flags}; {@code expectedFd} (-1: not sent) is {@code IFLA_XDP_EXPECTED_FD}.
     * @return the kernel's answer; never throws for a refusal
     */
    public Ack setXdp(int ifIndex, int programFd, int flags, int expectedFd) throws NetringException {
        int seq = ++sequence;
        return send(setXdpRequest(seq, ifIndex, programFd, flags, expectedFd)).ackFor(seq);
    }

    /** Which XDP program {@code ifIndex} has. */
    public XdpState xdpState(int ifIndex) throws NetringException {
        int seq = ++sequence;
        Reply r = send(getLinkRequest(seq, ifIndex));
        return r.linkFor(seq);
    }

    private Reply send(byte[] request) throws NetringException {
        MemorySegment.copy(request, 0, buffer, ValueLayout.JAVA_BYTE, 0, request.length);
        long sent = Syscalls.sendto(socket.fd(), buffer, request.length, 0, MemorySegment.NULL, 0);
        if (sent < 0) {
            throw LinuxErrors.exception("sendto(NETLINK_ROUTE)", (int) -sent, "CAP_NET_ADMIN", "");
        }
        return new Reply();
    }

    /** Reads replies until the one for a sequence number. */
    private final class Reply {
        Ack ackFor(int seq) throws NetringException {
            for (;;) {
                ByteBuffer in = receive();
                while (in.remaining() >= HEADER) {
                    int start = in.position();
                    int len = in.getInt(start);
                    int type = Short.toUnsignedInt(in.getShort(start + 4));
                    int msgSeq = in.getInt(start + 8);
                    if (len < HEADER || start + len > in.limit()) {
                        throw LinuxErrors.failure("malformed rtnetlink reply (length " + len + ")", "recv(NETLINK_ROUTE)", 0);
                    }
                    if (type == NLMSG_ERROR && msgSeq == seq) {
                        return parseAck(in.duplicate().position(start).limit(start + len).slice().order(ByteOrder.nativeOrder()));
                    }
                    in.position(start + align(len));
                }
            }
        }

        XdpState linkFor(int seq) throws NetringException {
            for (;;) {
                ByteBuffer in = receive();
                while (in.remaining() >= HEADER) {
                    int start = in.position();
                    int len = in.getInt(start);
                    int type = Short.toUnsignedInt(in.getShort(start + 4));
                    int msgSeq = in.getInt(start + 8);
                    if (len < HEADER || start + len > in.limit()) {
                        throw LinuxErrors.failure("malformed rtnetlink reply (length " + len + ")", "recv(NETLINK_ROUTE)", 0);
                    }
                    ByteBuffer msg = in.duplicate().position(start).limit(start + len).slice().order(ByteOrder.nativeOrder());
                    if (msgSeq == seq && type == NLMSG_ERROR) {
                        Ack ack = parseAck(msg);
                        throw LinuxErrors.failure("RTM_GETLINK failed with " + LinuxErrors.describe(ack.errno())
                                + (ack.message().isEmpty() ? "" : ": " + ack.message()), "RTM_GETLINK", ack.errno());
                    }
                    if (msgSeq == seq && type == RTM_NEWLINK) {
                        return parseXdpState(msg);
                    }
                    in.position(start + align(len));
                }
            }
        }

        private ByteBuffer receive() throws NetringException {
            long n = Syscalls.recv(socket.fd(), buffer, RECEIVE_BUFFER, 0);
            if (n < 0) {
                throw LinuxErrors.exception("recv(NETLINK_ROUTE)", (int) -n, "CAP_NET_ADMIN", "");
            }
            return buffer.asSlice(0, n).asByteBuffer().order(ByteOrder.nativeOrder());
        }
    }

    static int align(int n) {
        return (n + 3) & ~3;
    }

    /** An RTM_SETLINK request setting IFLA_XDP of {@code ifIndex}. */
    static byte[] setXdpRequest(int seq, int ifIndex, int programFd, int flags, int expectedFd) {
        int nested = ATTR + 8 + 8 + (expectedFd >= 0 ? 8 : 0);
        ByteBuffer b = message(RTM_SETLINK, NLM_F_REQUEST | NLM_F_ACK, seq, ifIndex, nested);
        b.putShort((short) nested).putShort((short) (IFLA_XDP | NLA_F_NESTED));
        b.putShort((short) 8).putShort((short) IFLA_XDP_FD).putInt(programFd);
        b.putShort((short) 8).putShort((short) IFLA_XDP_FLAGS).putInt(flags);
        if (expectedFd >= 0) {
            b.putShort((short) 8).putShort((short) IFLA_XDP_EXPECTED_FD).putInt(expectedFd);
        }
        return b.array();
    }

    /** An RTM_GETLINK request for {@code ifIndex}. */
    static byte[] getLinkRequest(int seq, int ifIndex) {
        return message(RTM_GETLINK, NLM_F_REQUEST, seq, ifIndex, 0).array();
    }

    /** A message's header and ifinfomsg, with room for {@code attributes} more bytes. */
    private static ByteBuffer message(int type, int flags, int seq, int ifIndex, int attributes) {
        int len = HEADER + IFINFO + attributes;
        ByteBuffer b = ByteBuffer.allocate(len).order(ByteOrder.nativeOrder());
        b.putInt(len).putShort((short) type).putShort((short) flags).putInt(seq).putInt(0);
        b.put((byte) 0).put((byte) 0).putShort((short) 0).putInt(ifIndex).putInt(0).putInt(0);   // AF_UNSPEC
        return b;
    }

    /** An NLMSG_ERROR message: its errno (0 for success) and the extended ack's text. */
    static Ack parseAck(ByteBuffer msg) {
        int flags = Short.toUnsignedInt(msg.getShort(6));
        int error = msg.getInt(HEADER);
        String text = "";
        if ((flags & NLM_F_ACK_TLVS) != 0) {
            // Capped: after the error code comes only the request's header, then the attributes.
            int at = HEADER + 4 + HEADER;
            while (at + ATTR <= msg.limit()) {
                int len = Short.toUnsignedInt(msg.getShort(at));
                int type = Short.toUnsignedInt(msg.getShort(at + 2)) & 0x3FFF;
                if (len < ATTR || at + len > msg.limit()) {
                    break;
                }
                if (type == NLMSGERR_ATTR_MSG) {
                    text = cString(msg, at + ATTR, len - ATTR);
                }
                at += align(len);
            }
        }
        return new Ack(-error, text);
    }

    /** The IFLA_XDP attribute of an RTM_NEWLINK message; {@link XdpState#NONE} without one. */
    static XdpState parseXdpState(ByteBuffer msg) {
        int at = HEADER + IFINFO;
        while (at + ATTR <= msg.limit()) {
            int len = Short.toUnsignedInt(msg.getShort(at));
            int type = Short.toUnsignedInt(msg.getShort(at + 2)) & 0x3FFF;
            if (len < ATTR || at + len > msg.limit()) {
                break;
            }
            if (type == IFLA_XDP) {
                int attached = XDP_ATTACHED_NONE;
                int id = 0;
                for (int in = at + ATTR; in + ATTR <= at + len; ) {
                    int l = Short.toUnsignedInt(msg.getShort(in));
                    int t = Short.toUnsignedInt(msg.getShort(in + 2)) & 0x3FFF;
                    if (l < ATTR || in + l > at + len) {
                        break;
                    }
                    if (t == IFLA_XDP_ATTACHED && l >= ATTR + 1) {
                        attached = Byte.toUnsignedInt(msg.get(in + ATTR));
                    } else if (t == IFLA_XDP_PROG_ID && l >= ATTR + 4) {
                        id = msg.getInt(in + ATTR);
                    }
                    in += align(l);
                }
                return new XdpState(attached, id);
            }
            at += align(len);
        }
        return XdpState.NONE;
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

    @Override
    public void close() {
        socket.close();
        arena.close();
    }
}
