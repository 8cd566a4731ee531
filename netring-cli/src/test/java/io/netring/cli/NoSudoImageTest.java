package io.netring.cli;

import io.netring.testing.ExternalTool;
import io.netring.testing.NeedsTools;
import io.netring.AfPacketRx;
import io.netring.testing.NetNamespace;
import io.netring.testing.OpenCaptureProbe;
import io.netring.testing.Privileged;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The no-sudo recipe: bin/netring-image makes a jlink runtime whose java carries
 * cap_net_raw,cap_net_admin,cap_ipc_lock and only its group may run; nobody in that group can
 * then capture on lo, nobody outside it cannot run that java. Built in a temporary folder.
 * Also shows the libjli.so problem the recipe solves, on a copy left with the stock RUNPATH.
 */
@Privileged
@NeedsTools({ExternalTool.PATCHELF, ExternalTool.SETCAP})
@Timeout(400)
class NoSudoImageTest {
    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();

    /** An unused gid for the test's capture group: chgrp takes numbers, no /etc/group entry needed. */
    private static final String GROUP = "65531";

    private static String asNobody(boolean inGroup, String... command) throws IOException {
        List<String> full = new ArrayList<>(List.of("setpriv", "--reuid=65534", "--regid=65534"));
        full.add(inGroup ? "--groups=" + GROUP : "--clear-groups");
        full.addAll(List.of(command));
        try {
            return NetNamespace.run(full.toArray(String[]::new));
        } catch (IOException e) {
            return e.getMessage();
        }
    }

    @Test
    void imageJavaCapturesAsAGroupMemberOnlyAndTheStockRunpathWouldNot() throws Exception {
        // File capabilities and uid 65534 exist only for real root, not inside `unshare -rn`.
        if (!"0".equals(NetNamespace.run("id", "-u").trim()) || "1".equals(System.getenv("NETRING_IN_USERNS"))) {
            String why = "needs real root: setcap and setpriv to uid 65534 are refused in an unprivileged user namespace";
            if ("1".equals(System.getenv("NETRING_REQUIRE_PRIVILEGED"))) {
                fail("NETRING_REQUIRE_PRIVILEGED=1 but this test would be skipped: " + why);
            }
            Assumptions.abort(why);
        }
        // Everything in a fresh temporary folder, removed afterwards: a capability-bearing java
        // is never left behind in the checkout.
        Path work = Files.createTempDirectory("nr-nosudo");
        try {
            NetNamespace.run("chmod", "755", work.toString());
            Path image = work.resolve("image");
            NetNamespace.run("cp", "-r", OpenCaptureProbe.codeLocation(AfPacketRx.class), work.resolve("main").toString());
            NetNamespace.run("cp", "-r", OpenCaptureProbe.codeLocation(OpenCaptureProbe.class), work.resolve("test").toString());
            NetNamespace.run("chmod", "-R", "a+rX", work.toString());
            check(image, work.resolve("main") + ":" + work.resolve("test"), work);
        } finally {
            NetNamespace.run("rm", "-rf", work.toString());
        }
    }

    private static void check(Path image, String classpath, Path work) throws Exception {
        // Building the image runs jlink: minutes, not seconds, on a loaded machine.
        String made = NetNamespace.run(Duration.ofSeconds(240), ROOT.resolve("bin/netring-image").toString(),
                "--group", GROUP, image.toString());
        assertTrue(made.contains("cap_net_admin,cap_net_raw,cap_ipc_lock=ep"), made);

        // Like Wireshark's dumpcap: only the group may run the capability-bearing java.
        Path javaPath = image.resolve("bin/java");
        assertEquals("rwxr-x---", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(javaPath)));
        assertEquals(GROUP, NetNamespace.run("stat", "-c", "%g", javaPath.toString()).trim());
        String java = javaPath.toString();
        String out = asNobody(true, java, "--enable-native-access=ALL-UNNAMED", "-cp", classpath, OpenCaptureProbe.class.getName(), "lo");
        assertEquals("OPENED", out.trim());
        // Through a shell, as a user would start it (setpriv's own exec still holds root's caps).
        String outsider = asNobody(false, "sh", "-c", java + " -version");
        assertTrue(outsider.contains("Permission denied"), outsider);

        // Without the image, nobody is refused: the capability is what made the difference.
        String plain = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String refused = asNobody(true, plain, "--enable-native-access=ALL-UNNAMED", "-cp", classpath, OpenCaptureProbe.class.getName(), "lo");
        assertTrue(refused.startsWith("io.netring.PermissionDeniedException|"), refused);

        // The problem the RUNPATH rewrite solves: a setcap'd java with $ORIGIN cannot find libjli.so.
        Path stock = work.resolve("stock-image");
        NetNamespace.run("cp", "-a", image + "/.", stock.toString());
        NetNamespace.run("patchelf", "--set-rpath", "$ORIGIN/../lib", stock.resolve("bin/java").toString());
        NetNamespace.run("setcap", "cap_net_raw+ep", stock.resolve("bin/java").toString());
        NetNamespace.run("chmod", "-R", "a+rX", stock.toString());
        String broken = asNobody(true, stock.resolve("bin/java").toString(), "-version");
        assertTrue(broken.contains("libjli.so: cannot open shared object file"), broken);
    }
}
