package io.netring;

import io.netring.internal.linux.NetworkNamespace;
import io.netring.testing.FrameSender;
import io.netring.testing.NetNamespace;
import io.netring.testing.Privileged;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code netns(NAME)}: the socket opens on an interface that exists only inside a named
 * namespace, and the calling thread stays in its own namespace.
 */
@Privileged
@Timeout(60)
class NetnsOptionTest {
    private String name;

    @BeforeEach
    void createNamespace() throws IOException {
        assumeTrue(!"1".equals(System.getenv("NETRING_IN_USERNS")), "named namespaces need root (ip netns add)");
        name = "nrx-" + ProcessHandle.current().pid() + "-" + Integer.toHexString(ThreadLocalRandom.current().nextInt(1 << 20));
        NetNamespace.run("ip", "netns", "add", name);
        NetNamespace.run("ip", "netns", "exec", name, "sysctl", "-q", "-w", "net.ipv6.conf.all.disable_ipv6=1");
        NetNamespace.run("ip", "netns", "exec", name, "sysctl", "-q", "-w", "net.ipv6.conf.default.disable_ipv6=1");
        NetNamespace.run("ip", "-n", name, "link", "add", "nsA", "type", "veth", "peer", "name", "nsB");
        NetNamespace.run("ip", "-n", name, "link", "set", "nsA", "up");
        NetNamespace.run("ip", "-n", name, "link", "set", "nsB", "up");
    }

    @AfterEach
    void removeNamespace() throws IOException {
        if (name != null) {
            NetNamespace.run("ip", "netns", "del", name);
        }
    }

    @Test
    void capturesInsideTheNamespaceWhileTheThreadStaysHome() throws Exception {
        Path self = Path.of("/proc/thread-self/ns/net");
        Path before = Files.readSymbolicLink(self);
        assertThrows(InterfaceNotFoundException.class, () -> Capture.builder().interfaceName("nsB").build(),
                "nsB exists only inside the namespace");
        try (Capture cap = Capture.builder().interfaceName("nsB").netns(name).blockSize(1 << 16).blockCount(4)
                .blockTimeout(Duration.ofMillis(10)).build()) {
            assertEquals(before, Files.readSymbolicLink(self), "the caller's thread is still in its namespace");
            // the sender is confined to its thread: open, send and close it inside the namespace
            NetworkNamespace.open(name, () -> {
                try (FrameSender tx = new FrameSender("nsA")) {
                    tx.sendSequence(0, 100, 64);
                } catch (IOException e) {
                    throw new NetringException(e.getMessage(), "FrameSender", 0);
                }
                return null;
            });
            int seen = 0;
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (seen < 100 && System.nanoTime() < deadline) {
                try (PacketBatch b = cap.unwrap().nextBatchBlocking(Duration.ofMillis(100))) {
                    if (b == null) {
                        continue;
                    }
                    for (Packet p : b) {
                        if ((p.shortAt(12) & 0xFFFF) == FrameSender.ETHERTYPE) {
                            seen++;
                        }
                    }
                }
            }
            assertEquals(100, seen);
        }
    }

    @Test
    void aMissingNamespaceIsAClearError() {
        NetringException e = assertThrows(NetringException.class,
                () -> Capture.builder().interfaceName("lo").netns("no-such-ns-" + name).build());
        assertTrue(e.getMessage().startsWith("network namespace /run/netns/no-such-ns-" + name + " does not exist"), e.getMessage());
        var bad = assertThrows(IllegalArgumentException.class, () -> Capture.builder().netns(" "));
        assertEquals("netns=\" \": must be a namespace name or a path", bad.getMessage());
    }
}
