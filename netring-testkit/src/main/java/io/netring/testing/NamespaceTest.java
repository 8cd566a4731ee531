package io.netring.testing;

import io.netring.AfPacketRx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import java.time.Duration;

/**
 * Base of the real-kernel tests that need one fresh network namespace (with its veth pair) per
 * test method: made before, removed after, whatever the test did.
 */
@Privileged
public abstract class NamespaceTest {
    /** This test's namespace; capture on {@code ns.b}, send from {@code ns.a}. */
    protected NetNamespace ns;

    /** A small capture on {@code ns.b} opened in the namespace: 64 KiB blocks, 5 ms block timeout. */
    protected AfPacketRx smallCaptureOnB(int blockCount) throws Exception {
        return ns.call(() -> AfPacketRx.builder().interfaceName(ns.b).blockSize(1 << 16).blockCount(blockCount)
                .blockTimeout(Duration.ofMillis(5)).build());
    }

    @BeforeEach
    void createNamespace() throws Exception {
        ns = NetNamespace.create();
    }

    @AfterEach
    void removeNamespace() throws Exception {
        if (ns != null) {
            ns.close();
        }
    }
}
