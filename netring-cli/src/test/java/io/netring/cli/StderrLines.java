package io.netring.cli;

import java.util.List;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Lines of a command's standard error found by what they say, not where they stand: the header
 * ({@code listening on …}, {@code reading from file …}), warnings and summaries share stderr, and
 * a new line in one of them must not move what a test looks at.
 */
final class StderrLines {
    private StderrLines() {}

    /** The first line of {@code err} that matches {@code regex} whole; fails naming stderr when none does. */
    static String find(String err, String regex) {
        Pattern p = Pattern.compile(regex);
        for (String line : err.lines().toList()) {
            if (p.matcher(line).matches()) {
                return line;
            }
        }
        return fail("no line of stderr matches /" + regex + "/:\n" + err);
    }

    /** The number in the summary line {@code N packet(s) <what>}, e.g. what = "captured". */
    static long count(String err, String what) {
        String line = find(err, "\\d+ packets? " + Pattern.quote(what));
        return Long.parseLong(line.substring(0, line.indexOf(' ')));
    }

    /** The lines of {@code err} apart from the capture's header, which says where packets come from. */
    static List<String> withoutHeader(String err) {
        return err.lines().filter(l -> !isHeader(l)).toList();
    }

    private static boolean isHeader(String line) {
        return line.startsWith("reading from file ") || line.startsWith("listening on ")
                || line.startsWith("netring: listening on ") || line.startsWith("netring: verbose output suppressed");
    }
}
