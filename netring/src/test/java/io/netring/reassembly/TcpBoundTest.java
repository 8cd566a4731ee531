package io.netring.reassembly;

import io.netring.decode.PacketDecoder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.foreign.MemorySegment;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import static io.netring.testing.FrameBuilder.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Adversarial and random input: held memory stays under the bounds, what was skipped is
 * counted, nothing throws, every direction's calls continue where the last one ended, and the
 * in-order path allocates nothing.
 */
@Timeout(120)
class TcpBoundTest {
    private static final int SEQ_AT = 14 + 20 + 4;

    /** Checks continuity per direction and counts bytes, keeping none of them. */
    private static final class Continuity implements StreamHandler {
        final Map<TcpStream, long[]> ends = new HashMap<>();
        long bytes;
        long gapBytes;

        @Override
        public void data(TcpStream s, StreamSide side, long offset, MemorySegment data, long frame) {
            advance(s, side, offset, data.byteSize());
            bytes += data.byteSize();
        }

        @Override
        public void gap(TcpStream s, StreamSide side, long offset, long length, long frame) {
            assertTrue(length > 0, "gap of " + length);
            advance(s, side, offset, length);
            gapBytes += length;
        }

        @Override
        public void closed(TcpStream s, StreamEnd reason) {
            ends.remove(s);
        }

        private void advance(TcpStream s, StreamSide side, long offset, long length) {
            long[] e = ends.computeIfAbsent(s, k -> new long[2]);
            assertEquals(e[side.ordinal()], offset, s + " " + side);
            e[side.ordinal()] = offset + length;
        }
    }

    /** A client data frame of one byte whose sequence number and source port are set in place. */
    private static byte[] oneByteSegment() {
        byte[] seg = tcp(1, 80, 0, 0, 0x18, 65535, new byte[0], new byte[]{'x'});
        return ethernet(2, 1, 0x0800, ipv4(ipv4Addr(10, 0, 0, 1), ipv4Addr(10, 0, 0, 2), 6, 64, 0, 0x4000, new byte[0], seg));
    }

    @Test
    void hundredThousandOutOfOrderSegmentsOfOneStreamStayUnderTheSideBound() {
        Continuity h = new Continuity();
        TcpReassembler r = TcpReassembler.builder().handler(h).build();
        PacketDecoder d = new PacketDecoder();
        byte[] f = oneByteSegment();
        MemorySegment s = MemorySegment.ofArray(f);
        long most = 0;
        r.offer(d.decode(s), 0, 0);                                   // offset 0 arrives: the stream starts there
        for (int i = 1; i <= 100_000; i++) {
            put32(f, SEQ_AT, 2L * i);                                   // a one-byte hole before each
            r.offer(d.decode(s), i, i);
            most = Math.max(most, r.heldBytes());
        }
        TcpReassemblyCounters c = r.counters();
        assertTrue(most <= r.maxBufferedBytesPerSide(), most + " held");
        assertEquals(100_000, c.heldSegments(), c.toString());
        long skipped = c.gaps(GapReason.SIDE_BOUND);
        assertTrue(skipped > 80_000, c.toString());                    // 1 MiB holds about 16 000 such segments
        assertEquals(skipped, c.gapBytes(GapReason.SIDE_BOUND));
        r.finish();
        assertEquals(100_001, h.bytes);
        assertEquals(100_000, h.gapBytes);
        assertEquals(0, r.heldBytes());
    }

    @Test
    void hundredThousandStreamsHoldingOneSegmentEachStayUnderTheTotalBound() {
        Continuity h = new Continuity();
        long total = 4L << 20;
        TcpReassembler r = TcpReassembler.builder().handler(h).maxTotalBytes(total).maxStreams(200_000).build();
        PacketDecoder d = new PacketDecoder();
        byte[] f = oneByteSegment();
        MemorySegment s = MemorySegment.ofArray(f);
        long most = 0;
        for (int i = 0; i < 100_000; i++) {
            put16(f, 34, 1024 + (i & 0xFFFF));                          // a distinct source port and address
            f[14 + 13] = (byte) (i >>> 16);
            put32(f, SEQ_AT, 100);
            r.offer(d.decode(s), 2L * i, i);                             // opens the stream at offset 0 (seq 100)
            put32(f, SEQ_AT, 102);
            r.offer(d.decode(s), 2L * i + 1, i);                         // held behind a one-byte hole
            most = Math.max(most, r.heldBytes());
        }
        TcpReassemblyCounters c = r.counters();
        assertTrue(most <= total, most + " held");
        assertEquals(100_000, c.streamsOpened());
        long skipped = c.gaps(GapReason.TOTAL_BOUND);
        assertTrue(skipped > 30_000, c.toString());
        assertEquals(100_000 - skipped, r.heldBytes() / (1 + TcpReassembler.SEGMENT_OVERHEAD), c.toString());
        r.finish();
        assertEquals(100_000, c.closed(StreamEnd.END_OF_INPUT));
        assertEquals(200_000, h.bytes);
    }

    @Test
    void randomSegmentsNeverThrowAndStayUnderTheBound() {
        Random rnd = new Random(2323);
        Continuity h = new Continuity();
        long perSide = 70_000, total = 256_000;
        TcpReassembler r = TcpReassembler.builder().handler(h).maxBufferedBytesPerSide(perSide).maxTotalBytes(total)
                .maxStreams(8).build();
        PacketDecoder d = new PacketDecoder();
        byte[] c = ipv4Addr(10, 0, 0, 1), sv = ipv4Addr(10, 0, 0, 2);
        byte[] c6 = ipv6Addr(0x2001, 0xdb8, 0, 0, 0, 0, 0, 1), s6 = ipv6Addr(0x2001, 0xdb8, 0, 0, 0, 0, 0, 2);
        long[] bases = new long[16];
        for (int i = 0; i < bases.length; i++) {
            bases[i] = 0xFFFF_FFFFL - rnd.nextInt(20_000);                 // every stream crosses the wrap
        }
        int[] flagChoices = {0x18, 0x10, 0x18, 0x18, 0x02, 0x12, 0x11, 0x04, 0x19, 0x03, 0x00};
        long time = 0;
        for (int i = 0; i < 60_000; i++) {
            int conn = rnd.nextInt(bases.length);
            boolean v6 = conn >= 12;
            boolean fromClient = rnd.nextBoolean();
            int length = rnd.nextInt(10) == 0 ? rnd.nextInt(1400) : rnd.nextInt(64);
            byte[] payload = new byte[length];
            rnd.nextBytes(payload);
            long seq = bases[conn] + (fromClient ? 0 : 1_000_000) + rnd.nextInt(40_000) - 500;
            int flags = flagChoices[rnd.nextInt(flagChoices.length)];
            byte[] src = v6 ? (fromClient ? c6 : s6) : (fromClient ? c : sv);
            byte[] dst = v6 ? (fromClient ? s6 : c6) : (fromClient ? sv : c);
            int cp = 1000 + conn, sp = 80;
            byte[] seg = tcp(fromClient ? cp : sp, fromClient ? sp : cp, seq & 0xFFFF_FFFFL, 0, flags, 65535, new byte[0], payload);
            byte[] ip = v6 ? ipv6(src, dst, 6, 64, seg) : ipv4(src, dst, 6, 64, 0, 0, new byte[0], seg);
            byte[] frame = ethernet(2, 1, v6 ? 0x86DD : 0x0800, ip);
            if (rnd.nextInt(50) == 0) {
                frame = java.util.Arrays.copyOf(frame, rnd.nextInt(frame.length));      // cut short
            } else if (rnd.nextInt(50) == 0) {
                frame[rnd.nextInt(frame.length)] = (byte) rnd.nextInt();                 // a flipped byte
            }
            time += rnd.nextInt(1000) == 0 ? 400_000_000_000L : 1_000_000L;
            r.offer(d.decode(MemorySegment.ofArray(frame)), i, time);
            assertTrue(r.heldBytes() <= total, r.heldBytes() + " held");
        }
        r.finish();
        assertEquals(0, r.heldBytes());
        assertEquals(0, r.openStreams());
        TcpReassemblyCounters k = r.counters();
        assertTrue(k.heldSegments() > 0 && k.overlaps() > 0 && k.retransmissions() > 0 && k.streamsOpened() > 16, k.toString());
    }

    /**
     * Measured in a JVM of its own: the slice handed to the handler is a new object unless the
     * call inlines and escape analysis removes it, which needs the handler call site to see one
     * or two handler classes — as in an application, not in a test JVM that ran many handlers.
     */
    @Test
    void inOrderSegmentsAllocateNothing() throws Exception {
        String javaBinary = ProcessHandle.current().info().command().orElseThrow();
        Process p = new ProcessBuilder(javaBinary, "-cp", System.getProperty("java.class.path"), InOrderAllocationProbe.class.getName())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes()).trim();
        assertTrue(p.waitFor(90, java.util.concurrent.TimeUnit.SECONDS), out);
        assertEquals(0, p.exitValue(), out);
        assertTrue(Double.parseDouble(out.lines().reduce((x, y) -> y).orElseThrow().split(" ")[0]) < 0.01,
                "bytes per segment: " + out);
    }
}
