package io.netring.examples;

import io.netring.Capture;
import io.netring.Packet;
import io.netring.app.ApplicationAnalyzer;
import io.netring.app.ApplicationListener;
import io.netring.app.DnsMessage;
import io.netring.app.HttpRequest;
import io.netring.app.HttpResponse;
import io.netring.app.Service;
import io.netring.app.TlsClientHello;
import io.netring.app.TlsServerHello;
import io.netring.decode.Layer;
import io.netring.decode.PacketDecoder;
import io.netring.pcap.PcapReader;
import io.netring.reassembly.IpDefragmenter;
import io.netring.reassembly.StreamEnd;
import io.netring.reassembly.StreamSide;
import io.netring.reassembly.TcpReassembler;
import io.netring.reassembly.TcpStream;

import java.io.PrintStream;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * {@code bin/example dpi IFACE [COUNT]} or {@code bin/example dpi -r FILE}: deep packet
 * inspection on reassembled traffic. IP fragments are joined ({@link IpDefragmenter}), TCP streams
 * rebuilt in order ({@link TcpReassembler}: reordered, retransmitted and overlapping segments
 * resolved) and read by {@link ApplicationAnalyzer}, which recognises HTTP, TLS, DNS and SSH by
 * content on any port. One line per message, on the frame that completed it: HTTP requests (method,
 * host, URI, user agent) and responses (status), TLS hellos (SNI, ALPN, JA3, JA4; the server's
 * version, cipher and JA3S), DNS queries and answers (over UDP and TCP); and one line per TCP
 * stream when it ends, with the service found on it.
 */
public final class Dpi {
    private Dpi() {}

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("-r")) {
            if (args.length != 2) {
                System.err.println("usage: bin/example dpi -r FILE");
                System.exit(2);
            }
            try (PcapReader file = PcapReader.open(Path.of(args[1]))) {
                inspect(Capture.stream(file), System.out);
            }
            return;
        }
        String iface = Args.interfaceName(args, "dpi IFACE [COUNT] | dpi -r FILE");
        long count = Args.number(args, 1, 20);
        try (Capture cap = Capture.open(iface)) {
            inspect(cap.packets().limit(count), System.out);
        }
    }

    /** Inspects every packet of {@code packets}, printing to {@code out}; then ends every stream and prints the tally. */
    static void inspect(Stream<Packet> packets, PrintStream out) {
        Inspector inspector = new Inspector(out);
        try (packets) {
            packets.forEach(p -> inspector.frame(p.segment(), p.dataOffset(), p.length(), p.timestampEpochNanos()));
        }
        inspector.finish();
    }

    /**
     * The pipeline for one capture: defragmenter, TCP reassembler, application analyzer, and the
     * printing listener. Confined to the thread that feeds it.
     */
    static final class Inspector implements ApplicationListener {
        private final PrintStream out;
        private final PacketDecoder decoder = new PacketDecoder();   // one decoder, reused for every packet
        private final IpDefragmenter defrag = IpDefragmenter.create();
        private final ApplicationAnalyzer app = ApplicationAnalyzer.builder().listener(this).build();
        private final TcpReassembler tcp = TcpReassembler.builder().handler(app).build();
        private final Map<String, Integer> tally = new TreeMap<>();
        private long frames;

        Inspector(PrintStream out) {
            this.out = out;
        }

        /** One Ethernet frame of {@code length} captured bytes at {@code offset}, stamped {@code timeNanos}. */
        void frame(MemorySegment segment, long offset, int length, long timeNanos) {
            long frame = ++frames;
            switch (defrag.offerFrame(segment, offset, length, frame, timeNanos)) {
                case NOT_FRAGMENT -> transport(decoder.decode(segment, offset, length), frame, timeNanos);
                // the datagram the frame completed, read as if it had come whole
                case COMPLETED -> transport(decoder.decodeIp(defrag.datagram(), 0, defrag.datagramLength()), frame, timeNanos);
                case HELD, DROPPED -> { }
            }
        }

        private void transport(PacketDecoder d, long frame, long timeNanos) {
            if (d.has(Layer.TCP)) {
                tcp.offer(d, frame, timeNanos);
            } else if (d.has(Layer.UDP)) {
                app.udp(d, frame);
            }
        }

        /** End of input: every stream reports what is left and ends. */
        void finish() {
            tcp.finish();
            out.println("frames: " + frames + ", TCP streams: " + tcp.counters().streamsOpened() + ", seen: " + tally);
        }

        // ApplicationListener: a line when a stream ends, and one per message, on the frame that completed it.

        @Override
        public void streamEnded(TcpStream stream, StreamEnd reason, Service service) {
            out.println("stream " + stream.id() + "  " + endpoints(stream) + "  " + (service == null ? "no data" : service)
                    + ", " + stream.offset(StreamSide.CLIENT) + "/" + stream.offset(StreamSide.SERVER) + " bytes, "
                    + reason.name().toLowerCase());
            if (service == Service.SSH || service == Service.UNKNOWN) {
                tally.merge(service.name(), 1, Integer::sum);
            }
        }

        @Override
        public void httpRequest(TcpStream stream, long frame, HttpRequest r) {
            print(stream, frame, "HTTP", "request " + r.method() + " host=" + r.host() + " uri=" + r.uri()
                    + (r.userAgent() == null ? "" : " user-agent=" + r.userAgent()));
        }

        @Override
        public void httpResponse(TcpStream stream, long frame, HttpResponse r) {
            print(stream, frame, "HTTP", "response " + r.statusCode());
        }

        @Override
        public void tlsClientHello(TcpStream stream, long frame, TlsClientHello h) {
            print(stream, frame, "TLS", "ClientHello sni=" + h.serverName() + " alpn=" + String.join(",", h.alpn())
                    + " ja3=" + h.ja3Hash() + " ja4=" + h.ja4());
        }

        @Override
        public void tlsServerHello(TcpStream stream, long frame, TlsServerHello h) {
            print(stream, frame, "TLS", String.format("ServerHello version=0x%04x cipher=0x%04x%s ja3s=%s",
                    h.selectedVersion() >= 0 ? h.selectedVersion() : h.version(), h.cipherSuite(),
                    h.alpn() == null ? "" : " alpn=" + h.alpn(), h.ja3sHash()));
        }

        @Override
        public void dns(TcpStream stream, long frame, DnsMessage m) {
            StringBuilder s = new StringBuilder(m.isResponse() ? "response " : "query ").append(String.join(",", m.queryNames()));
            append(s, " a=", m.a());
            append(s, " aaaa=", m.aaaa());
            append(s, " cname=", m.cname());
            print(stream, frame, "DNS", s.toString());
        }

        private static void append(StringBuilder s, String name, java.util.List<String> values) {
            if (!values.isEmpty()) {
                s.append(name).append(String.join(",", values));
            }
        }

        private void print(TcpStream stream, long frame, String protocol, String detail) {
            tally.merge(protocol, 1, Integer::sum);
            out.println("frame " + frame + "  " + (stream == null ? udpEndpoints() : endpoints(stream)) + "  " + protocol + " " + detail);
        }

        /** The addresses and ports of the UDP datagram being analyzed (the decoder still holds it). */
        private String udpEndpoints() {
            PacketDecoder d = decoder;
            StringBuilder s = new StringBuilder("udp ");
            boolean v4 = d.has(Layer.IPV4);
            if (v4) {
                d.ipv4().appendSource(s);
            } else {
                d.ipv6().appendSource(s.append('[')).append(']');
            }
            s.append(':').append(d.udp().sourcePort()).append(" -> ");
            if (v4) {
                d.ipv4().appendDestination(s);
            } else {
                d.ipv6().appendDestination(s.append('[')).append(']');
            }
            return s.append(':').append(d.udp().destinationPort()).toString();
        }

        private static String endpoints(TcpStream s) {
            boolean v6 = s.ipVersion() == 6;
            return "tcp " + (v6 ? "[" + s.clientAddressText() + "]" : s.clientAddressText()) + ":" + s.clientPort() + " -> "
                    + (v6 ? "[" + s.serverAddressText() + "]" : s.serverAddressText()) + ":" + s.serverPort();
        }
    }
}
