package io.netring.testing;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * Base of the real-kernel tests that need one fresh network namespace (with its veth pair) per
 * test method: made before, removed after, whatever the test did.
 */
@Privileged
public abstract class NamespaceTest {
    /** This test's namespace; capture on {@code ns.b}, send from {@code ns.a}. */
    protected NetNamespace ns;

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
