package io.netring.bench;

import io.netring.testing.FrameCorpus;
import io.netring.testing.NetNamespace;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Filters per packet in one run: {@link FilterBench} (JMH, {@code -prof gc}) for netring's
 * {@code matches}, and {@code src/main/c/filter_pcap.c} for libpcap's {@code pcap_offline_filter}
 * on the same corpus frames and expressions; prints a table with the ratio and checks that both
 * keep the same number of frames. Needs gcc and libpcap-dev, no privileges.
 * <pre>FilterCost [--quick] [--csrc DIR] [--out DIR]</pre>
 */
public final class FilterCost {
    private FilterCost() {}

    /** libpcap's fields for one expression: expression, best ns, median ns, frames kept. */
    private static String[] libpcap(Path binary, Path pcap, String rounds, String expr) throws Exception {
        String line = NetNamespace.run(java.time.Duration.ofMinutes(5), binary.toString(), pcap.toString(), rounds, expr).strip();
        String[] f = line.split("\t");
        if (f.length != 4) {
            throw new IllegalStateException("filter_pcap printed: " + line);
        }
        return f;
    }

    public static void main(String[] args) throws Exception {
        boolean quick = false;
        Path csrc = Path.of("netring-bench/src/main/c");
        Path out = Path.of("netring-bench/target/native");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> quick = true;
                case "--csrc" -> csrc = Path.of(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("argument=" + args[i] + ": unknown (see the class javadoc)");
            }
        }
        Files.createDirectories(out);
        Path binary = out.resolve("filter_pcap");
        NetNamespace.run("gcc", "-O2", "-Wall", "-Wextra", "-o", binary.toString(), csrc.resolve("filter_pcap.c").toString(), "-lpcap");
        Path pcap = out.resolve("filter-corpus.pcap");
        FrameCorpus.writePcap(pcap, FilterBench.corpus());

        List<String> names = List.of("tcp443", "dns_or_icmp", "syn_or_fin", "vlan_udp", "ip6_not_tcp");
        String rounds = quick ? "2000" : "10000";
        StringBuilder table = new StringBuilder(String.format("%-40s %11s %9s %22s %7s %s%n",
                "expression", "netring ns", "B/packet", "libpcap ns (before/after)", "ratio", "kept (netring/libpcap)"));
        // Each expression's JMH row runs between two libpcap runs of the same program on the same
        // frames, so a change in the machine's load shows as a gap between the two libpcap figures.
        for (String name : names) {
            String expr = FilterBench.EXPRESSIONS.get(name);
            String[] before = libpcap(binary, pcap, rounds, expr);
            ChainedOptionsBuilder opts = new OptionsBuilder().include(FilterBench.class.getName() + "\\.")
                    .param("expression", name).addProfiler(GCProfiler.class).forks(1);
            if (quick) {
                opts.warmupIterations(2).warmupTime(TimeValue.seconds(1)).measurementIterations(3).measurementTime(TimeValue.seconds(1));
            }
            RunResult r = new Runner(opts.build()).run().iterator().next();
            String[] after = libpcap(binary, pcap, rounds, expr);
            FilterBench b = new FilterBench();
            b.expression = name;
            b.setUp();
            int kept = b.matches();       // checked against libpcap's count
            b.tearDown();
            double ns = r.getPrimaryResult().getScore();
            Result<?> alloc = r.getSecondaryResults().get("gc.alloc.rate.norm");
            double libNs = (Double.parseDouble(before[2]) + Double.parseDouble(after[2])) / 2;
            table.append(String.format("%-40s %11.2f %9.4f %10s / %-10s %7.2f %d/%s%n", expr, ns,
                    alloc == null ? Double.NaN : alloc.getScore(), before[2], after[2], ns / libNs, kept, before[3]));
        }
        System.out.println();
        System.out.println("per packet over " + FilterBench.COUNT + " corpus frames; libpcap: median of 7 batches, "
                + "run before and after the JMH row; ratio against their mean");
        System.out.print(table);
    }
}
