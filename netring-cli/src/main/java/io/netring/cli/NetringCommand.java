package io.netring.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.time.Duration;

/**
 * {@code netring}: capture, inject and inspect packets from the command line, for people who
 * know tcpdump. Errors print one line and exit 1 (2 for usage errors); {@code --verbose} adds
 * the stack trace.
 */
@Command(name = "netring", mixinStandardHelpOptions = true, version = "netring 0.1.0",
        description = "Zero-copy packet capture and injection (AF_PACKET TPACKET_V3) in pure Java.")
public final class NetringCommand {
    /** The subcommands' names, in the order help lists them (their classes: {@link #runWithPicocli}). */
    private static final String[] SUBCOMMAND_NAMES = {"capture", "flows", "streams", "aggregate", "inject", "stats", "doctor", "help"};

    @Option(names = "--verbose", description = "Print stack traces of errors.", scope = CommandLine.ScopeType.INHERIT)
    boolean verbose;

    public static void main(String[] args) {
        CaptureCommand shortcut = CaptureShortcut.parse(args);
        int code = runOnStdout(args, shortcut);
        // System.exit asks the JDK's logging whether to log the exit, and starting it searches
        // every jar on the class path for a provider: some 10 ms of a short run. A command line
        // the shortcut ran started no thread, so returning ends the JVM as exit(0) would.
        if (code != 0 || shortcut == null) {
            System.exit(code);
        }
    }

    /** Runs one command line on the process's standard output and error; returns the exit code. */
    static int runOnStdout(String[] args) {
        return runOnStdout(args, CaptureShortcut.parse(args));
    }

    private static int runOnStdout(String[] args, CaptureCommand shortcut) {
        // Standard output through one 64 KiB buffer straight to the descriptor: packet lines go out
        // in large writes, not through System.out's own buffer and per-write flush.
        PrintWriter out = new PrintWriter(new java.io.BufferedWriter(new java.io.OutputStreamWriter(
                new java.io.FileOutputStream(java.io.FileDescriptor.out), System.out.charset()), 1 << 16), true);
        int code = run(args, shortcut, out, new PrintWriter(System.err, true));
        out.flush();
        return code;
    }

    /** Runs the command line and returns the exit code (for tests). */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        return run(args, CaptureShortcut.parse(args), out, err);
    }

    /** {@link #run}, given the {@link CaptureShortcut}'s parse of {@code args} (null: picocli parses them). */
    private static int run(String[] args, CaptureCommand shortcut, PrintWriter out, PrintWriter err) {
        if (shortcut != null) {
            return CaptureShortcut.run(shortcut, out, err);
        }
        return runWithPicocli(args, out, err);
    }

    /** Every command line through picocli ({@link #run} takes the {@link CaptureShortcut} first when it can). */
    static int runWithPicocli(String[] args, PrintWriter out, PrintWriter err) {
        // Here, not in a static field: naming HelpCommand in this class's initializer loaded
        // picocli (which the AOT cache cannot hold) in runs that never parse with it.
        Class<?>[] subcommands = {CaptureCommand.class, FlowsCommand.class, StreamsCommand.class, AggregateCommand.class, InjectCommand.class,
                StatsCommand.class, DoctorCommand.class, CommandLine.HelpCommand.class};
        NetringCommand root = new NetringCommand();
        CommandLine cl = new CommandLine(root);
        // picocli reflects on every command it is given: when the first word names one, only that
        // one is needed (a third of the start of a process that ends up in picocli).
        int named = args.length == 0 ? -1 : java.util.Arrays.asList(SUBCOMMAND_NAMES).indexOf(args[0]);
        boolean all = named < 0 || SUBCOMMAND_NAMES[named].equals("help");
        for (int i = 0; i < subcommands.length; i++) {
            if (all || named == i) {
                cl.addSubcommand(subcommands[i]);
            }
        }
        cl.setOut(out);
        cl.setErr(err);
        cl.registerConverter(Duration.class, Durations::parse);
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("netring: " + oneLine(e));
            if (root.verbose) {
                e.printStackTrace(commandLine.getErr());
            }
            return 1;
        });
        cl.setParameterExceptionHandler((e, args1) -> {
            CommandLine c = e.getCommandLine();
            String nearest = c == cl && args1.length > 0 && !args1[0].startsWith("-") ? nearestCommand(args1[0]) : null;
            if (nearest != null) {
                c.getErr().println("netring: unknown command '" + args1[0] + "'; did you mean " + nearest + "?");
                c.getErr().println("Try 'netring --help' for the commands.");
                return 2;
            }
            c.getErr().println("netring: " + e.getMessage());
            c.getErr().println("Try '" + c.getCommandSpec().qualifiedName() + " --help' for more information.");
            if (root.verbose && e.getCause() != null) {
                e.getCause().printStackTrace(c.getErr());
            }
            return 2;
        });
        return cl.execute(args);
    }

    /**
     * The command {@code word} was most likely meant to be (at most two letters added, dropped or
     * changed, as a typo), or null when none is that close.
     */
    static String nearestCommand(String word) {
        String best = null;
        int bestDistance = 3;
        for (String name : SUBCOMMAND_NAMES) {
            int d = editDistance(word.toLowerCase(java.util.Locale.ROOT), name);
            if (d < bestDistance) {
                best = name;
                bestDistance = d;
            }
        }
        return best;
    }

    /** Levenshtein distance: insertions, deletions and substitutions of one character each. */
    private static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitute = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitute, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] t = previous;
            previous = current;
            current = t;
        }
        return previous[b.length()];
    }

    /** The exception's message, or its type when it has none, on one line. */
    static String oneLine(Throwable e) {
        Throwable t = e instanceof UncheckedIOException u && u.getCause() != null ? u.getCause() : e;
        String file = FileErrors.describe(t);
        if (file != null) {
            return file;
        }
        String msg = t.getMessage();
        return (msg == null || msg.isBlank() ? t.getClass().getSimpleName() : msg).replace('\n', ' ');
    }
}
