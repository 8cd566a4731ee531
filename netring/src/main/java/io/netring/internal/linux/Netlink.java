package io.netring.internal.linux;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

import static io.netring.internal.linux.KernelLayouts.NLATTR;
import static io.netring.internal.linux.KernelLayouts.NLMSGHDR;
import static io.netring.internal.linux.KernelLayouts.offset;
import static io.netring.internal.linux.LinuxConstants.NLA_TYPE_MASK;
import static io.netring.internal.linux.LinuxConstants.NLMSGERR_ATTR_MSG;
import static io.netring.internal.linux.LinuxConstants.NLM_F_ACK_TLVS;

/**
 * Netlink messages as bytes ({@code linux/netlink.h}): the header, attributes (length, type,
 * value padded to 4 bytes; nested ones hold attributes) and the acknowledgement, whose extended
 * form carries the kernel's explanation of a refusal.
 *
 * <pre>
 * ack: nlmsghdr{NLMSG_ERROR} | s32 -errno | the request (its header only when capped)
 *          [| NLMSGERR_ATTR_MSG string, ... when NLM_F_ACK_TLVS]
 * </pre>
 */
final class Netlink {
    static final int HEADER = (int) NLMSGHDR.byteSize();
    static final int ATTR = (int) NLATTR.byteSize();
    private static final int ERROR_CODE = Integer.BYTES;
    private static final int NLM_F_CAPPED = 0x100;

    private Netlink() {}

    /** NLMSG_ALIGN / NLA_ALIGN: rounds up to 4 bytes. */
    static int align(int n) {
        return (n + 3) & ~3;
    }

    /** A message of {@code length} bytes with its header written, positioned after the header. */
    static ByteBuffer message(int length, int type, int flags, int seq) {
        ByteBuffer b = ByteBuffer.allocate(length).order(ByteOrder.nativeOrder());
        b.putInt((int) offset(NLMSGHDR, "nlmsg_len"), length);
        b.putShort((int) offset(NLMSGHDR, "nlmsg_type"), (short) type);
        b.putShort((int) offset(NLMSGHDR, "nlmsg_flags"), (short) flags);
        b.putInt((int) offset(NLMSGHDR, "nlmsg_seq"), seq);
        return b.position(HEADER);
    }

    /** Writes an attribute's header; its value follows. */
    static ByteBuffer attribute(ByteBuffer b, int length, int type) {
        return b.putShort((short) length).putShort((short) type);
    }

    static int type(ByteBuffer msg) {
        return Short.toUnsignedInt(msg.getShort((int) offset(NLMSGHDR, "nlmsg_type")));
    }

    /**
     * An NLMSG_ERROR message: its errno (0 for success) and the extended ack's text. The request
     * comes back after the error code, whole or (capped) its header only; the ack's attributes
     * follow it when NLM_F_ACK_TLVS is set.
     */
    static RtNetlink.Ack parseAck(ByteBuffer msg) {
        int flags = Short.toUnsignedInt(msg.getShort((int) offset(NLMSGHDR, "nlmsg_flags")));
        int errno = -msg.getInt(HEADER);
        String text = "";
        if ((flags & NLM_F_ACK_TLVS) != 0 && msg.limit() >= HEADER + ERROR_CODE + HEADER) {
            int echoed = (flags & NLM_F_CAPPED) != 0 ? HEADER
                    : align(msg.getInt(HEADER + ERROR_CODE + (int) offset(NLMSGHDR, "nlmsg_len")));
            int at = find(msg, HEADER + ERROR_CODE + echoed, msg.limit(), NLMSGERR_ATTR_MSG);
            if (at >= 0) {
                text = cString(msg, at + ATTR, length(msg, at) - ATTR);
            }
        }
        return new RtNetlink.Ack(errno, text);
    }

    /** Where the attribute of {@code type} starts among those from {@code from} to {@code to}; -1 when absent or malformed. */
    static int find(ByteBuffer msg, int from, int to, int type) {
        for (int a = from; a + ATTR <= to; ) {
            int len = length(msg, a);
            if (len < ATTR || a + len > to) {
                return -1;
            }
            if ((Short.toUnsignedInt(msg.getShort(a + (int) offset(NLATTR, "nla_type"))) & NLA_TYPE_MASK) == type) {
                return a;
            }
            a += align(len);
        }
        return -1;
    }

    /** The length of the attribute at {@code at}, header included. */
    static int length(ByteBuffer msg, int at) {
        return Short.toUnsignedInt(msg.getShort(at + (int) offset(NLATTR, "nla_len")));
    }

    /** The u8 value of the attribute at {@code at}; 0 when absent (-1) or short. */
    static int u8(ByteBuffer msg, int at) {
        return at < 0 || length(msg, at) < ATTR + 1 ? 0 : Byte.toUnsignedInt(msg.get(at + ATTR));
    }

    /** The u16 value of the attribute at {@code at}; 0 when absent (-1) or short. */
    static int u16(ByteBuffer msg, int at) {
        return at < 0 || length(msg, at) < ATTR + Short.BYTES ? 0 : Short.toUnsignedInt(msg.getShort(at + ATTR));
    }

    /** The u32 value of the attribute at {@code at}; 0 when absent (-1) or short. */
    static int u32(ByteBuffer msg, int at) {
        return at < 0 || length(msg, at) < ATTR + Integer.BYTES ? 0 : msg.getInt(at + ATTR);
    }

    /** The u64 value of the attribute at {@code at}; 0 when absent (-1) or short. */
    static long u64(ByteBuffer msg, int at) {
        return at < 0 || length(msg, at) < ATTR + Long.BYTES ? 0 : msg.getLong(at + ATTR);
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
}
