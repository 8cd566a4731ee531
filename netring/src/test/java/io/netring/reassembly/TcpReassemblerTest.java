package io.netring.reassembly;

import io.netring.decode.PacketDecoder;
import io.netring.testing.TcpConversation;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static io.netring.testing.FrameBuilder.ipv4Addr;
import static io.netring.testing.FrameBuilder.ipv6Addr;
import static io.netring.reassembly.StreamSide.CLIENT;
import static io.netring.reassembly.StreamSide.SERVER;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TcpReassemblerTest {
    private static final byte[] C = ipv4Addr(10, 0, 0, 1), S = ipv4Addr(10, 0, 0, 2);

    private final StreamRecorder rec = new StreamRecorder();
    private final PacketDecoder decoder = new PacketDecoder();
    private int frameNumber;

    static TcpConversation conversation() {
        return TcpConversation.between(C, 54321, S, 80, 0, 1000, 5000);
    }

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private TcpReassembler feed(TcpReassembler r, List<byte[]> frames) {
        for (byte[] f : frames) {
            frameNumber++;
            r.offer(decoder.decode(MemorySegment.ofArray(f)), frameNumber, frameNumber * 1_000_000L);
        }
        return r;
    }

    private TcpReassembler run(List<byte[]> frames) {
        TcpReassembler r = feed(TcpReassembler.builder().handler(rec).build(), frames);
        r.finish();
        assertEquals(0, r.heldBytes());
        assertEquals(0, r.openStreams());
        return r;
    }

    @Test
    void inOrderBothWaysEndsWithFin() {
        TcpReassembler r = run(conversation().handshake().data(true, 0, b("GET / ")).data(true, 6, b("HTTP/1.0\r\n\r\n"))
                .data(false, 0, b("HTTP/1.0 200 OK\r\n")).close().frames());
        assertEquals("GET / HTTP/1.0\r\n\r\n", rec.text(0, CLIENT));
        assertEquals("HTTP/1.0 200 OK\r\n", rec.text(0, SERVER));
        assertEquals(List.of("open 0 54321>80", "data 0 CLIENT @0 +6 #4", "data 0 CLIENT @6 +12 #5",
                "data 0 SERVER @0 +17 #6", "closed 0 FIN"), rec.events);
        assertEquals(3, r.counters().inOrderSegments());
        assertEquals(0, r.counters().heldSegments());
        assertEquals(1, r.counters().closed(StreamEnd.FIN));
        assertEquals(1, r.counters().ignored());               // the last ACK, after the stream ended
    }

    /** Each direction's end comes on the frame of its FIN (or of the one filling the last hole before it); the close on the last FIN's. */
    @Test
    void finishedAndClosedNameTheirFrames() {
        List<String> ends = new java.util.ArrayList<>();
        StreamHandler h = new StreamHandler() {
            @Override
            public void data(TcpStream s, StreamSide side, long offset, MemorySegment data, long frame) {}

            @Override
            public void finished(TcpStream s, StreamSide side, long frame) { ends.add("finished " + side + " #" + frame); }

            @Override
            public void closed(TcpStream s, StreamEnd reason) { ends.add("closed " + reason); }

            @Override
            public void closed(TcpStream s, StreamEnd reason, long frame) {
                StreamHandler.super.closed(s, reason, frame);              // the old method still hears it
                ends.add("closed " + reason + " #" + frame);
            }
        };
        TcpReassembler r = TcpReassembler.builder().handler(h).build();
        feed(r, conversation().handshake().data(false, 4, b("late")).fin(false).data(false, 0, b("body")).fin(true).frames());
        r.finish();
        assertEquals(List.of("finished SERVER #6", "finished CLIENT #7", "closed FIN", "closed FIN #7"), ends);
        ends.clear();
        TcpReassembler cut = TcpReassembler.builder().handler(h).build();
        feed(cut, conversation().handshake().data(false, 0, b("body")).frames());
        cut.finish();
        assertEquals(List.of("closed END_OF_INPUT", "closed END_OF_INPUT #" + frameNumber), ends);
    }

    @Test
    void reorderedSegmentsAreHeldAndReleasedByTheFrameThatFillsTheHole() {
        TcpReassembler r = run(conversation().handshake().data(true, 8, b("CCCC")).data(true, 4, b("BBBB"))
                .data(true, 0, b("AAAA")).close().frames());
        assertEquals("AAAABBBBCCCC", rec.text(0, CLIENT));
        assertTrue(rec.events.contains("data 0 CLIENT @4 +4 #6"), rec.events.toString());
        assertTrue(rec.events.contains("data 0 CLIENT @8 +4 #6"), rec.events.toString());
        assertEquals(2, r.counters().heldSegments());
        assertEquals(8, r.counters().releasedBytes());
        assertEquals(1, r.counters().closed(StreamEnd.FIN));
    }

    @Test
    void retransmissionKeepsTheBytesAlreadyDelivered() {
        TcpReassembler r = run(conversation().handshake().data(true, 0, b("AAAA")).data(true, 0, b("XXXX"))
                .data(true, 4, b("BBBB")).data(true, 4, b("BBBB")).close().frames());
        assertEquals("AAAABBBB", rec.text(0, CLIENT));
        assertEquals(2, r.counters().retransmissions());
    }

    /**
     * tshark 4.0 with tcp.reassemble_out_of_order:TRUE, on crafted HTTP requests split this way
     * (tcp.reassembled.data of the completing frame): bytes delivered never change; among held
     * bytes each comes from the segment with the lowest offset covering it, the first arrival
     * among equal offsets. So a later, lower segment replaces held bytes; a later copy at the
     * same offset does not.
     */
    @Test
    void overlapsAreResolvedAsTshark() {
        // delivered bytes stay
        assertEquals("GET /abcdefgh HTTP", clientText(conversation().handshake()
                .data(true, 0, b("GET /abc")).data(true, 4, b("WWWWdefgh")).data(true, 13, b(" HTTP"))));
        // equal offsets: the first copy
        assertEquals("GET /abcdefgh ", clientText(conversation().handshake()
                .data(true, 8, b("defgh ")).data(true, 8, b("QQQQQQ")).data(true, 0, b("GET /abc"))));
        // the lower offset wins, though it came later
        assertEquals("GET /abcQQQQQQ", clientText(conversation().handshake()
                .data(true, 10, b("fgh ")).data(true, 8, b("QQQQQQ")).data(true, 0, b("GET /abc"))));
        // the segment that fills the hole is the lowest
        assertEquals("GET /aZZZZfgh ", clientText(conversation().handshake()
                .data(true, 8, b("defgh ")).data(true, 0, b("GET /aZZZZ"))));
        // a held higher segment adds only its tail
        assertEquals("GET /abcdefgh XX", clientText(conversation().handshake()
                .data(true, 10, b("fgh ")).data(true, 12, b("QQXX")).data(true, 0, b("GET /abcde"))));
    }

    private static String clientText(TcpConversation c) {
        StreamRecorder recorder = new StreamRecorder();
        TcpReassembler r = TcpReassembler.builder().handler(recorder).build();
        PacketDecoder d = new PacketDecoder();
        for (byte[] f : c.close().frames()) {
            r.offer(d.decode(MemorySegment.ofArray(f)), 0, 0);
        }
        r.finish();
        assertEquals(1, r.counters().closed(StreamEnd.FIN));
        return recorder.text(0, CLIENT);
    }

    @Test
    void aMissingSegmentIsAGapNeverStitchedOver() {
        TcpReassembler r = run(conversation().handshake().data(true, 0, b("AAAA")).data(true, 8, b("CCCC")).close().frames());
        assertEquals("AAAA~~~~CCCC", rec.text(0, CLIENT));
        assertTrue(rec.events.contains("gap 0 CLIENT @4 +4"), rec.events.toString());
        assertEquals(1, r.counters().gaps(GapReason.CLOSED));
        assertEquals(4, r.counters().gapBytes(GapReason.CLOSED));
        assertEquals(1, r.counters().closed(StreamEnd.END_OF_INPUT));      // waited for the hole until the end
    }

    @Test
    void aMissingLastSegmentBeforeTheFinIsAGap() {
        TcpConversation c = conversation().handshake().data(true, 0, b("AAAA"));
        c.data(true, 4, b("BBBB"));
        List<byte[]> frames = c.fin(true).fin(false).frames();
        frames.remove(4);                                                      // BBBB never arrives
        run(frames);
        assertEquals("AAAA~~~~", rec.text(0, CLIENT));
    }

    @Test
    void sequenceNumbersWrap() {
        TcpReassembler r = run(TcpConversation.between(C, 1, S, 2, 0, 0xFFFF_FFFAL, 0xFFFF_FFFFL).handshake()
                .data(true, 8, b("CCCC")).data(true, 0, b("AAAA")).data(true, 4, b("BBBB"))
                .data(false, 0, b("server")).close().frames());
        assertEquals("AAAABBBBCCCC", rec.text(0, CLIENT));
        assertEquals("server", rec.text(0, SERVER));
        assertEquals(1, r.counters().closed(StreamEnd.FIN));
    }

    @Test
    void aStreamIsPickedUpMidConnection() {
        List<byte[]> frames = conversation().handshake().data(false, 0, b("banner")).data(true, 0, b("AAAA"))
                .data(true, 4, b("BBBB")).frames();
        TcpReassembler r = run(frames.subList(3, frames.size()));
        assertEquals("open 0 80>54321", rec.events.getFirst());               // the first sender is taken as client
        assertEquals("banner", rec.text(0, CLIENT));
        assertEquals("AAAABBBB", rec.text(0, SERVER));
        assertEquals(1, r.counters().closed(StreamEnd.END_OF_INPUT));
    }

    @Test
    void aSynAckFirstMakesItsReceiverTheClient() {
        List<byte[]> frames = conversation().handshake().data(true, 0, b("hi")).frames();
        run(frames.subList(1, frames.size()));
        assertEquals("open 0 54321>80", rec.events.getFirst());
        assertEquals("hi", rec.text(0, CLIENT));
    }

    @Test
    void resetEndsTheStreamAndDeliversWhatWasHeld() {
        TcpReassembler r = run(conversation().handshake().data(true, 0, b("AAAA")).data(true, 8, b("CCCC")).reset(false)
                .data(true, 12, b("late")).frames());
        assertEquals("AAAA~~~~CCCC", rec.text(0, CLIENT));
        assertTrue(rec.events.contains("closed 0 RESET"), rec.events.toString());
        assertEquals("late", rec.text(1, CLIENT));                           // data after the RST: a new stream
        assertEquals(1, r.counters().closed(StreamEnd.RESET));
    }

    @Test
    void dataAfterFinIsDroppedAndANewSynReusesTheTuple() {
        List<byte[]> frames = new java.util.ArrayList<>(conversation().handshake().data(true, 0, b("AAAA")).fin(true)
                .data(true, 4, b("after")).frames());
        frames.addAll(TcpConversation.between(C, 54321, S, 80, 0, 90_000, 7000).handshake().data(true, 0, b("second"))
                .close().frames());
        TcpReassembler r = run(frames);
        assertEquals("AAAA", rec.text(0, CLIENT));
        assertEquals("second", rec.text(1, CLIENT));
        assertEquals(1, r.counters().afterFin());
        assertEquals(2, r.counters().closed(StreamEnd.FIN));
    }

    @Test
    void ipv6AndVlanStreamsAreKeptApart() {
        byte[] c6 = ipv6Addr(0x2001, 0xdb8, 0, 0, 0, 0, 0, 1), s6 = ipv6Addr(0x2001, 0xdb8, 0, 0, 0, 0, 0, 2);
        List<byte[]> frames = new java.util.ArrayList<>(TcpConversation.between(c6, 1000, s6, 443, 0, 1, 2)
                .handshake().data(true, 0, b("six")).frames());
        frames.addAll(TcpConversation.between(C, 1000, S, 443, 7, 1, 2).handshake().data(true, 0, b("tagged")).frames());
        frames.addAll(TcpConversation.between(C, 1000, S, 443, 8, 1, 2).handshake().data(true, 0, b("other")).frames());
        List<TcpStream> seen = new java.util.ArrayList<>();
        TcpReassembler r = TcpReassembler.builder().handler(new StreamHandler() {
            @Override
            public void opened(TcpStream stream) { seen.add(stream); rec.opened(stream); }
            @Override
            public void data(TcpStream s, StreamSide side, long o, MemorySegment d, long f) { rec.data(s, side, o, d, f); }
        }).build();
        feed(r, frames).finish();
        assertEquals("six", rec.text(0, CLIENT));
        assertEquals("tagged", rec.text(1, CLIENT));
        assertEquals("other", rec.text(2, CLIENT));
        assertEquals(6, seen.get(0).ipVersion());
        assertEquals("2001:db8::1", seen.get(0).clientAddressText());
        assertArrayEquals(s6, seen.get(0).serverAddress());
        assertEquals(7, seen.get(1).vlanId());
        assertArrayEquals(C, seen.get(1).clientAddress());
        assertEquals("TcpStream[1 10.0.0.1:1000 -> 10.0.0.2:443 vlan 7]", seen.get(1).toString());
    }

    @Test
    void idleStreamsTimeOutInPacketTime() {
        TcpReassembler r = TcpReassembler.builder().handler(rec).idleTimeout(Duration.ofMillis(5)).build();
        List<byte[]> frames = conversation().handshake().data(true, 8, b("late")).frames();
        feed(r, frames);
        assertEquals(1, r.openStreams());
        r.expire(frameNumber * 1_000_000L + 5_000_000L);
        assertEquals(0, r.openStreams());
        assertEquals(0, r.heldBytes());
        assertEquals("~~~~~~~~late", rec.text(0, CLIENT));
        assertEquals(1, r.counters().closed(StreamEnd.TIMEOUT));
    }

    @Test
    void aFullTableEvictsTheLeastRecentlySeenStream() {
        TcpReassembler r = TcpReassembler.builder().handler(rec).maxStreams(2).build();
        for (int port = 1; port <= 3; port++) {
            feed(r, TcpConversation.between(C, port, S, 80, 0, 1, 2).handshake().data(true, 0, b("p" + port)).frames());
        }
        assertEquals(2, r.openStreams());
        assertTrue(rec.events.contains("closed 0 EVICTED"), rec.events.toString());
        assertEquals(1, r.counters().closed(StreamEnd.EVICTED));
    }

    @Test
    void theSideBoundSkipsTheFirstHole() {
        long bound = 65_535 + TcpReassembler.SEGMENT_OVERHEAD;
        TcpReassembler r = TcpReassembler.builder().handler(rec).maxBufferedBytesPerSide(bound).build();
        TcpConversation c = conversation().handshake();
        c.data(true, 100, new byte[40_000]).data(true, 50_000, new byte[40_000]);
        feed(r, c.frames());
        assertTrue(r.heldBytes() <= bound);
        assertEquals(1, r.counters().gaps(GapReason.SIDE_BOUND));
        assertEquals(100, r.counters().gapBytes(GapReason.SIDE_BOUND));
        assertEquals(40_100L, rec.ends.get("0 CLIENT"));
        r.finish();
        assertEquals(90_000L, rec.ends.get("0 CLIENT"));
    }

    @Test
    void theTotalBoundSkipsTheHolesOfTheOldestHolder() {
        long bound = 65_535 + TcpReassembler.SEGMENT_OVERHEAD;
        TcpReassembler r = TcpReassembler.builder().handler(rec).maxBufferedBytesPerSide(bound).maxTotalBytes(bound).build();
        feed(r, TcpConversation.between(C, 1, S, 80, 0, 1, 2).handshake().data(true, 10, new byte[40_000]).frames());
        feed(r, TcpConversation.between(C, 2, S, 80, 0, 1, 2).handshake().data(true, 10, new byte[40_000]).frames());
        assertTrue(r.heldBytes() <= bound);
        assertEquals(1, r.counters().gaps(GapReason.TOTAL_BOUND));
        assertEquals(40_010L, rec.ends.get("0 CLIENT"));
    }

    @Test
    void builderChecksItsBounds() {
        assertEquals("a handler is required",
                assertThrows(IllegalStateException.class, () -> TcpReassembler.builder().build()).getMessage());
        assertEquals("maxBufferedBytesPerSide=1000 must be at least 65599 (the largest segment and its bookkeeping)",
                assertThrows(IllegalArgumentException.class,
                        () -> TcpReassembler.builder().handler(rec).maxBufferedBytesPerSide(1000).build()).getMessage());
        assertEquals("maxTotalBytes=70000 must be at least maxBufferedBytesPerSide=1048576",
                assertThrows(IllegalArgumentException.class,
                        () -> TcpReassembler.builder().handler(rec).maxTotalBytes(70_000).build()).getMessage());
        assertEquals("idleTimeout=PT0S must be positive", assertThrows(IllegalArgumentException.class,
                () -> TcpReassembler.builder().handler(rec).idleTimeout(Duration.ZERO).build()).getMessage());
        assertEquals("maxStreams=0 must be at least 1", assertThrows(IllegalArgumentException.class,
                () -> TcpReassembler.builder().handler(rec).maxStreams(0).build()).getMessage());
        TcpReassembler r = TcpReassembler.builder().handler(rec).build();
        assertEquals(1L << 20, r.maxBufferedBytesPerSide());
        assertEquals(Duration.ofMinutes(5), r.idleTimeout());
    }
}
