package io.netring.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code netring aggregate}'s mistakes: usage errors name the option (exit 2); no broker is one line (exit 1). */
@Timeout(120)
class AggregateCommandTest {
    private static final String[] TOPICS = {"--in", "p", "--flows", "f", "--top", "t"};

    private static String[] args(String... extra) {
        List<String> a = new ArrayList<>(List.of("aggregate", "--bootstrap", "127.0.0.1:9"));
        a.addAll(List.of(TOPICS));
        a.addAll(List.of(extra));
        return a.toArray(String[]::new);
    }

    private static String usageError(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        assertEquals(2, NetringCommand.run(args, new PrintWriter(out, true), new PrintWriter(err, true)), err.toString());
        return err.toString().lines().findFirst().orElse("");
    }

    @Test
    void badOptionsAreUsageErrorsNamingTheOption() {
        assertEquals("netring: --window must be positive, was 0s", usageError(args("--window", "0s")));
        assertEquals("netring: --idle-timeout must be positive, was 0s", usageError(args("--idle-timeout", "0s")));
        assertEquals("netring: --active-timeout must be positive, was 0s", usageError(args("--active-timeout", "0s")));
        assertEquals("netring: --broker-timeout must be positive, was 0s", usageError(args("--broker-timeout", "0s")));
        assertEquals("netring: --timeout must be positive, was 0s", usageError(args("--timeout", "0s")));
        assertTrue(usageError(args("--grace", "-2s")).startsWith("netring: Invalid value for option '--grace': cannot convert '-2s'"));
        assertEquals("netring: --max-flows must be positive, was 0", usageError(args("--max-flows", "0")));
        assertTrue(usageError("aggregate", "--in", "p", "--flows", "f", "--top", "t")
                .startsWith("netring: Missing required option: '--bootstrap=HOST:PORT'"));
    }

    @Test
    void noBrokerIsOneLineNamingItAndExitOne() throws Exception {
        String broker = "127.0.0.1:" + KafkaBrokerDownTest.deadPort();
        long start = System.nanoTime();
        try (CliProcess p = CliProcess.start(Function.identity(), "aggregate", "--bootstrap", broker, "--in", "p", "--flows", "f",
                "--top", "t", "--broker-timeout", "2s")) {
            assertTrue(p.waitFor(60), "aggregate with no broker did not end");
            assertEquals(1, p.exitValue(), p.err());
            assertEquals("netring: kafka broker " + broker + " unreachable (no answer within 2s)", p.err().strip());
            long tookMillis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(tookMillis < 20_000, "took " + tookMillis + " ms");
        }
    }
}
