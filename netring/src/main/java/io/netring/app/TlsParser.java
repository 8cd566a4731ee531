package io.netring.app;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

/**
 * One direction of a TLS stream up to its hello: records read across chunks (a 5-byte header,
 * then the body), handshake bodies joined across records until the first ClientHello or
 * ServerHello is whole, then parsing stops. A ChangeCipherSpec, alert or application data
 * before the hello stops it too: what follows is encrypted or not a first flight.
 */
final class TlsParser extends DirectionParser {
    private static final int RECORD_HEADER = 5;
    private static final int HANDSHAKE_HEADER = 4;
    private static final int CONTENT_HANDSHAKE = 22;
    /** TLSCiphertext may carry 2^14 + 2048 bytes; nothing longer is a TLS record. */
    private static final int MAX_RECORD = (1 << 14) + 2048;
    private static final int HEADER_STATE = 0;
    private static final int BODY_STATE = 1;
    private static final int DONE = 2;

    private final Conversation conversation;
    private final int maxHandshake;
    private final byte[] header = new byte[RECORD_HEADER];
    private int headerLength;
    private int recordRemaining;
    private byte[] handshake = new byte[512];
    private int handshakeLength;
    private int state = HEADER_STATE;

    TlsParser(Conversation conversation, int maxHandshake) {
        this.conversation = conversation;
        this.maxHandshake = maxHandshake;
    }

    @Override
    void data(MemorySegment data, long from, long to, long frameNumber) {
        long n = to;
        long pos = from;
        while (pos < n && state != DONE) {
            if (state == HEADER_STATE) {
                int take = (int) Math.min(RECORD_HEADER - headerLength, n - pos);
                MemorySegment.copy(data, ValueLayout.JAVA_BYTE, pos, header, headerLength, take);
                headerLength += take;
                pos += take;
                if (headerLength == RECORD_HEADER) {
                    headerLength = 0;
                    recordStarts();
                }
            } else {
                int take = (int) Math.min(recordRemaining, n - pos);
                if (!append(data, pos, take)) {
                    return;
                }
                pos += take;
                recordRemaining -= take;
                if (recordRemaining == 0) {
                    state = HEADER_STATE;
                }
                handshakeMessages(frameNumber);
            }
        }
    }

    @Override
    void gap(long length, long frameNumber) {
        if (state != DONE) {
            conversation.counters().stoppedAtGap++;
        }
        stop();
    }

    @Override
    boolean stopped() {
        return state == DONE;
    }

    @Override
    void stop() {
        state = DONE;
        handshake = null;
        handshakeLength = 0;
    }

    @Override
    int heldBytes() {
        return handshake == null ? 0 : handshake.length;
    }

    private void recordStarts() {
        int type = header[0] & 0xFF;
        int length = ((header[3] & 0xFF) << 8) | (header[4] & 0xFF);
        if (header[1] != 3 || length > MAX_RECORD) {
            conversation.counters().tlsMalformed++;
            stop();
        } else if (type != CONTENT_HANDSHAKE) {
            // ChangeCipherSpec, alert or application data: the readable first flight is over.
            stop();
        } else if (length == 0) {
            state = HEADER_STATE;
        } else {
            recordRemaining = length;
            state = BODY_STATE;
        }
    }

    private boolean append(MemorySegment data, long pos, int take) {
        if (handshakeLength + take > maxHandshake) {
            conversation.counters().tlsHandshakeTooLong++;
            stop();
            return false;
        }
        if (handshakeLength + take > handshake.length) {
            handshake = Arrays.copyOf(handshake, Math.min(maxHandshake, Math.max(handshake.length * 2, handshakeLength + take)));
        }
        MemorySegment.copy(data, ValueLayout.JAVA_BYTE, pos, handshake, handshakeLength, take);
        handshakeLength += take;
        return true;
    }

    /** Reports or drops every whole handshake message at the buffer's start. */
    private void handshakeMessages(long frameNumber) {
        while (state != DONE && handshakeLength >= HANDSHAKE_HEADER) {
            int type = handshake[0] & 0xFF;
            int length = ((handshake[1] & 0xFF) << 16) | ((handshake[2] & 0xFF) << 8) | (handshake[3] & 0xFF);
            if (HANDSHAKE_HEADER + length > maxHandshake) {
                conversation.counters().tlsHandshakeTooLong++;
                stop();
                return;
            }
            int total = HANDSHAKE_HEADER + length;
            if (handshakeLength < total) {
                return;
            }
            if (type == 1 || type == 2) {
                hello(type, length, frameNumber);
                stop();
                return;
            }
            System.arraycopy(handshake, total, handshake, 0, handshakeLength - total);
            handshakeLength -= total;
        }
    }

    private void hello(int type, int length, long frameNumber) {
        TlsHelloReader reader = new TlsHelloReader(handshake, HANDSHAKE_HEADER, HANDSHAKE_HEADER + length);
        if (type == 1) {
            TlsClientHello hello = reader.clientHello();
            if (hello == null) {
                conversation.counters().tlsMalformed++;
            } else {
                conversation.clientHello(hello, frameNumber);
            }
        } else {
            TlsServerHello hello = reader.serverHello();
            if (hello == null) {
                conversation.counters().tlsMalformed++;
            } else {
                conversation.serverHello(hello, frameNumber);
            }
        }
    }
}
