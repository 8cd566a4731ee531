package io.netring.app;

/**
 * The parts of an HTTP/1.x message head that matter here, read once the whole head is in: the
 * start line, Host, User-Agent, and how the body is framed.
 */
final class HttpHead {
    /** Content-Length absent. */
    static final long NO_LENGTH = -1;
    /** Content-Length present but not a number. */
    static final long BAD_LENGTH = -2;

    private HttpRequest request;
    private byte methodKind = HttpExchange.OTHER;
    private int status;
    private long contentLength = NO_LENGTH;
    private boolean chunked;

    private HttpHead() {}

    HttpRequest request() {
        return request;
    }

    byte methodKind() {
        return methodKind;
    }

    int status() {
        return status;
    }

    long contentLength() {
        return contentLength;
    }

    boolean chunked() {
        return chunked;
    }

    /** Reads {@code b[0, end)} (leading empty lines allowed); null when the start line is not HTTP/1.x. */
    static HttpHead parse(byte[] b, int end, boolean request) {
        int pos = 0;
        while (pos < end && (b[pos] == '\r' || b[pos] == '\n')) {
            pos++;
        }
        int lineEnd = lineEnd(b, pos, end);
        HttpHead h = new HttpHead();
        String method = null;
        String uri = null;
        if (request) {
            int sp1 = indexOf(b, pos, lineEnd, (byte) ' ');
            int sp2 = sp1 < 0 ? -1 : lastIndexOf(b, sp1 + 1, lineEnd, (byte) ' ');
            if (sp1 <= pos || sp2 <= sp1 || !isToken(b, pos, sp1) || !startsWith(b, sp2 + 1, lineEnd, "HTTP/")) {
                return null;
            }
            method = HttpParser.latin1(b, pos, sp1);
            uri = HttpParser.latin1(b, sp1 + 1, sp2);
            h.methodKind = method.equals("HEAD") ? HttpExchange.HEAD
                    : method.equals("CONNECT") ? HttpExchange.CONNECT : HttpExchange.OTHER;
        } else {
            if (!startsWith(b, pos, lineEnd, "HTTP/") || lineEnd - pos < 12) {
                return null;
            }
            int sp = indexOf(b, pos, lineEnd, (byte) ' ');
            if (sp < 0 || sp + 4 > lineEnd || (sp + 4 < lineEnd && b[sp + 4] != ' ')) {
                return null;
            }
            int code = 0;
            for (int i = sp + 1; i < sp + 4; i++) {
                if (b[i] < '0' || b[i] > '9') {
                    return null;
                }
                code = code * 10 + (b[i] - '0');
            }
            if (code < 100) {
                return null;
            }
            h.status = code;
        }
        String host = null;
        String userAgent = null;
        pos = next(b, lineEnd, end);
        while (pos < end) {
            int le = lineEnd(b, pos, end);
            int colon = indexOf(b, pos, le, (byte) ':');
            if (colon > pos) {
                int vs = colon + 1;
                int ve = le;
                while (vs < ve && (b[vs] == ' ' || b[vs] == '\t')) {
                    vs++;
                }
                while (ve > vs && (b[ve - 1] == ' ' || b[ve - 1] == '\t')) {
                    ve--;
                }
                if (nameIs(b, pos, colon, "host") && host == null) {
                    host = HttpParser.latin1(b, vs, ve);
                } else if (nameIs(b, pos, colon, "user-agent") && userAgent == null) {
                    userAgent = HttpParser.latin1(b, vs, ve);
                } else if (nameIs(b, pos, colon, "content-length")) {
                    h.contentLength = number(b, vs, ve);
                } else if (nameIs(b, pos, colon, "transfer-encoding")) {
                    h.chunked = endsWithIgnoreCase(b, vs, ve, "chunked");
                }
            }
            pos = next(b, le, end);
        }
        if (request) {
            h.request = new HttpRequest(method, host, uri, userAgent);
        }
        return h;
    }

    /** End of the line starting at {@code pos}: the index of its CR LF or LF (or {@code end}). */
    private static int lineEnd(byte[] b, int pos, int end) {
        int i = pos;
        while (i < end && b[i] != '\n') {
            i++;
        }
        return i > pos && b[i - 1] == '\r' ? i - 1 : i;
    }

    /** The start of the line after the one ending at {@code lineEnd}. */
    private static int next(byte[] b, int lineEnd, int end) {
        int i = lineEnd;
        if (i < end && b[i] == '\r') {
            i++;
        }
        return i < end ? i + 1 : end;
    }

    private static long number(byte[] b, int from, int to) {
        if (from == to || to - from > 18) {
            return BAD_LENGTH;
        }
        long v = 0;
        for (int i = from; i < to; i++) {
            if (b[i] < '0' || b[i] > '9') {
                return BAD_LENGTH;
            }
            v = v * 10 + (b[i] - '0');
        }
        return v;
    }

    private static boolean isToken(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            int c = b[i] & 0xFF;
            if (c <= ' ' || c >= 0x7F || "()<>@,;:\\\"/[]?={}".indexOf(c) >= 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean nameIs(byte[] b, int from, int to, String lowerName) {
        if (to - from != lowerName.length()) {
            return false;
        }
        for (int i = 0; i < lowerName.length(); i++) {
            int c = b[from + i];
            if ((c >= 'A' && c <= 'Z' ? c + 32 : c) != lowerName.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static boolean endsWithIgnoreCase(byte[] b, int from, int to, String lower) {
        return to - from >= lower.length() && nameIs(b, to - lower.length(), to, lower);
    }

    private static boolean startsWith(byte[] b, int from, int to, String ascii) {
        return to - from >= ascii.length() && nameIsExact(b, from, ascii);
    }

    private static boolean nameIsExact(byte[] b, int from, String ascii) {
        for (int i = 0; i < ascii.length(); i++) {
            if (b[from + i] != ascii.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static int indexOf(byte[] b, int from, int to, byte c) {
        for (int i = from; i < to; i++) {
            if (b[i] == c) {
                return i;
            }
        }
        return -1;
    }

    private static int lastIndexOf(byte[] b, int from, int to, byte c) {
        for (int i = to - 1; i >= from; i--) {
            if (b[i] == c) {
                return i;
            }
        }
        return -1;
    }
}
