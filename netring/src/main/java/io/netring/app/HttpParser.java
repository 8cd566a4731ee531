package io.netring.app;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

/**
 * One direction of HTTP/1.x: message heads gathered (up to a bound) across chunks, bodies
 * skipped by Content-Length or chunk framing without copying, each message reported on the
 * frame that completes it — the body's last byte, or the head's when there is no body, as
 * tshark does with its default body reassembly.
 */
final class HttpParser extends DirectionParser {
    private static final int HEAD = 0;
    private static final int BODY = 1;
    private static final int CHUNK_SIZE = 2;
    private static final int CHUNK_DATA = 3;
    private static final int CHUNK_END = 4;
    private static final int TRAILER = 5;
    private static final int UNTIL_CLOSE = 6;
    private static final int STOPPED = 7;
    /** Longest chunk-size line (size and extensions) before the framing counts as broken. */
    private static final int MAX_CHUNK_LINE = 1024;

    private final Conversation conversation;
    private final HttpExchange exchange;
    private final boolean requests;
    private final int maxHead;

    private int state = HEAD;
    private byte[] head = new byte[512];
    private int headLength;
    /** False while the head holds only the empty lines that may precede a start line. */
    private boolean headHasText;
    /** Characters other than CR on the current line of the head, trailer or chunk-size line. */
    private int lineLength;
    /** Bytes of the current chunk-size line or trailer, against their bounds. */
    private int framingBytes;
    private boolean sizeEnded;
    private boolean sizeHasDigit;
    private long remaining;
    private long lastFrame = -1;

    private HttpRequest request;
    private int status;
    private boolean tunnel;

    HttpParser(Conversation conversation, HttpExchange exchange, boolean requests, int maxHead) {
        this.conversation = conversation;
        this.exchange = exchange;
        this.requests = requests;
        this.maxHead = maxHead;
    }

    @Override
    void data(MemorySegment data, long from, long to, long frameNumber) {
        long n = to;
        long pos = from;
        lastFrame = frameNumber;
        while (pos < n && state != STOPPED) {
            switch (state) {
                case HEAD -> pos = head(data, pos, n, frameNumber);
                case BODY, CHUNK_DATA -> {
                    long take = Math.min(remaining, n - pos);
                    pos += take;
                    remaining -= take;
                    if (remaining == 0) {
                        bodyPartDone(frameNumber);
                    }
                }
                case CHUNK_SIZE -> pos = chunkSize(data, pos, n);
                case CHUNK_END -> pos = chunkEnd(data, pos, n);
                case TRAILER -> pos = trailer(data, pos, n, frameNumber);
                default -> pos = n; // UNTIL_CLOSE: the body runs to the end of the stream
            }
        }
    }

    @Override
    void gap(long length, long frameNumber) {
        if ((state == BODY || state == CHUNK_DATA) && length <= remaining) {
            remaining -= length;
            if (remaining == 0) {
                bodyPartDone(frameNumber);
            }
        } else if (state == HEAD && headLength == 0 && lineLength == 0) {
            // Between messages a hole cannot be skipped: the next message may start inside it.
            conversation.counters().stoppedAtGap++;
            stop();
        } else if (state != UNTIL_CLOSE && state != STOPPED) {
            conversation.counters().stoppedAtGap++;
            stop();
        }
    }

    /** A body running until the close ends with the FIN, on its frame, as tshark shows it. */
    @Override
    void finished(long frameNumber) {
        if (state == UNTIL_CLOSE) {
            complete(frameNumber);
        }
        stop();
    }

    @Override
    void closed() {
        if (state == UNTIL_CLOSE && lastFrame >= 0) {
            complete(lastFrame);
        }
        stop();
    }

    @Override
    boolean stopped() {
        return state == STOPPED;
    }

    @Override
    void stop() {
        state = STOPPED;
        head = null;
        headLength = 0;
    }

    @Override
    int heldBytes() {
        return head == null ? 0 : head.length;
    }

    /** Gathers head bytes until the empty line; returns where the bytes after the head start. */
    private long head(MemorySegment data, long pos, long n, long frameNumber) {
        long take = Math.min(n - pos, (long) maxHead - headLength);
        if (take <= 0) {
            conversation.counters().httpHeadersTooLong++;
            stop();
            return n;
        }
        ensureRoom((int) take);
        MemorySegment.copy(data, ValueLayout.JAVA_BYTE, pos, head, headLength, (int) take);
        int from = headLength;
        headLength += (int) take;
        for (int i = from; i < headLength; i++) {
            byte b = head[i];
            if (!headHasText && (b == '\n' || b == '\r')) {
                continue; // empty lines before a start line are allowed and skipped
            }
            headHasText = true;
            if (b == '\n') {
                if (lineLength == 0) {
                    long after = pos + (i + 1 - from);
                    int end = i + 1;
                    headLength = 0;
                    headHasText = false;
                    headDone(end, frameNumber);
                    return after;
                }
                lineLength = 0;
            } else if (b != '\r') {
                lineLength++;
            }
        }
        if (headLength >= maxHead) {
            conversation.counters().httpHeadersTooLong++;
            stop();
            return n;
        }
        return n;
    }

    private void ensureRoom(int more) {
        if (headLength + more > head.length) {
            int size = head.length;
            while (size < headLength + more) {
                size *= 2;
            }
            head = java.util.Arrays.copyOf(head, Math.min(size, maxHead));
        }
    }

    /** The head is {@code head[0, end)}: reads it and decides how the body is framed. */
    private void headDone(int end, long frameNumber) {
        HttpHead h = HttpHead.parse(head, end, requests);
        if (h == null) {
            conversation.counters().httpMalformed++;
            stop();
            return;
        }
        if (h.contentLength() == HttpHead.BAD_LENGTH) {
            conversation.counters().httpMalformed++;
            stop();
            return;
        }
        boolean hasBody;
        if (requests) {
            request = h.request();
            exchange.requested(h.methodKind());
            hasBody = true;
        } else {
            status = h.status();
            if (status < 200) {
                // An interim response: the final one for the same request follows.
                conversation.responded(new HttpResponse(status), frameNumber);
                if (status == 101) {
                    stop(); // the stream switches to another protocol
                }
                return;
            }
            byte method = exchange.answered();
            tunnel = method == HttpExchange.CONNECT && status < 300;
            hasBody = method != HttpExchange.HEAD && status != 204 && status != 304 && !tunnel;
        }
        if (!hasBody) {
            complete(frameNumber);
        } else if (h.chunked()) {
            startChunkSize();
        } else if (h.contentLength() > 0) {
            remaining = h.contentLength();
            state = BODY;
        } else if (h.contentLength() == 0 || requests) {
            complete(frameNumber); // a request without length or chunking has no body
        } else {
            state = UNTIL_CLOSE;
        }
    }

    private void bodyPartDone(long frameNumber) {
        if (state == BODY) {
            complete(frameNumber);
        } else {
            state = CHUNK_END;
            lineLength = 0;
            framingBytes = 0;
        }
    }

    private void startChunkSize() {
        state = CHUNK_SIZE;
        remaining = 0;
        framingBytes = 0;
        sizeEnded = false;
        sizeHasDigit = false;
    }

    private long chunkSize(MemorySegment data, long pos, long n) {
        while (pos < n) {
            int b = data.get(ValueLayout.JAVA_BYTE, pos++);
            if (++framingBytes > MAX_CHUNK_LINE) {
                return malformed(n);
            }
            if (b == '\n') {
                if (!sizeHasDigit) {
                    return malformed(n);
                }
                if (remaining == 0) {
                    state = TRAILER;
                    lineLength = 0;
                    framingBytes = 0;
                } else {
                    state = CHUNK_DATA;
                }
                return pos;
            }
            int digit = Character.digit(b, 16);
            if (!sizeEnded && digit >= 0) {
                if (remaining > (Long.MAX_VALUE >> 5)) {
                    return malformed(n);
                }
                remaining = remaining * 16 + digit;
                sizeHasDigit = true;
            } else if (b == ';' || b == ' ' || b == '\t' || b == '\r') {
                sizeEnded = true;
            } else if (!sizeEnded) {
                return malformed(n);
            }
        }
        return pos;
    }

    /** The CRLF after a chunk's data. */
    private long chunkEnd(MemorySegment data, long pos, long n) {
        while (pos < n) {
            int b = data.get(ValueLayout.JAVA_BYTE, pos++);
            if (b == '\n') {
                startChunkSize();
                return pos;
            }
            if (b != '\r' || ++framingBytes > 1) {
                return malformed(n);
            }
        }
        return pos;
    }

    /** Trailer lines after the last chunk, up to the empty line that ends the message. */
    private long trailer(MemorySegment data, long pos, long n, long frameNumber) {
        while (pos < n) {
            int b = data.get(ValueLayout.JAVA_BYTE, pos++);
            if (++framingBytes > maxHead) {
                conversation.counters().httpHeadersTooLong++;
                stop();
                return n;
            }
            if (b == '\n') {
                if (lineLength == 0) {
                    complete(frameNumber);
                    return pos;
                }
                lineLength = 0;
            } else if (b != '\r') {
                lineLength++;
            }
        }
        return pos;
    }

    private long malformed(long n) {
        conversation.counters().httpMalformed++;
        stop();
        return n;
    }

    /** The message is complete on {@code frameNumber}: report it and wait for the next head. */
    private void complete(long frameNumber) {
        if (requests) {
            conversation.requested(request, frameNumber);
            request = null;
        } else {
            conversation.responded(new HttpResponse(status), frameNumber);
            if (tunnel) {
                stop();
                return;
            }
        }
        state = HEAD;
        headLength = 0;
        headHasText = false;
        lineLength = 0;
    }

    static String latin1(byte[] b, int from, int to) {
        return new String(b, from, to - from, StandardCharsets.ISO_8859_1);
    }
}
