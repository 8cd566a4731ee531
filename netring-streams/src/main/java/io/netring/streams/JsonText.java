package io.netring.streams;

/** JSON string quoting for the text this module writes (source names come from the sensors). */
final class JsonText {
    private JsonText() {}

    /** {@code text} in quotes, with quotes, backslashes and control characters escaped. */
    static String quote(String text) {
        StringBuilder sb = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.append('"').toString();
    }
}
