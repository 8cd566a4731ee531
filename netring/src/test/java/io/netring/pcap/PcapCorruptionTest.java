package io.netring.pcap;

import io.netring.PacketBatch;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Damaged input, reproducible: every truncation of small pcap and pcapng files and 110 000 files with
 * random bytes overwritten. Each must read to its end or stop with a {@link PcapFormatException}
 * naming the file and an offset inside it: never another exception, never a hang.
 */
class PcapCorruptionTest {
    private static final Path NAME = Path.of("fuzz.pcap");
    private static final int FLIPPED_FILES = 110_000;

    static List<byte[]> samples() {
        List<TestFiles.Rec> recs = TestFiles.records(6, 21);
        TestFiles.Ng le = new TestFiles.Ng().section(ByteOrder.LITTLE_ENDIAN).iface(1, 0, "eth0", 9)
                .iface(1, 64, null, 0x80 | 10).unknown(0x0BAD, 6);
        TestFiles.Ng be = new TestFiles.Ng().section(ByteOrder.BIG_ENDIAN).iface(1, 96, "x", -1);
        for (int i = 0; i < recs.size(); i++) {
            TestFiles.Rec r = recs.get(i);
            le.epb(i % 2, r.seconds() * 1_000_000_000L + r.nanos(), r.data(), r.originalLength(), i % 3 == 0 ? 1 : -1);
            be.epb(0, r.seconds() * 1_000_000L, r.data(), r.originalLength(), 2);
        }
        le.spb(recs.get(0).data(), 900).isb(0, 10, 2);
        be.isb(0, 1, 0).section(ByteOrder.LITTLE_ENDIAN).iface(1, 0, "y", 9).spb(recs.get(1).data(), 70);
        return List.of(
                TestFiles.classic(recs, ByteOrder.LITTLE_ENDIAN, false, 1, 262144),
                TestFiles.classic(recs, ByteOrder.BIG_ENDIAN, true, 1, 100),
                le.bytes(), be.bytes());
    }

    @Test
    void everyTruncationAndRandomDamageGivesTheDocumentedError() {
        assertTimeoutPreemptively(Duration.ofSeconds(180), () -> {
            long cases = 0;
            List<byte[]> samples = samples();
            for (byte[] sample : samples) {
                for (int len = 0; len < sample.length; len++) {
                    check(sample, len);
                    cases++;
                }
            }
            Random random = new Random(20261201);
            for (int i = 0; i < FLIPPED_FILES; i++) {
                byte[] sample = samples.get(i % samples.size());
                byte[] bad = sample.clone();
                int flips = 1 + random.nextInt(4);
                for (int f = 0; f < flips; f++) {
                    int at = random.nextInt(bad.length);
                    // Half the time a length-like value where a field starts: the damage readers trip on.
                    bad[at] = random.nextBoolean() ? (byte) random.nextInt(256) : (byte) (0x80 | random.nextInt(4));
                }
                check(bad, random.nextInt(8) == 0 ? random.nextInt(bad.length + 1) : bad.length);
                cases++;
            }
            assertTrue(cases >= 100_000, "cases: " + cases);
        });
    }

    /** Reads the first {@code length} bytes of {@code bytes} to the end or to the documented error. */
    private static void check(byte[] bytes, int length) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment data = arena.allocate(Math.max(length, 1));
            MemorySegment.copy(bytes, 0, data, java.lang.foreign.ValueLayout.JAVA_BYTE, 0, length);
            data = data.asSlice(0, length);
            try (PcapReader r = PcapReader.over(NAME, Arena.ofConfined(), data, 4096)) {
                long[] sink = new long[1];
                for (PacketBatch next = r.nextBatch(); next != null; next = r.nextBatch()) {
                    try (PacketBatch b = next) {
                        b.dispatch(v -> {
                            sink[0] += v.length() + v.originalLength() + v.timestampNanos() + v.timestampSeconds();
                            if (v.length() >= 14) {
                                sink[0] += v.shortAt(12);
                            }
                        });
                    }
                }
                r.stats();
            } catch (PcapFormatException e) {
                if (e.offset() < 0 || e.offset() > length || !e.getMessage().startsWith(NAME + ": offset " + e.offset() + ": ")) {
                    fail("bad error for " + length + " bytes: " + e.getMessage());
                }
            } catch (RuntimeException | Error e) {
                throw new AssertionError("input of " + length + " bytes gave " + e + "; bytes: "
                        + java.util.HexFormat.of().formatHex(bytes, 0, length), e);
            }
        }
    }
}
