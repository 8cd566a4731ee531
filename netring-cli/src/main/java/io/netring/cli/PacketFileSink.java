package io.netring.cli;

import io.netring.Packet;
import io.netring.PacketBatch;
import io.netring.pcap.PcapReader;
import io.netring.pcap.PcapWriterBuilder;
import io.netring.pcap.RotatingPcapWriter;

import java.io.IOException;
import java.time.Duration;

/**
 * {@code -w}: packets into a pcap/pcapng file, rotated by {@code -C/-G/-W}. A live capture's
 * file is flushed at least every {@link #FLUSH_INTERVAL} (after every batch with {@code -U}),
 * so a process killed outright leaves a readable file missing at most the last moment.
 */
final class PacketFileSink implements CaptureSink {
    /** The longest a live capture's packets wait in the write buffer without {@code -U}. */
    static final Duration FLUSH_INTERVAL = Duration.ofSeconds(1);
    /** Never: a file converted runs to its end and is flushed on close. */
    private static final long NEVER = Long.MAX_VALUE;

    private final RotatingPcapWriter writer;
    /** Nanoseconds between flushes: 0 with -U, {@link #NEVER} when nothing needs them. */
    private final long flushEvery;
    private long lastFlush = System.nanoTime();

    private PacketFileSink(RotatingPcapWriter writer, long flushEvery) {
        this.writer = writer;
        this.flushEvery = flushEvery;
    }

    /** Opens the first file; {@link SavedTrafficOptions} usage errors surface as IllegalArgumentException. */
    static PacketFileSink open(SavedTrafficOptions options, PacketInput input) throws IOException {
        PcapWriterBuilder settings = options.writer()
                .addInterface(input.describe())
                .application("netring 0.1.0");
        if (input.live()) {
            settings.statistics(input::totals);
        }
        long flushEvery = options.packetBuffered ? 0 : input.live() ? FLUSH_INTERVAL.toNanos() : NEVER;
        return new PacketFileSink(RotatingPcapWriter.open(settings, options.rotation()), flushEvery);
    }

    /** Writes at most {@code max} packets of {@code batch}; returns how many it wrote. */
    @Override
    public long write(PacketBatch batch, long max) throws IOException {
        long n = writer.write(batch, max);
        flushWhenDue();
        return n;
    }

    /** A quiet link: what the last batches left in the buffer goes out on time all the same. */
    @Override
    public void idle() throws IOException {
        flushWhenDue();
    }

    private void flushWhenDue() throws IOException {
        if (flushEvery == NEVER) {
            return;
        }
        long now = System.nanoTime();
        if (now - lastFlush >= flushEvery) {
            writer.flush();
            lastFlush = now;
        }
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
