package io.netring;

import io.netring.afpacket.PacketSocket;
import io.netring.internal.linux.InterfaceQuery;
import io.netring.internal.linux.LinuxConstants;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.OptionalInt;
import java.util.Set;

/**
 * What a capture needs to know about a network interface: its index, MTU, hardware address,
 * state flags and number of receive queues (for sizing a fanout group, e.g. one socket per
 * queue with {@link FanoutMode#QUEUE_MAPPING} or per CPU with {@link FanoutMode#CPU}).
 *
 * <pre>{@code
 * InterfaceInfo eth0 = InterfaceInfo.of("eth0");
 * int sockets = eth0.rxQueues().orElse(Runtime.getRuntime().availableProcessors());
 * }</pre>
 *
 * <p>Index, MTU, address and flags come from ioctls on a socket, so they describe the interface
 * in the calling thread's network namespace. The queue count comes from
 * {@code /sys/class/net/NAME/queues/rx-*}, and sysfs shows the namespace it was mounted in
 * (usually the host's), not the thread's: when sysfs has no interface of that name and index,
 * {@link #rxQueues()} is empty rather than another interface's count.
 *
 * @param name the interface name
 * @param index the interface index (if_nametoindex)
 * @param mtu the MTU in bytes (SIOCGIFMTU)
 * @param macAddress the hardware address as {@code aa:bb:cc:dd:ee:ff} (SIOCGIFHWADDR; all zeros for {@code lo})
 * @param hardwareType the ARPHRD_* type: 1 Ethernet, 772 loopback
 * @param flags the state flags (SIOCGIFFLAGS)
 * @param rxQueues the number of receive queues from sysfs, empty when sysfs does not show this interface
 */
public record InterfaceInfo(String name, int index, int mtu, String macAddress, int hardwareType, Set<Flag> flags,
                            OptionalInt rxQueues) {

    /** Interface state flags (IFF_*). */
    public enum Flag {
        /** Administratively up (IFF_UP). */
        UP(LinuxConstants.IFF_UP),
        /** Has a broadcast address (IFF_BROADCAST). */
        BROADCAST(LinuxConstants.IFF_BROADCAST),
        /** The loopback device (IFF_LOOPBACK). */
        LOOPBACK(LinuxConstants.IFF_LOOPBACK),
        /** A point-to-point link (IFF_POINTOPOINT). */
        POINT_TO_POINT(LinuxConstants.IFF_POINTOPOINT),
        /** Operationally up: the link has carrier (IFF_RUNNING). */
        RUNNING(LinuxConstants.IFF_RUNNING),
        /** No ARP (IFF_NOARP). */
        NOARP(LinuxConstants.IFF_NOARP),
        /** Receives every frame on the wire (IFF_PROMISC). */
        PROMISCUOUS(LinuxConstants.IFF_PROMISC),
        /** Receives all multicast (IFF_ALLMULTI). */
        ALL_MULTICAST(LinuxConstants.IFF_ALLMULTI),
        /** Supports multicast (IFF_MULTICAST). */
        MULTICAST(LinuxConstants.IFF_MULTICAST);

        private final int bit;

        Flag(int bit) {
            this.bit = bit;
        }
    }

    /** Copies {@code flags} into an unmodifiable set that iterates in declaration order. */
    public InterfaceInfo {
        flags = flags.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(flags));
    }

    /**
     * Reads the facts of {@code name} in the calling thread's network namespace.
     *
     * @throws InterfaceNotFoundException when there is no such interface
     * @throws IllegalArgumentException when the name is not one the kernel could give an
     *         interface: empty, longer than 15 bytes, or with '/', ':', NUL or white space
     */
    public static InterfaceInfo of(String name) throws NetringException {
        BuilderChecks.interfaceName("name", "InterfaceInfo.of(\"eth0\")", name);
        try (InterfaceQuery q = InterfaceQuery.open(name)) {
            int index = PacketSocket.interfaceIndex(name);
            int rawFlags = q.flags();
            EnumSet<Flag> flags = EnumSet.noneOf(Flag.class);
            for (Flag f : Flag.values()) {
                if ((rawFlags & f.bit) != 0) {
                    flags.add(f);
                }
            }
            return new InterfaceInfo(name, index, q.mtu(), HexFormat.ofDelimiter(":").formatHex(q.hardwareAddress()),
                    q.hardwareType(), flags, sysfsRxQueues(name, index));
        }
    }

    /**
     * Counts {@code rx-*} under sysfs, provided sysfs shows an interface of this name with this
     * index (otherwise it is another namespace's interface, or none).
     */
    static OptionalInt sysfsRxQueues(String name, int index) {
        Path dir = Path.of("/sys/class/net", name);
        try {
            if (Integer.parseInt(Files.readString(dir.resolve("ifindex")).strip()) != index) {
                return OptionalInt.empty();
            }
            int count = 0;
            try (DirectoryStream<Path> queues = Files.newDirectoryStream(dir.resolve("queues"), "rx-*")) {
                for (Path ignored : queues) {
                    count++;
                }
            }
            return OptionalInt.of(count);
        } catch (IOException | NumberFormatException e) {
            return OptionalInt.empty();
        }
    }

    /** Administratively up. */
    public boolean isUp() {
        return flags.contains(Flag.UP);
    }

    /** Operationally up (carrier). */
    public boolean isRunning() {
        return flags.contains(Flag.RUNNING);
    }

    /** In promiscuous mode. */
    public boolean isPromiscuous() {
        return flags.contains(Flag.PROMISCUOUS);
    }

    /** The loopback device. */
    public boolean isLoopback() {
        return flags.contains(Flag.LOOPBACK);
    }
}
