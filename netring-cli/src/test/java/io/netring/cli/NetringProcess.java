package io.netring.cli;

import io.netring.testing.NetNamespace;
import io.netring.testing.Waits;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The command in a process of its own: the JVM running these tests, with the command's class path. */
final class NetringProcess {
    private NetringProcess() {}

    /** The command line that runs {@code netring ARGS}. */
    static List<String> command(String... args) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), NetringCommand.class.getName()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    /**
     * Waits until {@code p} has bound a packet socket to {@code ifName} in {@code ns} (more than
     * the {@code before} there were), or has ended.
     */
    static void awaitCapture(NetNamespace ns, String ifName, int before, Process p) throws InterruptedException {
        Waits.until(() -> {
            try {
                return ns.packetSocketsOn(ifName) > before || !p.isAlive();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, Duration.ofSeconds(40), "the capture process bound its socket");
    }
}
