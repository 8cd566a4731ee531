package io.netring.internal.xdp;

import io.netring.NetringException;
import io.netring.afpacket.Leaks;
import io.netring.afpacket.ResourceGuard;
import io.netring.internal.linux.Bpf;
import io.netring.internal.linux.Errno;
import io.netring.internal.linux.InterfaceQuery;
import io.netring.internal.linux.LinuxErrors;
import io.netring.internal.linux.NetdevFamily;
import io.netring.internal.linux.RtNetlink;
import io.netring.xdp.XdpAttachMode;

import java.lang.ref.Cleaner;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.netring.internal.linux.LinuxConstants.*;

/**
 * An XDP program attached to an interface through rtnetlink ({@code RTM_SETLINK} with
 * {@code IFLA_XDP}), in pure Java. It never silently replaces a program someone else attached,
 * and removes its own on {@link #close()}, on a leaked handle (the cleaner) and at normal JVM
 * exit (one shutdown hook for all), each time only while the program attached is still ours.
 *
 * <p>The handle keeps the rtnetlink socket it attached through, since a socket opened later on
 * the cleaner's or the hook's thread would be in another network namespace, and its own fd of
 * the program, so the detach can name it after the program's owner closed it. The rules in full
 * are in docs/ARCHITECTURE.md, "AF_XDP: the program and its attachment".
 */
public final class XdpAttachment implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("io.netring");
    /** What the shutdown hook detaches: the state of live attachments, never the handles, which must stay collectable. */
    private static final Set<Detach> LIVE = ConcurrentHashMap.newKeySet();
    private static final AtomicBoolean HOOK_ADDED = new AtomicBoolean();

    private final String interfaceName;
    private final int programId;
    private final XdpAttachMode mode;
    private final int replacedProgramId;
    private final ResourceGuard guard;
    private final Cleaner.Cleanable cleanable;

    /**
     * What {@link #query} finds on an interface.
     *
     * @param interfaceName the interface asked about
     * @param attached how a program is attached: "none", "native", "generic", "offload" or "multi"
     * @param programId the attached program's id, 0 for none (with "multi", the native one's)
     * @param driver the driver's name ("veth", "ixgbe"), null when it does not say
     * @param xdpFeatures the driver's XDP actions ("basic", "redirect", "xsk-zerocopy" …), null
     *     when the kernel cannot say (before 6.3)
     * @param zeroCopyMaxSegments the buffers a zero-copy frame may span, 0 when not known
     */
    public record XdpInfo(String interfaceName, String attached, int programId, String driver, List<String> xdpFeatures,
                          int zeroCopyMaxSegments) {
        /** True when the driver supports zero-copy AF_XDP, as far as the kernel says. */
        public boolean zeroCopy() {
            return xdpFeatures != null && xdpFeatures.contains("xsk-zerocopy");
        }

        /** True when the interface has an XDP program. */
        public boolean hasProgram() {
            return programId != 0;
        }
    }

    private XdpAttachment(String interfaceName, int programId, XdpAttachMode mode, int replacedProgramId, Detach detach) {
        this.interfaceName = interfaceName;
        this.programId = programId;
        this.mode = mode;
        this.replacedProgramId = replacedProgramId;
        this.guard = new ResourceGuard(detach);
        this.cleanable = Leaks.watch(this, guard, "an XDP program attachment on " + interfaceName + " (program id "
                + programId + ")", "detached the program");
    }

    /**
     * Attaches program {@code programFd} to {@code interfaceName} (in the calling thread's
     * network namespace) in {@code mode}.
     *
     * <p>Without {@code replace} the request carries {@code XDP_FLAGS_UPDATE_IF_NOEXIST}, and
     * the refusal names the program there (id and mode) and how to remove it. With it, exactly
     * the program seen is replaced ({@code XDP_FLAGS_REPLACE} with {@code IFLA_XDP_EXPECTED_FD},
     * an fd got from its id, which needs CAP_SYS_ADMIN); without that capability it is a plain
     * replace, which takes the place of whatever is attached at that moment.
     *
     * @param replace replace a program already attached in that mode (false: refuse, naming it)
     * @throws io.netring.InterfaceNotFoundException when the interface does not exist
     * @throws io.netring.PermissionDeniedException without CAP_NET_ADMIN
     * @throws NetringException when the kernel refuses; the message gives its reason and the fix
     */
    public static XdpAttachment attach(String interfaceName, int programFd, XdpAttachMode mode, boolean replace)
            throws NetringException {
        Objects.requireNonNull(interfaceName, "interfaceName");
        Objects.requireNonNull(mode, "mode");
        int ifIndex = InterfaceQuery.index(interfaceName);
        int programId = Bpf.progId(programFd);
        RtNetlink nl = RtNetlink.open();
        int heldFd = -1;
        try {
            heldFd = Bpf.duplicate(programFd);
            Attached done = mode == XdpAttachMode.AUTO
                    ? attachAuto(nl, interfaceName, ifIndex, programFd, replace)
                    : attachIn(nl, interfaceName, ifIndex, programFd, mode, replace);
            Detach detach = new Detach(nl, interfaceName, ifIndex, programId, heldFd, modeFlag(done.mode()));
            XdpAttachment a = new XdpAttachment(interfaceName, programId, done.mode(), done.replacedId(), detach);
            LIVE.add(detach);
            addHookOnce();
            return a;
        } catch (NetringException | RuntimeException e) {
            if (heldFd >= 0) {
                Bpf.close(heldFd);
            }
            nl.close();
            throw e;
        }
    }

    /** The mode a program went in, and the id of the program it replaced (0: none). */
    private record Attached(XdpAttachMode mode, int replacedId) {}

    private static Attached attachAuto(RtNetlink nl, String name, int ifIndex, int programFd, boolean replace)
            throws NetringException {
        try {
            return attachIn(nl, name, ifIndex, programFd, XdpAttachMode.NATIVE, replace);
        } catch (NetringException e) {
            if (e.errno() != Errno.EOPNOTSUPP) {
                throw e;
            }
            LOG.log(System.Logger.Level.INFO, "the driver of " + name + " has no native XDP; attaching the program generically");
            return attachIn(nl, name, ifIndex, programFd, XdpAttachMode.GENERIC, replace);
        }
    }

    private static Attached attachIn(RtNetlink nl, String name, int ifIndex, int programFd, XdpAttachMode mode,
                                     boolean replace) throws NetringException {
        int modeFlag = modeFlag(mode);
        if (!replace) {
            RtNetlink.Ack ack = nl.setXdp(ifIndex, programFd, modeFlag | XDP_FLAGS_UPDATE_IF_NOEXIST, -1);
            if (!ack.ok()) {
                throw XdpAttachErrors.refused(nl, name, ifIndex, mode, ack);
            }
            return new Attached(mode, 0);
        }
        int current = nl.xdpState(ifIndex).programIn(modeFlag);
        RtNetlink.Ack ack;
        if (current == 0) {
            ack = nl.setXdp(ifIndex, programFd, modeFlag, -1);
        } else {
            int expectedFd = expectedFd(current);
            try {
                ack = expectedFd < 0 ? nl.setXdp(ifIndex, programFd, modeFlag, -1)
                        : nl.setXdp(ifIndex, programFd, modeFlag | XDP_FLAGS_REPLACE, expectedFd);
            } finally {
                if (expectedFd >= 0) {
                    Bpf.close(expectedFd);
                }
            }
        }
        if (!ack.ok()) {
            throw XdpAttachErrors.refused(nl, name, ifIndex, mode, ack);
        }
        if (current != 0) {
            LOG.log(System.Logger.Level.INFO, "replaced XDP program " + current + " on " + name + " as asked");
        }
        return new Attached(mode, current);
    }

    /** An fd of program {@code id}, to replace exactly it; -1 when the kernel will not give one (no CAP_SYS_ADMIN, gone). */
    private static int expectedFd(int id) {
        try {
            return Bpf.progFdById(id);
        } catch (NetringException e) {
            LOG.log(System.Logger.Level.DEBUG, "replacing XDP program " + id + " without naming it: " + e.getMessage());
            return -1;
        }
    }

    static int modeFlag(XdpAttachMode mode) {
        return mode == XdpAttachMode.GENERIC ? XDP_FLAGS_SKB_MODE : XDP_FLAGS_DRV_MODE;
    }

    /**
     * Which XDP program {@code interfaceName} has, if any, its driver and the driver's XDP
     * features (SIOCETHTOOL ETHTOOL_GDRVINFO, generic netlink "netdev" NETDEV_CMD_DEV_GET).
     *
     * @throws io.netring.InterfaceNotFoundException when the interface does not exist
     */
    public static XdpInfo query(String interfaceName) throws NetringException {
        int ifIndex = InterfaceQuery.index(interfaceName);
        RtNetlink.XdpState s;
        try (RtNetlink nl = RtNetlink.open()) {
            s = nl.xdpState(ifIndex);
        }
        String driver;
        try (InterfaceQuery q = InterfaceQuery.open(interfaceName)) {
            driver = q.driverName();
        }
        NetdevFamily.XdpFeatures features = NetdevFamily.xdpFeatures(ifIndex);
        return new XdpInfo(interfaceName, XdpAttachErrors.attachedName(s.attached()), s.anyProgramId(), driver,
                features == null ? null : features.names(), features == null ? 0 : features.zeroCopyMaxSegments());
    }

    /** The attached program's id, as {@code ip link} shows it. */
    public int programId() {
        return programId;
    }

    /** The interface's name. */
    public String interfaceName() {
        return interfaceName;
    }

    /** How the program was attached: {@link XdpAttachMode#NATIVE} or {@link XdpAttachMode#GENERIC}, never AUTO. */
    public XdpAttachMode mode() {
        return mode;
    }

    /** The id of the program this attachment replaced when asked to; 0 when there was none. */
    public int replacedProgramId() {
        return replacedProgramId;
    }

    /** True once closed (or detached by the cleaner or at exit). */
    public boolean isClosed() {
        return guard.isClosed();
    }

    /**
     * Detaches the program if it is still the one attached: ids are compared first, and the
     * request carries {@code XDP_FLAGS_REPLACE} with our program as {@code IFLA_XDP_EXPECTED_FD},
     * so a program attached after ours is never removed. An interface deleted meanwhile is not
     * an error. Idempotent, from any thread. (A process killed outright leaves its program:
     * {@code ip link set dev IF xdp off} removes it.)
     */
    @Override
    public void close() {
        guard.close();
        cleanable.clean();
    }

    @Override
    public String toString() {
        return "XdpAttachment[" + interfaceName + ", program " + programId + ", " + mode + "]";
    }

    private static void addHookOnce() {
        if (HOOK_ADDED.compareAndSet(false, true)) {
            Runtime.getRuntime().addShutdownHook(new Thread(XdpAttachment::detachAllAtExit, "netring-xdp-detach"));
        }
    }

    private static void detachAllAtExit() {
        List<Detach> left = List.copyOf(LIVE);
        for (Detach d : left) {
            d.run();
        }
        if (!left.isEmpty()) {
            LOG.log(System.Logger.Level.DEBUG, "detached " + left.size() + " XDP program(s) at exit");
        }
    }

    /**
     * Removes the program while it is still ours, once, whoever asks first (close, cleaner,
     * shutdown hook); then closes the netlink socket and our fd of the program. Never throws.
     */
    private static final class Detach implements Runnable {
        private final RtNetlink nl;
        private final String interfaceName;
        private final int ifIndex;
        private final int programId;
        private final int heldFd;
        private final int modeFlag;
        private final AtomicBoolean done = new AtomicBoolean();

        Detach(RtNetlink nl, String interfaceName, int ifIndex, int programId, int heldFd, int modeFlag) {
            this.nl = nl;
            this.interfaceName = interfaceName;
            this.ifIndex = ifIndex;
            this.programId = programId;
            this.heldFd = heldFd;
            this.modeFlag = modeFlag;
        }

        @Override
        public void run() {
            if (!done.compareAndSet(false, true)) {
                return;
            }
            LIVE.remove(this);
            try {
                detach();
            } finally {
                Bpf.close(heldFd);
                nl.close();
            }
        }

        private void detach() {
            try {
                int there = nl.xdpState(ifIndex).programIn(modeFlag);
                if (there != programId) {
                    LOG.log(System.Logger.Level.DEBUG, "XDP program " + programId + " is no longer attached to "
                            + interfaceName + " (now: " + (there == 0 ? "none" : "program " + there) + "); left as it is");
                    return;
                }
                RtNetlink.Ack ack = nl.setXdp(ifIndex, -1, modeFlag | XDP_FLAGS_REPLACE, heldFd);
                // ENODEV: the interface went meanwhile; EEXIST: another program replaced ours meanwhile.
                if (!ack.ok() && ack.errno() != Errno.ENODEV && ack.errno() != Errno.EEXIST) {
                    warn(XdpAttachErrors.withKernelText(LinuxErrors.describe(ack.errno()), ack));
                }
            } catch (NetringException e) {
                if (e.errno() != Errno.ENODEV) {
                    warn(e.getMessage());
                }
            } catch (RuntimeException e) {
                warn(e.toString());
            }
        }

        private void warn(String why) {
            LOG.log(System.Logger.Level.WARNING, "could not detach XDP program " + programId + " from " + interfaceName
                    + ": " + why + "; remove it with `ip link set dev " + interfaceName + " xdp off`");
        }
    }
}
