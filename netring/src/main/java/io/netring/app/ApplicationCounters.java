package io.netring.app;

/**
 * Running totals of an {@link ApplicationAnalyzer}: messages reported, directions recognised,
 * and every direction given up with its reason. Read on the analyzer's thread.
 */
public final class ApplicationCounters {
    private final long[] directions = new long[Service.values().length];
    long httpRequests;
    long httpResponses;
    long tlsClientHellos;
    long tlsServerHellos;
    long dnsMessages;
    long httpHeadersTooLong;
    long httpMalformed;
    long tlsHandshakeTooLong;
    long tlsMalformed;
    long dnsMalformed;
    long stoppedAtGap;

    ApplicationCounters() {}

    void recognised(Service service) {
        directions[service.ordinal()]++;
    }

    /** TCP directions whose first bytes showed {@code service} (UNKNOWN: none recognised). */
    public long directions(Service service) {
        return directions[service.ordinal()];
    }

    /** HTTP requests reported. */
    public long httpRequests() {
        return httpRequests;
    }

    /** HTTP responses reported. */
    public long httpResponses() {
        return httpResponses;
    }

    /** TLS ClientHellos reported. */
    public long tlsClientHellos() {
        return tlsClientHellos;
    }

    /** TLS ServerHellos reported. */
    public long tlsServerHellos() {
        return tlsServerHellos;
    }

    /** DNS messages reported (UDP and TCP). */
    public long dnsMessages() {
        return dnsMessages;
    }

    /** HTTP directions given up because a message's headers outgrew the bound. */
    public long httpHeadersTooLong() {
        return httpHeadersTooLong;
    }

    /** HTTP directions given up on a start line, header or chunk framing that is not HTTP/1.x. */
    public long httpMalformed() {
        return httpMalformed;
    }

    /** TLS directions given up because a handshake message outgrew the bound. */
    public long tlsHandshakeTooLong() {
        return tlsHandshakeTooLong;
    }

    /** TLS directions given up on a record or hello that does not parse. */
    public long tlsMalformed() {
        return tlsMalformed;
    }

    /** DNS messages (UDP datagrams on port 53/5353, or TCP messages) that do not parse. */
    public long dnsMalformed() {
        return dnsMalformed;
    }

    /** Directions given up at a gap (bytes that never arrived) they could not skip. */
    public long stoppedAtGap() {
        return stoppedAtGap;
    }

    @Override
    public String toString() {
        return "http " + httpRequests + "/" + httpResponses + ", tls " + tlsClientHellos + "/" + tlsServerHellos
                + ", dns " + dnsMessages + ", given up: http " + (httpHeadersTooLong + httpMalformed) + ", tls "
                + (tlsHandshakeTooLong + tlsMalformed) + ", dns " + dnsMalformed + ", at gaps " + stoppedAtGap;
    }
}
