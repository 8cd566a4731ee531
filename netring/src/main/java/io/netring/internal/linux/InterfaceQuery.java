package io.netring.internal.linux;

import io.netring.InterfaceNotFoundException;
import io.netring.NetringException;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

import static io.netring.internal.linux.KernelLayouts.ETHTOOL_CHANNELS;
import static io.netring.internal.linux.KernelLayouts.ETHTOOL_DRVINFO;
import static io.netring.internal.linux.KernelLayouts.IFREQ;
import static io.netring.internal.linux.KernelLayouts.offset;
import static io.netring.internal.linux.LinuxConstants.*;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * Interface facts through {@code ioctl} with a {@code struct ifreq}: flags, MTU, hardware
 * address, and the driver's name and queue count (SIOCETHTOOL). ioctls act in the network namespace of the socket, which is the calling thread's,
 * unlike sysfs.
 */
public final class InterfaceQuery implements AutoCloseable {
    private final int fd;
    private final boolean ownsFd;
    private final String name;
    private final Arena arena = Arena.ofConfined();
    private final MemorySegment ifreq = arena.allocate(IFREQ);

    private InterfaceQuery(int fd, boolean ownsFd, String name) {
        this.fd = fd;
        this.ownsFd = ownsFd;
        this.name = name;
    }

    /**
     * Queries through a socket the caller already has (and keeps open): the answers then come
     * from that socket's namespace, whichever thread asks.
     */
    public static InterfaceQuery on(int socketFd, String name) {
        return new InterfaceQuery(socketFd, false, name);
    }

    /** The index of {@code name} in the calling thread's network namespace ({@code if_nametoindex}). */
    public static int index(String name) throws InterfaceNotFoundException {
        int index = Syscalls.ifNameToIndex(name);
        if (index < 0) {
            throw LinuxErrors.interfaceNotFound(name, "if_nametoindex", -index);
        }
        return index;
    }

    /** Opens a query socket (AF_INET datagram, or AF_PACKET when IPv4 is absent). */
    public static InterfaceQuery open(String name) throws NetringException {
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        if (bytes.length >= IFNAMSIZ || bytes.length == 0) {
            throw new IllegalArgumentException("name=\"" + name + "\": must be 1 to " + (IFNAMSIZ - 1) + " bytes (IFNAMSIZ)");
        }
        int fd = Syscalls.socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        if (fd < 0) {
            fd = Syscalls.socket(AF_PACKET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        }
        if (fd < 0) {
            throw LinuxErrors.exception("socket(AF_INET, SOCK_DGRAM)", -fd, "CAP_NET_RAW",
                    "cannot open a socket to query interface " + name);
        }
        return new InterfaceQuery(fd, true, name);
    }

    private void call(long request, String requestName) throws NetringException {
        ifreq.fill((byte) 0);
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        MemorySegment.copy(bytes, 0, ifreq, JAVA_BYTE, offset(IFREQ, "ifr_name"), bytes.length);
        int r = Syscalls.ioctl(fd, request, ifreq);
        if (r == -Errno.ENODEV || r == -Errno.ENXIO) {
            throw LinuxErrors.interfaceNotFound(name, "ioctl(" + requestName + ")", -r);
        }
        LinuxErrors.check(r, "ioctl(" + requestName + ") on " + name);
    }

    /** The IFF_* flags (the low 16 bits, which is what SIOCGIFFLAGS reports). */
    public int flags() throws NetringException {
        call(SIOCGIFFLAGS, "SIOCGIFFLAGS");
        return Short.toUnsignedInt(ifreq.get(JAVA_SHORT, offset(IFREQ, "ifr_ifru.ifr_flags")));
    }

    public int mtu() throws NetringException {
        call(SIOCGIFMTU, "SIOCGIFMTU");
        return ifreq.get(JAVA_INT, offset(IFREQ, "ifr_ifru.ifr_mtu"));
    }

    /** The first 6 bytes of the hardware address (the MAC of an Ethernet-like device; zeros for lo). */
    public byte[] hardwareAddress() throws NetringException {
        call(SIOCGIFHWADDR, "SIOCGIFHWADDR");
        byte[] out = new byte[6];
        MemorySegment.copy(ifreq, JAVA_BYTE, offset(IFREQ, "ifr_ifru.ifr_hwaddr.sa_data"), out, 0, 6);
        return out;
    }

    /** The hardware type (sa_family of SIOCGIFHWADDR: 1 Ethernet, 772 loopback). */
    public int hardwareType() throws NetringException {
        call(SIOCGIFHWADDR, "SIOCGIFHWADDR");
        return Short.toUnsignedInt(ifreq.get(JAVA_SHORT, offset(IFREQ, "ifr_ifru.ifr_hwaddr.sa_family")));
    }

    /** The name of the interface's driver (ETHTOOL_GDRVINFO: "veth", "ixgbe"), or null when it does not say. */
    public String driverName() {
        try (Arena call = Arena.ofConfined()) {
            MemorySegment info = call.allocate(ETHTOOL_DRVINFO);
            info.set(JAVA_INT, offset(ETHTOOL_DRVINFO, "cmd"), ETHTOOL_GDRVINFO);
            if (!ethtool(info)) {
                return null;
            }
            String driver = info.asSlice(offset(ETHTOOL_DRVINFO, "driver"), 32).getString(0);
            return driver.isEmpty() ? null : driver;
        }
    }

    /**
     * The interface's receive queues as its driver counts them (ETHTOOL_GCHANNELS: RX-only plus
     * combined channels), or -1 when the driver does not say.
     */
    public int rxQueueCount() {
        try (Arena call = Arena.ofConfined()) {
            MemorySegment channels = call.allocate(ETHTOOL_CHANNELS);
            channels.set(JAVA_INT, offset(ETHTOOL_CHANNELS, "cmd"), ETHTOOL_GCHANNELS);
            if (!ethtool(channels)) {
                return -1;
            }
            int count = channels.get(JAVA_INT, offset(ETHTOOL_CHANNELS, "rx_count"))
                    + channels.get(JAVA_INT, offset(ETHTOOL_CHANNELS, "combined_count"));
            return count > 0 ? count : -1;
        }
    }

    /** SIOCETHTOOL with {@code command} (its first word names the ethtool command); false when refused. */
    private boolean ethtool(MemorySegment command) {
        ifreq.fill((byte) 0);
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        MemorySegment.copy(bytes, 0, ifreq, JAVA_BYTE, offset(IFREQ, "ifr_name"), bytes.length);
        ifreq.set(ADDRESS, offset(IFREQ, "ifr_ifru.ifr_data"), command);
        return Syscalls.ioctl(fd, SIOCETHTOOL, ifreq) >= 0;
    }

    /** True when the interface is administratively up; false also when the query fails. */
    public static boolean isUp(String name) {
        try (InterfaceQuery q = open(name)) {
            return (q.flags() & IFF_UP) != 0;
        } catch (NetringException | RuntimeException e) {
            return false;
        }
    }

    @Override
    public void close() {
        if (ownsFd) {
            Syscalls.close(fd);
        }
        arena.close();
    }
}
