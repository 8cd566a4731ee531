package io.netring.afpacket;

import io.netring.NetringException;
import io.netring.internal.linux.Errno;
import io.netring.internal.linux.InterfaceQuery;
import io.netring.internal.linux.LinuxErrors;

import java.lang.foreign.Arena;

import static io.netring.internal.linux.LinuxConstants.*;

/**
 * Joins a packet socket to a fanout group. The kernel only lets a bound socket on an interface
 * that is up join, so this comes after {@code bind}; a CBPF/EBPF steering program goes in with
 * PACKET_FANOUT_DATA once the socket is a member.
 */
public final class Fanout {
    private Fanout() {}

    /**
     * Joins the group and installs its program.
     * @return the group id, as the kernel reports it (the kernel's choice under UNIQUE_ID)
     */
    public static int join(PacketSocket socket, FanoutSpec spec) throws NetringException {
        int r = socket.trySetInt(SOL_PACKET, PACKET_FANOUT, spec.optionValue());
        if (r < 0) {
            throw joinFailed(socket, spec, -r);
        }
        if (spec.cbpf() != null) {
            try (Arena arena = Arena.ofConfined()) {
                int d = socket.trySetStruct(SOL_PACKET, PACKET_FANOUT_DATA, SocketFilters.fprog(arena, spec.cbpf()));
                if (d < 0) {
                    throw LinuxErrors.exception("setsockopt(PACKET_FANOUT_DATA)", -d, "CAP_NET_RAW",
                            "the kernel rejected the CBPF steering program of fanout " + spec.description() + " on "
                                    + socket.interfaceName());
                }
            }
        } else if (spec.ebpfFd() >= 0) {
            int d = socket.trySetInt(SOL_PACKET, PACKET_FANOUT_DATA, spec.ebpfFd());
            if (d < 0) {
                throw LinuxErrors.exception("setsockopt(PACKET_FANOUT_DATA)", -d, "CAP_NET_RAW",
                        "the kernel rejected the eBPF steering program of fanout " + spec.description() + " on "
                                + socket.interfaceName());
            }
        }
        // getsockopt(PACKET_FANOUT) answers id | type << 16 | flags << 24.
        return socket.getInt(SOL_PACKET, PACKET_FANOUT, "getsockopt(PACKET_FANOUT)") & 0xffff;
    }

    private static NetringException joinFailed(PacketSocket socket, FanoutSpec spec, int errno) {
        String call = "setsockopt(PACKET_FANOUT)";
        String context = switch (errno) {
            case Errno.EINVAL -> InterfaceQuery.isUp(socket.interfaceName())
                    ? "cannot join fanout " + spec.description() + " on " + socket.interfaceName() + ": conflict with "
                            + "the existing group " + spec.groupId() + " in this network namespace, which has a different "
                            + "mode, flags, interface or protocol (all members must agree); on an older kernel, "
                            + "a mode or flag it does not know"
                    : "cannot join fanout " + spec.description() + ": interface " + socket.interfaceName()
                            + " is down, and only a running socket can join a group";
            case Errno.ENOSPC -> "cannot join fanout " + spec.description() + " on " + socket.interfaceName()
                    + ": the group is full";
            case Errno.ENOMEM -> "cannot join fanout " + spec.description() + " on " + socket.interfaceName()
                    + ": out of memory or, with UNIQUE_ID, no free group id";
            default -> "cannot join fanout " + spec.description() + " on " + socket.interfaceName();
        };
        return LinuxErrors.exception(call, errno, "CAP_NET_RAW", context);
    }
}
