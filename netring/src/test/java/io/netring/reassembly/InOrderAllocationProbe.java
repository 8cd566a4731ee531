package io.netring.reassembly;

import io.netring.decode.PacketDecoder;
import io.netring.testing.Allocations;
import io.netring.testing.TcpConversation;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static io.netring.testing.FrameBuilder.*;

/**
 * Prints the bytes allocated per in-order segment of an established stream, both directions,
 * with one handler class: run by {@link TcpBoundTest} in a fresh JVM.
 */
final class InOrderAllocationProbe {
    private static final int SEQ_AT = 14 + 20 + 4;

    public static void main(String[] args) {
        long[] sink = {0};
        TcpReassembler r = TcpReassembler.builder().handler((s, side, offset, data, frame) ->
                sink[0] += data.get(ValueLayout.JAVA_BYTE, 0) + offset).build();
        PacketDecoder d = new PacketDecoder();
        byte[] payload = new byte[100];
        payload[0] = 1;
        byte[] c = ipv4Addr(10, 0, 0, 1), sv = ipv4Addr(10, 0, 0, 2);
        byte[] f = ethernet(2, 1, 0x0800, ipv4(c, sv, 6, 64, 0, 0x4000, new byte[0],
                tcp(1000, 80, 0, 0, 0x18, 65535, new byte[0], payload)));
        byte[] back = ethernet(1, 2, 0x0800, ipv4(sv, c, 6, 64, 0, 0x4000, new byte[0],
                tcp(80, 1000, 0, 0, 0x18, 65535, new byte[0], payload)));
        for (byte[] frame : TcpConversation.between(c, 1000, sv, 80, 0, 0xFFFF_FFFFL, 0xFFFF_FFFFL).handshake().frames()) {
            r.offer(d.decode(MemorySegment.ofArray(frame)), 0, 0);
        }
        MemorySegment a = MemorySegment.ofArray(f), b = MemorySegment.ofArray(back);
        long[] seq = {0};
        Allocations.Measured m = Allocations.perOperation(() -> {
            for (int i = 0; i < 10_000; i++) {
                put32(f, SEQ_AT, seq[0]);
                put32(back, SEQ_AT, seq[0]);
                seq[0] += 100;                                             // wraps after 43 million segments
                r.offer(d.decode(a), i, i);
                r.offer(d.decode(b), i, i);
            }
        }, 20, 10, 20_000, 0.01);
        if (r.counters().heldSegments() != 0 || r.counters().inOrderSegments() != r.counters().segments() - 3 || sink[0] == 0) {
            throw new AssertionError(r.counters().toString());
        }
        System.out.println(m.perOperation() + " bytes per segment (" + m.total() + " in total)");
    }
}
