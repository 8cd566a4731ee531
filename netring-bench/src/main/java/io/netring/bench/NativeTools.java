package io.netring.bench;

import io.netring.testing.NetNamespace;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Compiles the C baselines ({@code src/main/c}) with gcc into an output directory at run time,
 * so they are built with the machine's own compiler and headers. A program is rebuilt when its
 * source or the shared header is newer than the binary.
 */
public final class NativeTools {
    /** The generator and C sendmmsg TX baseline. */
    public static final String GEN_SENDMMSG = "gen_sendmmsg";
    /** The C floor: a plain TPACKET_V3 RX ring walk. */
    public static final String RX_RINGWALK = "rx_ringwalk";
    /** libpcap {@code pcap_dispatch}. */
    public static final String RX_PCAP = "rx_pcap";
    /** A TPACKET_V3 TX ring sender. */
    public static final String TX_RING = "tx_ring";
    /** The AF_XDP baseline on libxdp; optional (skipped with a reason when libxdp is missing). */
    public static final String RX_XDP = "rx_xdp";
    /** The header an AF_XDP program on libxdp needs ({@code libxdp-dev}, which brings {@code libbpf-dev}). */
    static final Path LIBXDP_HEADER = Path.of("/usr/include/xdp/xsk.h");

    private final Path sources;
    private final Path out;
    /** Programs that could not be built, with why: their rows are skipped, the run goes on. */
    private final Map<String, String> unavailable = new HashMap<>();

    public NativeTools(Path sources, Path out) {
        this.sources = sources;
        this.out = out;
    }

    /**
     * Builds every program; fails with gcc's output when one does not compile, except the
     * optional ones, which are marked {@link #unavailable} instead.
     */
    public void buildAll() throws IOException {
        Files.createDirectories(out);
        build(GEN_SENDMMSG);
        build(RX_RINGWALK);
        build(TX_RING);
        if (!Files.exists(Path.of("/usr/include/pcap/pcap.h"))) {
            throw new IOException("libpcap headers missing: apt-get install -y libpcap-dev (bin/bench does this)");
        }
        build(RX_PCAP, "-lpcap");
        buildOptional(RX_XDP, LIBXDP_HEADER, "apt-get install -y libxdp-dev libbpf-dev", "-lxdp", "-lbpf");
    }

    /**
     * Builds a program only some machines can: when {@code header} is missing or gcc fails, the
     * program is marked unavailable with the reason instead of failing the whole run.
     */
    void buildOptional(String name, Path header, String install, String... libs) {
        if (!Files.exists(header)) {
            unavailable.put(path(name), header + " missing (" + install + "; bin/bench does this)");
            return;
        }
        try {
            build(name, libs);
        } catch (IOException e) {
            unavailable.put(path(name), "gcc failed: " + firstError(e.getMessage()));
        }
    }

    /** gcc's first error line (a missing header or library says itself there), else the first line. */
    private static String firstError(String text) {
        if (text == null || text.isBlank()) {
            return "no output";
        }
        List<String> lines = text.strip().lines().toList();
        return lines.stream().filter(l -> l.contains("error")).findFirst().orElse(lines.get(0)).strip();
    }

    /** Why the program at {@code path} (as {@link #path} gave it) was not built, or null when it was. */
    public String unavailable(String path) {
        return unavailable.get(path);
    }

    private void build(String name, String... libs) throws IOException {
        Path src = sources.resolve(name + ".c");
        Path header = sources.resolve("bench_common.h");
        Path bin = out.resolve(name);
        if (!Files.exists(src)) {
            throw new IOException("C source not found: " + src + " (run from the project root or pass --csrc)");
        }
        if (Files.exists(bin) && Files.getLastModifiedTime(bin).compareTo(Files.getLastModifiedTime(src)) > 0
                && Files.getLastModifiedTime(bin).compareTo(Files.getLastModifiedTime(header)) > 0) {
            return;
        }
        List<String> cmd = new ArrayList<>(List.of("gcc", "-O2", "-Wall", "-Wextra", "-o", bin.toString(), src.toString()));
        cmd.addAll(List.of(libs));
        NetNamespace.run(cmd.toArray(String[]::new));
    }

    /** The path of a built program. */
    public String path(String name) {
        return out.resolve(name).toString();
    }
}
