package io.netring.bench;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A benchmark process (C program or child JVM) speaking the harness's line protocol: it prints
 * {@code READY} once it can receive or send, then one {@code RESULT key=value ...} line. Its
 * standard error goes to a log file so a failure can be read afterwards.
 */
final class Child implements AutoCloseable {
    private static final String EOF = "\0EOF";
    private final String name;
    private final Process process;
    private final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();

    private Child(String name, Process process) {
        this.name = name;
        this.process = process;
        Thread.ofPlatform().daemon().name("out-" + name).start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    lines.add(line);
                }
            } catch (IOException ignored) {
                // the process went away; EOF below says so
            }
            lines.add(EOF);
        });
    }

    static Child start(String name, List<String> command, File log) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.appendTo(log));
        return new Child(name, pb.start());
    }

    /** Waits for READY; throws when the process ends or prints a RESULT (a skip) first. */
    Map<String, String> awaitReady(long seconds) throws IOException, InterruptedException {
        String line = next(seconds);
        if (line.equals("READY")) {
            return null;
        }
        if (line.startsWith("RESULT ")) {
            return parse(line);
        }
        throw new IOException(name + ": expected READY, got '" + line + "'");
    }

    /** Waits for the RESULT line and the process's exit. */
    Map<String, String> result(long seconds) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        for (;;) {
            long left = TimeUnit.NANOSECONDS.toSeconds(deadline - System.nanoTime());
            String line = next(Math.max(1, left));
            if (line.startsWith("RESULT ")) {
                process.waitFor(10, TimeUnit.SECONDS);
                return parse(line);
            }
        }
    }

    private String next(long seconds) throws IOException, InterruptedException {
        String line = lines.poll(seconds, TimeUnit.SECONDS);
        if (line == null) {
            process.destroyForcibly();
            throw new IOException(name + ": no answer within " + seconds + " s (killed; see the log)");
        }
        if (line == EOF) {
            process.waitFor(10, TimeUnit.SECONDS);
            throw new IOException(name + ": exited (" + (process.isAlive() ? "?" : process.exitValue())
                    + ") without a result; see the log");
        }
        return line;
    }

    static Map<String, String> parse(String line) {
        Map<String, String> m = new HashMap<>();
        for (String kv : line.substring("RESULT ".length()).trim().split("\\s+")) {
            int eq = kv.indexOf('=');
            if (eq > 0) {
                m.put(kv.substring(0, eq), kv.substring(eq + 1));
            }
        }
        return m;
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
