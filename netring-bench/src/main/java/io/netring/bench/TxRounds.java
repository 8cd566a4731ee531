package io.netring.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Turns the TX senders' rounds into rows. Every round runs each sender once, one after another;
 * a row shows the sender's median round, and its ratio is the median over rounds of the sender's
 * rate ÷ the C ring's rate in the same round. Pairing by round cancels what drifts between
 * rounds on a shared machine (a neighbour's load moves both senders of a round alike), which a
 * ratio of two medians taken from different rounds would not.
 */
final class TxRounds {
    private TxRounds() {}

    /** The run with the median rate, its note naming the spread when there were several. */
    static Row median(List<Row> runs) {
        List<Row> measured = runs.stream().filter(r -> !Double.isNaN(r.mpps()))
                .sorted(Comparator.comparingDouble(Row::mpps)).toList();
        if (measured.isEmpty()) {
            return runs.get(0);
        }
        Row m = measured.get((measured.size() - 1) / 2);
        if (measured.size() == 1) {
            return m;
        }
        String spread = String.format(Locale.ROOT, "median of %d rounds (%.3f–%.3f Mpps)",
                measured.size(), measured.get(0).mpps(), measured.get(measured.size() - 1).mpps());
        return withNote(m, spread);
    }

    /**
     * The median round of {@code runs} with, as its ratio, the median of the per-round ratios to
     * {@code floor} (the C ring's runs, round by round); the note adds their range.
     */
    static Row pairedToFloor(List<Row> runs, List<Row> floor) {
        Row row = median(runs);
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < Math.min(runs.size(), floor.size()); i++) {
            double r = runs.get(i).mpps() / floor.get(i).mpps();
            if (!Double.isNaN(r) && !Double.isInfinite(r)) {
                ratios.add(r);
            }
        }
        if (ratios.isEmpty()) {
            return row;
        }
        ratios.sort(null);
        int n = ratios.size();
        double median = n % 2 == 1 ? ratios.get(n / 2) : (ratios.get(n / 2 - 1) + ratios.get(n / 2)) / 2;
        Row paired = row.withRatio(median);
        if (n == 1 || runs == floor) {
            return paired;
        }
        return withNote(paired, String.format(Locale.ROOT, "ratio per round %.3f–%.3f", ratios.get(0), ratios.get(n - 1)));
    }

    private static Row withNote(Row r, String more) {
        return new Row(r.section(), r.name(), r.frames(), r.drops(), r.cpuNsPerPacket(), r.processCpuNsPerPacket(),
                r.bytesPerPacket(), r.mpps(), r.ratio(), r.note() == null ? more : r.note() + "; " + more);
    }
}
