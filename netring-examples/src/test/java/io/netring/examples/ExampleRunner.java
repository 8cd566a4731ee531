package io.netring.examples;

import io.netring.testing.FrameSender;
import io.netring.testing.NetNamespace;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
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
                example.join(java.time.Duration.ofSeconds(30));
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
