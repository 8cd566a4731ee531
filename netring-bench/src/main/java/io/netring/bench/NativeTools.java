package io.netring.bench;

import io.netring.testing.NetNamespace;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

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
    /** The C AF_XDP reader on libxdp; built only where libxdp's headers are. */
    public static final String RX_XDP = "rx_xdp";
    /** A TPACKET_V3 TX ring sender. */
    public static final String TX_RING = "tx_ring";

    private final Path sources;
    private final Path out;

    public NativeTools(Path sources, Path out) {
        this.sources = sources;
        this.out = out;
    }

    /** Builds every program; fails with gcc's output when one does not compile. */
    public void buildAll() throws IOException {
        Files.createDirectories(out);
        build(GEN_SENDMMSG);
        build(RX_RINGWALK);
        build(TX_RING);
        if (!Files.exists(Path.of("/usr/include/pcap/pcap.h"))) {
            throw new IOException("libpcap headers missing: apt-get install -y libpcap-dev (bin/bench does this)");
        }
        build(RX_PCAP, "-lpcap");
        if (hasLibxdp()) {
            build(RX_XDP, "-lxdp", "-lbpf");
        }
    }

    /** Whether libxdp's headers are installed (Debian libxdp-dev; bin/bench installs it). */
    public static boolean hasLibxdp() {
        return Files.exists(Path.of("/usr/include/xdp/xsk.h"));
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
