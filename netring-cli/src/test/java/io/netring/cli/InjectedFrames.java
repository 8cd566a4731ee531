package io.netring.cli;

import io.netring.AfPacketRx;
import io.netring.testing.FrameCollector;

import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** What {@code netring inject} sent, read back on the peer: sequence-numbered frames, in order. */
final class InjectedFrames {
    private InjectedFrames() {}

    /** Reads until {@code count} test frames of {@code size} bytes came, numbered 0 up, or 30 s passed. */
    static void expectInOrder(AfPacketRx rx, int count, int size) throws Exception {
        List<byte[]> frames = FrameCollector.collect(rx, count, Duration.ofSeconds(30));
        assertEquals(IntStream.range(0, count).boxed().toList(), FrameCollector.sequences(frames),
                "frames seen on the peer, in order");
        for (byte[] f : frames) {
            assertEquals(size, f.length);
        }
    }
}
