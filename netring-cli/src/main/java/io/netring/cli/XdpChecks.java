package io.netring.cli;

import io.netring.InterfaceNotFoundException;
import io.netring.NetringException;
import io.netring.internal.linux.InterfaceQuery;
import io.netring.internal.linux.LinuxSocket;
import io.netring.internal.linux.Syscalls;
import io.netring.internal.xdp.XdpAttachment;

import static io.netring.internal.linux.LinuxConstants.AF_XDP;
import static io.netring.internal.linux.LinuxConstants.SOCK_CLOEXEC;
import static io.netring.internal.linux.LinuxConstants.SOCK_RAW;

/**
 * {@code netring doctor}'s AF_XDP lines: whether this kernel gives AF_XDP sockets and, for an
 * interface, its driver, its RX queues and any XDP program already on it, each with what it
 * means for {@code --xdp}. Nothing is attached or bound: these only ask.
 */
final class XdpChecks {
    private final DoctorCommand.Outcome ok;
    private final DoctorCommand.Outcome warn;
    private final DoctorCommand.Outcome fail;

    XdpChecks(DoctorCommand.Outcome ok, DoctorCommand.Outcome warn, DoctorCommand.Outcome fail) {
        this.ok = ok;
        this.warn = warn;
        this.fail = fail;
    }

    /** The socket check, then those of {@code interfaceName} when one is given. */
    void run(String interfaceName) {
        sockets();
        if (interfaceName != null) {
            try {
                driverAndQueues(interfaceName);
                program(interfaceName);
            } catch (InterfaceNotFoundException e) {
                fail.report("interface " + interfaceName + " not found", "see `ip link` for the interfaces here");
            } catch (NetringException e) {
                warn.report("cannot ask " + interfaceName + " about XDP", e.getMessage());
            }
        }
    }

    /** Opening one (and closing it at once) is the only sure test: CONFIG_XDP_SOCKETS, capabilities, seccomp. */
    private void sockets() {
        int fd = LinuxSocket.create(AF_XDP, SOCK_RAW | SOCK_CLOEXEC, 0);
        if (fd >= 0) {
            Syscalls.close(fd);
            ok.report("AF_XDP sockets available (--xdp)", null);
        } else {
            warn.report("cannot open an AF_XDP socket: " + Syscalls.strerror(-fd),
                    "--xdp needs Linux 4.18+ with CONFIG_XDP_SOCKETS, CAP_NET_RAW and CAP_BPF (or root); "
                            + "AF_PACKET capture is not affected");
        }
    }

    private void driverAndQueues(String name) throws NetringException {
        String driver;
        int queues;
        try (InterfaceQuery q = InterfaceQuery.open(name)) {
            driver = q.driverName();
            queues = q.rxQueueCount();
        }
        String rx = queues < 0 ? "RX queue count not reported (--queue 0 reads the first)"
                : queues == 1 ? "1 RX queue (--queue 0)"
                : queues + " RX queues (--queue 0 to " + (queues - 1) + ", or --all-queues)";
        String line = name + ": driver " + (driver == null ? "not reported" : driver) + ", " + rx;
        if ("veth".equals(driver)) {
            ok.report(line + "; veth has native XDP and copy mode only (--xdp-mode zc is refused)", null);
        } else {
            ok.report(line, null);
        }
    }

    private void program(String name) throws NetringException {
        XdpAttachment.XdpInfo info = XdpAttachment.query(name);
        if (!info.hasProgram()) {
            ok.report(name + ": no XDP program attached (--xdp attaches its own and removes it on exit)", null);
        } else {
            warn.report(name + ": XDP program id " + info.programId() + " attached (" + info.attached() + ")",
                    "--xdp refuses to replace it: remove it with `ip link set dev " + name + " xdp off`, "
                            + "or pass --xdp-replace to take its place");
        }
    }
}
