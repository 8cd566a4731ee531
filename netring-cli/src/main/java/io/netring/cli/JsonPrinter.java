package io.netring.cli;

import java.util.List;

/**
 * {@code -T json}: one JSON object per frame, on one line, mapping each field to the array of
 * its occurrences as strings, as tshark's {@code -T json -e FIELD} does for the values
 * (e.g. {@code {"frame.number":["1"],"ip.src":["10.0.0.1"]}}). Fields a frame lacks are left
 * out. Without {@code -e}, every field netring knows.
 */
final class JsonPrinter {
    private final List<String> names;
    private final FieldPrinter.Field[] fields;
    private final FieldPrinter collector;

    JsonPrinter(List<String> names) {
        this.names = names.isEmpty() ? FieldPrinter.knownFields() : List.copyOf(names);
        this.fields = new FieldPrinter.Field[this.names.size()];
        for (int i = 0; i < fields.length; i++) {
            fields[i] = FieldPrinter.field(this.names.get(i));
        }
        this.collector = new FieldPrinter(this.names, '\t', FieldPrinter.ALL);
    }

    /** The fields, in output order. */
    List<String> names() {
        return names;
    }

    /** Appends the object for one frame (without the newline). */
    void append(StringBuilder out, PacketLayers layers, FrameMeta meta) {
        out.append('{');
        boolean first = true;
        for (int i = 0; i < fields.length; i++) {
            FieldPrinter.Occurrences occ = collector.collect(fields[i], names.get(i), layers, meta);
            if (occ.count == 0) {
                continue;
            }
            if (!first) {
                out.append(',');
            }
            first = false;
            string(out, names.get(i), 0, names.get(i).length()).append(":[");
            for (int k = 0; k < occ.count; k++) {
                if (k > 0) {
                    out.append(',');
                }
                string(out, occ.text, occ.start(k), occ.end(k));
            }
            out.append(']');
        }
        out.append('}');
    }

    /** A JSON string of {@code s[from, to)}, escaping quotes, backslashes and control characters. */
    static StringBuilder string(StringBuilder out, CharSequence s, int from, int to) {
        out.append('"');
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20 || c >= 0x7F) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"');
    }
}
