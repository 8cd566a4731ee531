package io.netring.app;

/**
 * What the two HTTP directions of one stream share: the methods of requests still waiting for
 * their response, oldest first, so a response knows whether it has a body (none after HEAD)
 * or opens a tunnel (CONNECT). Bounded: beyond {@link #MAX_PENDING} pipelined requests the
 * newest are not remembered (their responses are read as answers to GET).
 */
final class HttpExchange {
    static final int MAX_PENDING = 64;
    static final byte OTHER = 0;
    static final byte HEAD = 1;
    static final byte CONNECT = 2;

    private final byte[] methods = new byte[MAX_PENDING];
    private int first;
    private int count;
    /**
     * Responses read before their request: out-of-order bytes can complete a response ahead of
     * the request it answers. That many next requests are answered already, so the queue stays
     * paired (a HEAD after them still gets the response without a body).
     */
    private int answeredAhead;

    void requested(byte method) {
        if (answeredAhead > 0) {
            answeredAhead--;
        } else if (count < MAX_PENDING) {
            methods[(first + count++) % MAX_PENDING] = method;
        }
    }

    /** The oldest waiting request's method, removed; OTHER when none is known. */
    byte answered() {
        if (count == 0) {
            answeredAhead = Math.min(answeredAhead + 1, MAX_PENDING);
            return OTHER;
        }
        byte m = methods[first];
        first = (first + 1) % MAX_PENDING;
        count--;
        return m;
    }

    int pending() {
        return count;
    }
}
