package io.netring.cli;

import io.netring.testing.NetNamespace;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

/** The `netring` command run in-process inside a test's namespace, with what it printed. */
record CliRun(int code, String out, String err) {
    List<String> outLines() {
        return out.lines().toList();
    }

    static CliRun in(NetNamespace ns, String... args) throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = ns.call(() -> NetringCommand.run(args, new PrintWriter(out, true), new PrintWriter(err, true)));
        return new CliRun(code, out.toString(), err.toString());
    }
}
