package io.netring.cli;

import io.netring.pcap.PcapFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A file that cannot be read or written is named with the reason, in tcpdump's words
 * ({@code tcpdump: FILE: No such file or directory}), exit 1, for {@code -r} and {@code -w}.
 */
@Timeout(60)
class FileErrorMessagesTest {
    @TempDir
    Path dir;

    private record Result(int code, List<String> err) {}

    private static Result run(String... args) {
        StringWriter err = new StringWriter();
        int code = NetringCommand.run(args, new PrintWriter(new StringWriter(), true), new PrintWriter(err, true));
        return new Result(code, err.toString().lines().toList());
    }

    private Path sample() throws IOException {
        return SampleFiles.frames(dir.resolve("in.pcap"), PcapFormat.PCAP, 1);
    }

    private static void assertFails(Result r, String lastLine) {
        assertEquals(1, r.code(), String.join("\n", r.err()));
        assertEquals(lastLine, r.err().getLast());
    }

    @Test
    void aMissingFileOrDirectorySaysSo() throws IOException {
        Path in = sample();
        assertFails(run("capture", "-r", "/nonexistent/x.pcap"), "netring: /nonexistent/x.pcap: No such file or directory");
        // The same through picocli: --timeout keeps the line above off the hand-parsed path.
        assertFails(run("capture", "-r", "/nonexistent/x.pcap", "--timeout", "1s"),
                "netring: /nonexistent/x.pcap: No such file or directory");
        assertFails(run("capture", "-r", in.toString(), "-w", "/nonexistent/dir/x.pcap"),
                "netring: /nonexistent/dir/x.pcap: No such file or directory");
        assertFails(run("flows", "-r", "/nonexistent/x.pcap"), "netring: /nonexistent/x.pcap: No such file or directory");
    }

    @Test
    void aDirectorySaysSo() throws IOException {
        Path in = sample();
        assertFails(run("capture", "-r", dir.toString()), "netring: " + dir + ": Is a directory");
        assertFails(run("capture", "-r", in.toString(), "-w", dir.toString()), "netring: " + dir + ": Is a directory");
    }

    /** Permission denied even for root: a read-only sysfs attribute refuses writing, a write-only one reading. */
    @Test
    void aFileWithoutPermissionSaysSo() throws IOException {
        Path in = sample();
        Path readOnly = Path.of("/sys/kernel/notes");
        assumeTrue(Files.exists(readOnly), readOnly + " is not there to test with");
        assertFails(run("capture", "-r", in.toString(), "-w", readOnly.toString()), "netring: " + readOnly + ": Permission denied");
        Path writeOnly = Path.of("/sys/bus/pci/rescan");
        assumeTrue(Files.exists(writeOnly), writeOnly + " is not there to test with");
        assertFails(run("capture", "-r", writeOnly.toString()), "netring: " + writeOnly + ": Permission denied");
    }
}
