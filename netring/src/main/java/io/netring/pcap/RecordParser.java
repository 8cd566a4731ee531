package io.netring.pcap;

import io.netring.CaptureStats;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;

/**
 * Walks the records of a mapped file and appends them to a {@link FileBlock}, one format per
 * subclass. Every length is checked against the file's end before it is used; the first damage
 * found is kept as {@link #error()} and ends the walk, so the records before it are still
 * delivered.
 */
abstract class RecordParser {
    static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED;
    static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT_UNALIGNED;
    static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED;
    /** Ethernet (DLT_EN10MB): the only link type whose EtherType the block header carries. */
    static final int LINKTYPE_ETHERNET = 1;

    final Path file;
    final MemorySegment data;
    final long size;
    /** Offset of the next record or block. */
    long pos;
    /** True when the current section (the whole file, for classic pcap) is in the other byte order. */
    boolean swapped;
    private PcapFormatException error;

    RecordParser(Path file, MemorySegment data) {
        this.file = file;
        this.data = data;
        this.size = data.byteSize();
    }

    /** Appends records until the block is full, the file ends or damage is found. */
    abstract void fill(FileBlock block);

    /** The link type of the first interface, or -1 when the file defines none. */
    abstract int linkType();

    /** The snapshot length of the first interface (0 when unknown). */
    abstract int snaplen();

    /** Interface statistics the file recorded (pcapng ISBs), summed over interfaces; zeros when none. */
    CaptureStats recordedStats() {
        return CaptureStats.ZERO;
    }

    /** The damage that ended the walk, or null. */
    final PcapFormatException error() {
        return error;
    }

    final boolean atEnd() {
        return error == null && pos >= size;
    }

    /** Records the damage at {@code at} and ends the walk. */
    final void fail(long at, String problem) {
        error = new PcapFormatException(file, at, problem);
        pos = size;
    }

    final int u32(long offset) {
        int v = data.get(INT, offset);
        return swapped ? Integer.reverseBytes(v) : v;
    }

    final long u32L(long offset) {
        return Integer.toUnsignedLong(u32(offset));
    }

    final int u16(long offset) {
        short v = data.get(SHORT, offset);
        return Short.toUnsignedInt(swapped ? Short.reverseBytes(v) : v);
    }

    final long u64(long offset) {
        long v = data.get(LONG, offset);
        return swapped ? Long.reverseBytes(v) : v;
    }

    /** The EtherType at bytes 12-13, in network order as {@code sll_protocol} holds it; 0 when there is none. */
    final short etherType(int linkType, long offset, int caplen) {
        return linkType == LINKTYPE_ETHERNET && caplen >= 14 ? data.get(SHORT, offset + 12) : 0;
    }
}
