package io.netring.pcap;

import io.netring.CaptureStats;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
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
    /** The largest captured length of most link types, as libpcap and Wireshark take it (tcpdump's default snaplen). */
    static final int MAX_CAPLEN = 262_144;
    private static final int LINKTYPE_USB_LINUX = 189;
    private static final int LINKTYPE_USB_LINUX_MMAPPED = 220;
    private static final int LINKTYPE_DBUS = 231;
    private static final int LINKTYPE_USBPCAP = 249;
    private static final int LINKTYPE_EBHSCR = 279;

    final Path file;
    final MemorySegment data;
    final long size;
    /** Offset of the next record or block. */
    long pos;
    /** True when the current section (the whole file, for classic pcap) is in the other byte order. */
    private boolean swapped;
    /**
     * A window of the file as a buffer in the section's byte order, for the field reads: a
     * buffer read goes through fewer layers than a segment's var handle, which counts while
     * the JIT has not compiled the walk yet. Moved (a new view, no copy) when a read falls
     * outside it; files over 1 GiB take several.
     */
    private ByteBuffer window;
    private long windowStart;
    private long windowEnd = -1;
    private static final long WINDOW = 1L << 30;
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

    /**
     * The longest record a file of {@code linkType} may hold, libpcap's table: a longer one is
     * damage, refused where it starts (as tcpdump and tshark refuse it), not a packet of garbage
     * whose end throws the walk off.
     */
    static int maxCaplen(int linkType) {
        return switch (linkType) {
            case LINKTYPE_DBUS -> 128 << 20;
            case LINKTYPE_EBHSCR -> 8 << 20;
            case LINKTYPE_USBPCAP, LINKTYPE_USB_LINUX, LINKTYPE_USB_LINUX_MMAPPED -> 1 << 20;
            default -> MAX_CAPLEN;
        };
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

    final void swapped(boolean swapped) {
        this.swapped = swapped;
        if (window != null) {
            window.order(order());
        }
    }

    /** True when the current section is in the other byte order. */
    final boolean isSwapped() {
        return swapped;
    }

    private ByteOrder order() {
        ByteOrder n = ByteOrder.nativeOrder();
        return swapped ? (n == ByteOrder.BIG_ENDIAN ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN) : n;
    }

    /** The window holding bytes [offset, offset + n), moved there when needed. */
    private ByteBuffer window(long offset, int n) {
        if (offset < windowStart || offset + n > windowEnd) {
            windowStart = offset & ~4095L;
            windowEnd = Math.min(size, windowStart + WINDOW);
            window = data.asSlice(windowStart, windowEnd - windowStart).asByteBuffer().order(order());
        }
        return window;
    }

    final int u32(long offset) {
        return window(offset, 4).getInt((int) (offset - windowStart));
    }

    final long u32L(long offset) {
        return Integer.toUnsignedLong(u32(offset));
    }

    final int u16(long offset) {
        return Short.toUnsignedInt(window(offset, 2).getShort((int) (offset - windowStart)));
    }

    final long u64(long offset) {
        return window(offset, 8).getLong((int) (offset - windowStart));
    }

    /** The EtherType at bytes 12-13, in network order as {@code sll_protocol} holds it; 0 when there is none. */
    final short etherType(int linkType, long offset, int caplen) {
        return linkType == LINKTYPE_ETHERNET && caplen >= 14 ? data.get(SHORT, offset + 12) : 0;
    }
}
