package io.netring.cli;

import io.netring.PacketDirection;
import io.netring.Timestamp;
import io.netring.pcap.PcapFormat;
import io.netring.pcap.PcapWriter;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;

/** Saved-traffic files for the command's tests. */
final class SampleFiles {
    private SampleFiles() {}

    /** {@code n} 60-byte frames of EtherType 0x88B5, one second apart, written as {@code format} to {@code file}. */
    static Path frames(Path file, PcapFormat format, int n) throws IOException {
        try (PcapWriter w = PcapWriter.open(file, format)) {
            for (int i = 0; i < n; i++) {
                byte[] f = new byte[60];
                f[12] = (byte) 0x88;
                f[13] = (byte) 0xB5;
                f[20] = (byte) i;
                w.write(MemorySegment.ofArray(f), 0, 60, 60, new Timestamp(1_700_000_000L + i, i), PacketDirection.HOST);
            }
        }
        return file;
    }
}
