package io.netring.app;

import io.netring.decode.Layer;
import io.netring.decode.PacketDecoder;
import io.netring.reassembly.StreamSide;

import java.util.HashMap;
import java.util.Map;

/**
 * Test-only stand-in for TCP reassembly on traffic captured in order on a veth: each direction's
 * payloads are handed on in arrival order, retransmitted bytes (below the next expected
 * sequence number) dropped. A stream ends on RST or when both sides sent FIN.
 */
final class InOrderStitcher {
    private final ApplicationAnalyzer analyzer;
    private final Map<String, Stream> streams = new HashMap<>();

    private final class Stream {
        final Conversation conversation = new Conversation(analyzer, null);
        final String client;
        final long[] next = {-1, -1};
        final boolean[] fin = new boolean[2];

        Stream(String client) {
            this.client = client;
        }
    }

    InOrderStitcher(ApplicationAnalyzer analyzer) {
        this.analyzer = analyzer;
    }

    void offer(PacketDecoder d, long frameNumber) {
        if (!d.has(Layer.TCP) || !d.has(Layer.IPV4)) {
            return;
        }
        String src = d.ipv4().source() + ":" + d.tcp().sourcePort();
        String dst = d.ipv4().destination() + ":" + d.tcp().destinationPort();
        String key = src.compareTo(dst) < 0 ? src + "-" + dst : dst + "-" + src;
        Stream s = streams.get(key);
        if (s == null) {
            if (!d.tcp().syn() || d.tcp().ack()) {
                return; // only streams seen from their SYN
            }
            s = new Stream(src);
            streams.put(key, s);
        }
        int i = src.equals(s.client) ? 0 : 1;
        long seq = d.tcp().sequence();
        if (d.tcp().syn()) {
            s.next[i] = (seq + 1) & 0xFFFFFFFFL;
            return;
        }
        int length = d.payloadLength();
        if (length > 0 && seq == s.next[i]) {
            s.conversation.data(i == 0 ? StreamSide.CLIENT : StreamSide.SERVER,
                    d.segment().asSlice(d.offset() + d.payloadOffset(), length), frameNumber);
            s.next[i] = (seq + length) & 0xFFFFFFFFL;
        }
        s.fin[i] |= d.tcp().fin();
        if (d.tcp().rst() || (s.fin[0] && s.fin[1])) {
            s.conversation.closed();
            streams.remove(key);
        }
    }

    void finish() {
        streams.values().forEach(s -> s.conversation.closed());
        streams.clear();
    }
}
