package io.netring.cli;

import io.netring.app.ApplicationAnalyzer;
import io.netring.app.ApplicationListener;
import io.netring.app.DnsMessage;
import io.netring.app.HttpRequest;
import io.netring.app.HttpResponse;
import io.netring.app.TlsClientHello;
import io.netring.app.TlsServerHello;
import io.netring.decode.Layer;
import io.netring.decode.PacketDecoder;
import io.netring.reassembly.TcpReassembler;
import io.netring.reassembly.TcpStream;

import java.util.ArrayList;
import java.util.List;

/**
 * The HTTP, TLS and DNS fields of {@code -T fields|json}, with tshark's names and semantics: a
 * message's fields on the frame that completes it. Each frame's transport (the reassembled
 * datagram on the frame that completes one) goes through a {@link TcpReassembler} feeding an
 * {@link ApplicationAnalyzer}, UDP straight to the analyzer with tshark's port view (DNS on its
 * registered ports only); what the analyzer reports for that frame is kept in {@link Values}.
 * Made only when a requested field needs it, so other fields never pay for reassembly.
 */
final class ApplicationFields implements ApplicationListener {
    /** The field names, in the order of their {@link Values} index. */
    static final List<String> NAMES = List.of("http.request.method", "http.host", "http.request.uri", "http.user_agent",
            "http.response.code", "tls.handshake.extensions_server_name", "tls.handshake.extensions_alpn_str",
            "tls.handshake.ja3", "tls.handshake.ja3_full", "tls.handshake.ja3s", "dns.a", "dns.aaaa", "dns.cname",
            "dns.qry.name");
    static final int METHOD = 0, HOST = 1, URI = 2, USER_AGENT = 3, RESPONSE_CODE = 4, SERVER_NAME = 5, ALPN = 6,
            JA3 = 7, JA3_FULL = 8, JA3S = 9, DNS_A = 10, DNS_AAAA = 11, DNS_CNAME = 12,
            /** Over TCP only: over UDP the decoder's DNS view gives it, ICMP-quoted datagrams included. */
            DNS_QUERY_NAME = 13;

    /** The values reported on one frame, per field in report order; each value is one occurrence. */
    static final class Values {
        private final List<List<String>> fields = new ArrayList<>(NAMES.size());
        private boolean empty = true;

        Values() {
            for (int i = 0; i < NAMES.size(); i++) {
                fields.add(new ArrayList<>(2));
            }
        }

        boolean isEmpty() {
            return empty;
        }

        void clear() {
            if (!empty) {
                fields.forEach(List::clear);
                empty = true;
            }
        }

        void add(int field, String value) {
            if (value != null && !value.isEmpty()) {
                fields.get(field).add(value);
                empty = false;
            }
        }

        /** A copy for a line that waits (see {@link FragmentLines}); null when there is nothing to keep. */
        Values copyOrNull() {
            if (empty) {
                return null;
            }
            Values v = new Values();
            for (int i = 0; i < NAMES.size(); i++) {
                v.fields.get(i).addAll(fields.get(i));
            }
            v.empty = false;
            return v;
        }

        /** Appends field {@code field}'s values as occurrences. */
        void append(int field, FieldPrinter.Occurrences out) {
            if (!empty) {
                for (String v : fields.get(field)) {
                    out.next().append(v);
                }
            }
        }
    }

    private final ApplicationAnalyzer analyzer = ApplicationAnalyzer.builder().listener(this).dnsOnAnyUdpPort(false).build();
    private final TcpReassembler tcp = TcpReassembler.builder().handler(analyzer).build();
    private final Values current = new Values();
    private long frame = -1;

    static boolean isApplicationField(String name) {
        return NAMES.contains(name);
    }

    /**
     * Feeds the transport of frame {@code number}: the frame itself, or the datagram it completes.
     * Returns the values reported on this frame: reused by the next call, empty when none.
     */
    Values offer(PacketDecoder transport, long number, long timeNanos) {
        current.clear();
        frame = number;
        tcp.offer(transport, number, timeNanos);         // anything but TCP only moves its idle clock
        if (transport.has(Layer.UDP) && !fragment(transport)) {
            analyzer.udp(transport, number);
        }
        return current;
    }

    /** A fragment's transport header belongs to its datagram (shown with defragmentation off only). */
    private static boolean fragment(PacketDecoder d) {
        return d.has(Layer.IPV4) ? d.ipv4().isFragment() : d.has(Layer.IPV6) && d.ipv6().hasFragment();
    }

    // Reports for another frame (a stream closed at the end, or by a reset, after its last byte's
    // frame was printed) show nowhere, as in tshark.

    @Override
    public void httpRequest(TcpStream stream, long frameNumber, HttpRequest r) {
        if (frameNumber == frame) {
            current.add(METHOD, r.method());
            current.add(HOST, r.host());
            current.add(URI, r.uri());
            current.add(USER_AGENT, r.userAgent());
        }
    }

    @Override
    public void httpResponse(TcpStream stream, long frameNumber, HttpResponse r) {
        if (frameNumber == frame) {
            current.add(RESPONSE_CODE, Integer.toString(r.statusCode()));
        }
    }

    @Override
    public void tlsClientHello(TcpStream stream, long frameNumber, TlsClientHello h) {
        if (frameNumber == frame) {
            current.add(SERVER_NAME, h.serverName());
            h.alpn().forEach(p -> current.add(ALPN, p));
            current.add(JA3_FULL, h.ja3Full());
            current.add(JA3, h.ja3Hash());
        }
    }

    @Override
    public void tlsServerHello(TcpStream stream, long frameNumber, TlsServerHello h) {
        if (frameNumber == frame) {
            current.add(ALPN, h.alpn());
            current.add(JA3S, h.ja3sHash());
        }
    }

    @Override
    public void dns(TcpStream stream, long frameNumber, DnsMessage m) {
        if (frameNumber == frame) {
            if (stream != null) {
                m.queryNames().forEach(n -> current.add(DNS_QUERY_NAME, n));
            }
            m.a().forEach(v -> current.add(DNS_A, v));
            m.aaaa().forEach(v -> current.add(DNS_AAAA, v));
            m.cname().forEach(v -> current.add(DNS_CNAME, v));
        }
    }
}
