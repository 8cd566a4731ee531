package io.netring.app;

import io.netring.decode.AddressText;
import io.netring.decode.DnsNameReader;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads one whole DNS message in place (a UDP payload, or a TCP message without its length
 * prefix): the questions' names and the A, AAAA and CNAME records of every section, in tshark's
 * text forms. Names go through {@link DnsNameReader}, which follows compression and cuts loops.
 */
final class DnsMessageReader {
    static final int HEADER = 12;
    private static final int TYPE_A = 1;
    private static final int TYPE_CNAME = 5;
    private static final int TYPE_AAAA = 28;
    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private final DnsNameReader names = new DnsNameReader();

    /**
     * True when the {@code length} bytes at {@code offset} are exactly one DNS message: a header,
     * its questions and records, nothing left over. Allocates nothing.
     */
    boolean wellFormed(MemorySegment s, long offset, long length) {
        return walk(s, offset, length, null) == offset + length;
    }

    /** The message at {@code offset}, read as far as its bytes go; null when even the header or a question is cut short. */
    DnsMessage read(MemorySegment s, long offset, long length) {
        Lists lists = new Lists();
        return walk(s, offset, length, lists) < 0 ? null
                : new DnsMessage(u16(s, offset), (u16(s, offset + 2) & 0x8000) != 0, lists.queries, lists.a, lists.aaaa,
                        lists.cname);
    }

    /** The values a message gives, filled while walking. */
    private static final class Lists {
        final List<String> queries = new ArrayList<>();
        final List<String> a = new ArrayList<>();
        final List<String> aaaa = new ArrayList<>();
        final List<String> cname = new ArrayList<>();
    }

    /**
     * Walks the message; returns the offset after the last record read, or -1 when the header
     * or a question is unreadable. Records that are cut short end the walk where they start.
     */
    private long walk(MemorySegment s, long message, long length, Lists out) {
        long end = message + length;
        if (length < HEADER) {
            return -1;
        }
        long pos = message + HEADER;
        for (int q = u16(s, message + 4); q > 0; q--) {
            int n = names.read(s, message, end, pos);
            if (n < 0 || names.end() + 4 > end) {
                return -1;
            }
            if (out != null) {
                out.queries.add(text(n));
            }
            pos = names.end() + 4;
        }
        int records = u16(s, message + 6) + u16(s, message + 8) + u16(s, message + 10);
        for (int r = 0; r < records; r++) {
            if (names.read(s, message, end, pos) < 0 || names.end() + 10 > end) {
                return pos;
            }
            long rr = names.end();
            int type = u16(s, rr);
            int rdLength = u16(s, rr + 8);
            long data = rr + 10;
            if (data + rdLength > end) {
                return pos;
            }
            if (out != null) {
                record(s, message, end, data, rdLength, type, out);
            }
            pos = data + rdLength;
        }
        return pos;
    }

    private void record(MemorySegment s, long message, long end, long data, int rdLength, int type, Lists out) {
        if (type == TYPE_A && rdLength == 4) {
            out.a.add(AddressText.ipv4(s.get(U32, data)));
        } else if (type == TYPE_AAAA && rdLength == 16) {
            out.aaaa.add(AddressText.ipv6(s.get(U64, data), s.get(U64, data + 8)));
        } else if (type == TYPE_CNAME) {
            int n = names.read(s, message, end, data); // a pointer may lead anywhere in the message
            if (n >= 0) {
                out.cname.add(text(n));
            }
        }
    }

    /** The name read last as tshark writes it: dotted, {@code <Root>} for the root. */
    private String text(int n) {
        return n == 0 ? "<Root>" : names.appendTo(new StringBuilder(n), n).toString();
    }

    private static int u16(MemorySegment s, long at) {
        return Short.toUnsignedInt(s.get(U16, at));
    }
}
