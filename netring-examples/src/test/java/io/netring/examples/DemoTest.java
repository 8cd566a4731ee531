package io.netring.examples;

import io.netring.testing.NetNamespace;
import io.netring.testing.Privileged;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** The README's first command, run on lo inside a namespace of its own. */
@Privileged
@Timeout(60)
class DemoTest {

    @Test
    void demoSeesItsOwnDatagramsAndPrintsStats() throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try (NetNamespace ns = NetNamespace.create()) {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            ns.run(() -> Demo.main(new String[] {"5"}));
        } finally {
            System.setOut(original);
        }
        String out = captured.toString(StandardCharsets.UTF_8);
        assertTrue(out.contains("ours: 5 of 5 datagrams seen"), out);
        assertTrue(out.contains("IPv4 UDP 127.0.0.1:"), out);
        assertTrue(out.lines().anyMatch(l -> l.startsWith("stats: packets: ")), out);
        assertTrue(out.contains("drops: 0"), out);
        // Readable times (time of day, as tcpdump), and nothing a terminal would interpret.
        assertTrue(out.lines().filter(l -> l.contains("IPv4 UDP"))
                .allMatch(l -> l.matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{9} .*")), out);
        assertFalse(out.contains("\u001b"), "escape codes in the output");
    }

    @Test
    void binBuildUsedByBinDemoPrintsNothingOnSuccess() throws Exception {
        // Maven inside `unshare -r` would take root's home for its repository: only outside.
        org.junit.jupiter.api.Assumptions.assumeFalse("1".equals(System.getenv("NETRING_IN_USERNS")),
                "runs Maven, which inside the user namespace would use root's home for its repository");
        // bin/demo builds through bin/build: Maven's quiet output used to leave ESC[0m on the screen.
        // Offline, and only this module and what it depends on: the build running this test has
        // already fetched their plugins. Later modules' plugins (netring-cli's failsafe) may not
        // be in a new machine's ~/.m2 yet, and offline Maven cannot even plan a phase without them.
        Process p = new ProcessBuilder(Path.of("").toAbsolutePath().getParent().resolve("bin/build").toString(),
                "-o", "-pl", "netring-examples", "-am", "validate").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(50, java.util.concurrent.TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        assertEquals("", out, "bin/build prints nothing when the build succeeds");
    }
}
