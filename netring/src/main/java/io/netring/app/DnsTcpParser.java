package io.netring.app;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * One direction of DNS over TCP (RFC 1035 4.2.2): each message behind a 2-byte length. A
 * message that lies whole in one chunk is read in place; one split across chunks is gathered
 * into a buffer first (at most 65 535 bytes, the most a length can say).
 */
final class DnsTcpParser extends DirectionParser {
    private final Conversation conversation;
    private final DnsMessageReader reader;
    private final byte[] prefix = new byte[2];
    private int prefixLength;
    private byte[] message;
    private int messageLength;
    private int wanted = -1;
    private boolean stopped;

    DnsTcpParser(Conversation conversation, DnsMessageReader reader) {
        this.conversation = conversation;
        this.reader = reader;
    }

    @Override
    void data(MemorySegment data, long from, long to, long frameNumber) {
        long n = to;
        long pos = from;
        while (pos < n && !stopped) {
            if (wanted < 0) {
                if (prefixLength == 0 && n - pos >= 2) {
                    wanted = u16(data, pos);
                    pos += 2;
                } else {
                    prefix[prefixLength++] = data.get(ValueLayout.JAVA_BYTE, pos++);
                    if (prefixLength == 2) {
                        wanted = ((prefix[0] & 0xFF) << 8) | (prefix[1] & 0xFF);
                        prefixLength = 0;
                    }
                }
                continue;
            }
            if (messageLength == 0 && n - pos >= wanted) {
                report(data, pos, wanted, frameNumber); // whole in this chunk: no copy
                pos += wanted;
                wanted = -1;
                continue;
            }
            int take = (int) Math.min(wanted - messageLength, n - pos);
            if (message == null || message.length < wanted) {
                message = java.util.Arrays.copyOf(message == null ? new byte[0] : message, wanted);
            }
            MemorySegment.copy(data, ValueLayout.JAVA_BYTE, pos, message, messageLength, take);
            messageLength += take;
            pos += take;
            if (messageLength == wanted) {
                report(MemorySegment.ofArray(message), 0, wanted, frameNumber);
                messageLength = 0;
                wanted = -1;
            }
        }
    }

    @Override
    void gap(long length, long frameNumber) {
        if (!stopped) {
            conversation.counters().stoppedAtGap++;
        }
        stop();
    }

    @Override
    boolean stopped() {
        return stopped;
    }

    @Override
    void stop() {
        stopped = true;
        message = null;
    }

    @Override
    int heldBytes() {
        return message == null ? 0 : message.length;
    }

    private void report(MemorySegment s, long offset, int length, long frameNumber) {
        DnsMessage m = reader.read(s, offset, length);
        if (m == null) {
            conversation.counters().dnsMalformed++;
            stop(); // the framing can no longer be trusted
        } else {
            conversation.dns(m, frameNumber);
        }
    }

    private static int u16(MemorySegment s, long at) {
        return (Byte.toUnsignedInt(s.get(ValueLayout.JAVA_BYTE, at)) << 8) | Byte.toUnsignedInt(s.get(ValueLayout.JAVA_BYTE, at + 1));
    }
}
