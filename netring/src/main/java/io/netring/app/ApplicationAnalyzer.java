package io.netring.app;

import io.netring.decode.Layer;
import io.netring.decode.PacketDecoder;
import io.netring.reassembly.StreamEnd;
import io.netring.reassembly.StreamHandler;
import io.netring.reassembly.StreamSide;
import io.netring.reassembly.TcpStream;

import java.lang.foreign.MemorySegment;

/**
 * Application metadata from reassembled TCP streams and UDP datagrams: recognises each TCP
 * direction's protocol by its first bytes on any port, runs its parser (state hangs on the
 * stream, bounded) and reports each message to an {@link ApplicationListener} with the frame
 * that completed it. Confined to the thread that feeds it; docs/REASSEMBLY.md has the bounds.
 *
 * <pre>{@code
 * ApplicationAnalyzer app = ApplicationAnalyzer.builder().listener(myListener).build();
 * TcpReassembler tcp = TcpReassembler.builder().handler(app).build();
 * // per frame: tcp.offer(decoded, frame, time) for TCP, app.udp(decoded, frame) for UDP
 * }</pre>
 */
public final class ApplicationAnalyzer implements StreamHandler {
    /** Default bound of one HTTP message head (start line and headers). */
    public static final int DEFAULT_MAX_HTTP_HEADER_BYTES = 64 * 1024;
    /** Default bound of one TLS handshake message gathered across records. */
    public static final int DEFAULT_MAX_TLS_HANDSHAKE_BYTES = 64 * 1024;
    private static final int MIN_BOUND = 256;
    private static final int DNS_PORT = 53;
    private static final int MDNS_PORT = 5353;

    private final ApplicationListener listener;
    private final int maxHttpHeaderBytes;
    private final int maxTlsHandshakeBytes;
    private final boolean dnsOnAnyUdpPort;
    private final ApplicationCounters counters = new ApplicationCounters();
    private final DnsMessageReader dnsReader = new DnsMessageReader();

    private ApplicationAnalyzer(Builder b) {
        this.listener = b.listener;
        this.maxHttpHeaderBytes = b.maxHttpHeaderBytes;
        this.maxTlsHandshakeBytes = b.maxTlsHandshakeBytes;
        this.dnsOnAnyUdpPort = b.dnsOnAnyUdpPort;
    }

    /** A builder with the defaults: a listener that ignores everything, 64 KiB bounds, DNS by shape on any UDP port. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public void opened(TcpStream stream) {
        stream.attach(new Conversation(this, stream));
    }

    @Override
    public void data(TcpStream stream, StreamSide side, long streamOffset, MemorySegment data, long frameNumber) {
        conversation(stream).data(side, data, frameNumber);
    }

    /** Parses in place: no slice is made per segment. */
    @Override
    public void data(TcpStream stream, StreamSide side, long streamOffset, MemorySegment segment, long offset,
                     int length, long frameNumber) {
        conversation(stream).data(side, segment, offset, offset + length, frameNumber);
    }

    @Override
    public void gap(TcpStream stream, StreamSide side, long streamOffset, long length, long frameNumber) {
        conversation(stream).gap(side, length, frameNumber);
    }

    @Override
    public void finished(TcpStream stream, StreamSide side, long frameNumber) {
        if (stream.attachment() instanceof Conversation c) {
            c.finished(side, frameNumber);
        }
    }

    @Override
    public void closed(TcpStream stream, StreamEnd reason) {
        Service service = service(stream);
        if (stream.attachment() instanceof Conversation c) {
            c.closed();
            stream.attach(null);
        }
        listener.streamEnded(stream, reason, service);
    }

    /**
     * Reads the UDP payload of {@code decoded} as a DNS message when it goes to or comes from port
     * 53 or 5353, or, with {@link Builder#dnsOnAnyUdpPort} (the default), on any port when it is
     * exactly one well-formed DNS message. Returns true when a message was reported.
     */
    public boolean udp(PacketDecoder decoded, long frameNumber) {
        if (!decoded.has(Layer.UDP) || decoded.payloadOffset() < 0) {
            return false;
        }
        int src = decoded.udp().sourcePort();
        int dst = decoded.udp().destinationPort();
        MemorySegment s = decoded.segment();
        long offset = decoded.offset() + decoded.payloadOffset();
        int length = decoded.payloadLength();
        boolean dnsPort = src == DNS_PORT || dst == DNS_PORT || src == MDNS_PORT || dst == MDNS_PORT;
        if (!dnsPort && !(dnsOnAnyUdpPort && dnsReader.wellFormed(s, offset, length) && length > DnsMessageReader.HEADER)) {
            return false;
        }
        DnsMessage m = dnsReader.read(s, offset, length);
        if (m == null) {
            counters.dnsMalformed++;
            return false;
        }
        counters.dnsMessages++;
        listener.dns(null, frameNumber, m);
        return true;
    }

    /** The service recognised on {@code stream} (the client's first bytes, else the server's); null while undecided. */
    public Service service(TcpStream stream) {
        return stream.attachment() instanceof Conversation c ? c.service() : null;
    }

    /** Running totals; read on the thread that feeds the analyzer. */
    public ApplicationCounters counters() {
        return counters;
    }

    ApplicationListener listener() {
        return listener;
    }

    int maxHttpHeaderBytes() {
        return maxHttpHeaderBytes;
    }

    int maxTlsHandshakeBytes() {
        return maxTlsHandshakeBytes;
    }

    DnsMessageReader dnsReader() {
        return dnsReader;
    }

    /** The stream's state, made here when the reassembler reported no opening. */
    private Conversation conversation(TcpStream stream) {
        if (stream.attachment() instanceof Conversation c) {
            return c;
        }
        Conversation c = new Conversation(this, stream);
        stream.attach(c);
        return c;
    }

    /** Settings of an {@link ApplicationAnalyzer}; each is checked when set. */
    public static final class Builder {
        private ApplicationListener listener = new ApplicationListener() {};
        private int maxHttpHeaderBytes = DEFAULT_MAX_HTTP_HEADER_BYTES;
        private int maxTlsHandshakeBytes = DEFAULT_MAX_TLS_HANDSHAKE_BYTES;
        private boolean dnsOnAnyUdpPort = true;

        private Builder() {}

        /** Where the messages go. */
        public Builder listener(ApplicationListener listener) {
            this.listener = java.util.Objects.requireNonNull(listener, "listener");
            return this;
        }

        /** Bound of one HTTP message head; a longer one stops that direction (counted). At least 256. */
        public Builder maxHttpHeaderBytes(int bytes) {
            this.maxHttpHeaderBytes = atLeast("maxHttpHeaderBytes", bytes);
            return this;
        }

        /** Bound of one TLS handshake message; a longer one stops that direction (counted). At least 256. */
        public Builder maxTlsHandshakeBytes(int bytes) {
            this.maxTlsHandshakeBytes = atLeast("maxTlsHandshakeBytes", bytes);
            return this;
        }

        /**
         * Whether a UDP payload on a port other than 53 and 5353 is read as DNS when it is exactly
         * one well-formed message (default true). False gives tshark's view, which decodes DNS on
         * its registered ports only.
         */
        public Builder dnsOnAnyUdpPort(boolean on) {
            this.dnsOnAnyUdpPort = on;
            return this;
        }

        /** The analyzer. */
        public ApplicationAnalyzer build() {
            return new ApplicationAnalyzer(this);
        }

        private static int atLeast(String name, int value) {
            if (value < MIN_BOUND) {
                throw new IllegalArgumentException(name + "=" + value + ": must be at least " + MIN_BOUND);
            }
            return value;
        }
    }
}
