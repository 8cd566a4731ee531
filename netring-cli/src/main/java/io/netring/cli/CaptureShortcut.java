package io.netring.cli;

import java.io.PrintWriter;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * The file forms of {@code netring capture} that scripts run over and over
 * ({@code capture -r FILE [-w FILE] [-n|-nn] [-c COUNT]}), parsed by hand: picocli builds its
 * model of every command by reflection in code the AOT cache cannot hold (its classes are
 * Java 5 class files), about 0.2 s of a short process. Anything else, or anything unusual in
 * these (a repeated option, a value that looks like an option, {@code @file}, kafka://)
 * goes to picocli. The command then runs the same {@link CaptureCommand} code, with the same
 * messages and exit codes ({@code CaptureShortcutTest} compares the two paths).
 */
final class CaptureShortcut {
    private CaptureShortcut() {}

    /** A usage error met without picocli: printed as picocli's handler prints one, exit 2. */
    static final class UsageError extends IllegalArgumentException {
        UsageError(String message) {
            super(message);
        }
    }

    /** The command for {@code args}, or null when picocli must parse them. */
    static CaptureCommand parse(String[] args) {
        if (args.length < 3 || !"capture".equals(args[0])) {
            return null;
        }
        String read = null;
        String write = null;
        String count = null;
        int numeric = 0;
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            if (a.equals("-n") || a.equals("-nn")) {
                numeric += a.length() - 1;               // -nn is -n twice, as picocli counts it
                continue;
            }
            if (i + 1 == args.length || !plainValue(args[i + 1])) {
                return null;
            }
            String v = args[++i];
            switch (a) {
                case "-r" -> {
                    if (read != null) {
                        return null;
                    }
                    read = v;
                }
                case "-w" -> {
                    if (write != null) {
                        return null;
                    }
                    write = v;
                }
                case "-c" -> {
                    if (count != null || !positiveNumber(v)) {
                        return null;
                    }
                    count = v;
                }
                default -> {
                    return null;
                }
            }
        }
        if (read == null) {
            return null;
        }
        CaptureCommand c = new CaptureCommand();
        c.ring = new RingOptions();
        c.namespace = new NamespaceOption();
        c.files = new SavedTrafficOptions();
        c.output = new OutputOptions();
        c.filter = new FilterOptions();
        c.xdp = new XdpOptions();
        c.metrics = new MetricsOptions();
        try {
            c.files.readFile = Path.of(read);
        } catch (InvalidPathException e) {
            return null;                                  // picocli words the conversion error
        }
        c.files.writeFile = write;
        c.output.numeric = new boolean[numeric];
        c.count = count == null ? null : Long.valueOf(count);
        return c;
    }

    /** Runs a parsed command as picocli's handlers in {@link NetringCommand} would end it. */
    static int run(CaptureCommand command, PrintWriter out, PrintWriter err) {
        try {
            return command.execute(out, err);
        } catch (UsageError e) {
            err.println("netring: " + e.getMessage());
            err.println("Try 'netring capture --help' for more information.");
            return 2;
        } catch (Exception e) {
            err.println("netring: " + NetringCommand.oneLine(e));
            return 1;
        }
    }

    /** A word picocli would take as an option's value as it is: not an option, not {@code @file}, not Kafka. */
    private static boolean plainValue(String v) {
        return !v.isEmpty() && v.charAt(0) != '-' && v.charAt(0) != '@' && !v.startsWith("kafka:");
    }

    /** 1 to 18 digits, no sign or leading zero: a positive long however it is converted. */
    private static boolean positiveNumber(String v) {
        if (v.length() > 18 || v.charAt(0) == '0') {
            return false;
        }
        for (int i = 0; i < v.length(); i++) {
            if (v.charAt(i) < '0' || v.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }
}
