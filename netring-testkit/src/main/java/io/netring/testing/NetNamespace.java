package io.netring.testing;

import io.netring.afpacket.PacketSocket;
import io.netring.internal.linux.LinuxConstants;
import io.netring.internal.linux.Syscalls;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A network namespace made for one test, with a veth pair {@code vA <-> vB} in it, both up,
 * IPv6 off from before the links exist (no neighbour chatter: the links carry only test
 * traffic). Removed on {@link #close()}.
 *
 * <p>Sockets belong to the namespace of the thread that creates them, so tests open captures
 * inside {@link #call(Callable)}, which moves the calling thread into the namespace with
 * {@code setns(2)} and back. The sockets stay there after the thread returns.
 *
 * <p>Under {@code unshare -rn} (NETRING_IN_USERNS=1, set by bin/test when not root) the process
 * is already in a private namespace and {@code ip netns} is unavailable: the veth pair is made
 * right there with unique names instead.
 */
public final class NetNamespace implements AutoCloseable {
    /** True when bin/test re-ran the tests inside `unshare -rn`. */
    static final boolean IN_PRIVATE_NETNS = "1".equals(System.getenv("NETRING_IN_USERNS"));
    private static final int O_RDONLY_CLOEXEC = 0x80000;

    private final String name;
    /** Interface names: a is where tests send from, b is where they capture. */
    public final String a;
    public final String b;

    private NetNamespace(String name, String a, String b) {
        this.name = name;
        this.a = a;
        this.b = b;
    }

    /** Creates a namespace named {@code nr-<pid>-<random>} with a veth pair {@code vA}/{@code vB}. */
    public static NetNamespace create() throws IOException {
        String tag = ProcessHandle.current().pid() + "-" + Integer.toHexString(ThreadLocalRandom.current().nextInt(1 << 20));
        if (IN_PRIVATE_NETNS) {
            String a = "va" + Integer.toHexString(ThreadLocalRandom.current().nextInt(1 << 24));
            String b = "vb" + a.substring(2);
            NetNamespace ns = new NetNamespace(null, a, b);
            ns.disableIpv6("all");
            ns.disableIpv6("default");
            ns.ip("link", "add", a, "type", "veth", "peer", "name", b);
            ns.setUp();
            return ns;
        }
        NetNamespace ns = new NetNamespace("nr-" + tag, "vA", "vB");
        run("ip", "netns", "add", ns.name);
        try {
            ns.disableIpv6("all");
            ns.disableIpv6("default");
            ns.ip("link", "add", "vA", "type", "veth", "peer", "name", "vB");
            ns.setUp();
        } catch (IOException | RuntimeException e) {
            ns.close();
            throw e;
        }
        return ns;
    }

    /**
     * Brings the links up with IPv6 off on each: the new links took the namespace's default
     * (set before they were made), and are set once more so no router or neighbour
     * solicitation, MLD report or DAD probe is ever sent. The links then carry only what a
     * test sends.
     */
    private void setUp() throws IOException {
        disableIpv6(a);
        disableIpv6(b);
        disableIpv6("lo");
        ip("link", "set", "lo", "up");
        ip("link", "set", a, "up");
        ip("link", "set", b, "up");
        awaitOperationallyUp(a);
        awaitOperationallyUp(b);
    }

    /**
     * Waits until the kernel reports {@code device} operationally up with its queue in place. A veth end set up before
     * its peer has no carrier yet, and the kernel gives it its transmit queue only when its
     * link watcher sees the carrier, up to a second later: until then every frame sent on it
     * is dropped without an error, which a test sending at once would see as lost frames.
     */
    private void awaitOperationallyUp(String device) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        String shown = "";
        while (System.nanoTime() - deadline < 0) {
            shown = ip("-o", "link", "show", "dev", device);
            if (shown.contains(" state UP ") && !shown.contains(" qdisc noop ")) {
                return;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for " + device + " to come up", e);
            }
        }
        throw new IOException(device + " in " + this + " did not come up within 20 s: " + shown.trim());
    }

    /** Sets net.ipv6.conf.{@code device}.disable_ipv6=1 in this namespace (unless IPv6 is compiled out). */
    private void disableIpv6(String device) throws IOException {
        Path setting = Path.of("/proc/sys/net/ipv6/conf", device, "disable_ipv6");
        try {
            run(() -> {
                if (Files.exists(Path.of("/proc/sys/net/ipv6"))) {
                    Files.writeString(setting, "1");
                    if (!Files.readString(setting).trim().equals("1")) {
                        throw new IOException(setting + " did not take 1");
                    }
                }
            });
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("cannot set " + setting + " in " + this + ": " + e, e);
        }
    }

    /**
     * Moves this namespace's {@code link} into {@code other}'s namespace, where it arrives down.
     * Two namespaces joined by one veth then route between them over the wire instead of
     * delivering locally, which a capture of real client/server traffic needs.
     */
    public void moveLink(String link, NetNamespace other) throws IOException {
        if (name == null || other.name == null) {
            throw new IllegalStateException("moving a link needs two named namespaces (ip netns); under unshare -rn there is one");
        }
        ip("link", "set", link, "netns", other.name);
    }

    /** Turns IPv6 back on for {@code device} (set off for every link at creation), for tests that send IPv6. */
    public void enableIpv6(String device) throws IOException {
        NetNamespace.run(exec("sh", "-c", "echo 0 > /proc/sys/net/ipv6/conf/" + device + "/disable_ipv6").toArray(String[]::new));
    }

    /** True when namespaces can be made with {@code ip netns} (as root), not only the process's own under unshare -rn. */
    public static boolean namedNamespaces() {
        return !IN_PRIVATE_NETNS;
    }

    /** Runs `ip ARGS` inside the namespace and returns its output. */
    public String ip(String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add("ip");
        if (name != null) {
            cmd.add("-n");
            cmd.add(name);
        }
        cmd.addAll(List.of(args));
        return run(cmd.toArray(String[]::new));
    }

    /** The command line that runs {@code command} as a process inside the namespace. */
    public List<String> exec(String... command) {
        return exec(List.of(command));
    }

    /** The command line that runs {@code command} as a process inside the namespace. */
    public List<String> exec(List<String> command) {
        List<String> cmd = new ArrayList<>();
        if (name != null) {
            cmd.addAll(List.of("ip", "netns", "exec", name));
        }
        cmd.addAll(command);
        return cmd;
    }

    /** Runs {@code action} on this thread while it is inside the namespace. */
    public <T> T call(Callable<T> action) throws Exception {
        if (name == null) {
            return action.call();
        }
        int home = Syscalls.open("/proc/thread-self/ns/net", O_RDONLY_CLOEXEC);
        int target = Syscalls.open("/run/netns/" + name, O_RDONLY_CLOEXEC);
        if (home < 0 || target < 0) {
            throw new IOException("cannot open namespace files (" + home + ", " + target + ")");
        }
        try {
            check(Syscalls.setns(target, LinuxConstants.CLONE_NEWNET), "setns into " + name);
            try {
                return action.call();
            } finally {
                check(Syscalls.setns(home, LinuxConstants.CLONE_NEWNET), "setns back home");
            }
        } finally {
            Syscalls.close(target);
            Syscalls.close(home);
        }
    }

    /**
     * How many packet sockets in this namespace are bound to {@code ifName}, from
     * /proc/thread-self/net/packet read inside it. A capture binds last, after its ring and
     * filter are in place, so a count that went up means a capture is ready for traffic.
     */
    public int packetSocketsOn(String ifName) throws Exception {
        return call(() -> {
            String index = String.valueOf(PacketSocket.interfaceIndex(ifName));
            int bound = 0;
            for (String line : Files.readAllLines(Path.of("/proc/thread-self/net/packet"))) {
                String[] cols = line.trim().split("\\s+");
                if (cols.length > 4 && cols[4].equals(index)) {
                    bound++;
                }
            }
            return bound;
        });
    }

    /** A Callable that may throw, without a result. */
    public interface Action {
        void run() throws Exception;
    }

    public void run(Action action) throws Exception {
        call(() -> {
            action.run();
            return null;
        });
    }

    private static void check(int r, String what) {
        if (r < 0) {
            throw new IllegalStateException(what + " failed: errno " + -r);
        }
    }

    /**
     * Runs a command (bounded to 60 s, ample for a JVM starting on a loaded machine) and
     * returns stdout; throws with its output when it fails.
     */
    public static String run(String... cmd) throws IOException {
        return run(Duration.ofSeconds(60), cmd);
    }

    /** Runs a command bounded to {@code limit} and returns stdout; throws with its output when it fails. */
    public static String run(Duration limit, String... cmd) throws IOException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            if (!p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", cmd) + ": timed out after " + limit);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed (" + p.exitValue() + "): " + out.trim());
        }
        return out;
    }

    @Override
    public void close() throws IOException {
        if (name != null) {
            run("ip", "netns", "del", name);
        } else {
            try {
                run("ip", "link", "del", a);
            } catch (IOException ignored) {
                // already gone
            }
        }
    }

    @Override
    public String toString() {
        return name == null ? "current namespace (" + a + "/" + b + ")" : name;
    }
}
