package io.netring.bench;

import java.util.List;
import java.util.Locale;

/** Prints the rows as one fixed-width table (also valid Markdown). */
final class ResultTable {
    private ResultTable() {}

    static String format(List<Row> rows) {
        StringBuilder sb = new StringBuilder();
        String header = String.format(Locale.ROOT, "| %-5s | %-40s | %10s | %6s | %9s | %9s | %8s | %7s | %6s | %s",
                "part", "run", "frames", "drops", "CPU ns/p", "proc ns/p", "B/packet", "Mpps", "ratio", "note");
        sb.append(header).append(" |\n");
        sb.append("|-------|------------------------------------------|-----------:|-------:|----------:|----------:|---------:|--------:|-------:|------|\n");
        for (Row r : rows) {
            sb.append(String.format(Locale.ROOT, "| %-5s | %-40s | %10s | %6s | %9s | %9s | %8s | %7s | %6s | %s |%n",
                    r.section(), r.name(), count(r.frames()), count(r.drops()), num(r.cpuNsPerPacket(), 1),
                    num(r.processCpuNsPerPacket(), 1), num(r.bytesPerPacket(), 2), num(r.mpps(), 3),
                    Double.isNaN(r.ratio()) ? "-" : num(r.ratio(), 2) + "x", r.note() == null ? "" : r.note()));
        }
        return sb.toString();
    }

    private static String count(long v) {
        return v < 0 ? "-" : Long.toString(v);
    }

    private static String num(double v, int decimals) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%." + decimals + "f", v);
    }
}
