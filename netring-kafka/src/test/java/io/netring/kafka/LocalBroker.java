package io.netring.kafka;

import io.netring.kafka.tools.KafkaLocal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The real broker ({@link KafkaLocal}, as bin/kafka-local runs it) in a child JVM on free
 * localhost ports, for tests: {@link #start} waits for its {@code ready} line (bounded),
 * {@link #stop} ends it the way Ctrl-C does, and a broker started with a data folder can be
 * started again on the same ports to come back with its topics.
 */
public final class LocalBroker implements AutoCloseable {
    private static final long START_TIMEOUT_S = 120;

    final int port;
    final int controllerPort;
    private final Path dir;
    private Process process;
    private final List<String> output = new ArrayList<>();

    private LocalBroker(int port, int controllerPort, Path dir) {
        this.port = port;
        this.controllerPort = controllerPort;
        this.dir = dir;
    }

    /** Starts a broker; {@code dir} keeps its data for a restart, or null for a temporary folder. */
    public static LocalBroker start(Path dir) throws Exception {
        LocalBroker b = new LocalBroker(freePort(), freePort(), dir);
        b.startProcess();
        return b;
    }

    public String bootstrap() {
        return "localhost:" + port;
    }

    public void startProcess() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx512m", "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                KafkaLocal.class.getName(), "--port", Integer.toString(port), "--controller-port", Integer.toString(controllerPort)));
        if (dir != null) {
            cmd.addAll(List.of("--dir", dir.toString()));
        }
        process = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        CompletableFuture<Boolean> ready = new CompletableFuture<>();
        Process p = process;
        Thread.ofPlatform().daemon().name("broker-output-" + port).start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    synchronized (output) {
                        output.add(line);
                    }
                    if (line.equals("ready")) {
                        ready.complete(true);
                    }
                }
            } catch (IOException ignored) {
                // the process ended
            }
            ready.complete(false);
        });
        Boolean ok;
        try {
            ok = ready.get(START_TIMEOUT_S, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            ok = false;
        }
        if (!ok) {
            process.destroyForcibly();
            synchronized (output) {
                throw new IllegalStateException("kafka-local did not print ready within " + START_TIMEOUT_S + " s: " + output);
            }
        }
    }

    /** Stops the broker as Ctrl-C would (SIGTERM runs its shutdown hook), bounded. */
    public void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            return s.getLocalPort();
        }
    }
}
