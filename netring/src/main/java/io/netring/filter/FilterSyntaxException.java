package io.netring.filter;

/**
 * A filter expression that cannot be compiled: malformed, out of range, or something libpcap
 * refuses too. The message shows the expression with a caret under the offending token:
 * <pre>
 * filter: illegal port number 99999 &gt; 65535
 *   tcp port 99999
 *            ^
 * </pre>
 * An error about the whole expression has no caret: {@code filter "tcp and udp": expression
 * rejects all packets}.
 */
public class FilterSyntaxException extends IllegalArgumentException {
    /** Where the error is, as {@link #position()} returns it. */
    private final int position;
    /** The expression, as {@link #expression()} returns it. */
    private final String expression;
    /** What is wrong, as {@link #reason()} returns it. */
    private final String reason;

    /** An error at {@code position} (0-based char index in {@code expression}; -1 when it concerns the whole expression). */
    public FilterSyntaxException(String expression, int position, String reason) {
        super(message(expression, position, reason));
        this.position = position;
        this.expression = expression;
        this.reason = reason;
    }

    private static String message(String expression, int position, String reason) {
        String flat = expression.replaceAll("[\\r\\n\\t]", " ");
        if (position < 0) {
            return "filter \"" + flat + "\": " + reason;
        }
        int pos = Math.min(position, flat.length());
        return "filter: " + reason + "\n  " + flat + "\n  " + " ".repeat(pos) + "^";
    }

    /** Where in the expression the error is (0-based), or -1 when it concerns the whole expression. */
    public int position() {
        return position;
    }

    /** The expression as given. */
    public String expression() {
        return expression;
    }

    /** What is wrong, without the expression and caret. */
    public String reason() {
        return reason;
    }
}
