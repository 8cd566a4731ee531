package io.netring.decode;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Reads a DNS name (RFC 1035 labels, compression pointers followed) from a message in any
 * segment into a reused buffer, without allocating. A loop of pointers is cut after 16 jumps;
 * a name cut short, too long or with a reserved label type reads as -1. {@link DnsView} reads
 * frames with it; the application parsers read messages that TCP carried.
 */
public final class DnsNameReader {
    /** Longest name text: 255 wire bytes give at most 253 characters; room to spare. */
    public static final int MAX_NAME = 255;
    /** Compression pointers followed in one name before it counts as a loop. */
    public static final int MAX_POINTERS = 16;

    private final byte[] name = new byte[MAX_NAME];
    private long end = -1;

    /** A reader with an empty buffer. */
    public DnsNameReader() {}

    /**
     * Reads the name at {@code offset} of {@code seg}, where the message starts at {@code message}
     * (pointers count from there) and its bytes end at {@code limit}. Returns the text's length
     * (dotted, no final dot, 0 for the root) or -1 when unreadable; sets {@link #end()}.
     */
    public int read(MemorySegment seg, long message, long limit, long offset) {
        long pos = offset;
        int out = 0;
        int pointers = 0;
        end = -1;
        if (offset < message) {
            return -1;
        }
        while (pos < limit) {
            int len = get8(seg, pos);
            if (len == 0) {
                if (end < 0) {
                    end = pos + 1;
                }
                return out;
            }
            if ((len & 0xC0) == 0xC0) {
                if (pos + 1 >= limit || ++pointers > MAX_POINTERS) {
                    return fail();
                }
                if (end < 0) {
                    end = pos + 2;
                }
                pos = message + (((len & 0x3F) << 8) | get8(seg, pos + 1));
                continue;
            }
            if ((len & 0xC0) != 0 || pos + 1 + len > limit || out + len + 1 > MAX_NAME) {
                return fail();
            }
            if (out > 0) {
                name[out++] = '.';
            }
            MemorySegment.copy(seg, ValueLayout.JAVA_BYTE, pos + 1, name, out, len);
            out += len;
            pos += 1 + len;
        }
        return fail();
    }

    /** Offset in the segment just after the name read last (where its record's type starts), -1 when unreadable. */
    public long end() {
        return end;
    }

    /** The buffer holding the text of the name read last (its length is what {@link #read} returned). */
    byte[] buffer() {
        return name;
    }

    /** Appends the first {@code length} characters of the name read last to {@code sb}. */
    public StringBuilder appendTo(StringBuilder sb, int length) {
        for (int i = 0; i < length; i++) {
            sb.append((char) (name[i] & 0xFF));
        }
        return sb;
    }

    private int fail() {
        end = -1;
        return -1;
    }

    private static int get8(MemorySegment seg, long at) {
        return Byte.toUnsignedInt(seg.get(ValueLayout.JAVA_BYTE, at));
    }
}
