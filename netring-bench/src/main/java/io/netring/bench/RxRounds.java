package io.netring.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * Turns the RX consumers' rounds into rows, as {@link TxRounds} does for senders: every round
 * runs the C ring walk and then each consumer; a row is the consumer's median round by CPU per
 * packet, and its ratios (reading thread and whole process) are medians of the per-round ratios
 * to the walk of the same round. A neighbour's load that moves a round moves the walk with it.
 */
final class RxRounds {
    private RxRounds() {}

    /** One consumer's rounds against the floor's rounds (the same list for the floor itself). */
    static Row pairedToFloor(List<Row> runs, List<Row> floor) {
        List<Row> measured = runs.stream().filter(r -> !Double.isNaN(r.cpuNsPerPacket()))
                .sorted(Comparator.comparingDouble(Row::cpuNsPerPacket)).toList();
        if (measured.isEmpty()) {
            return runs.get(0);
        }
        Row row = measured.get((measured.size() - 1) / 2);
        if (runs == floor) {
            return note(row.withRatio(1.0), runs.size() > 1 ? spread(measured) : null);
        }
        double thread = medianRatio(runs, floor, Row::cpuNsPerPacket);
        double process = medianRatio(runs, floor, Row::processCpuNsPerPacket);
        String more = String.format(Locale.ROOT, "process CPU %.2fx", process);
        if (runs.size() > 1) {
            more += "; " + spread(measured) + String.format(Locale.ROOT, ", ratio per round %s",
                    range(ratios(runs, floor, Row::cpuNsPerPacket)));
        }
        return note(row.withRatio(thread), more);
    }

    /**
     * {@code row} with a note of its CPU per packet against another consumer's of the same
     * rounds ({@code reference}, called {@code name}): the median of the per-round ratios and
     * their range. For rows whose fair reference is not the ring walk (the napping AF_XDP readers).
     */
    static Row against(Row row, List<Row> runs, List<Row> reference, String name) {
        List<Double> r = ratios(runs, reference, Row::cpuNsPerPacket);
        if (r.isEmpty()) {
            return row;
        }
        String more = String.format(Locale.ROOT, "against the %s %.2fx", name, medianRatio(runs, reference, Row::cpuNsPerPacket));
        return note(row, runs.size() > 1 ? more + " (per round " + range(r) + ")" : more);
    }

    private static double medianRatio(List<Row> runs, List<Row> floor, ToDoubleFunction<Row> cpu) {
        List<Double> r = ratios(runs, floor, cpu);
        if (r.isEmpty()) {
            return Double.NaN;
        }
        int n = r.size();
        return n % 2 == 1 ? r.get(n / 2) : (r.get(n / 2 - 1) + r.get(n / 2)) / 2;
    }

    /** Per-round ratios of {@code cpu} to the floor's CPU of the same round, sorted. */
    private static List<Double> ratios(List<Row> runs, List<Row> floor, ToDoubleFunction<Row> cpu) {
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < Math.min(runs.size(), floor.size()); i++) {
            double r = cpu.applyAsDouble(runs.get(i)) / floor.get(i).cpuNsPerPacket();
            if (!Double.isNaN(r) && !Double.isInfinite(r)) {
                ratios.add(r);
            }
        }
        ratios.sort(null);
        return ratios;
    }

    private static String spread(List<Row> sorted) {
        return String.format(Locale.ROOT, "median of %d rounds (%.1f–%.1f ns)", sorted.size(),
                sorted.get(0).cpuNsPerPacket(), sorted.get(sorted.size() - 1).cpuNsPerPacket());
    }

    private static String range(List<Double> sorted) {
        return sorted.isEmpty() ? "-" : String.format(Locale.ROOT, "%.2f–%.2f", sorted.get(0), sorted.get(sorted.size() - 1));
    }

    private static Row note(Row r, String more) {
        if (more == null) {
            return r;
        }
        return new Row(r.section(), r.name(), r.frames(), r.drops(), r.cpuNsPerPacket(), r.processCpuNsPerPacket(),
                r.bytesPerPacket(), r.mpps(), r.ratio(), r.note() == null ? more : r.note() + ", " + more);
    }
}
