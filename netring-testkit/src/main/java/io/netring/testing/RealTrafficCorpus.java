package io.netring.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A pcap of real traffic between two network namespaces joined by a veth, captured by tcpdump on
 * the client's end: curl against a python3 HTTP/1.1 server (keep-alive, a POST with a body, a
 * chunked response, IPv4 and IPv6), openssl s_client against s_server with SNI and ALPN (TLS 1.2
 * and 1.3), DNS over UDP and TCP (A, AAAA, CNAME, compressed names), UDP datagrams and ICMP echoes
 * over the MTU that the kernel fragments (IPv4 and IPv6), plus whatever the kernel adds (ARP,
 * neighbour discovery). Every step is bounded in time; the namespaces are removed afterwards.
 *
 * <p>Tests take {@link #capture()}: made once per test run (JVM) under {@code target/real-traffic/}
 * and reused by every test of the module. They need {@link #TOOLS} ({@code @NeedsTools}), root
 * ({@code @Privileged}) and named namespaces ({@link NetNamespace#namedNamespaces()}).
 */
public final class RealTrafficCorpus {
    /** The programs the corpus runs, for a test's {@code @NeedsTools}. */
    public static final List<ExternalTool> TOOLS =
            List.of(ExternalTool.IP, ExternalTool.TCPDUMP, ExternalTool.CURL, ExternalTool.OPENSSL, ExternalTool.PYTHON3);
    public static final String CLIENT_V4 = "10.23.0.1";
    public static final String SERVER_V4 = "10.23.0.2";
    public static final String CLIENT_V6 = "fd23::1";
    public static final String SERVER_V6 = "fd23::2";
    /** The name the TLS client asks for (SNI) and the DNS zone's. */
    public static final String SERVER_NAME = "www.corpus.test";
    /**
     * tshark options naming the protocol on the servers' ports that Wireshark does not assign by
     * port (TLS on 4433, HTTP on 8081). Without them tshark finds those by heuristics, and only
     * after trying the dissector of the client's ephemeral port, which now and then is one it
     * assigns to another protocol (44818 EtherNet/IP, 48898 ADS...) that then takes the stream.
     */
    public static final List<String> TSHARK_DECODE_AS = List.of("-d", "tcp.port==4433,tls", "-d", "tcp.port==8081,http");

    private static final Duration STEP_LIMIT = Duration.ofSeconds(20);
    private static Path cached;

    private RealTrafficCorpus() {}

    /**
     * This run's capture: recorded on the first call into {@code target/real-traffic/corpus.pcap},
     * then reused. Skips the calling test where no second named namespace can be made (bin/test's
     * user namespace, when not root).
     */
    public static synchronized Path capture() throws IOException {
        org.junit.jupiter.api.Assumptions.assumeTrue(NetNamespace.namedNamespaces(),
                "the real-traffic corpus needs two named namespaces (ip netns add, as root)");
        if (cached == null) {
            Path dir = Files.createDirectories(Path.of("target", "real-traffic").toAbsolutePath());
            Path file = dir.resolve("corpus.pcap");
            record(file, dir);
            cached = file;
        }
        return cached;
    }

    /**
     * Records a fresh corpus into {@code pcap}, with scratch files (scripts, key, bodies) in
     * {@code work}. Throws naming the step that failed or ran past its time.
     */
    public static void record(Path pcap, Path work) throws IOException {
        if (!NetNamespace.namedNamespaces()) {
            throw new IllegalStateException("the real-traffic corpus needs two named namespaces (ip netns, as root), "
                    + "not the one of unshare -rn");
        }
        Path server = script(work, "corpus_server.py");
        Path client = script(work, "corpus_client.py");
        tlsKey(work);
        Path body = Files.write(work.resolve("post.bin"), postBody());
        Files.deleteIfExists(pcap);
        List<Process> running = new ArrayList<>();
        try (NetNamespace c = NetNamespace.create(); NetNamespace s = NetNamespace.create()) {
            join(c, s);
            Process tcpdump = start(running, c.exec(ExternalTool.TCPDUMP.command("-i", c.a, "--immediate-mode", "-U", "-s", "0", "-n",
                    "-w", pcap.toString())), work.resolve("tcpdump.log"));
            Waits.until(() -> bound(c), STEP_LIMIT, "tcpdump bound its socket to " + c.a);
            Process servers = start(running, s.exec("python3", server.toString(), SERVER_V4, SERVER_V6),
                    work.resolve("server.log"));
            awaitLine(servers, "ready", work.resolve("server.log"));
            Process tls = start(running, s.exec("openssl", "s_server", "-accept", "4433", "-cert", "cert.pem",
                    "-key", "key.pem", "-alpn", "h2,http/1.1", "-www"), work.resolve("s_server.log"), work);
            Waits.until(() -> logSays(work.resolve("s_server.log"), "ACCEPT"), STEP_LIMIT,
                    "openssl s_server listening");
            String base = "http://" + SERVER_V4 + ":8080";
            curl(c, work, "-o", "/dev/null", "-o", "/dev/null", "-o", "/dev/null", base + "/a/1000", base + "/b/20000",
                    base + "/c/10");
            curl(c, work, "-o", "/dev/null", "-A", "netring-corpus/1", "--data-binary", "@" + body, base + "/upload");
            curl(c, work, "-o", "/dev/null", base + "/chunked");
            curl(c, work, "-o", "/dev/null", "-g", "http://[" + SERVER_V6 + "]:8080/v6/3000");
            tlsClient(c, work, SERVER_V4 + ":4433", "-tls1_2", "GET / HTTP/1.0\r\n\r\n");
            tlsClient(c, work, SERVER_V4 + ":4433", "-tls1_3", "");
            tlsClient(c, work, "[" + SERVER_V6 + "]:4433", "-tls1_3", "GET / HTTP/1.0\r\n\r\n");
            run(c.exec("python3", client.toString(), SERVER_V4, SERVER_V6), work, "the DNS, UDP and ping client");
            servers.getOutputStream().close();
            tls.destroy();
            Thread.sleep(300);                        // the last replies reach the capture (immediate mode: no block wait)
            tcpdump.destroy();                        // SIGTERM: tcpdump ends its file cleanly
            if (!tcpdump.waitFor(STEP_LIMIT.toSeconds(), TimeUnit.SECONDS)) {
                throw new IOException("tcpdump did not stop within " + STEP_LIMIT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while recording the corpus", e);
        } catch (Exception e) {
            if (e instanceof IOException io) {
                throw io;
            }
            throw new IOException("recording the corpus failed: " + e, e);
        } finally {
            for (Process p : running) {
                p.destroyForcibly();
            }
        }
        if (!Files.isRegularFile(pcap) || Files.size(pcap) < 1000) {
            throw new IOException("tcpdump wrote no capture to " + pcap + ": " + Files.readString(work.resolve("tcpdump.log")));
        }
    }

    /** Moves the second namespace's peer link out of the way and the first's peer into it, addresses on both, IPv6 on. */
    private static void join(NetNamespace c, NetNamespace s) throws IOException, InterruptedException {
        s.ip("link", "del", s.a);                     // its own pair goes: one veth joins the two
        c.moveLink(c.b, s);
        c.enableIpv6(c.a);
        s.enableIpv6(c.b);
        c.ip("addr", "add", CLIENT_V4 + "/24", "dev", c.a);
        c.ip("addr", "add", CLIENT_V6 + "/64", "dev", c.a, "nodad");
        s.ip("addr", "add", SERVER_V4 + "/24", "dev", c.b);
        s.ip("addr", "add", SERVER_V6 + "/64", "dev", c.b, "nodad");
        s.ip("link", "set", "lo", "up");
        s.ip("link", "set", c.b, "up");
        Waits.until(() -> linkUp(c), STEP_LIMIT,
                c.a + " up once its peer is up in the other namespace");
    }

    private static boolean linkUp(NetNamespace c) {
        try {
            return c.ip("-o", "link", "show", "dev", c.a).contains(" state UP ");
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean logSays(Path log, String text) {
        try {
            return Files.readString(log).contains(text);
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean bound(NetNamespace c) {
        try {
            return c.packetSocketsOn(c.a) > 0;
        } catch (Exception e) {
            return false;
        }
    }

    private static void curl(NetNamespace c, Path work, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("curl", "-sS", "--max-time", "10"));
        cmd.addAll(List.of(args));
        run(c.exec(cmd), work, "curl " + args[args.length - 1]);
    }

    private static void tlsClient(NetNamespace c, Path work, String address, String version, String request) throws IOException {
        List<String> cmd = c.exec("openssl", "s_client", "-connect", address, "-servername", SERVER_NAME,
                "-alpn", "h2,http/1.1", version, "-ign_eof");
        Process p = new ProcessBuilder(cmd).directory(work.toFile()).redirectErrorStream(true)
                .redirectOutput(work.resolve("s_client.log").toFile()).start();
        try (OutputStream in = p.getOutputStream()) {
            in.write(request.getBytes(StandardCharsets.US_ASCII));
        }
        // Without a request the server leaves the connection open: the client is ended after the handshake.
        await(p, request.isEmpty() ? Duration.ofSeconds(1) : STEP_LIMIT, "openssl s_client " + version, !request.isEmpty());
    }

    private static void run(List<String> cmd, Path work, String what) throws IOException {
        Process p = new ProcessBuilder(cmd).directory(work.toFile()).redirectErrorStream(true)
                .redirectOutput(work.resolve("step.log").toFile()).start();
        p.getOutputStream().close();
        await(p, STEP_LIMIT, what, true);
        if (p.exitValue() != 0) {
            throw new IOException(what + " failed (" + p.exitValue() + "): " + Files.readString(work.resolve("step.log")));
        }
    }

    /** Waits for {@code p}; past {@code limit} it is ended, which is a failure only when {@code mustEnd}. */
    private static void await(Process p, Duration limit, String what, boolean mustEnd) throws IOException {
        try {
            if (!p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroy();
                p.waitFor(5, TimeUnit.SECONDS);
                p.destroyForcibly();
                if (mustEnd) {
                    throw new IOException(what + " did not finish within " + limit);
                }
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for " + what, e);
        }
    }

    private static Process start(List<Process> running, List<String> cmd, Path log) throws IOException {
        return start(running, cmd, log, log.getParent());
    }

    private static Process start(List<Process> running, List<String> cmd, Path log, Path dir) throws IOException {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        running.add(p);
        return p;
    }

    private static void awaitLine(Process p, String line, Path log) throws Exception {
        Waits.until(() -> logSays(log, line) || !p.isAlive(), STEP_LIMIT, "'" + line + "' in " + log);
        if (!p.isAlive()) {
            throw new IOException(log.getFileName() + " ended: " + Files.readString(log));
        }
    }

    /** A self-signed P-256 certificate for s_server: quick to make, and a real handshake. */
    private static void tlsKey(Path work) throws IOException {
        run(List.of("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", "key.pem", "-out", "cert.pem", "-subj", "/CN=" + SERVER_NAME, "-days", "2"), work, "openssl req");
    }

    private static byte[] postBody() {
        byte[] b = new byte[3000];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) ('a' + i % 26);
        }
        return b;
    }

    private static Path script(Path work, String name) throws IOException {
        try (InputStream in = RealTrafficCorpus.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException(name + " is missing from the test kit's resources");
            }
            Path target = work.resolve(name);
            Files.write(target, in.readAllBytes());
            return target;
        }
    }
}
