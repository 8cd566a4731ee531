package io.netring.cli;

import io.netring.Packet;
import io.netring.PacketBatch;
import io.netring.pcap.PcapReader;
import io.netring.pcap.PcapWriter;
import io.netring.pcap.PcapWriterBuilder;
import io.netring.pcap.RotatingPcapWriter;

import java.io.IOException;
import java.nio.file.Path;

/** {@code -w}: packets into a pcap/pcapng file, rotated by {@code -C/-G/-W}. */
final class PacketFileSink implements CaptureSink {
    private final RotatingPcapWriter writer;

    private PacketFileSink(RotatingPcapWriter writer) {
        this.writer = writer;
    }

    /** Opens the first file; {@link SavedTrafficOptions} usage errors surface as IllegalArgumentException. */
    static PacketFileSink open(SavedTrafficOptions options, PacketInput input) throws IOException {
        PcapWriterBuilder settings = PcapWriter.builder(Path.of(options.writeFile))
                .format(options.writeFormat())
                .addInterface(input.describe())
                .application("netring 0.1.0");
        if (input.live()) {
            settings.statistics(input::totals);
        }
        return new PacketFileSink(RotatingPcapWriter.open(settings, options.rotation()));
    }

    /** Writes at most {@code max} packets of {@code batch}; returns how many it wrote. */
    @Override
    public long write(PacketBatch batch, long max) throws IOException {
        return writer.write(batch, max);
    }

    @Override
    public long transfer(PcapReader input, long max) throws IOException {
        return writer.transferFrom(input, max);
    }

    @Override
    public boolean write(Packet p) throws IOException {
        writer.write(p);
        return true;
    }

    /** True when {@code -G} with {@code -W} wrote its last file. */
    @Override
    public boolean finished() {
        return writer.finished();
    }

    @Override
    public void close() throws IOException {
        writer.close();
    }
}
