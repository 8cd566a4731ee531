package io.netring.app;

import io.netring.reassembly.StreamEnd;
import io.netring.reassembly.TcpStream;

/**
 * Receives each application message {@link ApplicationAnalyzer} parsed, with the frame that
 * completed it (tshark shows the message's fields on that frame) and its TCP stream (null for
 * UDP). Every method does nothing by default, so a listener overrides what it wants.
 */
public interface ApplicationListener {
    /** An HTTP request, complete with its body. */
    default void httpRequest(TcpStream stream, long frameNumber, HttpRequest request) {}

    /** An HTTP response, complete with its body (on the frame ending the headers when it has none). */
    default void httpResponse(TcpStream stream, long frameNumber, HttpResponse response) {}

    /** A TLS ClientHello. */
    default void tlsClientHello(TcpStream stream, long frameNumber, TlsClientHello hello) {}

    /** A TLS ServerHello. */
    default void tlsServerHello(TcpStream stream, long frameNumber, TlsServerHello hello) {}

    /** A DNS message, over UDP ({@code stream} null) or TCP. */
    default void dns(TcpStream stream, long frameNumber, DnsMessage message) {}

    /**
     * A TCP stream ended, after its last messages were reported: {@code service} is what its
     * bytes showed ({@link ApplicationAnalyzer#service}), null when it carried none.
     */
    default void streamEnded(TcpStream stream, StreamEnd reason, Service service) {}
}
