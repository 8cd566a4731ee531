package io.netring.internal.xdp;

import io.netring.NetringException;
import io.netring.afpacket.Leaks;
import io.netring.afpacket.ResourceGuard;
import io.netring.internal.linux.Bpf;
import io.netring.internal.linux.Errno;
import io.netring.internal.linux.InterfaceQuery;
import io.netring.internal.linux.LinuxErrors;
import io.netring.internal.linux.RtNetlink;
import io.netring.xdp.XdpAttachMode;

import java.lang.ref.Cleaner;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import static io.netring.internal.linux.LinuxConstants.*;

/**
 * An XDP program attached to an interface through rtnetlink ({@code RTM_SETLINK},
 * {@code IFLA_XDP}). It never replaces a program someone else attached unless asked to
 * ({@code XDP_FLAGS_UPDATE_IF_NOEXIST}; the refusal names the program there and how to remove
 * it). It detaches on {@link #close()}, on a leaked handle (the cleaner) and at normal JVM exit
 * (one shutdown hook for all), each time only when the attached program is still ours (by id),
 * so closing late never removes a program attached after ours was replaced. A process killed
 * outright leaves the program attached: {@code ip link set dev IF xdp off} removes it.
 */
public final class XdpAttachment implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("io.netring");
    private static final String CAPABILITY = "CAP_NET_ADMIN (and CAP_BPF for the program)";
    /** Attachments not yet detached, for the shutdown hook. */
    private static final Set<XdpAttachment> LIVE = new LinkedHashSet<>();
    private static boolean hookAdded;

    private final String interfaceName;
    private final int ifIndex;
    private final int programId;
    private final XdpAttachMode mode;
    private final ResourceGuard guard;
    private final Cleaner.Cleanable cleanable;

    /** What {@link #query} finds on an interface: how a program is attached (none, driver, generic …) and its id. */
    public record XdpInfo(String interfaceName, String attached, int programId) {
        /** True when the interface has an XDP program. */
        public boolean hasProgram() {
            return programId != 0;
        }
    }

    private XdpAttachment(String interfaceName, int ifIndex, int programId, XdpAttachMode mode) {
        this.interfaceName = interfaceName;
        this.ifIndex = ifIndex;
        this.programId = programId;
        this.mode = mode;
        Detach detach = new Detach(interfaceName, ifIndex, programId, modeFlag(mode));
        this.guard = new ResourceGuard(detach);
        this.cleanable = Leaks.watch(this, guard, "an XDP program attachment on " + interfaceName + " (program id "
                + programId + ")", "detached the program");
    }

    /**
     * Attaches program {@code programFd} to {@code interfaceName} in {@code mode}.
     *
     * @param replace replace a program already attached (false: refuse, naming it)
     * @throws io.netring.InterfaceNotFoundException when the interface does not exist
     * @throws io.netring.PermissionDeniedException without CAP_NET_ADMIN
     * @throws NetringException when the kernel refuses; the message gives its reason
     */
    public static XdpAttachment attach(String interfaceName, int programFd, XdpAttachMode mode, boolean replace)
            throws NetringException {
        int ifIndex = InterfaceQuery.index(interfaceName);
        int id = Bpf.progId(programFd);
        int flags = modeFlag(mode) | (replace ? 0 : XDP_FLAGS_UPDATE_IF_NOEXIST);
        try (RtNetlink nl = RtNetlink.open()) {
            RtNetlink.Ack ack = nl.setXdp(ifIndex, programFd, flags, -1);
            if (ack.errno() != 0) {
                throw refusal(nl, interfaceName, ifIndex, mode, ack);
            }
        }
        XdpAttachment a = new XdpAttachment(interfaceName, ifIndex, id, mode);
        synchronized (LIVE) {
            LIVE.add(a);
            if (!hookAdded) {
                hookAdded = true;
                Runtime.getRuntime().addShutdownHook(new Thread(XdpAttachment::detachAllAtExit, "netring-xdp-detach"));
            }
        }
        return a;
    }

    private static NetringException refusal(RtNetlink nl, String name, int ifIndex, XdpAttachMode mode,
                                             RtNetlink.Ack ack) throws NetringException {
        int errno = ack.errno();
        String kernel = ack.message().isEmpty() ? "" : " (the kernel: \"" + ack.message() + "\")";
        String call = "RTM_SETLINK(IFLA_XDP)";
        if (errno == Errno.EBUSY || errno == Errno.EEXIST) {
            RtNetlink.XdpState there = nl.xdpState(ifIndex);
            return LinuxErrors.failure("interface " + name + " already has an XDP program (id " + there.programId()
                    + ", attached " + attachedName(there.attached()) + ")" + kernel + "; netring does not replace "
                    + "another program unless asked to (replaceProgram(true)); remove it with `ip link set dev "
                    + name + " xdp off`", call, errno);
        }
        if (errno == Errno.EOPNOTSUPP && mode == XdpAttachMode.NATIVE) {
            return LinuxErrors.failure("the driver of " + name + " has no native XDP" + kernel
                    + "; attach generically instead (XdpAttachMode.GENERIC, --xdp-attach generic)", call, errno);
        }
        if (errno == Errno.ENODEV) {
            return LinuxErrors.interfaceNotFound(name, call, errno);
        }
        return LinuxErrors.exception(call, errno, CAPABILITY, "attaching an XDP program to " + name
                + (ack.message().isEmpty() ? "" : " (the kernel: \"" + ack.message() + "\")"));
    }

    private static int modeFlag(XdpAttachMode mode) {
        return mode == XdpAttachMode.GENERIC ? XDP_FLAGS_SKB_MODE : XDP_FLAGS_DRV_MODE;
    }

    private static String attachedName(int attached) {
        return switch (attached) {
            case XDP_ATTACHED_DRV -> "in the driver";
            case XDP_ATTACHED_SKB -> "generically";
            case XDP_ATTACHED_HW -> "offloaded to the NIC";
            case XDP_ATTACHED_MULTI -> "in several modes";
            default -> "in mode " + attached;
        };
    }

    /**
     * Which XDP program {@code interfaceName} has, if any.
     *
     * @throws io.netring.InterfaceNotFoundException when the interface does not exist
     */
    public static XdpInfo query(String interfaceName) throws NetringException {
        int ifIndex = InterfaceQuery.index(interfaceName);
        try (RtNetlink nl = RtNetlink.open()) {
            RtNetlink.XdpState s = nl.xdpState(ifIndex);
            String attached = s.attached() == XDP_ATTACHED_NONE ? "none" : switch (s.attached()) {
                case XDP_ATTACHED_DRV -> "native";
                case XDP_ATTACHED_SKB -> "generic";
                case XDP_ATTACHED_HW -> "offload";
                default -> "multi";
            };
            return new XdpInfo(interfaceName, attached, s.programId());
        }
    }

    /** The attached program's id, as {@code ip link} shows it. */
    public int programId() {
        return programId;
    }

    /** The interface's name. */
    public String interfaceName() {
        return interfaceName;
    }

    /** How the program was attached. */
    public XdpAttachMode mode() {
        return mode;
    }

    /** Detaches the program if it is still the one attached; idempotent, from any thread. */
    @Override
    public void close() {
        synchronized (LIVE) {
            LIVE.remove(this);
        }
        guard.close();
        cleanable.clean();
    }

    private static void detachAllAtExit() {
        List<XdpAttachment> left;
        synchronized (LIVE) {
            left = List.copyOf(LIVE);
        }
        for (XdpAttachment a : left) {
            a.close();
        }
    }

    @Override
    public String toString() {
        return "XdpAttachment[" + interfaceName + ", program " + programId + ", " + mode + "]";
    }

    /** Removes the program when it is still ours; the interface may be gone, which is fine. Never throws. */
    private record Detach(String interfaceName, int ifIndex, int programId, int modeFlag) implements Runnable {
        @Override
        public void run() {
            try (RtNetlink nl = RtNetlink.open()) {
                RtNetlink.XdpState s = nl.xdpState(ifIndex);
                if (s.programId() != programId) {
                    return;                     // replaced by someone else, or already gone
                }
                RtNetlink.Ack ack = nl.setXdp(ifIndex, -1, modeFlag, -1);
                if (ack.errno() != 0 && ack.errno() != Errno.ENODEV) {
                    LOG.log(System.Logger.Level.WARNING, "could not detach XDP program " + programId + " from "
                            + interfaceName + ": " + LinuxErrors.describe(ack.errno()) + " " + ack.message()
                            + "; remove it with `ip link set dev " + interfaceName + " xdp off`");
                }
            } catch (NetringException | RuntimeException e) {
                // The interface is gone (ENODEV from RTM_GETLINK) or netlink failed: nothing to undo, or nothing we can.
                if (!(e instanceof NetringException ne && ne.errno() == Errno.ENODEV)) {
                    LOG.log(System.Logger.Level.DEBUG, "XDP detach on " + interfaceName + ": " + e.getMessage());
                }
            }
        }
    }
}
