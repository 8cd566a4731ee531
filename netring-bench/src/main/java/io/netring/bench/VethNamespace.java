package io.netring.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A network namespace made for one benchmark run, holding a veth pair {@code vA <-> vB}, both
 * up, IPv6 off so no neighbour traffic competes with the test frames. Generators send on
 * {@link #a}, consumers capture on {@link #b}; every process runs inside it through
 * {@code ip netns exec}. {@link #close()} deletes the namespace and the pair with it.
 */
public final class VethNamespace implements AutoCloseable {
    public final String name;
    public final String a = "vA";
    public final String b = "vB";

    private VethNamespace(String name) {
        this.name = name;
    }

    /** Creates {@code nrbench-<pid>-<random>}; needs CAP_SYS_ADMIN and CAP_NET_ADMIN (root). */
    public static VethNamespace create() throws IOException {
        String name = "nrbench-" + ProcessHandle.current().pid() + "-"
                + Integer.toHexString(ThreadLocalRandom.current().nextInt(1 << 20));
        run("ip", "netns", "add", name);
        VethNamespace ns = new VethNamespace(name);
        try {
            ns.ip("link", "add", ns.a, "type", "veth", "peer", "name", ns.b);
            try {
                // /proc/sys directly: `sysctl` is in /usr/sbin, not on every user's PATH.
                run(ns.exec("sh", "-c", "echo 1 > /proc/sys/net/ipv6/conf/all/disable_ipv6;"
                        + " echo 1 > /proc/sys/net/ipv6/conf/default/disable_ipv6").toArray(String[]::new));
            } catch (IOException ignored) {
                // IPv6 may be compiled out; consumers count only the test EtherType anyway.
            }
            ns.ip("link", "set", "lo", "up");
            ns.ip("link", "set", ns.a, "up");
            ns.ip("link", "set", ns.b, "up");
        } catch (IOException | RuntimeException e) {
            ns.close();
            throw e;
        }
        return ns;
    }

    /** {@code ip -n NAME ARGS}. */
    public String ip(String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("ip", "-n", name));
        cmd.addAll(List.of(args));
        return run(cmd.toArray(String[]::new));
    }

    /** The command line that runs {@code command} inside the namespace. */
    public List<String> exec(String... command) {
        return exec(List.of(command));
    }

    public List<String> exec(List<String> command) {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", name));
        cmd.addAll(command);
        return cmd;
    }

    /** Runs a short command (bounded to 30 s) and returns its output; throws with it when it fails. */
    static String run(String... cmd) throws IOException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", cmd) + ": timed out");
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
        run("ip", "netns", "del", name);
    }

    @Override
    public String toString() {
        return name;
    }
}
