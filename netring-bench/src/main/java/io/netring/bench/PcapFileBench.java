package io.netring.bench;

import io.netring.PacketBatch;
import io.netring.PacketHandler;
import io.netring.pcap.PcapFormat;
import io.netring.pcap.PcapReader;
import io.netring.pcap.PcapWriter;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Per-packet cost of the saved-traffic path, with {@code -prof gc} giving bytes per packet:
 * reading a {@value #FILE_PACKETS}-packet generated pcap (open, every batch through
 * {@code dispatch}, close), and writing a {@value #BATCH_PACKETS}-packet batch of 64-byte frames
 * as pcap and pcapng to {@code /dev/null} (buffer copies and {@code write(2)} included, no disk).
 *
 * <pre>java --enable-native-access=ALL-UNNAMED -cp 'netring-bench/target/classes:netring-bench/target/lib/*' \
 *     org.openjdk.jmh.Main PcapFileBench -prof gc</pre>
 */
public class PcapFileBench extends AverageNanosBench {
    public static final int FILE_PACKETS = 100_000;
    public static final int BATCH_PACKETS = 4096;

    private Path dir;
    private Path file;
    private Arena arena;
    private MemorySegment block;
    private PcapWriter pcap;
    private PcapWriter pcapng;
    private long bytes;
    private final PacketHandler sum = v -> bytes += v.length() + v.shortAt(12);

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("pcapbench");
        file = dir.resolve("in.pcap");
        PcapFileGenerator.main(new String[] {file.toString(), Integer.toString(FILE_PACKETS)});
        arena = Arena.ofShared();
        block = TestFrames.block(arena, BATCH_PACKETS, TestFrames.FRAME_SIZE, 0, 1);
        pcap = PcapWriter.open(Path.of("/dev/null"), PcapFormat.PCAP);
        pcapng = PcapWriter.open(Path.of("/dev/null"), PcapFormat.PCAPNG);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        pcap.close();
        pcapng.close();
        arena.close();
        Files.deleteIfExists(file);
        Files.deleteIfExists(dir);
    }

    /** Open the file, every batch through dispatch (length and EtherType of each packet), close. */
    @Benchmark
    @OperationsPerInvocation(FILE_PACKETS)
    public long read() throws IOException {
        bytes = 0;
        try (PcapReader r = PcapReader.open(file)) {
            for (PacketBatch next = r.nextBatch(); next != null; next = r.nextBatch()) {
                try (PacketBatch b = next) {
                    b.dispatch(sum);
                }
            }
        }
        return bytes;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH_PACKETS)
    public int writePcap() throws IOException {
        try (PacketBatch b = PacketBatch.ofBlock(block)) {
            return pcap.write(b);
        }
    }

    @Benchmark
    @OperationsPerInvocation(BATCH_PACKETS)
    public int writePcapng() throws IOException {
        try (PacketBatch b = PacketBatch.ofBlock(block)) {
            return pcapng.write(b);
        }
    }
}
