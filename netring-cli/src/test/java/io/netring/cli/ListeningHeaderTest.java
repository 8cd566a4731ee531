package io.netring.cli;

import io.netring.testing.ExternalTool;
import io.netring.testing.NamespaceTest;
import io.netring.testing.Privileged;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@code capture -i} starts as tcpdump does, on stderr: the hint about {@code -v} and the
 * {@code listening on} line when printing packets, the {@code listening on} line alone after the
 * program's name with {@code -v} or {@code -w}. Checked against the fixed text, and against
 * tcpdump itself where it can capture here.
 */
@Privileged
@Timeout(60)
class ListeningHeaderTest extends NamespaceTest {
    @TempDir
    Path dir;

    private static final String[][] CASES = {
            {},
            {"-v"},
            {"-w", "FILE"},
            {"-q", "-x"},
            {"-vv", "-w", "FILE"},
    };

    @Test
    void headerLinesAreTcpdumpsWithTheProgramsName() throws Exception {
        String listening = "listening on " + ns.b + ", link-type EN10MB (Ethernet), snapshot length 262144 bytes";
        String hint = "netring: verbose output suppressed, use -v[v]... for full protocol decode";
        for (String[] flags : CASES) {
            List<String> header = header(netring(flags));
            boolean quiet = List.of(flags).contains("-v") || List.of(flags).contains("-vv") || List.of(flags).contains("-w");
            assertEquals(quiet ? List.of("netring: " + listening) : List.of(hint, listening), header, String.join(" ", flags));
        }
    }

    @Test
    void headerLinesEqualTcpdumps() throws Exception {
        ReferenceTools.require("tcpdump");
        // bin/test's private user namespace has no user tcpdump could capture as (see ExternalTool.command)
        org.junit.jupiter.api.Assumptions.assumeFalse("1".equals(System.getenv("NETRING_IN_USERNS")),
                "tcpdump cannot open a live capture inside the private user namespace");
        List<Process> tcpdumps = new ArrayList<>();
        List<Path> errs = new ArrayList<>();
        for (String[] flags : CASES) {
            Path err = Files.createTempFile(dir, "tcpdump", ".err");
            List<String> cmd = new ArrayList<>(List.of("timeout", "-s", "INT", "2"));
            cmd.addAll(List.of(ExternalTool.TCPDUMP.command(withFile(flags, "tcpdump", "-i", ns.b))));
            tcpdumps.add(new ProcessBuilder(ns.exec(cmd)).redirectError(err.toFile())
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start());
            errs.add(err);
        }
        for (int i = 0; i < CASES.length; i++) {
            assertTrue(tcpdumps.get(i).waitFor(20, TimeUnit.SECONDS), "tcpdump ended");
            String theirs = Files.readString(errs.get(i), StandardCharsets.UTF_8).replace("tcpdump: ", "netring: ");
            assertEquals(header(theirs), header(netring(CASES[i])), String.join(" ", CASES[i]));
        }
    }

    /**
     * The header lines. tcpdump's other lines are left out: with {@code -v} and {@code -w} it
     * counts the packets written each second ({@code Got N}), which netring does not.
     */
    private static List<String> header(String err) {
        return err.lines().filter(l -> l.contains("listening on ") || l.contains("verbose output suppressed")).toList();
    }

    private String netring(String[] flags) throws Exception {
        StringWriter err = new StringWriter();
        String[] args = withFile(flags, "netring", "capture", "-i", ns.b, "--timeout", "300ms");
        int code = ns.call(() -> NetringCommand.run(args, new PrintWriter(new StringWriter(), true), new PrintWriter(err, true)));
        assertEquals(0, code, err.toString());
        return err.toString();
    }

    /** {@code lead} then {@code flags}, with FILE replaced by a file of this test named after {@code who}. */
    private String[] withFile(String[] flags, String who, String... lead) {
        List<String> args = new ArrayList<>(List.of(lead));
        for (String f : flags) {
            args.add(f.equals("FILE") ? dir.resolve(who + args.size() + ".pcap").toString() : f);
        }
        return args.toArray(String[]::new);
    }
}
