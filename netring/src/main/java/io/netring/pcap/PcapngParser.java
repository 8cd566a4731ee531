package io.netring.pcap;

import io.netring.CaptureStats;
import io.netring.internal.linux.LinuxConstants;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * pcapng files: a walk over blocks by their length fields (see {@link PcapngBlocks} for the
 * layouts). Each section sets its own byte order and its own interfaces; every block's length
 * must be a multiple of 4, fit the file and appear identically at both ends. Packets come from
 * EPBs, SPBs and the obsolete packet block; ISBs are summed into {@link #recordedStats()};
 * blocks of other types are skipped.
 */
final class PcapngParser extends RecordParser {
    private int interfaces;
    private int[] linkTypes = new int[4];
    private int[] snaplens = new int[4];
    private String[] names = new String[4];
    /** Timestamp units per second when a power of ten (>0), else 0 and {@link #tsShift} applies. */
    private long[] tsUnits = new long[4];
    /** log2 of the units per second when {@code if_tsresol} is a power of two. */
    private int[] tsShift = new int[4];
    private long[] tsOffset = new long[4];
    private long[] ifRecv = new long[4];
    private long[] ifDrop = new long[4];
    /** ISB counters of sections already left behind. */
    private long doneRecv;
    private long doneDrop;
    private int firstLinkType = -1;
    private int firstSnaplen;

    private PcapngParser(Path file, MemorySegment data) {
        super(file, data);
    }

    /**
     * A parser when the file starts with a section header block, null when it does not. The
     * blocks before the first packet (section and interface descriptions) are read here, so
     * {@link #linkType()} is known and damage there is reported at once.
     */
    static PcapngParser probe(Path file, MemorySegment data) throws PcapFormatException {
        if (data.get(INT, 0) != PcapngBlocks.SHB) {
            return null;
        }
        PcapngParser p = new PcapngParser(file, data);
        p.walk(null);
        if (p.error() != null) {
            throw p.error();
        }
        return p;
    }

    @Override
    int linkType() {
        return firstLinkType;
    }

    @Override
    int snaplen() {
        return firstSnaplen;
    }

    /** The {@code if_name} of interface {@code id} of the current section, or null. */
    String interfaceName(int id) {
        return id < interfaces ? names[id] : null;
    }

    @Override
    CaptureStats recordedStats() {
        long recv = doneRecv;
        long drop = doneDrop;
        for (int i = 0; i < interfaces; i++) {
            recv += ifRecv[i];
            drop += ifDrop[i];
        }
        return new CaptureStats(recv, drop, 0);
    }

    @Override
    void fill(FileBlock block) {
        walk(block);
    }

    /**
     * Processes blocks from {@link #pos}: with a block, until it is full or the file ends;
     * without one, only up to the first packet block.
     */
    private void walk(FileBlock block) {
        long p = pos;
        while (p < size) {
            long left = size - p;
            if (left < PcapngBlocks.MIN_BLOCK) {
                fail(p, "block header truncated: " + left + " of " + PcapngBlocks.MIN_BLOCK + " bytes");
                return;
            }
            int rawType = data.get(INT, p);
            if (rawType == PcapngBlocks.SHB && !startSection(p)) {
                return;
            }
            long len = u32L(p + 4);
            if (len < PcapngBlocks.MIN_BLOCK || (len & 3) != 0) {
                fail(p, "block length " + len + ": must be a multiple of 4 and at least " + PcapngBlocks.MIN_BLOCK);
                return;
            }
            if (len > left) {
                fail(p, "block of " + len + " bytes runs past the end of the file (" + left + " left)");
                return;
            }
            long trailer = u32L(p + len - 4);
            if (trailer != len) {
                fail(p, "block length " + len + " at the start but " + trailer + " at the end");
                return;
            }
            int type = u32(p);
            boolean ok;
            switch (type) {
                case PcapngBlocks.SHB -> ok = true;
                case PcapngBlocks.IDB -> ok = interfaceDescription(p, len);
                case PcapngBlocks.EPB, PcapngBlocks.OPB, PcapngBlocks.SPB -> {
                    if (block == null) {
                        pos = p;
                        return;
                    }
                    int r = packet(block, type, p, len);
                    if (r < 0) {
                        pos = p;
                        return;                             // block full: this packet starts the next batch
                    }
                    ok = r > 0;
                }
                case PcapngBlocks.ISB -> ok = statistics(p, len);
                default -> ok = true;                       // unknown or uninteresting: skipped
            }
            if (!ok) {
                return;
            }
            p += len;
        }
        pos = p;
    }

    /** Reads a section header's byte order and version and forgets the previous section's interfaces. */
    private boolean startSection(long p) {
        int bom = data.get(INT, p + 8);
        if (bom == PcapngBlocks.BYTE_ORDER_MAGIC) {
            swapped(false);
        } else if (bom == Integer.reverseBytes(PcapngBlocks.BYTE_ORDER_MAGIC)) {
            swapped(true);
        } else {
            fail(p, "section header with byte-order magic 0x" + Integer.toHexString(bom) + " (want 0x1a2b3c4d)");
            return false;
        }
        long len = u32L(p + 4);
        if (len < PcapngBlocks.SHB_MIN || len > size - p) {
            // The generic checks that follow would report an overrun; a short header is its own fault.
            if (len < PcapngBlocks.SHB_MIN && (len & 3) == 0) {
                fail(p, "section header of " + len + " bytes: at least " + PcapngBlocks.SHB_MIN + " needed");
                return false;
            }
            return true;
        }
        int major = u16(p + 12);
        if (major != 1) {
            fail(p, "pcapng version " + major + "." + u16(p + 14) + " is not supported (1.x is)");
            return false;
        }
        for (int i = 0; i < interfaces; i++) {
            doneRecv += ifRecv[i];
            doneDrop += ifDrop[i];
        }
        interfaces = 0;
        return true;
    }

    private boolean interfaceDescription(long p, long len) {
        if (len < PcapngBlocks.IDB_MIN) {
            fail(p, "interface description of " + len + " bytes: at least " + PcapngBlocks.IDB_MIN + " needed");
            return false;
        }
        int id = interfaces;
        if (id == linkTypes.length) {
            int n = id * 2;
            linkTypes = Arrays.copyOf(linkTypes, n);
            snaplens = Arrays.copyOf(snaplens, n);
            names = Arrays.copyOf(names, n);
            tsUnits = Arrays.copyOf(tsUnits, n);
            tsShift = Arrays.copyOf(tsShift, n);
            tsOffset = Arrays.copyOf(tsOffset, n);
            ifRecv = Arrays.copyOf(ifRecv, n);
            ifDrop = Arrays.copyOf(ifDrop, n);
        }
        linkTypes[id] = u16(p + 8);
        snaplens[id] = u32(p + 12);
        names[id] = null;
        tsUnits[id] = 1_000_000;                     // no if_tsresol: microseconds
        tsShift[id] = 0;
        tsOffset[id] = 0;
        ifRecv[id] = 0;
        ifDrop[id] = 0;
        boolean optionsRead = options(p, len, p + 16, "interface description", (code, o, olen) -> {
            switch (code) {
                case PcapngBlocks.IF_NAME -> names[id] = string(o, olen);
                case PcapngBlocks.IF_TSRESOL -> {
                    if (olen != 1) {
                        fail(p, "if_tsresol of " + olen + " bytes (must be 1)");
                        return false;
                    }
                    return resolution(p, id, data.get(java.lang.foreign.ValueLayout.JAVA_BYTE, o));
                }
                case PcapngBlocks.IF_TSOFFSET -> {
                    if (olen != 8) {
                        fail(p, "if_tsoffset of " + olen + " bytes (must be 8)");
                        return false;
                    }
                    tsOffset[id] = u64(o);
                }
                default -> { }
            }
            return true;
        });
        if (!optionsRead) {
            return false;
        }
        if (firstLinkType < 0) {
            firstLinkType = linkTypes[id];
            firstSnaplen = snaplens[id];
        }
        interfaces = id + 1;
        return true;
    }

    /** {@code if_tsresol}: bit 7 clear, 10^-v seconds; set, 2^-v seconds. */
    private boolean resolution(long p, int id, byte value) {
        int v = value & 0x7F;
        if ((value & 0x80) == 0) {
            if (v > 18) {
                fail(p, "if_tsresol 10^-" + v + " is finer than this reader supports (10^-18)");
                return false;
            }
            long units = 1;
            for (int i = 0; i < v; i++) {
                units *= 10;
            }
            tsUnits[id] = units;
        } else {
            if (v > 63) {
                fail(p, "if_tsresol 2^-" + v + " is finer than this reader supports (2^-63)");
                return false;
            }
            tsUnits[id] = 0;
            tsShift[id] = v;
        }
        return true;
    }

    /**
     * One packet block into {@code block}.
     * @return 1 when added, 0 when damaged (reported), -1 when it did not fit the block
     */
    private int packet(FileBlock block, int type, long p, long len) {
        int id;
        long ts;
        long caplen;
        int wireLen;
        long at;
        int pktType = FileBlock.PKTTYPE_UNKNOWN;
        if (type == PcapngBlocks.SPB) {
            if (len < PcapngBlocks.SPB_MIN) {
                fail(p, "simple packet block of " + len + " bytes: at least " + PcapngBlocks.SPB_MIN + " needed");
                return 0;
            }
            id = 0;
            ts = 0;
            wireLen = u32(p + 8);
            at = p + 12;
            caplen = Math.min(Integer.toUnsignedLong(wireLen), len - 16);
        } else {
            if (len < PcapngBlocks.EPB_MIN) {
                fail(p, "packet block of " + len + " bytes: at least " + PcapngBlocks.EPB_MIN + " needed");
                return 0;
            }
            id = type == PcapngBlocks.EPB ? u32(p + 8) : u16(p + 8);
            ts = (u32L(p + 12) << 32) | u32L(p + 16);
            caplen = u32L(p + 20);
            wireLen = u32(p + 24);
            at = p + 28;
            if (caplen > len - PcapngBlocks.EPB_MIN) {
                fail(p, "packet of " + caplen + " captured bytes in a block of " + len + " bytes");
                return 0;
            }
            if (type == PcapngBlocks.EPB) {
                int flags = epbFlags(p, at + pad4(caplen), p + len - 4);
                if (flags == -2) {
                    return 0;
                }
                if (flags >= 0) {
                    pktType = pktType(flags);
                }
            }
        }
        if (id < 0 || id >= interfaces) {
            fail(p, "packet for interface " + Integer.toUnsignedLong(id) + ", but the section describes "
                    + interfaces);
            return 0;
        }
        int max = maxCaplen(linkTypes[id]);
        if (type == PcapngBlocks.SPB) {
            // An SPB has no captured length of its own: the bytes it holds, cut as the interface says.
            caplen = Math.min(caplen, snaplens[id] > 0 ? Math.min(Integer.toUnsignedLong(snaplens[id]), max) : max);
        } else if (caplen > max) {
            fail(p, "packet of " + caplen + " captured bytes: more than the " + max + " a packet of link type "
                    + linkTypes[id] + " can have");
            return 0;
        }
        if (!block.fits((int) caplen)) {
            return -1;
        }
        long sec;
        long nanos;
        long units = tsUnits[id];
        if (units == 1_000_000_000L) {
            sec = Long.divideUnsigned(ts, units);
            nanos = Long.remainderUnsigned(ts, units);
        } else if (units > 0) {
            sec = Long.divideUnsigned(ts, units);
            long frac = Long.remainderUnsigned(ts, units);
            nanos = units <= 1_000_000_000L ? frac * (1_000_000_000L / units) : frac / (units / 1_000_000_000L);
        } else {
            int shift = tsShift[id];
            sec = shift == 0 ? ts : ts >>> shift;
            long frac = shift == 0 ? 0 : ts << (64 - shift);    // the fraction as a 64-bit binary fraction
            nanos = Math.unsignedMultiplyHigh(frac, 1_000_000_000L);
        }
        sec += tsOffset[id];
        int ic = (int) caplen;
        block.add(data, at, ic, wireLen, sec, (int) nanos, pktType, id, etherType(linkTypes[id], at, ic));
        return 1;
    }

    /** {@code epb_flags} among the options in [from, end): the value, -1 when absent, -2 when damaged (reported). */
    private int epbFlags(long p, long from, long end) {
        for (long o = from; o + 4 <= end; ) {
            int code = u16(o);
            int olen = u16(o + 2);
            if (code == PcapngBlocks.OPT_ENDOFOPT) {
                return -1;
            }
            if (o + 4 + olen > end) {
                fail(p, "option " + code + " of " + olen + " bytes runs past its packet block");
                return -2;
            }
            if (code == PcapngBlocks.EPB_FLAGS && olen == 4) {
                return u32(o + 4) & 0x7FFFFFFF;
            }
            o += 4 + pad4(olen);
        }
        return -1;
    }

    /** The kernel's {@code sll_pkttype} for an {@code epb_flags} direction and reception type. */
    static int pktType(int flags) {
        int direction = flags & 3;
        int reception = (flags >>> 2) & 7;
        if (direction == PcapngBlocks.DIRECTION_OUTBOUND) {
            return LinuxConstants.PACKET_OUTGOING;
        }
        return switch (reception) {
            case PcapngBlocks.RECEPTION_UNICAST -> LinuxConstants.PACKET_HOST;
            case PcapngBlocks.RECEPTION_MULTICAST -> LinuxConstants.PACKET_MULTICAST;
            case PcapngBlocks.RECEPTION_BROADCAST -> LinuxConstants.PACKET_BROADCAST;
            case PcapngBlocks.RECEPTION_PROMISCUOUS -> LinuxConstants.PACKET_OTHERHOST;
            default -> direction == PcapngBlocks.DIRECTION_INBOUND ? LinuxConstants.PACKET_HOST : FileBlock.PKTTYPE_UNKNOWN;
        };
    }

    private boolean statistics(long p, long len) {
        if (len < PcapngBlocks.ISB_MIN) {
            fail(p, "interface statistics of " + len + " bytes: at least " + PcapngBlocks.ISB_MIN + " needed");
            return false;
        }
        int id = u32(p + 8);
        if (id < 0 || id >= interfaces) {
            fail(p, "statistics for interface " + Integer.toUnsignedLong(id) + ", but the section describes "
                    + interfaces);
            return false;
        }
        return options(p, len, p + 20, "statistics block", (code, o, olen) -> {
            if (olen == 8 && code == PcapngBlocks.ISB_IFRECV) {
                ifRecv[id] = u64(o);
            } else if (olen == 8 && code == PcapngBlocks.ISB_IFDROP) {
                ifDrop[id] = u64(o);
            }
            return true;
        });
    }

    /** One option of a block: its code, where its value starts and its length; false stops the walk. */
    private interface OptionReader {
        boolean read(int code, long value, int length);
    }

    /**
     * Walks the options of the block at {@code p} from {@code first} up to the opt_endofopt or the
     * trailing length; false when one runs past the block (reported) or {@code reader} refused one.
     */
    private boolean options(long p, long len, long first, String block, OptionReader reader) {
        long end = p + len - 4;
        for (long o = first; o + 4 <= end; ) {
            int code = u16(o);
            int olen = u16(o + 2);
            if (code == PcapngBlocks.OPT_ENDOFOPT) {
                break;
            }
            if (o + 4 + olen > end) {
                fail(p, "option " + code + " of " + olen + " bytes runs past its " + block);
                return false;
            }
            if (!reader.read(code, o + 4, olen)) {
                return false;
            }
            o += 4 + pad4(olen);
        }
        return true;
    }

    private String string(long at, int len) {
        byte[] bytes = data.asSlice(at, len).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
        int n = bytes.length;
        while (n > 0 && bytes[n - 1] == 0) {
            n--;
        }
        return new String(bytes, 0, n, StandardCharsets.UTF_8);
    }

    static long pad4(long n) {
        return (n + 3) & ~3L;
    }
}
