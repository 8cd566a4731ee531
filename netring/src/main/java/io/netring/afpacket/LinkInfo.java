package io.netring.afpacket;

import io.netring.NetringException;
import io.netring.internal.linux.InterfaceQuery;

import static io.netring.internal.linux.LinuxConstants.ARPHRD_ETHER;
import static io.netring.internal.linux.LinuxConstants.ARPHRD_LOOPBACK;
import static io.netring.internal.linux.LinuxConstants.ETH_HLEN;

/**
 * What an interface can carry: its MTU and the length of its link-layer header, read with
 * {@code ioctl(SIOCGIFMTU)} and {@code ioctl(SIOCGIFHWADDR)} ({@link InterfaceQuery}) on the packet socket. The ioctl
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
        try (InterfaceQuery query = InterfaceQuery.on(fd, interfaceName)) {
            int mtu = query.mtu();
            int type = query.hardwareType();
            int header = type == ARPHRD_ETHER || type == ARPHRD_LOOPBACK ? ETH_HLEN : 0;
            return new LinkInfo(mtu, type, header);
        }
    }
}
