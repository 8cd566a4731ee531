package io.netring;

import io.netring.testing.ExternalTool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * How a new machine without the reference tools is seen: the tests' lookup and bin/test-tools,
 * both pointed by NETRING_TOOLS_PATH at folders chosen here, so no package has to be removed.
 */
class ExternalToolTest {

    @Test
    void looksForCommandsOnTheGivenPathAndHeadersBesideIt(@TempDir Path dir) throws IOException {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        String path = bin.toString();
        assertFalse(ExternalTool.TSHARK.availableOn(path));
        assertFalse(ExternalTool.LIBPCAP_HEADERS.availableOn(path));

        Path tshark = Files.writeString(bin.resolve("tshark"), "#!/bin/sh\n");
        assertFalse(ExternalTool.TSHARK.availableOn(path), "not executable");
        assertTrue(tshark.toFile().setExecutable(true));
        assertTrue(ExternalTool.TSHARK.availableOn("/nonexistent::" + path));

        Files.createDirectories(dir.resolve("include/pcap"));
        Files.writeString(dir.resolve("include/pcap/pcap.h"), "");
        assertTrue(ExternalTool.LIBPCAP_HEADERS.availableOn(path), "bin's sibling include folder");
    }

    @Test
    void tcpdumpRunsWithoutDroppingToItsOwnUser() {
        String[] tcpdump = "1".equals(System.getenv("NETRING_IN_USERNS"))
                ? new String[] {"unshare", "--user", "--map-user=1", "--map-group=1", "tcpdump", "-r", "f"}
                : new String[] {"tcpdump", "-Z", "root", "-r", "f"};
        assertArrayEquals(tcpdump, ExternalTool.TCPDUMP.command("-r", "f"));
        assertArrayEquals(new String[] {"tshark", "-v"}, ExternalTool.TSHARK.command("-v"));
        assertThrows(IllegalStateException.class, () -> ExternalTool.LIBPCAP_HEADERS.command());
        assertTrue(ExternalTool.TSHARK.missingReason().contains("Debian package tshark"), ExternalTool.TSHARK.missingReason());
    }

    @Test
    void testToolsNamesEachMissingPackageAndTheTestsThatSkip(@TempDir Path empty) throws Exception {
        Path script = Path.of("").toAbsolutePath().getParent().resolve("bin/test-tools");
        ProcessBuilder p = new ProcessBuilder(script.toString()).redirectErrorStream(true);
        p.environment().put(ExternalTool.PATH_VARIABLE, empty.toString());
        p.environment().remove("NETRING_REQUIRE_PRIVILEGED");
        Process run = p.start();
        String out = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(run.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, run.exitValue(), out);
        List<String> lines = out.lines().toList();
        assertTrue(lines.getFirst().startsWith("bin/test: not installed (NETRING_TOOLS_PATH is set): iproute2 tcpdump tshark"),
                out);
        assertTrue(lines.getFirst().endsWith("Tests that skip:"), out);
        assertTrue(lines.contains("  libpcap-dev: E2eBenchSmokeTest, FilterDifferentialTest"), out);
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("  tshark: ApplicationDifferentialTest, FlowTableCorpusTest, IpfixExporterTest,")), out);
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("  tcpdump: ApplicationDifferentialTest,")
                && l.contains(" FilterCliTest,") && l.contains(" PcapToolsInteropTest,")), out);
        assertTrue(lines.contains("  tcpflow: StreamsDifferentialTest, StreamsRealTrafficTest"), out);
    }
}
