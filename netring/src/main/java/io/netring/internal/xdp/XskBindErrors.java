package io.netring.internal.xdp;

import io.netring.NetringException;
import io.netring.internal.linux.Errno;
import io.netring.internal.linux.InterfaceQuery;
import io.netring.internal.linux.LinuxErrors;
import io.netring.xdp.XdpMode;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Words a refused {@code bind(sockaddr_xdp)} as something a user can act on: the queue that is
 * taken or does not exist, the driver without zero-copy. Asks the interface only then.
 */
final class XskBindErrors {
    /** What the socket holds besides the CAP_NET_RAW it needs; the XDP program that feeds it needs CAP_BPF. */
    static final String CAPABILITIES = "CAP_NET_RAW (and CAP_BPF, or CAP_SYS_ADMIN, for the XDP program that feeds it)";

    private XskBindErrors() {}

    static NetringException refused(XskConfig config, int errno) {
        return refused(config, errno, false);
    }

    /** As {@link #refused(XskConfig, int)}, for a socket that binds to share another's UMEM when {@code sharing}. */
    static NetringException refused(XskConfig config, int errno, boolean sharing) {
        String name = config.interfaceName();
        int queue = config.queue();
        String call = "bind(sockaddr_xdp)";
        if (errno == Errno.EBUSY) {
            return LinuxErrors.failure("queue " + queue + " of " + name + " already has an AF_XDP socket ("
                    + LinuxErrors.describe(errno) + "); close it first, or use another queue", call, errno);
        }
        if (errno == Errno.EOPNOTSUPP && config.mode() == XdpMode.ZERO_COPY) {
            String driver = driver(name);
            return LinuxErrors.failure("zero-copy AF_XDP is not supported by the driver of " + name
                    + (driver == null ? "" : " (" + driver + ")") + " (" + LinuxErrors.describe(errno)
                    + "); use XdpMode.COPY, or XdpMode.AUTO, which falls back to copy mode", call, errno);
        }
        if (errno == Errno.EINVAL) {
            int queues = rxQueueCount(name);
            if (queues > 0 && queue >= queues) {
                return LinuxErrors.failure("queue " + queue + " of " + name + " does not exist: " + name + " has "
                        + queues + (queues == 1 ? " RX queue (queue 0)" : " RX queues (0 to " + (queues - 1) + ")")
                        + " (" + LinuxErrors.describe(errno) + "); see `ethtool -l " + name + "`", call, errno);
            }
            if (sharing) {
                return LinuxErrors.failure("queue " + queue + " of " + name + " cannot share the UMEM of the first queue ("
                        + LinuxErrors.describe(errno) + "): sockets on several queues sharing one UMEM need Linux 5.10 "
                        + "or newer; read one queue per XdpRx on an older kernel", call, errno);
            }
        }
        return LinuxErrors.exception(call, errno, CAPABILITIES,
                "cannot bind an AF_XDP socket to queue " + queue + " of " + name);
    }

    /** The driver's name, or null when the interface does not say. */
    static String driver(String name) {
        try (InterfaceQuery q = InterfaceQuery.open(name)) {
            return q.driverName();
        } catch (NetringException e) {
            return null;
        }
    }

    /**
     * The RX queue count: the driver's channel count (asked through a socket, so in the calling
     * thread's namespace), else the {@code rx-*} entries of /sys/class/net/IF/queues; -1 when
     * neither says.
     */
    static int rxQueueCount(String name) {
        try (InterfaceQuery q = InterfaceQuery.open(name)) {
            int count = q.rxQueueCount();
            if (count > 0) {
                return count;
            }
        } catch (NetringException e) {
            // fall back to sysfs
        }
        int count = 0;
        try (DirectoryStream<Path> queues = Files.newDirectoryStream(Path.of("/sys/class/net", name, "queues"), "rx-*")) {
            for (Path ignored : queues) {
                count++;
            }
        } catch (IOException e) {
            return -1;
        }
        return count > 0 ? count : -1;
    }
}
