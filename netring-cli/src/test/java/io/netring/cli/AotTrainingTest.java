package io.netring.cli;

import io.netring.pcap.PcapReader;
import io.netring.testing.FrameCorpus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * The AOT training's input: its resource is the test kit's corpus (so the training meets every
 * kind of frame the printers handle), and the file it makes from it holds the packets it says.
 * After a change to {@link FrameCorpus}, rewrite the resource with
 * {@code -Dnetring.rewriteTrainingTraffic=true}.
 */
class AotTrainingTest {
    private static final long VARIANT = 22;
    private static final Path SOURCE = Path.of("src/main/resources/io/netring/cli", AotTraining.TRAFFIC);

    @TempDir
    Path dir;

    @Test
    void trafficIsTheTestKitCorpus() throws IOException {
        Path expected = dir.resolve("corpus.pcap");
        FrameCorpus.writePcap(expected, FrameCorpus.generate(VARIANT, AotTraining.FRAMES));
        if (Boolean.getBoolean("netring.rewriteTrainingTraffic")) {
            Files.copy(expected, SOURCE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        try (InputStream in = AotTraining.class.getResourceAsStream(AotTraining.TRAFFIC)) {
            assertNotNull(in, "resource " + AotTraining.TRAFFIC);
            assertArrayEquals(Files.readAllBytes(expected), in.readAllBytes(),
                    "training traffic differs from FrameCorpus; rewrite it with -Dnetring.rewriteTrainingTraffic=true");
        }
    }

    @Test
    void trainingFileHoldsThePackets() throws IOException {
        Path file = dir.resolve("train.pcap");
        AotTraining.writeTrainingFile(file, AotTraining.PACKETS);
        long packets;
        try (PcapReader r = PcapReader.open(file)) {
            packets = r.packets().count();
        }
        assertEquals(AotTraining.PACKETS, packets);
    }
}
