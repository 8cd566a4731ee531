package io.netring.app;

import io.netring.reassembly.StreamSide;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class HttpParserTest {
    static final String REQUESTS = "GET /chunked HTTP/1.1\r\nHost: h1\r\nUser-Agent:  ua 1 \r\n\r\n"
            + "GET /nocontent HTTP/1.1\r\nhost: h2\r\n\r\n"
            + "HEAD /head HTTP/1.1\r\nHost: h3\r\n\r\n"
            + "GET /notmod HTTP/1.1\r\nHost: h4\r\n\r\n"
            + "POST /cont HTTP/1.1\r\nHost: h5\r\nContent-Length: 4\r\n\r\nabcd"
            + "\r\nPUT /up HTTP/1.0\nHost: h6\nTransfer-Encoding: gzip, chunked\n\n3\nxyz\n0\n\n"
            + "GET /close HTTP/1.1\r\nHost: h7\r\n\r\n";
    static final String RESPONSES = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6;x=1\r\n world\r\n0\r\nX-T: 1\r\n\r\n"
            + "HTTP/1.1 204 No Content\r\n\r\n"
            + "HTTP/1.1 200 OK\r\nContent-Length: 99\r\n\r\n"
            + "HTTP/1.1 304 Not Modified\r\nContent-Length: 99\r\n\r\n"
            + "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok"
            + "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"
            + "HTTP/1.1 404 NF\r\nConnection: close\r\n\r\nbody until the end";

    static final List<String> EXPECTED = List.of(
            "req GET h1 /chunked ua 1", "req GET h2 /nocontent null", "req HEAD h3 /head null", "req GET h4 /notmod null",
            "req POST h5 /cont null", "req PUT h6 /up null", "req GET h7 /close null",
            "resp 200", "resp 204", "resp 200", "resp 304", "resp 100", "resp 201", "resp 200", "resp 404");

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Where each message ends (1-based offset of its last byte), found by feeding one byte per frame. */
    @Test
    void eachMessageIsReportedOnTheFrameThatCompletesIt() {
        Recorder r = new Recorder();
        Conversation c = new Conversation(Recorder.analyzer(r), null);
        Recorder.byteByByte(c, StreamSide.CLIENT, bytes(REQUESTS));
        Recorder.byteByByte(c, StreamSide.SERVER, bytes(RESPONSES));
        c.closed();
        assertEquals(EXPECTED, r.withoutFrames());
        // The POST completes with its body's last byte, the chunked response with its trailer's
        // empty line, the response without a length at the last byte before the close.
        assertEquals(REQUESTS.indexOf("abcd") + 4, r.frames.get(4));
        assertEquals(RESPONSES.indexOf("X-T: 1\r\n\r\n") + 10, r.frames.get(7));
        assertEquals(RESPONSES.indexOf("No Content\r\n\r\n") + 14, r.frames.get(8));
        assertEquals(RESPONSES.length(), r.frames.get(14));
    }

    /** A body running until the close ends on the frame of the server's FIN, as tshark shows it. */
    @Test
    void aBodyUntilTheCloseEndsOnTheFinFrame() {
        Recorder r = new Recorder();
        Conversation c = new Conversation(Recorder.analyzer(r), null);
        c.data(StreamSide.CLIENT, MemorySegment.ofArray(bytes("GET /close HTTP/1.1\r\nHost: h\r\n\r\n")), 4);
        c.data(StreamSide.SERVER, MemorySegment.ofArray(bytes("HTTP/1.1 200 OK\r\n\r\nsome ")), 5);
        c.data(StreamSide.SERVER, MemorySegment.ofArray(bytes("body")), 6);
        c.finished(StreamSide.CLIENT, 7);                  // the client's FIN ends nothing of the server's
        assertEquals(List.of("req GET h /close null @4"), r.lines);
        c.finished(StreamSide.SERVER, 9);
        c.closed();
        assertEquals(List.of("req GET h /close null @4", "resp 200 @9"), r.lines);
    }

    @Test
    void everySplitGivesTheSameMessagesOnTheRightFrame() {
        Recorder oneByOne = new Recorder();
        Conversation c0 = new Conversation(Recorder.analyzer(oneByOne), null);
        byte[] req = bytes(REQUESTS);
        byte[] resp = bytes(RESPONSES);
        Recorder.byteByByte(c0, StreamSide.CLIENT, req);
        Recorder.byteByByte(c0, StreamSide.SERVER, resp);
        c0.closed();
        for (int k = 0; k <= Math.max(req.length, resp.length); k++) {
            Recorder r = new Recorder();
            Conversation c = new Conversation(Recorder.analyzer(r), null);
            Recorder.split(c, StreamSide.CLIENT, req, Math.min(k, req.length), 0);
            Recorder.split(c, StreamSide.SERVER, resp, Math.min(k, resp.length), 10);
            c.closed();
            assertEquals(EXPECTED, r.withoutFrames(), "split at " + k);
            List<Long> expected = new ArrayList<>();
            for (int i = 0; i < oneByOne.frames.size(); i++) {
                boolean request = i < 7;
                long end = oneByOne.frames.get(i);
                int at = Math.min(k, request ? req.length : resp.length);
                expected.add((request ? 0 : 10) + (end <= at ? 1L : 2L));
            }
            assertEquals(expected, r.frames, "split at " + k);
        }
    }

    @Test
    void headersOverTheBoundGiveTheDirectionUpAndCountIt() {
        Recorder r = new Recorder();
        ApplicationAnalyzer a = ApplicationAnalyzer.builder().listener(r).maxHttpHeaderBytes(1024).build();
        Conversation c = new Conversation(a, null);
        byte[] big = bytes("GET / HTTP/1.1\r\nX: " + "a".repeat(5000) + "\r\n\r\nGET /next HTTP/1.1\r\n\r\n");
        for (int i = 0; i < big.length; i += 100) {
            c.data(StreamSide.CLIENT, MemorySegment.ofArray(big).asSlice(i, Math.min(100, big.length - i)), i);
            assertTrue(c.heldBytes() <= 1024 + Service.DETECTION_BYTES, "held " + c.heldBytes());
        }
        assertEquals(List.of(), r.lines);
        assertEquals(1, a.counters().httpHeadersTooLong());
    }

    @Test
    void garbageAfterAMessageIsCountedNotThrown() {
        Recorder r = new Recorder();
        ApplicationAnalyzer a = Recorder.analyzer(r);
        Conversation c = new Conversation(a, null);
        c.data(StreamSide.CLIENT, MemorySegment.ofArray(bytes("GET / HTTP/1.1\r\nHost: x\r\n\r\n\u0001\u0002 nonsense\r\n\r\n")), 1);
        c.data(StreamSide.SERVER, MemorySegment.ofArray(bytes("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n")), 2);
        assertEquals(List.of("req GET x / null @1"), r.lines);
        assertEquals(2, a.counters().httpMalformed());
        assertEquals(1, a.counters().directions(Service.HTTP) - 1);
    }

    @Test
    void aGapInsideABodyIsSkippedAndOneBetweenMessagesStopsTheDirection() {
        Recorder r = new Recorder();
        ApplicationAnalyzer a = Recorder.analyzer(r);
        Conversation c = new Conversation(a, null);
        c.data(StreamSide.CLIENT, MemorySegment.ofArray(bytes("POST / HTTP/1.1\r\nContent-Length: 10\r\n\r\nab")), 1);
        c.gap(StreamSide.CLIENT, 5, 2);
        c.data(StreamSide.CLIENT, MemorySegment.ofArray(bytes("cdeGET /2 HTTP/1.1\r\n\r\n")), 3);
        c.gap(StreamSide.CLIENT, 5, 4);
        c.data(StreamSide.CLIENT, MemorySegment.ofArray(bytes("GET /3 HTTP/1.1\r\n\r\n")), 5);
        assertEquals(List.of("req POST null / null @3", "req GET null /2 null @3"), r.lines);
        assertEquals(1, a.counters().stoppedAtGap());
    }
}
