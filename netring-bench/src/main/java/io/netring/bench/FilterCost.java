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

        List<String> names = List.of("tcp443", "dns_or_icmp", "syn_or_fin", "vlan_udp", "ip6_not_tcp", "host",
                "net_port", "portrange", "ether_host", "icmp6_or_udp", "web", "not_ssh");
        String rounds = quick ? "2000" : "10000";
        StringBuilder table = new StringBuilder(String.format("%-45s %9s %9s %9s %21s %8s %8s %s%n",
                "expression", "interp ns", "JIT ns", "JIT B/p", "libpcap ns (bef/aft)", "JIT/pcap", "int/pcap",
                "kept (netring/libpcap)"));
        List<Double> jitRatios = new ArrayList<>();
        List<Double> interpreterRatios = new ArrayList<>();
        List<Double> compileMicros = new ArrayList<>();
        // Each expression's JMH rows run between two libpcap runs of the same program on the same
        // frames, so a change in the machine's load shows as a gap between the two libpcap figures.
        for (String name : names) {
            String expr = FilterBench.EXPRESSIONS.get(name);
            String[] before = libpcap(binary, pcap, rounds, expr);
            RunResult jit = jmh(name, quick, false);
            RunResult interpreted = jmh(name, quick, true);
            String[] after = libpcap(binary, pcap, rounds, expr);
            FilterBench b = new FilterBench();
            b.expression = name;
            b.setUp();
            int kept = b.matches();       // checked against libpcap's count
            b.tearDown();
            compileMicros.add(compileMicros(expr));
            double ns = jit.getPrimaryResult().getScore();
            double interpNs = interpreted.getPrimaryResult().getScore();
            Result<?> alloc = jit.getSecondaryResults().get("gc.alloc.rate.norm");
            double libNs = (Double.parseDouble(before[2]) + Double.parseDouble(after[2])) / 2;
            jitRatios.add(ns / libNs);
            interpreterRatios.add(interpNs / libNs);
            table.append(String.format("%-45s %9.2f %9.2f %9.4f %10s / %-9s %8.2f %8.2f %d/%s%n", expr, interpNs, ns,
                    alloc == null ? Double.NaN : alloc.getScore(), before[2], after[2], ns / libNs, interpNs / libNs,
                    kept, before[3]));
        }
        System.out.println();
        System.out.println("per packet over " + FilterBench.COUNT + " corpus frames; libpcap: median of 7 batches, "
                + "run before and after the JMH rows; ratios against their mean");
        System.out.print(table);
        System.out.printf("median over %d expressions: JIT %.2fx libpcap's time (%.1fx faster), interpreter %.2fx;"
                        + " compile time per expression: median %.0f us (first, cold: %.0f us)%n", names.size(),
                median(jitRatios), 1 / median(jitRatios), median(interpreterRatios),
                median(compileMicros.subList(1, compileMicros.size())), compileMicros.get(0));
    }

    /** One JMH run of {@link FilterBench} for {@code name}, compiled (the default) or interpreted. */
    private static RunResult jmh(String name, boolean quick, boolean interpret) throws Exception {
        ChainedOptionsBuilder opts = new OptionsBuilder().include(FilterBench.class.getName() + "\\.")
                .param("expression", name).addProfiler(GCProfiler.class).forks(1);
        if (interpret) {
            opts.jvmArgsAppend("-Dnetring.filter.interpret=true");
        }
        if (quick) {
            opts.warmupIterations(2).warmupTime(TimeValue.seconds(1)).measurementIterations(3).measurementTime(TimeValue.seconds(1));
        }
        return new Runner(opts.build()).run().iterator().next();
    }

    /**
     * Microseconds the call that compiles {@code expr}'s program takes beyond an interpreted call:
     * matches() compiles at its 1001st run (netring.filter.compileAfter), on the calling thread.
     */
    private static double compileMicros(String expr) {
        io.netring.filter.BpfProgram p = io.netring.filter.BpfProgram.compile(expr);
        java.lang.foreign.MemorySegment frame = java.lang.foreign.MemorySegment.ofArray(new byte[60]);
        long t0 = System.nanoTime();
        for (int i = 0; i < 1000; i++) {
            p.matches(frame, 60);
        }
        long perRun = (System.nanoTime() - t0) / 1000;
        long t1 = System.nanoTime();
        p.matches(frame, 60);
        return (System.nanoTime() - t1 - perRun) / 1e3;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        java.util.Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
