package io.netring.cli;

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
import java.nio.file.attribute.PosixFilePermission;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The no-sudo recipe: bin/netring-image makes a jlink runtime whose java carries
 * cap_net_raw,cap_net_admin,cap_ipc_lock; an unprivileged user (nobody) can then capture on lo.
 * Also shows the libjli.so problem the recipe solves, on a copy left with the stock RUNPATH.
 */
@Privileged
@Timeout(400)
class NoSudoImageTest {
    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();

    private static String asNobody(String... command) throws IOException {
        String[] full = new String[command.length + 4];
        full[0] = "setpriv";
        full[1] = "--reuid=65534";
        full[2] = "--regid=65534";
        full[3] = "--clear-groups";
        System.arraycopy(command, 0, full, 4, command.length);
        try {
            return NetNamespace.run(full);
        } catch (IOException e) {
            return e.getMessage();
        }
    }

    /** True when every directory up to the root lets others in (nobody must reach the files). */
    private static boolean reachableByOthers(Path path) throws IOException {
        for (Path p = path.toAbsolutePath(); p != null; p = p.getParent()) {
            if (!Files.getPosixFilePermissions(p).contains(PosixFilePermission.OTHERS_EXECUTE)) {
                return false;
            }
        }
        return true;
    }

    @Test
    void imageJavaCapturesAsNobodyAndTheStockRunpathWouldNot() throws Exception {
        // Where nobody can reach: the checkout itself, or a copy under a fresh temporary folder.
        Path work = Files.createTempDirectory("nr-nosudo");
        try {
            NetNamespace.run("chmod", "755", work.toString());
            Path image = ROOT.resolve("netring-cli/target/image");
            String classpath = OpenCaptureProbe.codeLocation(AfPacketRx.class) + ":"
                    + OpenCaptureProbe.codeLocation(OpenCaptureProbe.class);
            if (!reachableByOthers(ROOT)) {
                image = work.resolve("image");
                NetNamespace.run("cp", "-r", OpenCaptureProbe.codeLocation(AfPacketRx.class), work.resolve("main").toString());
                NetNamespace.run("cp", "-r", OpenCaptureProbe.codeLocation(OpenCaptureProbe.class), work.resolve("test").toString());
                NetNamespace.run("chmod", "-R", "a+rX", work.toString());
                classpath = work.resolve("main") + ":" + work.resolve("test");
            }
            check(image, classpath, work);
        } finally {
            NetNamespace.run("rm", "-rf", work.toString());
        }
    }

    private static void check(Path image, String classpath, Path work) throws Exception {
        // Building the image runs jlink: minutes, not seconds, on a loaded machine.
        String made = NetNamespace.run(Duration.ofSeconds(240), ROOT.resolve("bin/netring-image").toString(), image.toString());
        assertTrue(made.contains("cap_net_admin,cap_net_raw,cap_ipc_lock=ep"), made);

        String java = image.resolve("bin/java").toString();
        String out = asNobody(java, "--enable-native-access=ALL-UNNAMED", "-cp", classpath, OpenCaptureProbe.class.getName(), "lo");
        assertEquals("OPENED", out.trim());

        // Without the image, nobody is refused: the capability is what made the difference.
        String plain = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String refused = asNobody(plain, "--enable-native-access=ALL-UNNAMED", "-cp", classpath, OpenCaptureProbe.class.getName(), "lo");
        assertTrue(refused.startsWith("io.netring.PermissionDeniedException|"), refused);

        // The problem the RUNPATH rewrite solves: a setcap'd java with $ORIGIN cannot find libjli.so.
        Path stock = work.resolve("stock-image");
        NetNamespace.run("cp", "-a", image + "/.", stock.toString());
        NetNamespace.run("patchelf", "--set-rpath", "$ORIGIN/../lib", stock.resolve("bin/java").toString());
        NetNamespace.run("setcap", "cap_net_raw+ep", stock.resolve("bin/java").toString());
        NetNamespace.run("chmod", "-R", "a+rX", stock.toString());
        String broken = asNobody(stock.resolve("bin/java").toString(), "-version");
        assertTrue(broken.contains("libjli.so: cannot open shared object file"), broken);
    }
}
