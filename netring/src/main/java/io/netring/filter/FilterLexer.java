package io.netring.filter;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a filter expression into tokens as libpcap's scanner does: words run over letters,
 * digits and {@code _ . -} (so {@code 1-100} and {@code tcp-syn} are one word, and a dash or dot
 * cannot end one), colons join a word only when it is a MAC or IPv6 address, and {@code \name}
 * is a name even when {@code name} is a keyword.
 */
final class FilterLexer {
    /** A token: its kind, its text and where it starts. */
    record Token(Kind kind, String text, int pos) {
        boolean is(String op) {
            return kind == Kind.OP && text.equals(op);
        }

        boolean isWord(String word) {
            return kind == Kind.WORD && text.equalsIgnoreCase(word);
        }
    }

    enum Kind { WORD, ESCAPED, OP, END }

    private static final String[] OPERATORS = {"&&", "||", "<<", ">>", "<=", ">=", "!=", "==",
            "(", ")", "[", "]", ":", "+", "-", "*", "/", "%", "&", "|", "^", "=", "<", ">", "!"};

    private FilterLexer() {
    }

    static List<Token> tokens(String expr) {
        List<Token> out = new ArrayList<>();
        int i = 0;
        int n = expr.length();
        while (i < n) {
            char c = expr.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
                continue;
            }
            if (c == '\\') {
                int end = i + 1;
                while (end < n && !Character.isWhitespace(expr.charAt(end)) && "!()".indexOf(expr.charAt(end)) < 0) {
                    end++;
                }
                if (end == i + 1) {
                    throw new FilterSyntaxException(expr, i, "a backslash must be followed by a name");
                }
                out.add(new Token(Kind.ESCAPED, expr.substring(i + 1, end), i));
                i = end;
                continue;
            }
            if ((isWordChar(c) && c != '-' && c != '.') || expr.startsWith("::", i)) {
                int end = i;
                while (end < n && (isWordChar(expr.charAt(end)) || expr.charAt(end) == ':')) {
                    end++;
                }
                String word = expr.substring(i, end);
                if (word.indexOf(':') >= 0 && !Addresses.isMacOrIpv6(word)) {
                    word = word.substring(0, word.indexOf(':'));
                }
                while (word.length() > 1 && (word.endsWith("-") || word.endsWith("."))) {
                    word = word.substring(0, word.length() - 1);
                }
                if (word.isEmpty()) {
                    out.add(new Token(Kind.OP, ":", i));   // "::x" that is no IPv6 address
                    i++;
                    continue;
                }
                out.add(new Token(Kind.WORD, word, i));
                i += word.length();
                continue;
            }
            String op = null;
            for (String candidate : OPERATORS) {
                if (expr.startsWith(candidate, i)) {
                    op = candidate;
                    break;
                }
            }
            if (op == null) {
                throw new FilterSyntaxException(expr, i, "unexpected character '" + c + "'");
            }
            out.add(new Token(Kind.OP, op, i));
            i += op.length();
        }
        out.add(new Token(Kind.END, "", n));
        return out;
    }

    private static boolean isWordChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
    }
}
