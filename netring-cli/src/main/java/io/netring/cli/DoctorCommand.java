package io.netring.cli;

import io.netring.Capture;
import io.netring.NetringException;
import io.netring.PermissionDeniedException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.NetworkInterface;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code netring doctor}: checks what capture needs on this machine and says what to fix. */
@Command(name = "doctor", mixinStandardHelpOptions = true,
        description = "Check kernel, JDK, native access, capabilities, locked-memory limit, interfaces and AF_XDP; "
                + "with -i IFACE also what --xdp finds on that interface.")
final class DoctorCommand implements Callable<Integer> {
    private static final int CAP_NET_ADMIN = 12;
    private static final int CAP_NET_RAW = 13;
    private static final int CAP_IPC_LOCK = 14;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = {"-i", "--interface"}, paramLabel = "IFACE",
            description = "Also check this interface for --xdp: its driver, RX queues and any XDP program on it.")
    String interfaceName;

    private int failures;
    private PrintWriter out;

    @Override
    public Integer call() {
        out = spec.commandLine().getOut();
        kernel();
        jdk();
        nativeAccess();
        long caps = effectiveCapabilities();
        capability(caps, CAP_NET_RAW, "CAP_NET_RAW", true, "needed to open packet sockets: run as root or "
                + "`setcap cap_net_raw+ep` on a private java (see the README's no-sudo recipe)");
        capability(caps, CAP_NET_ADMIN, "CAP_NET_ADMIN", false, "needed for --promisc and busy polling");
        memlock(caps);
        interfaces();
        socketProbe();
        new XdpChecks(this::ok, this::warn, this::fail).run(interfaceName);
        out.println(failures == 0 ? "all checks passed" : failures + " check(s) failed");
        return failures == 0 ? 0 : 1;
    }

    /** A check's outcome: what was found and, unless it is fine, how to fix it. */
    interface Outcome {
        void report(String what, String fix);
    }

    private void ok(String what, String fixNotNeeded) {
        ok(what);
    }

    private void ok(String what) {
        out.println("[ ok ] " + what);
    }

    private void warn(String what, String fix) {
        out.println("[warn] " + what + " -- " + fix);
    }

    private void fail(String what, String fix) {
        failures++;
        out.println("[FAIL] " + what + " -- " + fix);
    }

    private void kernel() {
        String release = read("/proc/sys/kernel/osrelease").trim();
        String[] parts = release.split("[.-]");
        int major = parseOr(parts, 0);
        int minor = parseOr(parts, 1);
        if (major > 4 || major == 4 && minor >= 20) {
            ok("kernel " + release + " (TPACKET_V3 RX and TX, PACKET_IGNORE_OUTGOING)");
        } else if (major > 3 || major == 3 && minor >= 2) {
            warn("kernel " + release, "capture works; TX rings need 4.11 (V2 fallback is used), ignoreOutgoing needs 4.20");
        } else {
            fail("kernel " + release, "TPACKET_V3 needs Linux 3.2 or newer");
        }
    }

    private static int parseOr(String[] parts, int i) {
        try {
            return Integer.parseInt(parts[i]);
        } catch (RuntimeException e) {
            return 0;
        }
    }

    private void jdk() {
        int feature = Runtime.version().feature();
        if (feature >= 22) {
            ok("JDK " + Runtime.version() + " at " + System.getProperty("java.home"));
        } else {
            fail("JDK " + Runtime.version(), "netring needs JDK 22 or newer");
        }
    }

    private void nativeAccess() {
        Module module = Capture.class.getModule();
        if (module.isNativeAccessEnabled()) {
            ok("native access enabled for " + (module.isNamed() ? module.getName() : "the class path"));
        } else {
            warn("native access not enabled", "add --enable-native-access=" + (module.isNamed() ? module.getName() : "ALL-UNNAMED")
                    + " to silence the JDK's warning (a future JDK will refuse)");
        }
    }

    private void capability(long caps, int bit, String name, boolean required, String why) {
        if ((caps & (1L << bit)) != 0) {
            ok(name);
        } else if (required) {
            fail(name + " missing", why);
        } else {
            warn(name + " missing", why);
        }
    }

    private void memlock(long caps) {
        String limit = "unknown";
        for (String line : read("/proc/self/limits").split("\n")) {
            if (line.startsWith("Max locked memory")) {
                limit = line.substring("Max locked memory".length()).trim().split("\\s+")[0];
            }
        }
        if ((caps & (1L << CAP_IPC_LOCK)) != 0 || "unlimited".equals(limit)) {
            ok("locked memory: " + ((caps & (1L << CAP_IPC_LOCK)) != 0 ? "CAP_IPC_LOCK" : "RLIMIT_MEMLOCK unlimited"));
        } else {
            warn("RLIMIT_MEMLOCK " + limit + " bytes and no CAP_IPC_LOCK",
                    "rings larger than that are mapped unlocked (may be paged out); raise `ulimit -l` or grant CAP_IPC_LOCK");
        }
    }

    private void interfaces() {
        try {
            List<String> names = new ArrayList<>();
            for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                names.add(nif.getName() + (nif.isUp() ? "" : "(down)") + " mtu " + nif.getMTU());
            }
            Collections.sort(names);
            ok("interfaces: " + String.join(", ", names));
        } catch (IOException e) {
            warn("cannot list interfaces", e.getMessage());
        }
    }

    private void socketProbe() {
        try (Capture ignored = Capture.builder().interfaceName("lo").blockSize(1 << 16).blockCount(2).build()) {
            ok("opened a TPACKET_V3 capture on lo");
        } catch (PermissionDeniedException e) {
            fail("cannot open a packet socket", e.getMessage());
        } catch (NetringException | RuntimeException e) {
            fail("cannot open a capture on lo", e.getMessage());
        }
    }

    private static long effectiveCapabilities() {
        for (String line : read("/proc/self/status").split("\n")) {
            if (line.startsWith("CapEff:")) {
                return Long.parseUnsignedLong(line.substring(7).trim(), 16);
            }
        }
        return 0;
    }

    private static String read(String path) {
        try {
            return Files.readString(Path.of(path));
        } catch (IOException e) {
            return "";
        }
    }
}
