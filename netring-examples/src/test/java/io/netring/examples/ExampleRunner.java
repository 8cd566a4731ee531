package io.netring.examples;

import io.netring.testing.FrameSender;
import io.netring.testing.NetNamespace;
import io.netring.testing.Waits;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs an example's main on the namespace's capture side while frames go out on the other side,
 * until the example ends by itself; returns what it printed.
 */
final class ExampleRunner {
    private ExampleRunner() {}

    interface Main {
        void run() throws Exception;
    }

    interface Sending {
        void send(FrameSender tx) throws Exception;
    }

    interface Printing<T> {
        T run(PrintStream out) throws Exception;
    }

    /** What an example returned and what it printed. */
    record Printed<T>(T result, String output) {}

    /**
     * Runs {@code example} in the calling thread (inside {@code ns.run}) while a sender thread on
     * {@code ns.a} waits until the example's output contains {@code cue}, i.e. it is ready to
     * count, then sends; the example's own time window leaves ample room for the counting.
     */
    static <T> Printed<T> runAfterCue(NetNamespace ns, String cue, Sending sending, Printing<T> example) throws Exception {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        Thread sender = new Thread(() -> {
            try (FrameSender tx = new FrameSender(ns.a)) {
                Waits.until(() -> buffer.toString(StandardCharsets.UTF_8).contains(cue),
                        Duration.ofSeconds(30), "the example printed '" + cue + "'");
                sending.send(tx);
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        sender.start();
        T result = example.run(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        sender.join();
        return new Printed<>(result, buffer.toString(StandardCharsets.UTF_8));
    }

    static String runWhileSending(NetNamespace ns, List<byte[]> frames, Main main) throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        try {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            ns.run(() -> {
                Thread example = Thread.ofPlatform().start(() -> {
                    try {
                        main.run();
                    } catch (Throwable t) {
                        failure.set(t);
                    }
                });
                try (FrameSender tx = new FrameSender(ns.a)) {
                    long deadline = System.nanoTime() + 30_000_000_000L;
                    int i = 0;
                    while (example.isAlive() && System.nanoTime() < deadline) {
                        tx.send(frames.get(i++ % frames.size()));
                        Thread.sleep(1);
                    }
                }
                example.join(Duration.ofSeconds(30));
            });
        } finally {
            System.setOut(original);
        }
        if (failure.get() != null) {
            throw new AssertionError("example failed", failure.get());
        }
        return captured.toString(StandardCharsets.UTF_8);
    }
}
