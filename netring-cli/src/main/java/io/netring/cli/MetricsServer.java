package io.netring.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The Prometheus text format (0.0.4) at {@code /metrics} while a command runs, on the JDK's own
 * HTTP server: the capture's counters ({@code netring_packets_total{interface="eth0"}} …) read at
 * each scrape, and the JVM's memory, threads, CPU and collections. One server thread.
 */
final class MetricsServer implements AutoCloseable {
    /** The capture's counters, read per scrape. */
    interface Source {
        LiveCounters read() throws Exception;
    }

    private final HttpServer server;
    private final String interfaceName;
    private final Source source;

    private MetricsServer(HttpServer server, String interfaceName, Source source) {
        this.server = server;
        this.interfaceName = interfaceName;
        this.source = source;
    }

    /**
     * Starts serving on {@code address:port}.
     * @throws IOException naming the address when it cannot be bound (in use, not local)
     */
    static MetricsServer start(String address, int port, String interfaceName, Source source) throws IOException {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(address, port), 0);
        } catch (IOException e) {
            throw new IOException("cannot serve metrics on " + address + ":" + port + ": " + e.getMessage(), e);
        }
        MetricsServer metrics = new MetricsServer(server, interfaceName, source);
        server.createContext("/metrics", metrics::serve);
        server.start();
        return metrics;
    }

    /** The port bound (the one asked for). */
    int port() {
        return server.getAddress().getPort();
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!"GET".equals(exchange.getRequestMethod()) && !"HEAD".equals(exchange.getRequestMethod())) {
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            byte[] body;
            int status = 200;
            try {
                body = text(source.read()).getBytes(StandardCharsets.UTF_8);
            } catch (Exception e) {
                status = 503;
                body = ("capture counters unavailable: " + e.getMessage() + "\n").getBytes(StandardCharsets.UTF_8);
            }
            exchange.getResponseHeaders().set("Content-Type", status == 200 ? "text/plain; version=0.0.4; charset=utf-8"
                    : "text/plain; charset=utf-8");
            exchange.sendResponseHeaders(status, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    /** The exposition: netring's counters, then the JVM's. */
    String text(LiveCounters c) {
        StringBuilder t = new StringBuilder(2048);
        String labels = "{interface=\"" + escape(interfaceName) + "\"}";
        counter(t, "netring_packets_total", "Packets the kernel saw on the interface, delivered or dropped.", labels, c.packets());
        counter(t, "netring_drops_total", "Packets the kernel dropped for want of ring room.", labels, c.drops());
        counter(t, "netring_freezes_total", "Times the kernel found the ring full (AF_XDP: the fill ring empty).", labels, c.freezes());
        counter(t, "netring_blocks_total", "TPACKET_V3 blocks handed back to the kernel (0 on AF_XDP).", labels, c.blocks());
        counter(t, "netring_bytes_total", "Bytes of the blocks the kernel handed over: packets with their ring headers (0 on AF_XDP).",
                labels, c.bytes());
        gauge(t, "netring_ring_fill_ratio", "Share of the ring's blocks filled and not yet handed back; at 1 the kernel drops.",
                labels, c.ringFill());
        jvm(t);
        return t.toString();
    }

    private static void counter(StringBuilder t, String name, String help, String labels, long value) {
        t.append("# HELP ").append(name).append(' ').append(help).append('\n');
        t.append("# TYPE ").append(name).append(" counter\n");
        t.append(name).append(labels).append(' ').append(value).append('\n');
    }

    private static void gauge(StringBuilder t, String name, String help, String labels, double value) {
        t.append("# HELP ").append(name).append(' ').append(help).append('\n');
        t.append("# TYPE ").append(name).append(" gauge\n");
        t.append(name).append(labels).append(' ').append(number(value)).append('\n');
    }

    private static void jvm(StringBuilder t) {
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        MemoryUsage nonHeap = ManagementFactory.getMemoryMXBean().getNonHeapMemoryUsage();
        t.append("# HELP jvm_memory_used_bytes Memory the JVM uses, by area.\n# TYPE jvm_memory_used_bytes gauge\n");
        t.append("jvm_memory_used_bytes{area=\"heap\"} ").append(heap.getUsed()).append('\n');
        t.append("jvm_memory_used_bytes{area=\"nonheap\"} ").append(nonHeap.getUsed()).append('\n');
        gauge(t, "jvm_threads_live_threads", "Live JVM threads.", "", ManagementFactory.getThreadMXBean().getThreadCount());
        t.append("# HELP jvm_gc_collection_seconds_count Collections, by collector.\n# TYPE jvm_gc_collection_seconds_count counter\n");
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            t.append("jvm_gc_collection_seconds_count{gc=\"").append(escape(gc.getName())).append("\"} ")
                    .append(gc.getCollectionCount()).append('\n');
        }
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            t.append("# HELP process_cpu_seconds_total CPU time of the whole process.\n# TYPE process_cpu_seconds_total counter\n");
            t.append("process_cpu_seconds_total ").append(number(os.getProcessCpuTime() / 1e9)).append('\n');
        }
        gauge(t, "process_start_time_seconds", "Start time of the process, seconds since the epoch.", "",
                ManagementFactory.getRuntimeMXBean().getStartTime() / 1e3);
    }

    private static String number(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : String.format(Locale.ROOT, "%.6f", v);
    }

    /** A label value as the text format wants it: backslash, quote and newline escaped. */
    static String escape(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
