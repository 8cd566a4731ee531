package io.netring.app;

import io.netring.decode.PacketDecoder;
import io.netring.reassembly.StreamSide;
import io.netring.testing.Allocations;
import io.netring.testing.UdpFrames;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.*;

/** The common per-packet paths allocate nothing: body bytes skipped, TLS after its hello, UDP that is not DNS. */
class ApplicationAllocationTest {
    private static final int CHUNKS = 10_000;

    @Test
    void bodyChunksEncryptedDataAndOtherUdpAllocateNothing() {
        ApplicationAnalyzer a = ApplicationAnalyzer.builder().build();
        Conversation http = new Conversation(a, null);
        http.data(StreamSide.SERVER, MemorySegment.ofArray(
                "HTTP/1.1 200 OK\r\nContent-Length: 999999999999\r\n\r\n".getBytes(StandardCharsets.US_ASCII)), 1);
        Conversation chunked = new Conversation(a, null);
        chunked.data(StreamSide.SERVER, MemorySegment.ofArray(
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nffffffffff\r\n".getBytes(StandardCharsets.US_ASCII)), 1);
        Conversation tls = new Conversation(a, null);
        tls.data(StreamSide.CLIENT, MemorySegment.ofArray(new byte[] {23, 3, 3, 0, 1, 0}), 1); // application data: stops
        MemorySegment body = MemorySegment.ofArray(new byte[1400]);
        byte[] frame = UdpFrames.frame(40000, 9999, 1, 200);
        PacketDecoder d = new PacketDecoder();
        MemorySegment udp = MemorySegment.ofArray(frame);
        boolean[] sink = new boolean[1];
        Allocations.Measured m = Allocations.perOperation(() -> {
            for (int i = 0; i < CHUNKS; i++) {
                http.data(StreamSide.SERVER, body, i);
                chunked.data(StreamSide.SERVER, body, i);
                tls.data(StreamSide.CLIENT, body, i);
                sink[0] |= a.udp(d.decode(udp, 0, frame.length), i);
            }
        }, 20, 10, 4L * CHUNKS, 0.01);
        assertTrue(m.perOperation() < 0.01, "bytes per chunk: " + m);
        assertFalse(sink[0]);
        assertEquals(0, a.counters().httpResponses());
    }
}
