package io.netring.cli;

import io.netring.testing.FrameCorpus;
import io.netring.decode.PacketDecoder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/** The text printers on 50 000 reproducible random and mutated frames: every mode prints, none throws. */
@Timeout(120)
class PrinterFuzzTest {
    @Test
    void printersNeverThrow() {
        Random r = new Random(1515);
        List<FrameCorpus.Frame> corpus = FrameCorpus.generate(31, 400);
        PacketDecoder d = new PacketDecoder();
        PacketLayers layers = new PacketLayers(d);
        FrameMeta meta = new FrameMeta();
        TcpdumpLine[] lines = {new TcpdumpLine(false, 0, 0), new TcpdumpLine(true, 1, 1), new TcpdumpLine(true, 2, 2)};
        FieldPrinter fields = new FieldPrinter(FieldPrinter.knownFields(), '\t', FieldPrinter.ALL);
        JsonPrinter json = new JsonPrinter(List.of());
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 50_000; i++) {
            byte[] f = corpus.get(r.nextInt(corpus.size())).data().clone();
            for (int k = 0, n = 1 + r.nextInt(6); k < n && f.length > 0; k++) {
                f[r.nextInt(f.length)] = (byte) r.nextInt();
            }
            if (r.nextBoolean()) {
                f = Arrays.copyOf(f, r.nextInt(f.length + 1));
            }
            byte[] frame = f;
            meta.set(i + 1, 1_700_000_000L, 0, frame.length, frame.length);
            assertDoesNotThrow(() -> {
                d.decode(MemorySegment.ofArray(frame));
                for (TcpdumpLine line : lines) {
                    sb.setLength(0);
                    line.append(sb, d);
                }
                sb.setLength(0);
                fields.append(sb, layers.refresh(), meta);
                sb.setLength(0);
                json.append(sb, layers, meta);
            }, () -> HexFormat.of().formatHex(frame));
        }
    }
}
