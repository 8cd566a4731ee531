package io.netring.internal.xdp;

import io.netring.InterfaceNotFoundException;
import io.netring.NetringException;
import io.netring.testing.EbpfAllowed;
import io.netring.testing.NamespaceTest;
import io.netring.testing.NetNamespace;
import io.netring.testing.OpenCaptureProbe;
import io.netring.xdp.XdpAttachMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Attaching the redirect program to a veth through rtnetlink, checked with {@code ip -d link}:
 * attach and detach, refusal of a second program, replacing when asked, detaching from the
 * cleaner and at JVM exit, a deleted interface, modes and errors.
 */
@EbpfAllowed
@Timeout(value = 90, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class XdpAttachmentIntegrationTest extends NamespaceTest {

    /** A loaded redirect program and its map, closed together. */
    private record Loaded(XskMap map, XdpRedirectProgram program) implements AutoCloseable {
        static Loaded load() throws NetringException {
            XskMap map = XskMap.create(1);
            return new Loaded(map, XdpRedirectProgram.load(map, List.of()));
        }

        int fd() {
            return program.fd();
        }

        @Override
        public void close() {
            program.close();
            map.close();
        }
    }

    /** What `ip -d link show dev IF` says of the interface's XDP program, in the namespace. */
    private String ipShows(String ifName) throws Exception {
        String out = ns.ip("-d", "link", "show", "dev", ifName);
        StringBuilder xdp = new StringBuilder();
        for (String line : out.split("\n")) {
            if (line.contains("xdp")) {
                xdp.append(line.strip()).append('\n');
            }
        }
        return xdp.toString();
    }

    @Test
    void attachShowsOurProgramAndCloseRemovesIt() throws Exception {
        ns.run(() -> {
            try (Loaded p = Loaded.load()) {
                XdpAttachment a = XdpAttachment.attach(ns.b, p.fd(), XdpAttachMode.NATIVE, false);
                assertEquals(XdpAttachMode.NATIVE, a.mode());
                assertTrue(ipShows(ns.b).contains(" xdp "), ipShows(ns.b));
                assertTrue(ipShows(ns.b).contains("prog/xdp id " + a.programId() + " "), ipShows(ns.b));
                XdpAttachment.XdpInfo info = XdpAttachment.query(ns.b);
                assertEquals("native", info.attached());
                assertEquals(a.programId(), info.programId());
                a.close();
                a.close();                                 // idempotent
                assertTrue(a.isClosed());
                assertEquals("", ipShows(ns.b));
                assertFalse(XdpAttachment.query(ns.b).hasProgram());
            }
        });
    }

    @Test
    void aPlainInterfaceHasNoProgramAndVethSaysWhatXdpItHas() throws Exception {
        ns.run(() -> {
            XdpAttachment.XdpInfo info = XdpAttachment.query(ns.a);
            assertEquals(ns.a, info.interfaceName());
            assertEquals("none", info.attached());
            assertEquals(0, info.programId());
            assertFalse(info.hasProgram());
            assertEquals("veth", info.driver());
            // veth redirects frames but has no zero-copy AF_XDP (its sockets bind in copy mode)
            assertTrue(info.xdpFeatures().containsAll(List.of("basic", "redirect")), info.toString());
            assertFalse(info.zeroCopy(), info.toString());
        });
    }

    @Test
    void aSecondAttachIsRefusedNamingTheFirstProgram() throws Exception {
        ns.run(() -> {
            try (Loaded first = Loaded.load(); Loaded second = Loaded.load();
                 XdpAttachment a = XdpAttachment.attach(ns.b, first.fd(), XdpAttachMode.NATIVE, false)) {
                NetringException e = assertThrows(NetringException.class,
                        () -> XdpAttachment.attach(ns.b, second.fd(), XdpAttachMode.NATIVE, false));
                assertEquals("interface " + ns.b + " already has an XDP program (id " + a.programId() + ", attached"
                        + " natively, in the driver); netring does not replace a program it did not attach unless asked"
                        + " to (replace) (the kernel says: \"XDP program already attached\"); remove it with"
                        + " `ip link set dev " + ns.b + " xdp off`", e.getMessage());
                // A generic program beside a native one is refused the same way.
                NetringException generic = assertThrows(NetringException.class,
                        () -> XdpAttachment.attach(ns.b, second.fd(), XdpAttachMode.GENERIC, false));
                assertTrue(generic.getMessage().contains("already has an XDP program (id " + a.programId()), generic.getMessage());
                assertTrue(ipShows(ns.b).contains("prog/xdp id " + a.programId() + " "), "the first is untouched");
            }
        });
    }

    @Test
    void replacingWhenAskedTakesTheProgramAndTheOldHandleLeavesItAlone() throws Exception {
        ns.run(() -> {
            try (Loaded first = Loaded.load(); Loaded second = Loaded.load()) {
                XdpAttachment a = XdpAttachment.attach(ns.b, first.fd(), XdpAttachMode.NATIVE, false);
                XdpAttachment b = XdpAttachment.attach(ns.b, second.fd(), XdpAttachMode.NATIVE, true);
                assertEquals(a.programId(), b.replacedProgramId());
                assertTrue(ipShows(ns.b).contains("prog/xdp id " + b.programId() + " "), ipShows(ns.b));
                a.close();                                 // no longer ours: left in place
                assertEquals(b.programId(), XdpAttachment.query(ns.b).programId());
                b.close();
                assertFalse(XdpAttachment.query(ns.b).hasProgram());
                // Replace with nothing there is a plain attach.
                try (XdpAttachment c = XdpAttachment.attach(ns.b, first.fd(), XdpAttachMode.NATIVE, true)) {
                    assertEquals(0, c.replacedProgramId());
                    assertEquals(c.programId(), XdpAttachment.query(ns.b).programId());
                }
            }
        });
    }

    @Test
    void genericModeShowsAsXdpgenericInIp() throws Exception {
        ns.run(() -> {
            try (Loaded p = Loaded.load();
                 XdpAttachment a = XdpAttachment.attach(ns.b, p.fd(), XdpAttachMode.GENERIC, false)) {
                // ip names the mode on the link's first line, the program on the prog/xdp line
                assertTrue(ipShows(ns.b).contains(" xdpgeneric "), ipShows(ns.b));
                assertTrue(ipShows(ns.b).contains("prog/xdp id " + a.programId() + " "), ipShows(ns.b));
                assertEquals("generic", XdpAttachment.query(ns.b).attached());
            }
            assertEquals("", ipShows(ns.b));
        });
    }

    @Test
    void nativeModeOnADriverWithoutItSuggestsGenericAndAutoFallsBack() throws Exception {
        ns.run(() -> {
            try (Loaded p = Loaded.load()) {
                NetringException e = assertThrows(NetringException.class,
                        () -> XdpAttachment.attach("lo", p.fd(), XdpAttachMode.NATIVE, false));
                assertTrue(e.getMessage().startsWith("the driver of lo has no native XDP (EOPNOTSUPP"), e.getMessage());
                assertTrue(e.getMessage().contains("(the kernel says: \""), e.getMessage());
                assertTrue(e.getMessage().endsWith("; attach generically: XdpAttachMode.GENERIC, or AUTO, which falls"
                        + " back to it"), e.getMessage());
                try (XdpAttachment auto = XdpAttachment.attach("lo", p.fd(), XdpAttachMode.AUTO, false)) {
                    assertEquals(XdpAttachMode.GENERIC, auto.mode());
                    assertEquals("generic", XdpAttachment.query("lo").attached());
                }
                assertFalse(XdpAttachment.query("lo").hasProgram());
            }
        });
    }

    @Test
    void aMissingInterfaceIsInterfaceNotFound() throws Exception {
        ns.run(() -> {
            try (Loaded p = Loaded.load()) {
                InterfaceNotFoundException e = assertThrows(InterfaceNotFoundException.class,
                        () -> XdpAttachment.attach("nr-nosuch9", p.fd(), XdpAttachMode.NATIVE, false));
                assertEquals("nr-nosuch9", e.interfaceName());
                assertThrows(InterfaceNotFoundException.class, () -> XdpAttachment.query("nr-nosuch9"));
            }
        });
    }

    @Test
    void closingAfterTheInterfaceWasDeletedDoesNotThrow() throws Exception {
        ns.run(() -> {
            try (Loaded p = Loaded.load()) {
                XdpAttachment a = XdpAttachment.attach(ns.b, p.fd(), XdpAttachMode.NATIVE, false);
                ns.ip("link", "del", ns.b);
                a.close();
                assertTrue(a.isClosed());
            }
        });
    }

    @Test
    void aLeakedHandleIsDetachedByTheCleaner() throws Exception {
        ns.run(() -> {
            try (Loaded p = Loaded.load()) {
                int id = attachAndForget(p);
                assertEquals(id, XdpAttachment.query(ns.b).programId());
                for (int i = 0; i < 100 && XdpAttachment.query(ns.b).hasProgram(); i++) {
                    System.gc();
                    Thread.sleep(50);
                }
                assertFalse(XdpAttachment.query(ns.b).hasProgram(), "the cleaner should have detached program " + id);
            }
        });
    }

    private int attachAndForget(Loaded p) throws NetringException {
        return XdpAttachment.attach(ns.b, p.fd(), XdpAttachMode.NATIVE, false).programId();
    }

    @Test
    void aJvmThatExitsWithoutClosingDetachesItsProgram() throws Exception {
        String out = probe();
        assertTrue(out.startsWith("ATTACHED "), out);
        assertEquals("", ipShows(ns.b), "the child's program is gone after it exited: " + out);
    }

    @Test
    void withoutCapNetAdminTheAttachIsPermissionDenied() throws Exception {
        // CAP_BPF stays, so the program loads; only the attach lacks its capability.
        String out = probe("setpriv", "--bounding-set=-net_admin", "--inh-caps=-all");
        assertTrue(out.startsWith("io.netring.PermissionDeniedException|attaching an XDP program to " + ns.b
                + " natively: RTM_SETLINK(IFLA_XDP) failed with EPERM"), out);
        assertTrue(out.contains("needs CAP_NET_ADMIN"), out);
        assertEquals("", ipShows(ns.b));
    }

    /** Runs {@link XdpAttachProbe} on {@code ns.b} in a JVM of its own inside the namespace, behind {@code wrapper}. */
    private String probe(String... wrapper) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classpath = OpenCaptureProbe.codeLocation(XdpAttachment.class) + ":"
                + OpenCaptureProbe.codeLocation(XdpAttachProbe.class);
        List<String> command = new ArrayList<>(List.of(wrapper));
        command.addAll(List.of(java, "--enable-native-access=ALL-UNNAMED", "-cp", classpath,
                XdpAttachProbe.class.getName(), ns.b));
        return NetNamespace.run(Duration.ofSeconds(60), ns.exec(command).toArray(String[]::new));
    }
}
