package io.netring.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * {@code netring} in a process of its own (for signals and exit codes), on this test run's JDK
 * and class path; its output and error streams are read as they come, so a full pipe never
 * stalls it.
 */
final class CliProcess implements AutoCloseable {
    private final Process process;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final Thread[] readers;

    private CliProcess(Process process) {
        this.process = process;
        this.readers = new Thread[] {drain(process.getInputStream(), out), drain(process.getErrorStream(), err)};
    }

    /** Starts {@code netring ARGS}; {@code wrap} may put the java command line inside another (a namespace, a shell). */
    static CliProcess start(Function<List<String>, List<String>> wrap, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                NetringCommand.class.getName()));
        cmd.addAll(List.of(args));
        return new CliProcess(new ProcessBuilder(wrap.apply(cmd)).start());
    }

    long pid() {
        return process.pid();
    }

    /**
     * True when the process has a thread whose name starts with {@code prefix} (Linux keeps the
     * first 15 characters): a sign of how far it got, e.g. the Kafka sender thread once its sink is open.
     */
    boolean hasThread(String prefix) {
        String shown = prefix.length() > 15 ? prefix.substring(0, 15) : prefix;
        try (var tasks = java.nio.file.Files.list(Path.of("/proc", Long.toString(process.pid()), "task"))) {
            return tasks.anyMatch(t -> {
                try {
                    return java.nio.file.Files.readString(t.resolve("comm")).startsWith(shown);
                } catch (IOException gone) {
                    return false;
                }
            });
        } catch (IOException | java.io.UncheckedIOException ended) {
            return false;
        }
    }

    /** Sends {@code signal} (e.g. "TERM", "INT") to the process. */
    void signal(String signal) throws IOException, InterruptedException {
        new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).start().waitFor();
    }

    /** Waits up to {@code seconds} for the end; true when it ended. */
    boolean waitFor(long seconds) throws InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            return false;
        }
        for (Thread t : readers) {
            t.join(5_000);
        }
        return true;
    }

    int exitValue() {
        return process.exitValue();
    }

    String out() {
        synchronized (out) {
            return out.toString(StandardCharsets.UTF_8);
        }
    }

    String err() {
        synchronized (err) {
            return err.toString(StandardCharsets.UTF_8);
        }
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }

    private static Thread drain(InputStream in, ByteArrayOutputStream to) {
        return Thread.ofPlatform().daemon().start(() -> {
            byte[] buf = new byte[8192];
            try {
                for (int n; (n = in.read(buf)) > 0; ) {
                    synchronized (to) {
                        to.write(buf, 0, n);
                    }
                }
            } catch (IOException ignored) {
                // the process ended
            }
        });
    }
}
