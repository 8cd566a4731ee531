package io.netring.pcap;

import io.netring.OwnedPacket;
import io.netring.Packet;
import io.netring.PacketBatch;
import io.netring.PacketHandler;
import io.netring.PacketView;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * A {@link PcapWriter} that moves on to a new file as tcpdump's {@code -C}/{@code -G}/{@code -W}
 * do (see {@link PcapRotation}). Every file it leaves is closed, so complete and readable on
 * its own (pcapng: with its statistics block). Names follow tcpdump: with a size limit the
 * first file keeps the given name and later ones get 1, 2, ... appended (with a file count,
 * every name is numbered, zero-padded, from 0, and numbers are reused); with an interval, the
 * name is expanded with strftime conversions when each file opens.
 *
 * <pre>{@code
 * try (var out = RotatingPcapWriter.open(PcapWriter.builder(Path.of("cap-%H%M%S.pcapng"))
 *         .format(PcapFormat.PCAPNG), PcapRotation.tcpdump(100L, 60L, null))) {
 *     out.write(batch);
 * }
 * }</pre>
 */
public final class RotatingPcapWriter implements AutoCloseable {
    private final PcapWriterBuilder settings;
    private final String template;
    private final PcapRotation rotation;
    private final LongSupplier clockMillis;
    private final long intervalMillis;
    private final int countChars;
    private final PacketHandler batchHandler = this::writeFromBatch;
    private PcapWriter current;
    private long openedAtMillis;
    /** Files opened within the current interval (size rotation number). */
    private int sizeCount;
    /** Files opened in all (for the -G/-W limit). */
    private int filesOpened;
    private String baseName;
    private boolean finished;
    private boolean closed;

    RotatingPcapWriter(PcapWriterBuilder settings, PcapRotation rotation, LongSupplier clockMillis) throws IOException {
        this.settings = settings;
        this.template = settings.path().toString();
        this.rotation = Objects.requireNonNull(rotation, "rotation");
        if (settings.toChannel() && rotation.rotates()) {
            throw new IllegalArgumentException("rotation=" + rotation + ": an output channel cannot be rotated");
        }
        this.clockMillis = clockMillis;
        this.intervalMillis = rotation.interval() == null ? 0 : rotation.interval().toMillis();
        this.countChars = rotation.fileCount() > 0 ? digits(rotation.fileCount() - 1) : 0;
        openNext(true);
    }

    /**
     * Opens the first file. {@code settings} gives the format and the other writer options; its
     * path is the name template.
     */
    public static RotatingPcapWriter open(PcapWriterBuilder settings, PcapRotation rotation) throws IOException {
        return new RotatingPcapWriter(settings, rotation, System::currentTimeMillis);
    }

    private static int digits(int x) {
        int c = 0;
        while (x > 0) {
            c++;
            x /= 10;
        }
        return c;
    }

    /** The file being written. */
    public Path currentFile() { return current.path(); }

    /** True when {@code -G} with {@code -W} has written its last file; later packets are not written. */
    public boolean finished() { return finished; }

    /** Packets written to the current file. */
    public long packetsInCurrentFile() { return current.packetsWritten(); }

    private void openNext(boolean newInterval) throws IOException {
        long now = clockMillis.getAsLong();
        if (newInterval) {
            baseName = intervalMillis > 0
                    ? Strftime.format(template, Instant.ofEpochMilli(now).atZone(ZoneId.systemDefault()))
                    : template;
            sizeCount = 0;
            openedAtMillis = now;
        } else {
            sizeCount++;
            if (rotation.fileCount() > 0 && sizeCount >= rotation.fileCount()) {
                sizeCount = 0;
            }
        }
        String name = sizeCount == 0 && countChars == 0 ? baseName
                : baseName + String.format("%0" + Math.max(countChars, 1) + "d", sizeCount);
        if (rotation.fileSizeBytes() == 0) {
            name = baseName;
        }
        current = settings.build(Path.of(name));
        filesOpened++;
    }

    /** Closes the current file and opens the next when the rotation says so; false when finished. */
    private boolean ready() throws IOException {
        if (closed) {
            throw new IllegalStateException("RotatingPcapWriter is closed");
        }
        if (finished) {
            return false;
        }
        if (intervalMillis > 0 && clockMillis.getAsLong() - openedAtMillis >= intervalMillis) {
            if (rotation.fileCount() > 0 && rotation.fileSizeBytes() == 0 && filesOpened >= rotation.fileCount()) {
                finished = true;
                current.close();
                return false;
            }
            current.close();
            openNext(true);
        } else if (rotation.fileSizeBytes() > 0 && current.bytesWritten() > rotation.fileSizeBytes()) {
            current.close();
            openNext(false);
        }
        return true;
    }

    /**
     * Writes the packet {@code view} points at to the current file, first starting a new file when
     * the rotation says so; does nothing once a {@code fileCount} of interval files is done. Throws
     * {@link IllegalStateException} after {@link #close()}.
     */
    public void write(PacketView view) throws IOException {
        if (ready()) {
            current.write(view);
        }
    }

    /**
     * Writes {@code packet} to the current file, rotating first when due, like {@link
     * #write(PacketView)}.
     */
    public void write(Packet packet) throws IOException {
        if (ready()) {
            current.write(packet);
        }
    }

    /**
     * Writes {@code packet} to the current file, rotating first when due, like {@link
     * #write(PacketView)}.
     */
    public void write(OwnedPacket packet) throws IOException {
        if (ready()) {
            current.write(packet);
        }
    }

    /**
     * Writes the first {@code max} packets of {@code batch} (all of them when it has no more)
     * and returns how many: for a packet limit that ends inside a batch.
     */
    public long write(PacketBatch batch, long max) throws IOException {
        return BatchPrefix.write(batch, max, this::write, this::write);
    }

    /** Writes every packet of {@code batch}, rotating between packets as needed. */
    public int write(PacketBatch batch) throws IOException {
        if (!ready()) {
            return 0;
        }
        // No rotation can fall inside this batch: the whole block is an upper bound on what its
        // packets take in either format (each record's header is smaller than a tpacket3_hdr).
        if (intervalMillis == 0 && (rotation.fileSizeBytes() == 0
                || current.bytesWritten() + batch.segment().byteSize() <= rotation.fileSizeBytes())) {
            return current.write(batch);
        }
        try {
            return batch.dispatch(batchHandler);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /**
     * Writes the records {@code source} has left, at most {@code max}, rotating as needed, and
     * returns how many were written; the records after the last one written are left for the
     * next call. Without rotation this is {@link PcapWriter#transferFrom}
     * (classic pcap copied without batches); with it, batch by batch.
     */
    public long transferFrom(PcapReader source, long max) throws IOException {
        if (!ready()) {
            return 0;
        }
        if (intervalMillis == 0 && rotation.fileSizeBytes() == 0) {
            return current.transferFrom(source, max);
        }
        long n = 0;
        while (n < max && !finished) {
            try (PacketBatch batch = source.nextBatch((int) Math.min(max - n, Integer.MAX_VALUE))) {
                if (batch == null) {
                    break;
                }
                n += write(batch);
            }
        }
        return n;
    }

    private void writeFromBatch(PacketView view) {
        try {
            write(view);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes the current file's buffered bytes to it (nothing once the rotation has finished). */
    public void flush() throws IOException {
        if (!finished) {
            current.flush();
        }
    }

    /** Closes the current file. Idempotent. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        current.close();
    }
}
