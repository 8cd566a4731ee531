package io.netring.xdp;

import io.netring.internal.xdp.XdpAttachment;
import io.netring.testing.EbpfAllowed;
import io.netring.testing.NamespaceTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a process that ends leaves on the interface: a JVM that returns from {@code main} without
 * closing its {@link XdpRx} takes its XDP program with it (the shutdown hook); one killed with
 * SIGKILL cannot, and the program stays until removed (docs/TROUBLESHOOTING.md says how).
 */
@EbpfAllowed
@Timeout(value = 90, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class XdpExitIntegrationTest extends NamespaceTest {

    private Process probe(String mode) throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        List<String> cmd = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), XdpExitProbe.class.getName(), ns.b, mode));
        Process p = new ProcessBuilder(ns.exec(cmd)).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream()));
        StringBuilder seen = new StringBuilder();
        for (String line; (line = out.readLine()) != null; ) {
            seen.append(line).append('\n');
            if (line.startsWith("READY")) {
                return p;
            }
        }
        p.waitFor(10, TimeUnit.SECONDS);
        throw new AssertionError("the probe ended before it was ready (exit " + p.exitValue() + "):\n" + seen);
    }

    private boolean programOnB() throws Exception {
        return ns.call(() -> XdpAttachment.query(ns.b).hasProgram());
    }

    @Test
    void aJvmThatExitsWithoutClosingTakesItsProgramAlong() throws Exception {
        Process p = probe("return");
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the probe exits by itself");
        assertEquals(0, p.exitValue());
        assertFalse(programOnB(), "no XDP program left on " + ns.b + " after the JVM exited");
        assertFalse(ns.ip("-d", "link", "show", "dev", ns.b).contains("prog/xdp"), "ip -d link agrees");
    }

    @Test
    void aKilledJvmLeavesItsProgramUntilRemoved() throws Exception {
        Process p = probe("wait");
        assertTrue(programOnB(), "the program is attached while the probe runs");
        p.destroyForcibly();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertTrue(programOnB(), "SIGKILL runs no shutdown hook: the program stays");
        ns.ip("link", "set", "dev", ns.b, "xdp", "off");
        assertFalse(programOnB(), "ip link set dev IF xdp off removes it");
    }
}
