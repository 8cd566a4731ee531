package io.netring.pcap;

import io.netring.NetringException;

import java.nio.file.Path;

/**
 * A saved-traffic file is damaged or not a pcap/pcapng file: bad magic, a truncated record, a
 * block whose two length fields disagree, a packet for an undefined interface. This is the one
 * exception {@link PcapReader} throws for bad content, whatever the damage; its message names
 * the file and the byte offset of the record or block that is wrong, e.g.
 * {@code "in.pcap: offset 1048600: record of 1514 captured bytes runs past the end of the file (200 left)"}.
 *
 * <p>The packets before the damaged record were delivered in earlier batches; the reader
 * throws this from the {@code nextBatch()} that would have returned the damaged record.
 */
public final class PcapFormatException extends NetringException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;
    /** Byte offset of the damaged record or block, as {@link #offset()} returns it. */
    private final long offset;

    /**
     * {@code file} is damaged at byte {@code offset}; {@code problem} says how. The message joins
     * the three.
     */
    public PcapFormatException(Path file, long offset, String problem) {
        super(file + ": offset " + offset + ": " + problem, "read", 0);
        this.file = file;
        this.offset = offset;
    }

    /** The file that is damaged. */
    public Path file() { return file; }

    /** Byte offset in {@link #file()} of the record or block that is wrong. */
    public long offset() { return offset; }
}
