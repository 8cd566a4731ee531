package io.netring.bench;

import io.netring.testing.ExternalTool;
import io.netring.testing.NeedsTools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An optional C program that cannot be built marks its row skipped with why; the others still build. */
class NativeToolsTest {
    @TempDir
    Path dir;

    @Test
    void missingHeaderNamesThePackagesToInstall() {
        NativeTools tools = new NativeTools(dir, dir.resolve("out"));
        tools.buildOptional("rx_xdp", dir.resolve("no/such/xsk.h"), "apt-get install -y libxdp-dev libbpf-dev");
        String why = tools.unavailable(tools.path("rx_xdp"));
        assertTrue(why.startsWith(dir.resolve("no/such/xsk.h") + " missing (apt-get install -y libxdp-dev libbpf-dev"), why);
        assertNull(tools.unavailable(tools.path(NativeTools.RX_RINGWALK)), "only the optional program is marked");
    }

    @Test
    @NeedsTools(ExternalTool.GCC)
    void compileErrorIsAReasonNotAFailure() throws Exception {
        Files.writeString(dir.resolve("bench_common.h"), "");
        Files.writeString(dir.resolve("broken.c"), "int main(void) { return undeclared; }\n");
        Files.createDirectories(dir.resolve("out"));
        NativeTools tools = new NativeTools(dir, dir.resolve("out"));
        tools.buildOptional("broken", dir.resolve("bench_common.h"), "nothing");
        String why = tools.unavailable(tools.path("broken"));
        assertTrue(why != null && why.startsWith("gcc failed: ") && why.contains("undeclared"), String.valueOf(why));
    }
}
