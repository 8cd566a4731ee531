package io.netring.internal.xdp;

import io.netring.NetringException;
import io.netring.internal.linux.Errno;
import io.netring.internal.linux.LinuxErrors;
import io.netring.internal.linux.RtNetlink;
import io.netring.xdp.XdpAttachMode;

import static io.netring.internal.linux.LinuxConstants.XDP_ATTACHED_DRV;
import static io.netring.internal.linux.LinuxConstants.XDP_ATTACHED_HW;
import static io.netring.internal.linux.LinuxConstants.XDP_ATTACHED_MULTI;
import static io.netring.internal.linux.LinuxConstants.XDP_ATTACHED_NONE;
import static io.netring.internal.linux.LinuxConstants.XDP_ATTACHED_SKB;

/**
 * Words a refused XDP attach as something a user can act on: the program already there (its id,
 * its mode, the command that removes it), the driver without native XDP, the missing
 * capability. The kernel's extended ack text, when it sent one, is in every message.
 */
final class XdpAttachErrors {
    static final String CALL = "RTM_SETLINK(IFLA_XDP)";
    static final String CAPABILITY = "CAP_NET_ADMIN (and CAP_BPF, or CAP_SYS_ADMIN, for the program)";

    private XdpAttachErrors() {}

    /** The exception for the kernel's refusal {@code ack} of an attach to {@code name} in {@code mode}. */
    static NetringException refused(RtNetlink nl, String name, int ifIndex, XdpAttachMode mode, RtNetlink.Ack ack) {
        int errno = ack.errno();
        String how = mode == XdpAttachMode.GENERIC ? "generically" : "natively";
        if (errno == Errno.ENODEV) {
            return LinuxErrors.interfaceNotFound(name, CALL, errno);
        }
        if (errno == Errno.EBUSY || errno == Errno.EEXIST) {
            RtNetlink.XdpState there = stateOrNull(nl, ifIndex);
            if (there != null && there.anyProgramId() != 0) {
                return LinuxErrors.failure(withKernelText("interface " + name + " already has an XDP program (id "
                        + there.anyProgramId() + ", attached " + adverb(there.attached()) + "); netring does not replace"
                        + " a program it did not attach unless asked to (replace)", ack)
                        + "; remove it with `ip link set dev " + name + " xdp off`", CALL, errno);
            }
        }
        if (errno == Errno.EOPNOTSUPP && mode == XdpAttachMode.NATIVE) {
            String driver = XskBindErrors.driver(name);
            return LinuxErrors.failure(withKernelText("the driver of " + name + (driver == null ? "" : " (" + driver + ")")
                    + " has no native XDP (" + LinuxErrors.describe(errno) + ")", ack)
                    + "; attach generically: XdpAttachMode.GENERIC, or AUTO, which falls back to it", CALL, errno);
        }
        return LinuxErrors.exception(CALL, errno, CAPABILITY,
                withKernelText("attaching an XDP program to " + name + " " + how, ack));
    }

    /** {@code text}, then the kernel's own words in parentheses when the ack carried them. */
    static String withKernelText(String text, RtNetlink.Ack ack) {
        return ack.message().isEmpty() ? text : text + " (the kernel says: \"" + ack.message() + "\")";
    }

    /** How {@code attached} (XDP_ATTACHED_*) reads in {@link XdpAttachment.XdpInfo}. */
    static String attachedName(int attached) {
        return switch (attached) {
            case XDP_ATTACHED_NONE -> "none";
            case XDP_ATTACHED_DRV -> "native";
            case XDP_ATTACHED_SKB -> "generic";
            case XDP_ATTACHED_HW -> "offload";
            case XDP_ATTACHED_MULTI -> "multi";
            default -> "mode " + attached;
        };
    }

    private static String adverb(int attached) {
        return switch (attached) {
            case XDP_ATTACHED_DRV -> "natively, in the driver";
            case XDP_ATTACHED_SKB -> "generically";
            case XDP_ATTACHED_HW -> "offloaded to the NIC";
            case XDP_ATTACHED_MULTI -> "in several modes";
            default -> "in mode " + attached;
        };
    }

    private static RtNetlink.XdpState stateOrNull(RtNetlink nl, int ifIndex) {
        try {
            return nl.xdpState(ifIndex);
        } catch (NetringException | RuntimeException e) {
            return null;
        }
    }
}
