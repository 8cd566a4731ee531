package io.netring.bench;

import io.netring.testing.NetNamespace;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The whole benchmark: JMH micro-benchmarks on synthetic blocks, then end to end on a veth pair
 * in a namespace made for the run, and one table with ratios to the C floor.
 *
 * <p>End to end, each consumer runs alone on {@code vB} while the C generator sends WARMUP +
 * FRAMES sequenced 64-byte frames on {@code vA} (generator on CPU 0, consumer on CPU 1); its CPU
 * is counted after the warm-up, long enough for the JIT to reach steady state. Then each sender
 * sends TX_FRAMES on {@code vA} in rounds, each row its median round ({@link TxRounds}). The
 * method and what the figures mean: docs/PERFORMANCE.md.
 *
 * <pre>
 * E2eBench [--quick] [--frames N] [--warmup N] [--tx-frames N] [--tx-rounds N] [--rx-rounds N] [--rx-rate PPS]
 *          [--no-micro] [--no-e2e] [--tx-only] [--csrc DIR] [--out DIR]
 * </pre>
 * {@code --tx-only} skips the RX rows; {@code --rx-rate} paces the AF_PACKET rows' generator
 * (the AF_XDP rows always get {@link #XDP_OFFERED_PPS}). Needs root, gcc and libpcap-dev
 * ({@code bin/bench} sees to those); the C AF_XDP row also libxdp-dev and libbpf-dev.
 */
public final class E2eBench {
    private static final int SIZE = TestFrames.FRAME_SIZE;
    private static final long IDLE_MILLIS = 1500;
    /** The C AF_XDP row's name ({@code --only AF_XDP} selects it). */
    static final String XDP_ROW = "C AF_XDP reader (libxdp)";
    /** How long the second C AF_XDP row sleeps on an empty ring: 400 frames at 0.8 Mpps, a fifth of its fill ring. */
    private static final int XDP_NAP_MICROS = 500;
    /** The C AF_XDP reader sleeping instead of polling when its ring is empty. */
    static final String XDP_NAP_ROW = XDP_ROW + ", 0.5 ms naps";
    /** That reader's loop in Java with none of the library's checks. */
    static final String XDP_BARE_ROW = "bare Java AF_XDP reader, 0.5 ms naps (floor)";
    /** XdpRx with its default nap (0.5 ms), the README loop and {@code dispatch}. */
    static final String XDP_ITER_ROW = "netring XdpRx (AF_XDP), for (Packet p : batch)";
    static final String XDP_DISPATCH_ROW = "netring XdpRx (AF_XDP), dispatch()";
    /** The Java rows that nap 0.5 ms on an empty AF_XDP ring, as {@link #XDP_NAP_ROW} does. */
    private static final Set<String> NAPPING_XDP_ROWS = Set.of(XDP_BARE_ROW, XDP_ITER_ROW, XDP_DISPATCH_ROW);
    /**
     * The rate the generator offers the AF_XDP rows, frames per second: below what veth's XDP
     * copy path delivers here (0.73-1.26 Mpps unpaced), so every AF_XDP reader, C or Java,
     * polling or napping, gets the same traffic. Unpaced, the napping readers were offered
     * rates 35 % apart in one run, and a napping reader's CPU per packet is its naps' cost
     * spread over the packets each nap collects.
     */
    static final long XDP_OFFERED_PPS = 600_000;

    private long frames = 15_000_000;
    private long warmup = 10_000_000;
    private long txFrames = 5_000_000;
    private int txRounds = 5;
    /** RX rounds: each runs the C walk and then every consumer; ratios are paired by round. */
    private int rxRounds = 1;
    /**
     * Frames per second the generator offers each AF_PACKET row; 0 for as fast as it can. Unpaced,
     * each reader gets the rate the generator reaches beside it (1.0 to 1.5 Mpps in one run), and
     * a reader's CPU per packet falls as its blocks fill faster, so rows compare only at one rate.
     */
    private long rxRate;
    private boolean quick;
    private boolean micro = true;
    private boolean e2e = true;
    /** False with --rx-only: the end-to-end run measures the receivers alone. */
    /** With {@code --only TEXT[,TEXT]}: the RX rows whose name contains one of them, beside the C floor. */
    private String only;
    private boolean txRowsWanted = true;
    private boolean rxRows = true;
    private Path csrc;
    private Path out;

    public static void main(String[] args) throws Exception {
        E2eBench b = new E2eBench();
        b.parse(args);
        List<Row> rows = b.run();
        System.out.println();
        System.out.print(ResultTable.format(rows));
    }

    void parse(String[] args) {
        Path classes = Path.of(System.getProperty("user.dir"));
        csrc = Path.of("netring-bench/src/main/c");
        out = Path.of("netring-bench/target/native");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> {
                    quick = true;
                    frames = 3_000_000;         // a window of ~2 s: shorter ones catch the JIT's late per-block work
                    txFrames = 1_000_000;
                    txRounds = 3;
                }
                case "--frames" -> frames = Long.parseLong(args[++i]);
                case "--warmup" -> warmup = Long.parseLong(args[++i]);
                case "--tx-frames" -> txFrames = Long.parseLong(args[++i]);
                case "--tx-rounds" -> txRounds = Integer.parseInt(args[++i]);
                case "--rx-rounds" -> rxRounds = Integer.parseInt(args[++i]);
                case "--rx-rate" -> rxRate = Long.parseLong(args[++i]);
                case "--no-micro" -> micro = false;
                case "--no-e2e" -> e2e = false;
                case "--tx-only" -> rxRows = false;
                case "--rx-only" -> txRowsWanted = false;
                case "--only" -> only = args[++i];
                case "--csrc" -> csrc = Path.of(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("argument=" + args[i] + ": unknown (see the class javadoc)");
            }
        }
        if (!csrc.isAbsolute()) {
            csrc = classes.resolve(csrc);
        }
        if (!out.isAbsolute()) {
            out = classes.resolve(out);
        }
    }

    List<Row> run() throws Exception {
        List<Row> rows = new ArrayList<>();
        if (e2e) {
            rows.addAll(endToEnd());
        }
        if (micro) {
            rows.addAll(micro());
        }
        return rows;
    }

    // ---- micro-benchmarks -------------------------------------------------------------------

    private List<Row> micro() throws Exception {
        ChainedOptionsBuilder opts = new OptionsBuilder()
                .include(BatchWalkBench.class.getName() + "\\.")
                .addProfiler(GCProfiler.class)
                .forks(1);
        if (quick) {
            opts.warmupIterations(2).warmupTime(TimeValue.seconds(1)).measurementIterations(3)
                    .measurementTime(TimeValue.seconds(1));
        } else {
            opts.forks(2);
        }
        Collection<RunResult> results = new Runner(opts.build()).run();
        List<Row> rows = new ArrayList<>();
        double floor = Double.NaN;
        for (RunResult r : results) {
            if (r.getParams().getBenchmark().endsWith(".rawWalk")) {
                floor = r.getPrimaryResult().getScore();
            }
        }
        for (RunResult r : results) {
            String bench = r.getParams().getBenchmark();
            String name = bench.substring(bench.lastIndexOf('.') + 1);
            double ns = r.getPrimaryResult().getScore();
            Result<?> alloc = r.getSecondaryResults().get("gc.alloc.rate.norm");
            rows.add(new Row("micro", "synthetic block: " + name, -1, -1, ns, Double.NaN,
                    alloc == null ? Double.NaN : alloc.getScore(), 1e3 / ns, ns / floor,
                    name.equals("rawWalk") ? "floor of the micro rows: plain loop over a MemorySegment" : null));
        }
        return rows;
    }

    // ---- end to end ---------------------------------------------------------------------------

    private List<Row> endToEnd() throws Exception {
        NativeTools tools = new NativeTools(csrc, out);
        tools.buildAll();
        File log = out.resolve("bench.log").toFile();
        Files.deleteIfExists(log.toPath());
        System.out.println("end to end: " + frames + " frames (+" + warmup + " warm-up) per consumer, "
                + txFrames + " per sender; logs in " + log);
        List<Row> rows = new ArrayList<>();
        try (NetNamespace ns = NetNamespace.create()) {
            if (rxRows) {
                rows.addAll(receivers(ns, log, tools));
            }
            if (txRowsWanted) {
                rows.addAll(senders(ns, log, tools));
            }
        }
        return rows;
    }

    /**
     * The RX rows: each consumer against the C sendmmsg generator, ratios to the C ring walk.
     * With several rounds, each round runs the walk and then every consumer, and the ratios are
     * paired by round ({@link RxRounds}).
     */
    private List<Row> receivers(NetNamespace ns, File log, NativeTools tools) throws Exception {
        long total = warmup + frames;
        String t = Long.toString(total), w = Long.toString(warmup), idle = Long.toString(IDLE_MILLIS);
        String floorName = "C TPACKET_V3 ring walk (floor)";
        Map<String, List<String>> consumers = new LinkedHashMap<>();
        consumers.put(floorName, List.of(tools.path(NativeTools.RX_RINGWALK), ns.b, t, w, idle));
        consumers.putAll(javaAndLibraryRows(ns, tools, t, w, idle));
        Map<String, List<Row>> runs = new LinkedHashMap<>();
        for (int round = 1; round <= rxRounds; round++) {
            for (Map.Entry<String, List<String>> c : consumers.entrySet()) {
                String label = c.getKey() + (rxRounds > 1 ? " (round " + round + ")" : "");
                String missing = tools.unavailable(c.getValue().get(0));
                Row r = missing != null ? Row.skipped("RX", label, missing) : rx(ns, log, label, c.getValue(), tools);
                runs.computeIfAbsent(c.getKey(), k -> new ArrayList<>()).add(r.withName(c.getKey()));
            }
        }
        List<Row> floor = runs.get(floorName);
        List<Row> napping = runs.get(XDP_NAP_ROW);
        List<Row> rows = new ArrayList<>();
        for (Map.Entry<String, List<Row>> r : runs.entrySet()) {
            Row row = RxRounds.pairedToFloor(r.getValue(), floor);
            if (napping != null && NAPPING_XDP_ROWS.contains(r.getKey())) {
                // The napping readers' fair reference is the napping C reader of the same round.
                row = RxRounds.against(row, r.getValue(), napping, "napping C reader");
            }
            rows.add(row);
        }
        return rows;
    }

    /**
     * A Flight Recorder settings file that turns netring's periodic event off, to be given after
     * {@code settings=default}. A file, not {@code io.netring.RingStatistics#enabled=false} on the
     * command line: the recorder refuses a setting for an event class not loaded yet.
     */
    private String netringEventsOff() {
        Path jfc = out.resolve("netring-events-off.jfc");
        try {
            Files.createDirectories(out);
            Files.writeString(jfc, """
                    <?xml version="1.0" encoding="UTF-8"?>
                    <configuration version="2.0" label="netring events off">
                      <event name="io.netring.RingStatistics"><setting name="enabled">false</setting></event>
                    </configuration>
                    """);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return jfc.toAbsolutePath().toString();
    }

    /** Every RX row but the floor (those {@code --only} names, when given). */
    private Map<String, List<String>> javaAndLibraryRows(NetNamespace ns, NativeTools tools, String t, String w, String idle) {
        Map<String, List<String>> consumers = new LinkedHashMap<>();
        consumers.put("netring batch dispatch()", java("JavaConsumer", "batch", ns.b, t, w, idle));
        // Observability's cost: the same walk with Flight Recorder on (default settings), and with
        // the capture's Micrometer counters bound and read every second.
        consumers.put("netring batch dispatch(), Flight Recorder on", javaWith(List.of("-XX:StartFlightRecording",
                "-Xlog:jfr+startup=off"), "JavaConsumer", "batch", ns.b, t, w, idle));
        // The same recording with netring's own periodic event off: what is left is the JDK's recorder alone.
        consumers.put("netring batch dispatch(), Flight Recorder on, netring events off", javaWith(List.of(
                "-XX:StartFlightRecording:settings=default,settings=" + netringEventsOff(), "-Xlog:jfr+startup=off"),
                "JavaConsumer", "batch", ns.b, t, w, idle));
        consumers.put("netring batch dispatch(), metrics scraped", java("JavaConsumer", "batch-metrics", ns.b, t, w, idle));
        consumers.put("netring Capture.packets()", java("JavaConsumer", "stream", ns.b, t, w, idle));
        // The README's own loops (fields read with the Packet accessors), then the same through Packet.data().
        consumers.put("README loop: for (Packet p : batch)", java("JavaConsumer", "readme-iter", ns.b, t, w, idle));
        // The same loop in Java with none of the library's checks: the JVM's floor for it.
        consumers.put("bare Java ring walk, no checks (floor)", java("JavaConsumer", "bare-walk", ns.b, t, w, idle));
        consumers.put("README loop: packets().forEach", java("JavaConsumer", "readme-stream", ns.b, t, w, idle));
        consumers.put("for (Packet p : batch), p.data()", java("JavaConsumer", "data-iter", ns.b, t, w, idle));
        consumers.put("packets().forEach, p.data()", java("JavaConsumer", "data-stream", ns.b, t, w, idle));
        // Code with real work in it: a lambda calling the library, a README loop pasted into main.
        consumers.put("lambda: filter+decode+flows, as advised", java("JavaConsumer", "work-stream", ns.b, t, w, idle));
        consumers.put("lambda: the same work written inline", java("JavaConsumer", "work-inline", ns.b, t, w, idle));
        consumers.put("for (Packet p : batch): the same work", java("JavaConsumer", "work-iter", ns.b, t, w, idle));
        consumers.put("README for loop in main, bookkeeping", java("JavaConsumer", "main-loop", ns.b, t, w, idle));
        consumers.put("netring ChannelCapture", java("JavaConsumer", "channel", ns.b, t, w, idle));
        consumers.put("libpcap pcap_dispatch", List.of(tools.path(NativeTools.RX_PCAP), ns.b, t, w, idle));
        consumers.put("pcap4j 1.8.2 loop(RawPacketListener)", java("JavaConsumer", "pcap4j", ns.b, t, w, idle));
        // AF_XDP: libxdp's socket on queue 0 of vB, native XDP, copy mode (all veth offers), waiting
        // in poll, and XdpRx waiting in poll too (idleNap 0); then both napping 0.5 ms on an empty
        // ring (the C reader's option, XdpRx's default), and XdpRx with dispatch.
        consumers.put(XDP_ROW, List.of(tools.path(NativeTools.RX_XDP), ns.b, t, w, idle));
        consumers.put("netring XdpRx (AF_XDP), idleNap 0 (poll)", java("JavaConsumer", "xdp-iter-nowait", ns.b, t, w, idle));
        consumers.put(XDP_NAP_ROW, List.of(tools.path(NativeTools.RX_XDP), ns.b, t, w, idle, "drv", Integer.toString(XDP_NAP_MICROS)));
        // The napping C reader's loop in Java, on the library's rings with no checks: the JVM's floor for AF_XDP.
        consumers.put(XDP_BARE_ROW, java("JavaConsumer", "xdp-bare", ns.b, t, w, idle));
        consumers.put(XDP_ITER_ROW, java("JavaConsumer", "xdp-iter", ns.b, t, w, idle));
        consumers.put(XDP_DISPATCH_ROW, java("JavaConsumer", "xdp-batch", ns.b, t, w, idle));
        if (only != null) {
            consumers.keySet().removeIf(name -> Arrays.stream(only.split(",")).noneMatch(name::contains));
        }
        return consumers;
    }

    /**
     * The TX rows: each sender on its own, in rounds (every sender once per round, in the same
     * order), each row the sender's median round, its ratio the median of its per-round ratios
     * to the C TX ring. A single run moves by a few percent on a shared 2-core machine; rounds
     * and pairing make the ratio steady enough to read.
     */
    private List<Row> senders(NetNamespace ns, File log, NativeTools tools) throws Exception {
        String n = Long.toString(txFrames), size = Integer.toString(SIZE);
        Map<String, List<String>> senders = new LinkedHashMap<>();
        senders.put("C TPACKET_V3 TX ring (floor)", List.of(tools.path(NativeTools.TX_RING), ns.a, n, size));
        senders.put("netring Injector", java("JavaSender", "injector", ns.a, n, size));
        senders.put("Java FFM loop on the ring, no library", java("JavaSender", "ffm", ns.a, n, size));
        senders.put("C sendmmsg (64 per call)", List.of(tools.path(NativeTools.GEN_SENDMMSG), ns.a, n, size));
        senders.put("pcap4j 1.8.2 sendPacket", java("JavaSender", "pcap4j", ns.a, n, size));
        Map<String, List<Row>> runs = new LinkedHashMap<>();
        for (int round = 1; round <= txRounds; round++) {
            for (Map.Entry<String, List<String>> sender : senders.entrySet()) {
                runs.computeIfAbsent(sender.getKey(), k -> new ArrayList<>())
                        .add(tx(ns, log, sender.getKey() + (txRounds > 1 ? " (round " + round + ")" : ""),
                                sender.getKey(), sender.getValue()));
            }
        }
        List<Row> floor = runs.values().iterator().next();
        List<Row> tx = new ArrayList<>();
        for (List<Row> r : runs.values()) {
            tx.add(TxRounds.pairedToFloor(r, floor));
        }
        return tx;
    }

    private static List<String> java(String main, String... args) {
        return javaWith(List.of(), main, args);
    }

    /** {@link #java} with {@code jvmOptions} added to the JVM's command line. */
    private static List<String> javaWith(List<String> jvmOptions, String main, String... args) {
        String javaHome = System.getProperty("java.home");
        List<String> cmd = new ArrayList<>(List.of(javaHome + "/bin/java", "--enable-native-access=ALL-UNNAMED",
                "-Xmx512m", "-XX:+UseParallelGC"));
        cmd.addAll(jvmOptions);
        // Extra options for the consumer JVMs when diagnosing (e.g. -XX:+PrintCompilation).
        String extra = System.getenv("NETRING_BENCH_JVM_OPTS");
        if (extra != null && !extra.isBlank()) {
            cmd.addAll(List.of(extra.trim().split("\\s+")));
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.netring.bench." + main));
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** Runs one consumer against the generator and turns its RESULT into a row. */
    private Row rx(NetNamespace ns, File log, String name, List<String> consumer, NativeTools tools) throws Exception {
        System.out.println("  RX " + name + " ...");
        try (Child c = Child.start(name, ns.exec(onCpu(1, consumer)), log)) {
            Map<String, String> skip = c.awaitReady(120);
            if (skip != null) {
                return Row.skipped("RX", name, skip.getOrDefault("skipped", "skipped").replace('_', ' '));
            }
            Map<String, String> gen;
            List<String> generator = new ArrayList<>(List.of(tools.path(NativeTools.GEN_SENDMMSG), ns.a,
                    Long.toString(warmup + frames), Integer.toString(SIZE)));
            long rate = name.contains("AF_XDP") ? XDP_OFFERED_PPS : rxRate;
            if (rate > 0) {
                generator.addAll(List.of("64", Long.toString(rate)));
            }
            try (Child g = Child.start("generator", ns.exec(onCpu(0, generator)), log)) {
                g.awaitReady(30);
                gen = g.result(60 + (warmup + frames) / 50_000);
            }
            Map<String, String> r = c.result(60 + IDLE_MILLIS / 1000 * 20);
            long measured = num(r, "measured");
            double per = measured > 0 ? 1.0 / measured : Double.NaN;
            String note = rxNote(gen, r);
            // The C consumers read CLOCK_PROCESS_CPUTIME_ID: their CPU is the whole process's.
            double procCpu = (r.containsKey("procCpuNs") ? num(r, "procCpuNs") : num(r, "cpuNs")) * per;
            double alloc = r.containsKey("allocBytes") ? num(r, "allocBytes") * per : Double.NaN;
            return new Row("RX", name, num(r, "received"), num(r, "drops"), num(r, "cpuNs") * per, procCpu, alloc,
                    measured * 1e3 / num(r, "wallNs"), Double.NaN, note);
        } catch (IOException e) {
            return Row.skipped("RX", name, "failed: " + e.getMessage());
        }
    }

    /**
     * The RX row's note from the generator's and the consumer's RESULT: the offered rate, sequence
     * gaps when there were any and, for an AF_XDP reader, its attach mode, its naps on an empty
     * ring and the times the kernel found the fill ring empty (each a dropped frame).
     */
    static String rxNote(Map<String, String> gen, Map<String, String> r) {
        StringBuilder note = new StringBuilder("offered ")
                .append(String.format(Locale.ROOT, "%.3f", num(gen, "sent") * 1e3 / num(gen, "wallNs"))).append(" Mpps");
        if (num(r, "gaps") > 0) {
            note.append(", ").append(num(r, "gaps")).append(" seq gaps");
        }
        if (r.containsKey("xdpMode")) {
            note.append(", ").append(r.get("xdpMode")).append(" XDP, copy mode");
            if (r.containsKey("napUs") && num(r, "napUs") > 0) {
                note.append(", sleeps ").append(num(r, "napUs")).append(" us when idle");
            }
            if (r.containsKey("fillEmpty") && num(r, "fillEmpty") > 0) {
                note.append(", fill ring empty ").append(num(r, "fillEmpty")).append("x");
            }
        }
        return note.toString();
    }

    /** Runs one sender and turns its RESULT into a row named {@code name} (CPU is the whole process's). */
    private Row tx(NetNamespace ns, File log, String label, String name, List<String> sender) throws Exception {
        System.out.print("  TX " + label + " ...");
        try (Child s = Child.start(name, ns.exec(sender), log)) {
            Map<String, String> skip = s.awaitReady(60);
            if (skip != null) {
                System.out.println(" skipped");
                return Row.skipped("TX", name, skip.getOrDefault("skipped", "skipped").replace('_', ' '));
            }
            Map<String, String> r = s.result(120 + txFrames / 20_000);
            long sent = num(r, "sent");
            double mpps = sent * 1e3 / num(r, "wallNs");
            System.out.printf(Locale.ROOT, " %.3f Mpps%n", mpps);   // each round's figure, for the record
            return new Row("TX", name, sent, -1, Double.NaN, num(r, "cpuNs") / (double) sent, Double.NaN,
                    mpps, Double.NaN, null);
        } catch (IOException e) {
            System.out.println(" failed");
            return Row.skipped("TX", name, "failed: " + e.getMessage());
        }
    }

    /** {@code command} bound to {@code cpu} when there are two CPUs or more and taskset is at hand. */
    private static List<String> onCpu(int cpu, List<String> command) {
        if (!PIN) {
            return command;
        }
        List<String> pinned = new ArrayList<>(List.of("taskset", "-c", Integer.toString(cpu)));
        pinned.addAll(command);
        return pinned;
    }

    private static final boolean PIN = Runtime.getRuntime().availableProcessors() >= 2 && onPath("taskset");

    private static boolean onPath(String program) {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        for (String dir : path.split(":")) {
            if (Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }

    private static long num(Map<String, String> m, String key) {
        String v = m.get(key);
        if (v == null) {
            throw new IllegalStateException("result has no " + key + ": " + m);
        }
        return Long.parseLong(v);
    }
}
