package io.netring.cli;

/**
 * tcpdump's printer for text protocols over TCP (HTTP here): the protocol's name in capitals
 * and, when the payload starts with a request or a response line, that first line.
 */
final class TcpdumpText {
    private static final String[] HTTP_METHODS = {"GET", "PUT", "COPY", "HEAD", "LOCK",
            "MOVE", "POLL", "POST", "BCOPY", "BMOVE", "MKCOL", "TRACE", "LABEL", "MERGE", "DELETE", "SEARCH", "UNLOCK",
            "REPORT", "UPDATE", "NOTIFY", "BDELETE", "CONNECT", "OPTIONS", "CHECKIN", "PROPFIND", "CHECKOUT",
            "CCM_POST", "SUBSCRIBE", "PROPPATCH", "BPROPFIND", "BPROPPATCH", "UNCHECKOUT", "MKACTIVITY",
            "MKWORKSPACE", "UNSUBSCRIBE", "RPC_CONNECT", "VERSION-CONTROL", "BASELINE-CONTROL"};
    private static final int MAX_TOKEN = 128;

    /** The mark a cut payload ends with while this printer runs, else null. */
    String protocol;
    private final StringBuilder token = new StringBuilder(MAX_TOKEN);

    void http(StringBuilder sb, TcpdumpBytes b, int at, int len) {
        protocol = " [|http]";
        boolean print = false;
        int idx = token(b, at, 0, len);
        if (idx != 0) {
            // A method, whatever its case, or a 3-digit status as the second word.
            print = isHttpMethod(token);
            idx = token(b, at, idx, len);
            if (idx != 0 && token.length() == 3 && isDigit(token.charAt(0)) && isDigit(token.charAt(1))
                    && isDigit(token.charAt(2))) {
                print = true;
            }
        }
        sb.append("HTTP");
        if (print) {
            firstLine(sb, b, at, len);
        }
        protocol = null;
    }

    /** Whether {@code word} is one of {@link #HTTP_METHODS}, any case, without making a String of it. */
    private static boolean isHttpMethod(CharSequence word) {
        for (String method : HTTP_METHODS) {
            if (method.length() == word.length() && equalsIgnoreCase(method, word)) {
                return true;
            }
        }
        return false;
    }

    private static boolean equalsIgnoreCase(String upper, CharSequence word) {
        for (int i = 0; i < upper.length(); i++) {
            char c = word.charAt(i);
            if ((c >= 'a' && c <= 'z' ? (char) (c - 32) : c) != upper.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean printable(int c) {
        return c >= 0x20 && c < 0x7F;
    }

    /** The next word from {@code idx} into {@link #token}; the index after it and its blanks, or 0. */
    private int token(TcpdumpBytes b, int at, int idx, int len) {
        token.setLength(0);
        for (; idx < len; idx++) {
            if (!b.has(at + idx, 1)) {
                return 0;
            }
            int c = b.u8(at + idx);
            if (c >= 0x80) {
                return 0;
            }
            if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
                break;
            }
            if (!printable(c) || token.length() + 2 > MAX_TOKEN) {
                return 0;
            }
            token.append((char) c);
        }
        if (token.isEmpty()) {
            return 0;
        }
        for (; idx < len; idx++) {
            if (!b.has(at + idx, 1)) {
                break;
            }
            int c = b.u8(at + idx);
            if (c == '\r' || c == '\n' || !printable(c) || (c != ' ' && c != '\t')) {
                break;
            }
        }
        return idx;
    }

    /** ": " and the first line when it is printable text ending in LF or CRLF; cut text gets the mark. */
    private static void firstLine(StringBuilder sb, TcpdumpBytes b, int at, int len) {
        int idx = 0;
        while (idx < len) {
            int c = b.u8(at + idx);
            if (c == '\n') {
                break;
            } else if (c == '\r') {
                if (idx + 1 >= len || b.u8(at + idx + 1) != '\n') {
                    return;
                }
                break;
            } else if (!printable(c) && c != '\t') {
                return;
            }
            idx++;
        }
        sb.append(": ");
        for (int i = 0; i < idx; i++) {
            sb.append((char) b.u8(at + i));
        }
        if (idx == len) {
            sb.append(" [|http]");           // no line end in this segment: tcpdump takes it as cut
        }
    }
}
