package io.netring;

import io.netring.testing.NamespaceTest;
import io.netring.testing.Privileged;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

/** InterfaceInfo against interfaces of a namespace made per test, checked against `ip link`. */
@Privileged
@Timeout(60)
class InterfaceInfoTest extends NamespaceTest {
    @Test
    void vethFactsMatchIpLink() throws Exception {
        ns.ip("link", "set", ns.b, "mtu", "1400");
        ns.ip("link", "set", ns.b, "promisc", "on");
        String link = ns.ip("-o", "link", "show", ns.b);
        Matcher mac = Pattern.compile("link/ether ([0-9a-f:]{17})").matcher(link);
        assertTrue(mac.find(), link);
        Matcher index = Pattern.compile("^(\\d+): ").matcher(link);
        assertTrue(index.find(), link);
        InterfaceInfo info = ns.call(() -> InterfaceInfo.of(ns.b));
        assertEquals(ns.b, info.name());
        assertEquals(Integer.parseInt(index.group(1)), info.index());
        assertEquals(1400, info.mtu());
        assertEquals(mac.group(1), info.macAddress());
        assertEquals(1, info.hardwareType(), "ARPHRD_ETHER");
        assertTrue(info.isUp() && info.isRunning() && info.isPromiscuous(), info.flags().toString());
        assertTrue(info.flags().contains(InterfaceInfo.Flag.BROADCAST) && info.flags().contains(InterfaceInfo.Flag.MULTICAST));
        assertFalse(info.isLoopback());
        // sysfs shows the namespace it was mounted in, where this veth does not exist (or is
        // another interface): the count must then be absent, never someone else's.
        OptionalInt queues = info.rxQueues();
        if (queues.isPresent()) {
            assertEquals(1, queues.getAsInt());
        }
    }

    @Test
    void downInterfaceAndLoopback() throws Exception {
        ns.ip("link", "set", ns.b, "down");
        InterfaceInfo down = ns.call(() -> InterfaceInfo.of(ns.b));
        assertFalse(down.isUp());
        assertFalse(down.isRunning());
        InterfaceInfo lo = ns.call(() -> InterfaceInfo.of("lo"));
        assertTrue(lo.isLoopback() && lo.isUp(), lo.flags().toString());
        assertEquals(772, lo.hardwareType(), "ARPHRD_LOOPBACK");
        assertEquals("00:00:00:00:00:00", lo.macAddress());
        assertEquals(1, lo.index());
    }

    @Test
    void rxQueuesCountsSysfsWhenSysfsShowsTheInterface() {
        // Same name and index in /sys as asked: counted. Index mismatch: not this interface.
        assertEquals(OptionalInt.empty(), InterfaceInfo.sysfsRxQueues("nr-no-such-if", 5));
        if (Files.exists(Path.of("/sys/class/net/lo/queues/rx-0"))) {
            assertEquals(OptionalInt.of(1), InterfaceInfo.sysfsRxQueues("lo", 1));
            assertEquals(OptionalInt.empty(), InterfaceInfo.sysfsRxQueues("lo", 12345));
        }
    }

    @Test
    void unknownAndInvalidNames() throws Exception {
        InterfaceNotFoundException e = ns.call(() -> assertThrows(InterfaceNotFoundException.class,
                () -> InterfaceInfo.of("nr-missing0")));
        assertEquals("nr-missing0", e.interfaceName());
        IllegalArgumentException tooLong = assertThrows(IllegalArgumentException.class,
                () -> InterfaceInfo.of("a-name-longer-than-15"));
        assertTrue(tooLong.getMessage().contains("IFNAMSIZ"), tooLong.getMessage());
        assertEquals("name=\"a-name-longer-than-15\": must be at most 15 bytes (IFNAMSIZ)", tooLong.getMessage());
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class, () -> InterfaceInfo.of(null));
        assertEquals("name=null: an interface name is required, e.g. InterfaceInfo.of(\"eth0\")", none.getMessage());
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class, () -> InterfaceInfo.of(""));
        assertTrue(empty.getMessage().startsWith("name=\"\": an interface name is required"), empty.getMessage());
    }

    @Test
    void aliasLabelAndNulAreRefusedByTheKernelsNameRule() {
        // "vb:1" is an address label (ifconfig alias), not an interface; the ioctls would have
        // answered for vb. A NUL would end the name early in the kernel's copy.
        String rule = "must not contain '/', ':', NUL or white space";
        IllegalArgumentException alias = assertThrows(IllegalArgumentException.class, () -> InterfaceInfo.of("vb:1"));
        assertTrue(alias.getMessage().startsWith("name=\"vb:1\": " + rule), alias.getMessage());
        IllegalArgumentException nul = assertThrows(IllegalArgumentException.class, () -> InterfaceInfo.of("lo\0x"));
        assertTrue(nul.getMessage().startsWith("name=\"lo\\u0000x\": " + rule), nul.getMessage());
        IllegalArgumentException slash = assertThrows(IllegalArgumentException.class, () -> InterfaceInfo.of("a/b"));
        assertTrue(slash.getMessage().contains(rule), slash.getMessage());
    }
}
