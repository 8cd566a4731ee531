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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Filters per packet in one run: {@link FilterBench} (JMH, {@code -prof gc}) for netring's
 * {@code matches}, and {@code src/main/c/filter_pcap.c} for libpcap's {@code pcap_offline_filter}
 * on the same corpus frames and expressions; prints a table with the ratio and checks that both
 * keep the same number of frames. Needs gcc and libpcap-dev, no privileges.
 * <pre>FilterCost [--quick] [--csrc DIR] [--out DIR]</pre>
 */
public final class FilterCost {
    private FilterCost() {}

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
        List<String> cmd = new ArrayList<>(List.of(binary.toString(), pcap.toString(), quick ? "2000" : "10000"));
        for (String n : names) {
            cmd.add(FilterBench.EXPRESSIONS.get(n));
        }
        Map<String, String[]> libpcap = new HashMap<>();
        for (String line : NetNamespace.run(java.time.Duration.ofMinutes(10), cmd.toArray(String[]::new)).split("\n")) {
            String[] f = line.split("\t");
            libpcap.put(f[0], f);
        }

        ChainedOptionsBuilder opts = new OptionsBuilder().include(FilterBench.class.getName() + "\\.")
                .addProfiler(GCProfiler.class).forks(1);
        if (quick) {
            opts.warmupIterations(2).warmupTime(TimeValue.seconds(1)).measurementIterations(3).measurementTime(TimeValue.seconds(1));
        }
        StringBuilder table = new StringBuilder(String.format("%-40s %12s %10s %16s %8s %s%n",
                "expression", "netring ns", "B/packet", "libpcap ns", "ratio", "kept (netring/libpcap)"));
        for (RunResult r : new Runner(opts.build()).run()) {
            String name = r.getParams().getParam("expression");
            String expr = FilterBench.EXPRESSIONS.get(name);
            String[] lib = libpcap.get(expr);
            FilterBench b = new FilterBench();
            b.expression = name;
            b.setUp();
            int kept = b.matches();       // checked against libpcap's count
            b.tearDown();
            double ns = r.getPrimaryResult().getScore();
            Result<?> alloc = r.getSecondaryResults().get("gc.alloc.rate.norm");
            double libNs = Double.parseDouble(lib[2]);
            table.append(String.format("%-40s %12.2f %10.4f %7s (best %s) %8.2f %d/%s%n", expr, ns,
                    alloc == null ? Double.NaN : alloc.getScore(), lib[2], lib[1], ns / libNs, kept, lib[3]));
        }
        System.out.println();
        System.out.println("per packet over " + FilterBench.COUNT + " corpus frames; libpcap: median of 7 batches (best in brackets)");
        System.out.print(table);
    }
}
