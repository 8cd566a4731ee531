package io.netring.cli;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.junit.jupiter.api.Assertions.*;

/** A mistyped command gets the nearest command named, as a usage error (exit 2). */
class CommandSuggestionTest {
    private static String[] run(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = NetringCommand.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new String[] {Integer.toString(code), out.toString(), err.toString()};
    }

    @Test
    void aTypoNamesTheCommand() {
        String[] r = run("captur", "-r", "/dev/null");
        assertEquals("2", r[0]);
        assertEquals("", r[1]);
        assertEquals("netring: unknown command 'captur'; did you mean capture?", r[2].lines().findFirst().orElseThrow());
        assertTrue(run("flwos", "-i", "lo")[2].startsWith("netring: unknown command 'flwos'; did you mean flows?"));
        assertTrue(run("Stats")[2].startsWith("netring: unknown command 'Stats'; did you mean stats?"));
    }

    @Test
    void aWordFarFromEveryCommandGetsPicocliMessage() {
        String[] r = run("frobnicate");
        assertEquals("2", r[0]);
        assertTrue(r[2].startsWith("netring: Unmatched argument"), r[2]);
    }

    @Test
    void distancesAreEditDistances() {
        assertEquals("capture", NetringCommand.nearestCommand("capture"));
        assertEquals("inject", NetringCommand.nearestCommand("injcet"));
        assertEquals("doctor", NetringCommand.nearestCommand("docter"));
        assertNull(NetringCommand.nearestCommand("xyz"));
    }
}
