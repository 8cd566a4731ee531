package io.netring.pcap;

import java.lang.foreign.MemorySegment;
import java.nio.file.Path;

/**
 * Classic libpcap files: a 24-byte file header, then records of a 16-byte header and the bytes.
 *
 * <pre>
 *  file header: magic(4) version_major(2) version_minor(2) thiszone(4) sigfigs(4) snaplen(4) linktype(4)
 *  record:      ts_sec(4) ts_usec_or_nsec(4) incl_len(4) orig_len(4) data(incl_len)
 * </pre>
 * The magic tells byte order and precision: {@code a1b2c3d4} microseconds, {@code a1b23c4d}
 * nanoseconds, either way round.
 */
final class ClassicPcapParser extends RecordParser {
    static final int MAGIC_MICROS = 0xa1b2c3d4;
    static final int MAGIC_NANOS = 0xa1b23c4d;
    static final int FILE_HEADER_SIZE = 24;
    static final int RECORD_HEADER_SIZE = 16;
    static final int SNAPLEN_OFFSET = 16;
    static final int LINKTYPE_OFFSET = 20;

    private final boolean nanos;
    private final int linkType;
    private final int snaplen;
    /** The longest record this file's link type may hold. */
    private final int maxCaplen;

    private ClassicPcapParser(Path file, MemorySegment data, boolean swapped, boolean nanos) {
        super(file, data);
        swapped(swapped);
        this.nanos = nanos;
        this.snaplen = u32(SNAPLEN_OFFSET);
        // The top bits of the link-type word carry FCS facts (LINKTYPE_FCS_*); the type is the low 16.
        this.linkType = u32(LINKTYPE_OFFSET) & 0xFFFF;
        this.maxCaplen = maxCaplen(linkType);
        this.pos = FILE_HEADER_SIZE;
    }

    /** A parser when the file starts with a classic magic, null when it does not. */
    static ClassicPcapParser probe(Path file, MemorySegment data) throws PcapFormatException {
        int magic = data.get(INT, 0);
        boolean swapped;
        boolean nanos;
        if (magic == MAGIC_MICROS || magic == MAGIC_NANOS) {
            swapped = false;
            nanos = magic == MAGIC_NANOS;
        } else if (magic == Integer.reverseBytes(MAGIC_MICROS) || magic == Integer.reverseBytes(MAGIC_NANOS)) {
            swapped = true;
            nanos = magic == Integer.reverseBytes(MAGIC_NANOS);
        } else {
            return null;
        }
        if (data.byteSize() < FILE_HEADER_SIZE) {
            throw new PcapFormatException(file, 0, "file header truncated: " + data.byteSize() + " of "
                    + FILE_HEADER_SIZE + " bytes");
        }
        ClassicPcapParser p = new ClassicPcapParser(file, data, swapped, nanos);
        int major = p.u16(4);
        if (major != 2) {
            throw new PcapFormatException(file, 4, "pcap version " + major + "." + p.u16(6) + " is not supported (2.4 is)");
        }
        return p;
    }

    /** The longest record this file's link type may hold ({@link RecordParser#maxCaplen}). */
    int maxCaplen() {
        return maxCaplen;
    }

    boolean nanosecondPrecision() {
        return nanos;
    }

    @Override
    int linkType() {
        return linkType;
    }

    @Override
    int snaplen() {
        return snaplen;
    }

    @Override
    void fill(FileBlock block) {
        final long end = size;
        final int unitsPerSecond = nanos ? 1_000_000_000 : 1_000_000;
        final int toNanos = nanos ? 1 : 1000;
        long p = pos;
        while (p < end) {
            if (end - p < RECORD_HEADER_SIZE) {
                pos = p;
                fail(p, "record header truncated: " + (end - p) + " of " + RECORD_HEADER_SIZE + " bytes");
                return;
            }
            long sec = u32L(p);
            long frac = u32L(p + 4);
            long caplen = u32L(p + 8);
            int wireLen = u32(p + 12);
            long left = end - p - RECORD_HEADER_SIZE;
            // The length is checked before the file's end: a damaged length is reported as
            // what it is, at its own record, even when the file happens to be long enough.
            if (caplen > maxCaplen) {
                pos = p;
                fail(p, "record of " + caplen + " captured bytes: more than the " + maxCaplen
                        + " a packet of link type " + linkType + " can have");
                return;
            }
            if (caplen > left) {
                pos = p;
                fail(p, "record of " + caplen + " captured bytes runs past the end of the file (" + left + " left)");
                return;
            }
            if (!block.fits((int) caplen)) {
                break;
            }
            if (frac >= unitsPerSecond) {
                // Some writers leave the fraction unnormalised; carry it into the seconds.
                sec += frac / unitsPerSecond;
                frac %= unitsPerSecond;
            }
            long at = p + RECORD_HEADER_SIZE;
            block.add(data, at, (int) caplen, wireLen, sec, (int) frac * toNanos,
                    FileBlock.PKTTYPE_UNKNOWN, 0, etherType(linkType, at, (int) caplen));
            p = at + caplen;
        }
        pos = p;
    }
}
