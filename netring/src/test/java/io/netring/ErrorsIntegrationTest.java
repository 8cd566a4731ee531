package io.netring;

import io.netring.testing.NetNamespace;
import io.netring.testing.OpenCaptureProbe;
import io.netring.testing.Privileged;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

@Privileged
@Timeout(60)
class ErrorsIntegrationTest {

    @Test
    void unknownInterfaceIsInterfaceNotFound() throws Exception {
        try (NetNamespace ns = NetNamespace.create()) {
            ns.run(() -> {
                InterfaceNotFoundException e = assertThrows(InterfaceNotFoundException.class, () -> Capture.open("nr-nosuch1"));
                assertEquals("nr-nosuch1", e.interfaceName());
                assertEquals("if_nametoindex", e.call());
                assertTrue(e.getMessage().startsWith("no network interface named 'nr-nosuch1'"), e.getMessage());
            });
        }
    }

    /**
     * Runs a tiny JVM without CAP_NET_RAW (dropped from the bounding set by setpriv, so even
     * root loses it across exec) that tries to open a capture on lo.
     */
    @Test
    void withoutCapNetRawOpeningFailsNamingTheCapability() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classpath = OpenCaptureProbe.codeLocation(AfPacketRx.class) + ":" + OpenCaptureProbe.codeLocation(OpenCaptureProbe.class);
        String out = NetNamespace.run("setpriv", "--bounding-set=-net_raw", "--inh-caps=-all",
                java, "--enable-native-access=ALL-UNNAMED", "-cp", classpath, OpenCaptureProbe.class.getName(), "lo");
        assertTrue(out.startsWith("io.netring.PermissionDeniedException|"), out);
        assertTrue(out.contains("needs CAP_NET_RAW"), out);
        assertTrue(out.contains("socket(AF_PACKET, SOCK_RAW) failed with EPERM"), out);
        assertTrue(out.trim().endsWith("|CAP_NET_RAW"), out);
    }

    /**
     * Without CAP_IPC_LOCK and with a 64 KiB RLIMIT_MEMLOCK, MAP_LOCKED of a 128 KiB ring is
     * refused: the ring is mapped unlocked, the capture opens, and a warning names the fix.
     */
    @Test
    void lockedMappingFallsBackWithOneWarning() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classpath = OpenCaptureProbe.codeLocation(AfPacketRx.class) + ":" + OpenCaptureProbe.codeLocation(OpenCaptureProbe.class);
        String out = NetNamespace.run("setpriv", "--bounding-set=-ipc_lock", "--inh-caps=-all",
                "prlimit", "--memlock=65536:65536",
                java, "--enable-native-access=ALL-UNNAMED", "-cp", classpath, OpenCaptureProbe.class.getName(), "lo");
        assertTrue(out.contains("OPENED"), out);
        assertTrue(out.contains("could not lock the 128 KiB ring of lo in memory (mmap MAP_LOCKED: "), out);
        assertTrue(out.contains("Grant CAP_IPC_LOCK or raise `ulimit -l`"), out);
    }
}
