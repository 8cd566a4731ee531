package io.netring.app;

import io.netring.reassembly.StreamSide;
import io.netring.reassembly.TcpStream;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The application state of one TCP stream, attached to it: per direction, the first bytes until
 * they show the service, then that service's parser. Reports go to the analyzer's listener.
 */
final class Conversation {
    private static final byte[] RESPONSE_START = "HTTP/".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private final ApplicationAnalyzer analyzer;
    private final TcpStream stream;
    private final Service[] services = new Service[2];
    private final DirectionParser[] parsers = new DirectionParser[2];
    private final byte[][] firstBytes = new byte[2][];
    private final int[] firstLength = new int[2];
    private final long[] firstFrame = new long[2];
    private HttpExchange exchange;

    Conversation(ApplicationAnalyzer analyzer, TcpStream stream) {
        this.analyzer = analyzer;
        this.stream = stream;
    }

    /** The service of the stream: what the client's first bytes showed, else the server's; null while unknown. */
    Service service() {
        Service c = services[0];
        Service s = services[1];
        return c != null && c != Service.UNKNOWN ? c : s != null && s != Service.UNKNOWN ? s : c != null ? c : s;
    }

    /** All of {@code data}: a handler's sliced chunk, or a test's. */
    void data(StreamSide side, MemorySegment data, long frameNumber) {
        data(side, data, 0, data.byteSize(), frameNumber);
    }

    /** Bytes {@code from} to {@code to} of {@code data}, read in place. */
    void data(StreamSide side, MemorySegment data, long from, long to, long frameNumber) {
        int i = side.ordinal();
        DirectionParser p = parsers[i];
        if (p != null) {
            if (!p.stopped()) {
                p.data(data, from, to, frameNumber);
            }
            return;
        }
        if (services[i] != null) {
            return; // recognised, nothing to parse (SSH, UNKNOWN)
        }
        if (firstLength[i] == 0) {
            Service s = Service.detect(data, from, to - from, false);
            if (s == null) {
                keepFirstBytes(i, data, from, to, frameNumber);
            } else {
                start(i, s, data, from, to);
                feed(i, data, from, to, frameNumber);
            }
            return;
        }
        int had = firstLength[i];
        keepFirstBytes(i, data, from, to, frameNumber);
        MemorySegment first = MemorySegment.ofArray(firstBytes[i]);
        Service s = Service.detect(first, 0, firstLength[i], false);
        if (s != null) {
            start(i, s, first, 0, firstLength[i]);
            feed(i, first, 0, had, firstFrame[i]);
            feed(i, data, from, to, frameNumber);
            firstBytes[i] = null;
            firstLength[i] = 0;
        }
    }

    void gap(StreamSide side, long length, long frameNumber) {
        int i = side.ordinal();
        if (parsers[i] != null) {
            parsers[i].gap(length, frameNumber);
        } else if (services[i] == null) {
            services[i] = Service.UNKNOWN; // the first bytes are incomplete: nothing can be recognised
            analyzer.counters().recognised(Service.UNKNOWN);
            firstBytes[i] = null;
        }
    }

    /** {@code side} sent its FIN and all its bytes came: a message running until the close ends on {@code frameNumber}. */
    void finished(StreamSide side, long frameNumber) {
        DirectionParser p = parsers[side.ordinal()];
        if (p != null && !p.stopped()) {
            p.finished(frameNumber);
        }
    }

    void closed() {
        for (DirectionParser p : parsers) {
            if (p != null && !p.stopped()) {
                p.closed();
            }
        }
    }

    /** What both directions hold now, in bytes. */
    int heldBytes() {
        int held = 0;
        for (int i = 0; i < 2; i++) {
            held += parsers[i] == null ? 0 : parsers[i].heldBytes();
            held += firstBytes[i] == null ? 0 : firstBytes[i].length;
        }
        return held;
    }

    private void keepFirstBytes(int i, MemorySegment data, long from, long to, long frameNumber) {
        if (firstBytes[i] == null) {
            firstBytes[i] = new byte[Service.DETECTION_BYTES];
            firstFrame[i] = frameNumber;
        }
        int take = (int) Math.min(Service.DETECTION_BYTES - firstLength[i], to - from);
        MemorySegment.copy(data, ValueLayout.JAVA_BYTE, from, firstBytes[i], firstLength[i], take);
        firstLength[i] += take;
    }

    private void feed(int i, MemorySegment data, long from, long to, long frameNumber) {
        DirectionParser p = parsers[i];
        if (p != null && !p.stopped()) {
            p.data(data, from, to, frameNumber);
        }
    }

    private void start(int i, Service s, MemorySegment first, long from, long to) {
        services[i] = s;
        analyzer.counters().recognised(s);
        parsers[i] = switch (s) {
            case HTTP -> {
                if (exchange == null) {
                    exchange = new HttpExchange();
                }
                yield new HttpParser(this, exchange, !startsWith(first, from, to, RESPONSE_START), analyzer.maxHttpHeaderBytes());
            }
            case TLS -> new TlsParser(this, analyzer.maxTlsHandshakeBytes());
            case DNS -> new DnsTcpParser(this, analyzer.dnsReader());
            default -> null;
        };
    }

    private static boolean startsWith(MemorySegment s, long from, long to, byte[] start) {
        if (to - from < start.length) {
            return false;
        }
        for (int k = 0; k < start.length; k++) {
            if (s.get(ValueLayout.JAVA_BYTE, from + k) != start[k]) {
                return false;
            }
        }
        return true;
    }

    ApplicationCounters counters() {
        return analyzer.counters();
    }

    void requested(HttpRequest request, long frameNumber) {
        analyzer.counters().httpRequests++;
        analyzer.listener().httpRequest(stream, frameNumber, request);
    }

    void responded(HttpResponse response, long frameNumber) {
        analyzer.counters().httpResponses++;
        analyzer.listener().httpResponse(stream, frameNumber, response);
    }

    void clientHello(TlsClientHello hello, long frameNumber) {
        analyzer.counters().tlsClientHellos++;
        analyzer.listener().tlsClientHello(stream, frameNumber, hello);
    }

    void serverHello(TlsServerHello hello, long frameNumber) {
        analyzer.counters().tlsServerHellos++;
        analyzer.listener().tlsServerHello(stream, frameNumber, hello);
    }

    void dns(DnsMessage message, long frameNumber) {
        analyzer.counters().dnsMessages++;
        analyzer.listener().dns(stream, frameNumber, message);
    }
}
