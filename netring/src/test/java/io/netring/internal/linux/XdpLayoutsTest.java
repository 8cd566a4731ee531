package io.netring.internal.linux;

import io.netring.testing.ExternalTool;
import io.netring.testing.NeedsTools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.StructLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.netring.internal.linux.KernelLayouts.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The AF_XDP and ethtool structs against linux/if_xdp.h and linux/ethtool.h on 64-bit. */
class XdpLayoutsTest {

    @Test
    void sizesMatchTheUapiHeader() {
        assertEquals(32, XDP_UMEM_REG.byteSize(), "xdp_umem_reg (with tx_metadata_len, Linux 6.8)");
        assertEquals(16, SOCKADDR_XDP.byteSize(), "sockaddr_xdp");
        assertEquals(32, XDP_RING_OFFSET.byteSize(), "xdp_ring_offset");
        assertEquals(128, XDP_MMAP_OFFSETS.byteSize(), "xdp_mmap_offsets");
        assertEquals(16, XDP_DESC.byteSize(), "xdp_desc");
        assertEquals(48, XDP_STATISTICS.byteSize(), "xdp_statistics");
        assertEquals(4, XDP_OPTIONS.byteSize(), "xdp_options");
        assertEquals(196, ETHTOOL_DRVINFO.byteSize(), "ethtool_drvinfo");
        assertEquals(36, ETHTOOL_CHANNELS.byteSize(), "ethtool_channels");
        assertEquals(40, IFREQ.byteSize(), "ifreq keeps its size with ifr_data");
    }

    @Test
    void offsetsMatchTheUapiHeader() {
        assertEquals(16, offset(XDP_UMEM_REG, "chunk_size"));
        assertEquals(24, offset(XDP_UMEM_REG, "flags"));
        assertEquals(28, offset(XDP_UMEM_REG, "tx_metadata_len"));
        assertEquals(4, offset(SOCKADDR_XDP, "sxdp_ifindex"));
        assertEquals(12, offset(SOCKADDR_XDP, "sxdp_shared_umem_fd"));
        assertEquals(24, offset(XDP_RING_OFFSET, "flags"));
        assertEquals(64, offset(XDP_MMAP_OFFSETS, "fr"));
        assertEquals(96 + 16, offset(XDP_MMAP_OFFSETS, "cr.desc"));
        assertEquals(12, offset(XDP_DESC, "options"));
        assertEquals(40, offset(XDP_STATISTICS, "tx_ring_empty_descs"));
        assertEquals(4, offset(ETHTOOL_DRVINFO, "driver"));
        assertEquals(20, offset(ETHTOOL_CHANNELS, "rx_count"));
        assertEquals(32, offset(ETHTOOL_CHANNELS, "combined_count"));
        assertEquals(16, offset(IFREQ, "ifr_ifru.ifr_data"));
    }

    /** The same figures from the C compiler reading the installed headers: a check that owes nothing to us. */
    @Test
    @NeedsTools({ExternalTool.GCC})
    void theCompilerAgrees(@TempDir Path dir) throws Exception {
        Map<String, Long> expected = new LinkedHashMap<>();
        expected.put("sizeof(struct sockaddr_xdp)", SOCKADDR_XDP.byteSize());
        expected.put("sizeof(struct xdp_ring_offset)", XDP_RING_OFFSET.byteSize());
        expected.put("sizeof(struct xdp_mmap_offsets)", XDP_MMAP_OFFSETS.byteSize());
        expected.put("sizeof(struct xdp_desc)", XDP_DESC.byteSize());
        expected.put("sizeof(struct xdp_statistics)", XDP_STATISTICS.byteSize());
        expected.put("sizeof(struct xdp_options)", XDP_OPTIONS.byteSize());
        expected.put("sizeof(struct xdp_umem_reg)", XDP_UMEM_REG.byteSize());
        expected.put("offsetof(struct xdp_umem_reg, flags)", offset(XDP_UMEM_REG, "flags"));
        expected.put("offsetof(struct xdp_mmap_offsets, cr)", offset(XDP_MMAP_OFFSETS, "cr"));
        expected.put("offsetof(struct xdp_statistics, rx_fill_ring_empty_descs)",
                offset(XDP_STATISTICS, "rx_fill_ring_empty_descs"));
        expected.put("sizeof(struct ethtool_drvinfo)", ETHTOOL_DRVINFO.byteSize());
        expected.put("sizeof(struct ethtool_channels)", ETHTOOL_CHANNELS.byteSize());
        expected.put("XDP_PGOFF_TX_RING", LinuxConstants.XDP_PGOFF_TX_RING);
        expected.put("XDP_UMEM_PGOFF_FILL_RING", LinuxConstants.XDP_UMEM_PGOFF_FILL_RING);
        expected.put("XDP_UMEM_PGOFF_COMPLETION_RING", LinuxConstants.XDP_UMEM_PGOFF_COMPLETION_RING);
        expected.put("XDP_STATISTICS", (long) LinuxConstants.XDP_STATISTICS);
        expected.put("XDP_OPTIONS", (long) LinuxConstants.XDP_OPTIONS);
        expected.put("XDP_USE_NEED_WAKEUP", (long) LinuxConstants.XDP_USE_NEED_WAKEUP);
        expected.put("ETHTOOL_GCHANNELS", (long) LinuxConstants.ETHTOOL_GCHANNELS);
        expected.put("SIOCETHTOOL", LinuxConstants.SIOCETHTOOL);

        StringBuilder c = new StringBuilder("""
                #include <stdio.h>
                #include <stddef.h>
                #include <linux/if_xdp.h>
                #include <linux/ethtool.h>
                #include <linux/sockios.h>
                int main(void) {
                """);
        for (String expression : expected.keySet()) {
            c.append("    printf(\"%llu\\n\", (unsigned long long) (").append(expression).append("));\n");
        }
        c.append("    return 0;\n}\n");
        Path source = dir.resolve("layouts.c");
        Files.writeString(source, c);
        Path binary = dir.resolve("layouts");
        run(ExternalTool.GCC.command("-o", binary.toString(), source.toString()));
        String[] values = run(binary.toString()).strip().split("\n");
        int i = 0;
        for (Map.Entry<String, Long> e : expected.entrySet()) {
            assertEquals(Long.parseLong(values[i++]), e.getValue(), e.getKey());
        }
    }

    private static String run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), String.join(" ", command) + " finished");
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.exitValue(), String.join(" ", command) + ": " + out);
        return out;
    }
}
