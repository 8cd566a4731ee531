package io.netring.app;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The application protocol a TCP direction speaks, recognised from its first bytes on any port
 * (never from the port number).
 */
public enum Service {
    /** HTTP/1.x: a request line's method, or {@code HTTP/1.} opening a response. */
    HTTP,
    /** TLS: a handshake record of version 3.x. */
    TLS,
    /** DNS over TCP: a 2-byte length, then a header with one question. */
    DNS,
    /** SSH: the {@code SSH-} banner. */
    SSH,
    /** Nothing recognised. */
    UNKNOWN;

    /** Bytes {@link #of} looks at, at most; fewer can be enough. */
    public static final int DETECTION_BYTES = 16;

    private static final byte[][] HTTP_STARTS = {
        ascii("GET "), ascii("POST "), ascii("HEAD "), ascii("PUT "), ascii("DELETE "), ascii("OPTIONS "),
        ascii("PATCH "), ascii("CONNECT "), ascii("TRACE "), ascii("HTTP/1.")
    };
    private static final byte[] SSH_START = ascii("SSH-");
    private static final int DNS_HEADER = 12;

    /** The service {@code firstBytes} (a direction's first bytes) open; UNKNOWN when none fits. */
    public static Service of(MemorySegment firstBytes) {
        Service s = detect(firstBytes, 0, firstBytes.byteSize(), true);
        return s == null ? UNKNOWN : s;
    }

    /**
     * The service the {@code length} bytes at {@code offset} open, or null when more bytes could
     * still decide it and {@code last} is false.
     */
    static Service detect(MemorySegment s, long offset, long length, boolean last) {
        long n = Math.min(length, DETECTION_BYTES);
        if (n == 0) {
            return last ? UNKNOWN : null;
        }
        if (u8(s, offset) == 0x16) {
            if (n < 3) {
                return last ? UNKNOWN : null;
            }
            return u8(s, offset + 1) == 3 && u8(s, offset + 2) <= 4 ? TLS : dnsOrUnknown(s, offset, n, last);
        }
        boolean couldGrow = false;
        for (byte[] start : HTTP_STARTS) {
            int m = matched(s, offset, n, start);
            if (m == start.length) {
                return HTTP;
            }
            couldGrow |= m == n;
        }
        int m = matched(s, offset, n, SSH_START);
        if (m == SSH_START.length) {
            return SSH;
        }
        couldGrow |= m == n;
        Service dns = dnsOrUnknown(s, offset, n, last);
        return dns == null || (dns == UNKNOWN && couldGrow && !last) ? null : dns;
    }

    /** DNS over TCP by shape: length of a header at least, opcode in use, Z clear, one question. */
    private static Service dnsOrUnknown(MemorySegment s, long offset, long n, boolean last) {
        if (n < 2 + DNS_HEADER) {
            return last ? UNKNOWN : null;
        }
        int length = u16(s, offset);
        int flags = u16(s, offset + 4);
        int opcode = (flags >> 11) & 0xF;
        boolean opcodeInUse = opcode <= 2 || opcode == 4 || opcode == 5;
        boolean shape = length >= DNS_HEADER + 5 && opcodeInUse && (flags & 0x40) == 0 && u16(s, offset + 6) == 1
                && u16(s, offset + 8) < 256 && u16(s, offset + 10) < 256 && u16(s, offset + 12) < 256;
        return shape ? DNS : UNKNOWN;
    }

    /** How many leading bytes of {@code start} the data matches (stops at the first difference). */
    private static int matched(MemorySegment s, long offset, long n, byte[] start) {
        int i = 0;
        while (i < start.length && i < n && u8(s, offset + i) == start[i]) {
            i++;
        }
        return i;
    }

    private static int u8(MemorySegment s, long at) {
        return Byte.toUnsignedInt(s.get(ValueLayout.JAVA_BYTE, at));
    }

    private static int u16(MemorySegment s, long at) {
        return (u8(s, at) << 8) | u8(s, at + 1);
    }

    private static byte[] ascii(String text) {
        return text.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }
}
