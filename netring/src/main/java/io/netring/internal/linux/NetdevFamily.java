package io.netring.internal.linux;

import io.netring.NetringException;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static io.netring.internal.linux.KernelLayouts.GENLMSGHDR;
import static io.netring.internal.linux.KernelLayouts.offset;
import static io.netring.internal.linux.LinuxConstants.*;

/**
 * What a device's driver says of its XDP support, through the "netdev" generic netlink family
 * (Linux 6.3): {@code NETDEV_CMD_DEV_GET} answers with {@code NETDEV_A_DEV_XDP_FEATURES} (which
 * XDP actions, zero-copy AF_XDP among them) and {@code NETDEV_A_DEV_XDP_ZC_MAX_SEGS}. The
 * family's id is found by name through the generic netlink controller first.
 */
public final class NetdevFamily {
    private static final int GENL = (int) GENLMSGHDR.byteSize();
    private static final int FAMILY_VERSION = 1;
    /** {@code enum netdev_xdp_act}, bit by bit, as {@code ynl} names them. */
    private static final String[] ACTIONS = {"basic", "redirect", "ndo-xmit", "xsk-zerocopy", "hw-offload", "rx-sg",
            "ndo-xmit-sg"};

    private NetdevFamily() {}

    /**
     * A device's XDP features.
     *
     * @param actions the {@code netdev_xdp_act} bits
     * @param zeroCopyMaxSegments how many buffers a zero-copy frame may span (1 without multi-buffer)
     */
    public record XdpFeatures(long actions, int zeroCopyMaxSegments) {
        /** The actions by name ("basic", "redirect", "xsk-zerocopy" …), in bit order. */
        public List<String> names() {
            List<String> names = new ArrayList<>();
            for (int bit = 0; bit < 64; bit++) {
                if ((actions & (1L << bit)) != 0) {
                    names.add(bit < ACTIONS.length ? ACTIONS[bit] : "bit " + bit);
                }
            }
            return names;
        }
    }

    /**
     * The XDP features of interface {@code ifIndex} in the calling thread's namespace; null when
     * this kernel has no "netdev" family (before 6.3).
     *
     * @throws NetringException when the kernel refuses (ENODEV: no such interface)
     */
    public static XdpFeatures xdpFeatures(int ifIndex) throws NetringException {
        try (NetlinkSocket socket = NetlinkSocket.open(NETLINK_GENERIC, "NETLINK_GENERIC")) {
            ByteBuffer family = socket.request(NetdevFamily::familyRequest);
            if (Netlink.type(family) == NLMSG_ERROR) {
                return null;                                // ENOENT: no such family here
            }
            int id = Netlink.u16(family, Netlink.find(family, Netlink.HEADER + GENL, family.limit(), CTRL_ATTR_FAMILY_ID));
            ByteBuffer dev = socket.request(seq -> devGetRequest(seq, id, ifIndex));
            if (Netlink.type(dev) == NLMSG_ERROR) {
                RtNetlink.Ack ack = Netlink.parseAck(dev);
                throw LinuxErrors.failure("NETDEV_CMD_DEV_GET of interface index " + ifIndex + " failed with "
                        + LinuxErrors.describe(ack.errno()) + (ack.message().isEmpty() ? "" : ": " + ack.message()),
                        "NETDEV_CMD_DEV_GET", ack.errno());
            }
            return parseDevice(dev);
        }
    }

    /** CTRL_CMD_GETFAMILY for the family named "netdev". */
    static byte[] familyRequest(int seq) {
        byte[] name = "netdev\0".getBytes(StandardCharsets.US_ASCII);
        int attr = Netlink.ATTR + name.length;
        ByteBuffer b = genl(Netlink.HEADER + GENL + Netlink.align(attr), GENL_ID_CTRL, seq, CTRL_CMD_GETFAMILY);
        Netlink.attribute(b, attr, CTRL_ATTR_FAMILY_NAME).put(name);
        return b.array();
    }

    /** NETDEV_CMD_DEV_GET for {@code ifIndex}, to the family whose id is {@code familyId}. */
    static byte[] devGetRequest(int seq, int familyId, int ifIndex) {
        int attr = Netlink.ATTR + Integer.BYTES;
        ByteBuffer b = genl(Netlink.HEADER + GENL + attr, familyId, seq, NETDEV_CMD_DEV_GET);
        Netlink.attribute(b, attr, NETDEV_A_DEV_IFINDEX).putInt(ifIndex);
        return b.array();
    }

    private static ByteBuffer genl(int length, int type, int seq, int command) {
        ByteBuffer b = Netlink.message(length, type, NLM_F_REQUEST, seq);
        b.put(Netlink.HEADER + (int) offset(GENLMSGHDR, "cmd"), (byte) command);
        b.put(Netlink.HEADER + (int) offset(GENLMSGHDR, "version"), (byte) FAMILY_VERSION);
        return b.position(Netlink.HEADER + GENL);
    }

    /** The features in a NETDEV_CMD_DEV_GET answer. */
    static XdpFeatures parseDevice(ByteBuffer msg) {
        int from = Netlink.HEADER + GENL;
        return new XdpFeatures(Netlink.u64(msg, Netlink.find(msg, from, msg.limit(), NETDEV_A_DEV_XDP_FEATURES)),
                Netlink.u32(msg, Netlink.find(msg, from, msg.limit(), NETDEV_A_DEV_XDP_ZC_MAX_SEGS)));
    }
}
