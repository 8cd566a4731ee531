package io.netring.examples;

import io.netring.testing.NetNamespace;
import io.netring.testing.Privileged;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertTrue;

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
    }
}
