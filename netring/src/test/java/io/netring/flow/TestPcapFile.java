package io.netring.flow;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Writes a nanosecond pcap (magic 0xa1b23c4d, Ethernet) for tshark to read. */
final class TestPcapFile {
    private TestPcapFile() {}

    static void write(Path path, List<FlowCorpus.Frame> frames) throws IOException {
        try (OutputStream out = Files.newOutputStream(path)) {
            ByteBuffer h = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
            h.putInt(0xa1b23c4d).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(65535).putInt(1);
            out.write(h.array());
            for (FlowCorpus.Frame f : frames) {
                ByteBuffer r = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
                r.putInt((int) (f.timestampNanos() / 1_000_000_000L)).putInt((int) (f.timestampNanos() % 1_000_000_000L));
                r.putInt(f.bytes().length).putInt(f.bytes().length);
                out.write(r.array());
                out.write(f.bytes());
            }
        }
    }
}
