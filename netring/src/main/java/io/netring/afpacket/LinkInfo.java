package io.netring.afpacket;

import io.netring.InterfaceNotFoundException;
import io.netring.NetringException;
import io.netring.internal.linux.Errno;
import io.netring.internal.linux.LinuxErrors;
import io.netring.internal.linux.Syscalls;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

import static io.netring.internal.linux.KernelLayouts.IFREQ;
import static io.netring.internal.linux.KernelLayouts.offset;
import static io.netring.internal.linux.LinuxConstants.ARPHRD_ETHER;
import static io.netring.internal.linux.LinuxConstants.ARPHRD_LOOPBACK;
import static io.netring.internal.linux.LinuxConstants.ETH_HLEN;
import static io.netring.internal.linux.LinuxConstants.SIOCGIFHWADDR;
import static io.netring.internal.linux.LinuxConstants.SIOCGIFMTU;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * What an interface can carry: its MTU and the length of its link-layer header, read with
 * {@code ioctl(SIOCGIFMTU)} and {@code ioctl(SIOCGIFHWADDR)} on the packet socket. The ioctl
 * answers for the socket's network namespace; {@code /sys/class/net} would answer for the
 * namespace sysfs was mounted in, which can be another one.
 *
 * @param mtu the interface MTU
 * @param hardwareType the ARPHRD_* device type
 * @param headerLength the link-layer header in front of the MTU's payload (14 for Ethernet and
 *        loopback, 0 for devices without one, e.g. tun)
 */
public record LinkInfo(int mtu, int hardwareType, int headerLength) {

    /** The longest frame the kernel sends from a TX ring: MTU plus link header. */
    public int frameLimit() {
        return mtu + headerLength;
    }

    /** True for devices with an Ethernet header, where an 802.1Q tag may add 4 bytes beyond the limit. */
    public boolean ethernet() {
        return hardwareType == ARPHRD_ETHER;
    }

    /** Reads the facts of {@code interfaceName} through {@code fd} (any socket of its namespace). */
    public static LinkInfo read(int fd, String interfaceName) throws NetringException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ifr = arena.allocate(IFREQ);
            byte[] name = interfaceName.getBytes(StandardCharsets.UTF_8);
            MemorySegment.copy(name, 0, ifr, JAVA_BYTE, offset(IFREQ, "ifr_name"), name.length);
            ioctl(fd, SIOCGIFMTU, ifr, "ioctl(SIOCGIFMTU)", interfaceName);
            int mtu = ifr.get(JAVA_INT, offset(IFREQ, "ifr_ifru.ifru_mtu"));
            ioctl(fd, SIOCGIFHWADDR, ifr, "ioctl(SIOCGIFHWADDR)", interfaceName);
            int type = Short.toUnsignedInt(ifr.get(JAVA_SHORT, offset(IFREQ, "ifr_ifru.ifru_hwaddr.sa_family")));
            int header = type == ARPHRD_ETHER || type == ARPHRD_LOOPBACK ? ETH_HLEN : 0;
            return new LinkInfo(mtu, type, header);
        }
    }

    private static void ioctl(int fd, int request, MemorySegment ifr, String call, String interfaceName)
            throws NetringException {
        int r = Syscalls.ioctl(fd, request, ifr);
        if (r == -Errno.ENODEV) {
            throw new InterfaceNotFoundException(interfaceName, call, Errno.ENODEV);
        }
        if (r < 0) {
            throw LinuxErrors.exception(call, -r, "CAP_NET_RAW", "reading the MTU of " + interfaceName);
        }
    }
}
