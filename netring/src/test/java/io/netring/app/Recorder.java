package io.netring.app;

import io.netring.reassembly.StreamSide;
import io.netring.reassembly.TcpStream;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/** Records every report as one line ("what @frame"), and feeds conversations in chosen chunks. */
final class Recorder implements ApplicationListener {
    final List<String> lines = new ArrayList<>();
    final List<Object> values = new ArrayList<>();
    final List<Long> frames = new ArrayList<>();

    @Override
    public void httpRequest(TcpStream stream, long frameNumber, HttpRequest r) {
        add("req " + r.method() + " " + r.host() + " " + r.uri() + " " + r.userAgent(), frameNumber, r);
    }

    @Override
    public void httpResponse(TcpStream stream, long frameNumber, HttpResponse r) {
        add("resp " + r.statusCode(), frameNumber, r);
    }

    @Override
    public void tlsClientHello(TcpStream stream, long frameNumber, TlsClientHello h) {
        add("ch " + h, frameNumber, h);
    }

    @Override
    public void tlsServerHello(TcpStream stream, long frameNumber, TlsServerHello h) {
        add("sh " + h, frameNumber, h);
    }

    @Override
    public void dns(TcpStream stream, long frameNumber, DnsMessage m) {
        add("dns " + m, frameNumber, m);
    }

    private void add(String line, long frame, Object value) {
        lines.add(line + " @" + frame);
        values.add(value);
        frames.add(frame);
    }

    /** Lines without their frame numbers. */
    List<String> withoutFrames() {
        return lines.stream().map(l -> l.substring(0, l.lastIndexOf(" @"))).toList();
    }

    static ApplicationAnalyzer analyzer(Recorder r) {
        return ApplicationAnalyzer.builder().listener(r).build();
    }

    /** Feeds {@code bytes} one byte per frame, frame k holding byte k-1: a report's frame is then the end of its message. */
    static void byteByByte(Conversation c, StreamSide side, byte[] bytes) {
        for (int i = 0; i < bytes.length; i++) {
            c.data(side, MemorySegment.ofArray(new byte[] {bytes[i]}), i + 1);
        }
    }

    /** Feeds {@code bytes[0, k)} as frame 1 and the rest as frame 2 (the frames numbered from {@code base}). */
    static void split(Conversation c, StreamSide side, byte[] bytes, int k, long base) {
        if (k > 0) {
            c.data(side, MemorySegment.ofArray(bytes).asSlice(0, k), base + 1);
        }
        if (k < bytes.length) {
            c.data(side, MemorySegment.ofArray(bytes).asSlice(k), base + 2);
        }
    }
}
