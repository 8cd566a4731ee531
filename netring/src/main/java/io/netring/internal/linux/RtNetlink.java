package io.netring.internal.linux;

import io.netring.NetringException;

import java.nio.ByteBuffer;

import static io.netring.internal.linux.KernelLayouts.IFINFOMSG;
import static io.netring.internal.linux.KernelLayouts.offset;
import static io.netring.internal.linux.LinuxConstants.*;

/**
 * The two rtnetlink requests XDP attachment needs, in pure Java: {@code RTM_SETLINK} with
 * {@code IFLA_XDP} (attach or detach a program) and {@code RTM_GETLINK} (which program is
 * attached, and how). Messages are encoded and parsed by static methods that need no socket,
 * so they are tested as bytes. The socket asks for the kernel's extended ack: its text is the
 * best explanation of a refusal there is. A holder that acts from a cleaner or a shutdown hook
 * keeps the instance it opened: the socket stays in the namespace it was opened in.
 *
 * <pre>
 * RTM_SETLINK: nlmsghdr | ifinfomsg{AF_UNSPEC, ifindex} | IFLA_XDP (nested) {
 *                  IFLA_XDP_FD s32, IFLA_XDP_FLAGS u32 [, IFLA_XDP_EXPECTED_FD s32] }
 * </pre>
 */
public final class RtNetlink implements AutoCloseable {
    static final int IFINFO = (int) IFINFOMSG.byteSize();

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

    private final NetlinkSocket socket;

    private RtNetlink(NetlinkSocket socket) {
        this.socket = socket;
    }

    /** A NETLINK_ROUTE socket in the calling thread's namespace. */
    public static RtNetlink open() throws NetringException {
        return new RtNetlink(NetlinkSocket.open(NETLINK_ROUTE, "NETLINK_ROUTE"));
    }

    /**
     * Sets {@code ifIndex}'s XDP program to {@code programFd} (-1: none) with {@code XDP_FLAGS_*}
     * {@code flags}; {@code expectedFd} (-1: not sent) is {@code IFLA_XDP_EXPECTED_FD}, which
     * XDP_FLAGS_REPLACE compares with the program attached.
     *
     * @return the kernel's answer; a refusal is an answer, not an exception
     * @throws NetringException when the socket itself fails
     */
    public Ack setXdp(int ifIndex, int programFd, int flags, int expectedFd) throws NetringException {
        ByteBuffer reply = socket.request(seq -> setXdpRequest(seq, ifIndex, programFd, flags, expectedFd));
        if (Netlink.type(reply) != NLMSG_ERROR) {
            throw LinuxErrors.failure("rtnetlink answered RTM_SETLINK with message type " + Netlink.type(reply)
                    + " instead of an acknowledgement", "RTM_SETLINK", 0);
        }
        return parseAck(reply);
    }

    /**
     * Which XDP program {@code ifIndex} has.
     *
     * @throws NetringException with errno ENODEV when there is no such interface
     */
    public XdpState xdpState(int ifIndex) throws NetringException {
        ByteBuffer reply = socket.request(seq -> getLinkRequest(seq, ifIndex));
        if (Netlink.type(reply) == NLMSG_ERROR) {
            Ack ack = parseAck(reply);
            throw LinuxErrors.failure("RTM_GETLINK of interface index " + ifIndex + " failed with "
                    + LinuxErrors.describe(ack.errno()) + (ack.message().isEmpty() ? "" : ": " + ack.message()),
                    "RTM_GETLINK", ack.errno());
        }
        return parseXdpState(reply);
    }

    /** An RTM_SETLINK request setting IFLA_XDP of {@code ifIndex}; {@code expectedFd} -1 leaves IFLA_XDP_EXPECTED_FD out. */
    static byte[] setXdpRequest(int seq, int ifIndex, int programFd, int flags, int expectedFd) {
        int u32 = Netlink.ATTR + Integer.BYTES;
        int nested = Netlink.ATTR + 2 * u32 + (expectedFd >= 0 ? u32 : 0);
        ByteBuffer b = message(RTM_SETLINK, NLM_F_REQUEST | NLM_F_ACK, seq, ifIndex, nested);
        Netlink.attribute(b, nested, IFLA_XDP | NLA_F_NESTED);
        Netlink.attribute(b, u32, IFLA_XDP_FD).putInt(programFd);
        Netlink.attribute(b, u32, IFLA_XDP_FLAGS).putInt(flags);
        if (expectedFd >= 0) {
            Netlink.attribute(b, u32, IFLA_XDP_EXPECTED_FD).putInt(expectedFd);
        }
        return b.array();
    }

    /** An RTM_GETLINK request for {@code ifIndex}. */
    static byte[] getLinkRequest(int seq, int ifIndex) {
        return message(RTM_GETLINK, NLM_F_REQUEST, seq, ifIndex, 0).array();
    }

    /** A message's nlmsghdr and ifinfomsg (family AF_UNSPEC), positioned where {@code attributes} more bytes go. */
    private static ByteBuffer message(int type, int flags, int seq, int ifIndex, int attributes) {
        ByteBuffer b = Netlink.message(Netlink.HEADER + IFINFO + attributes, type, flags, seq);
        b.putInt(Netlink.HEADER + (int) offset(IFINFOMSG, "ifi_index"), ifIndex);
        return b.position(Netlink.HEADER + IFINFO);
    }

    /** An NLMSG_ERROR message: its errno (0 for success) and the extended ack's text. */
    static Ack parseAck(ByteBuffer msg) {
        return Netlink.parseAck(msg);
    }

    /** The IFLA_XDP attribute of an RTM_NEWLINK message; {@link XdpState#NONE} without one. */
    static XdpState parseXdpState(ByteBuffer msg) {
        int xdp = Netlink.find(msg, Netlink.HEADER + IFINFO, msg.limit(), IFLA_XDP);
        if (xdp < 0) {
            return XdpState.NONE;
        }
        int from = xdp + Netlink.ATTR;
        int to = xdp + Netlink.length(msg, xdp);
        return new XdpState(Netlink.u8(msg, Netlink.find(msg, from, to, IFLA_XDP_ATTACHED)),
                Netlink.u32(msg, Netlink.find(msg, from, to, IFLA_XDP_PROG_ID)),
                Netlink.u32(msg, Netlink.find(msg, from, to, IFLA_XDP_DRV_PROG_ID)),
                Netlink.u32(msg, Netlink.find(msg, from, to, IFLA_XDP_SKB_PROG_ID)),
                Netlink.u32(msg, Netlink.find(msg, from, to, IFLA_XDP_HW_PROG_ID)));
    }

    /** Closes the socket; idempotent, from any thread. */
    @Override
    public void close() {
        socket.close();
    }
}
