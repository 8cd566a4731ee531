package io.netring.bench;

import io.netring.app.ApplicationAnalyzer;
import io.netring.decode.PacketDecoder;
import io.netring.reassembly.StreamHandler;
import io.netring.reassembly.StreamSide;
import io.netring.reassembly.TcpReassembler;
import io.netring.reassembly.TcpStream;
import io.netring.testing.TcpConversation;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * In-order TCP reassembly per packet: decoded data segments of {@link #CONNECTIONS} connections,
 * both directions, interleaved, through a {@link TcpReassembler}. Each connection opens with a
 * handshake and an HTTP head announcing a body longer than any run, so every timed segment is
 * body, handed out from the packet and skipped without a copy; each pass moves the sequence
 * numbers on (a 4-byte store per packet, timed). Rows ({@code handler}): {@code decode} (the
 * floor), {@code counter} (reads the data's size and first byte), {@code analyzer}
 * ({@link ApplicationAnalyzer}), {@code counterAfterOtherHandlers} (the counter after three other
 * handler classes ran through the same code: the handler call no longer inlines). With
 * {@code -prof gc}, {@code gc.alloc.rate.norm} is bytes per packet.
 */
@OperationsPerInvocation(InOrderReassemblyBench.PACKETS)
public class InOrderReassemblyBench extends AverageNanosBench {
    static final int CONNECTIONS = 2048;
    static final int SEGMENTS = 4;                    // per direction and pass
    static final int PAYLOAD = 512;
    static final int PACKETS = CONNECTIONS * 2 * SEGMENTS;
    private static final int SLOT = 14 + 20 + 20 + PAYLOAD;
    private static final long SEQ_OFFSET = 14 + 20 + 4;
    private static final ValueLayout.OfInt BE_INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final String BODY_LENGTH = "Content-Length: 1000000000000000\r\n\r\n";

    @Param({"decode", "counter", "analyzer", "counterAfterOtherHandlers"})
    public String handler;

    private final PacketDecoder decoder = new PacketDecoder();
    private MemorySegment frames;
    private final int[] firstSeq = new int[PACKETS];
    private TcpReassembler tcp;
    private final Counter counter = new Counter();
    private long passes;
    private long frameNumber;
    private long time = 1_767_225_600_000_000_000L;

    @Setup
    public void setUp() {
        frames = Arena.ofAuto().allocate((long) PACKETS * SLOT);
        List<byte[]> opening = new java.util.ArrayList<>();
        byte[] payload = new byte[PAYLOAD];
        java.util.Arrays.fill(payload, (byte) 'x');
        byte[] request = ascii("POST /upload HTTP/1.1\r\nHost: bench.example\r\n" + BODY_LENGTH);
        byte[] response = ascii("HTTP/1.1 200 OK\r\n" + BODY_LENGTH);
        for (int c = 0; c < CONNECTIONS; c++) {
            byte[] client = {10, 1, (byte) (c >>> 8), (byte) c}, server = {(byte) 192, (byte) 168, 0, (byte) (c & 15)};
            TcpConversation conv = TcpConversation.between(client, 20_000 + c, server, 80, 0, c * 7_919L, c * 104_729L)
                    .handshake().data(true, 0, request).data(false, 0, response);
            opening.addAll(conv.frames());
            for (int k = 0; k < SEGMENTS; k++) {
                conv.data(true, request.length + (long) k * PAYLOAD, payload).data(false, response.length + (long) k * PAYLOAD, payload);
            }
            List<byte[]> all = conv.frames();
            for (int k = 0; k < 2 * SEGMENTS; k++) {
                byte[] f = all.get(all.size() - 2 * SEGMENTS + k);
                int i = k * CONNECTIONS + c;           // connections interleaved, as on a busy link
                MemorySegment.copy(f, 0, frames, ValueLayout.JAVA_BYTE, (long) i * SLOT, f.length);
                firstSeq[i] = frames.get(BE_INT, (long) i * SLOT + SEQ_OFFSET);
            }
        }
        if (handler.equals("decode")) {
            return;
        }
        if (handler.equals("counterAfterOtherHandlers")) {
            StreamHandler[] others = {new Counter() { }, new Counter() { @Override void count(MemorySegment d) { }},
                    (s, side, offset, data, frame) -> { }};
            for (StreamHandler other : others) {
                passes = 0;
                TcpReassembler r = TcpReassembler.builder().handler(other).build();
                feed(r, opening);
                for (int p = 0; p < 20; p++) {
                    pass(r);
                }
            }
            passes = 0;
        }
        StreamHandler h = handler.equals("analyzer") ? ApplicationAnalyzer.builder().build() : counter;
        tcp = TcpReassembler.builder().handler(h).build();
        feed(tcp, opening);
    }

    /**
     * The opening frames, from native memory like the timed ones: a heap segment sliced anywhere
     * in the JVM makes the JDK's slicing call see two segment classes, and the slices handed to
     * the handler are then allocated (see docs/PERFORMANCE.md).
     */
    private void feed(TcpReassembler r, List<byte[]> opening) {
        MemorySegment scratch = Arena.ofAuto().allocate(SLOT + 256);
        for (byte[] f : opening) {
            MemorySegment.copy(f, 0, scratch, ValueLayout.JAVA_BYTE, 0, f.length);
            r.offer(decoder.decode(scratch, 0, f.length), ++frameNumber, time);
        }
    }

    /** One pass over every frame, each moved on by the bytes a pass carries per direction. */
    private long pass(TcpReassembler r) {
        MemorySegment f = frames;
        int[] seq = firstSeq;
        int shift = (int) (passes++ * SEGMENTS * PAYLOAD);
        long t = time += 1_000_000;
        long n = frameNumber;
        long bytes = 0;
        for (int i = 0; i < PACKETS; i++) {
            long at = (long) i * SLOT;
            f.set(BE_INT, at + SEQ_OFFSET, seq[i] + shift);
            PacketDecoder d = decoder.decode(f, at, SLOT);
            if (r == null) {
                bytes += d.payloadLength();
            } else {
                r.offer(d, ++n, t);
            }
        }
        frameNumber = n;
        return bytes;
    }

    /** The counters of the timed reassembler (null for the {@code decode} row). */
    TcpReassembler reassembler() {
        return tcp;
    }

    @Benchmark
    public long inOrder() {
        return pass(tcp) + counter.bytes + (tcp == null ? 0 : tcp.counters().inOrderBytes());
    }

    /** Every timed segment must have been in order: held bytes would mean the bench measured copies. */
    @TearDown
    public void check() {
        if (tcp != null && (tcp.counters().heldSegments() != 0 || tcp.counters().retransmissions() != 0)) {
            throw new IllegalStateException("segments not in order: " + tcp.counters().heldSegments() + " held, "
                    + tcp.counters().retransmissions() + " retransmitted");
        }
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** Reads each slice's size and first byte, as the least a consumer does. */
    private static class Counter implements StreamHandler {
        long bytes;

        @Override
        public void data(TcpStream stream, StreamSide side, long streamOffset, MemorySegment data, long frameNumber) {
            count(data);
        }

        void count(MemorySegment data) {
            bytes += data.byteSize() + data.get(ValueLayout.JAVA_BYTE, 0);
        }
    }
}
