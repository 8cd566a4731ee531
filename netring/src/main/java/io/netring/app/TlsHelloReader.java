package io.netring.app;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads one ClientHello or ServerHello body from {@code b[from, to)} (after the 4-byte
 * handshake header) into its record, fingerprints included. Null when a length field points
 * past the message: such a hello is counted, not guessed at.
 */
final class TlsHelloReader {
    private static final int EXT_SERVER_NAME = 0;
    private static final int EXT_SUPPORTED_GROUPS = 10;
    private static final int EXT_POINT_FORMATS = 11;
    private static final int EXT_SIGNATURE_ALGORITHMS = 13;
    private static final int EXT_ALPN = 16;
    private static final int EXT_SUPPORTED_VERSIONS = 43;
    private static final int RANDOM = 32;

    private final byte[] b;
    private final int to;
    private int pos;

    TlsHelloReader(byte[] b, int from, int to) {
        this.b = b;
        this.pos = from;
        this.to = to;
    }

    TlsClientHello clientHello() {
        if (!has(2 + RANDOM + 1)) {
            return null;
        }
        int version = u16();
        pos += RANDOM;
        if (!skip(u8())) {
            return null;
        }
        int cipherBytes = has(2) ? u16() : -1;
        if (cipherBytes < 0 || (cipherBytes & 1) != 0 || !has(cipherBytes)) {
            return null;
        }
        List<Integer> ciphers = new ArrayList<>();
        for (int end = pos + cipherBytes; pos < end; ) {
            ciphers.add(u16());
        }
        if (!has(1) || !skip(u8())) {
            return null;
        }
        String serverName = null;
        List<String> alpn = new ArrayList<>();
        List<Integer> versions = new ArrayList<>();
        List<Integer> extensions = new ArrayList<>();
        List<Integer> groups = new ArrayList<>();
        List<Integer> pointFormats = new ArrayList<>();
        List<Integer> signatureAlgorithms = new ArrayList<>();
        int extEnd = extensionsEnd();
        if (extEnd < 0) {
            return null;
        }
        while (pos < extEnd) {
            if (pos + 4 > extEnd) {
                return null;
            }
            int type = u16();
            int length = u16();
            int dataEnd = pos + length;
            if (dataEnd > extEnd) {
                return null;
            }
            extensions.add(type);
            switch (type) {
                case EXT_SERVER_NAME -> serverName = serverName(dataEnd);
                case EXT_ALPN -> alpnList(dataEnd, alpn);
                case EXT_SUPPORTED_VERSIONS -> list16(u8Length(dataEnd), dataEnd, versions);
                case EXT_SUPPORTED_GROUPS -> list16(u16Length(dataEnd), dataEnd, groups);
                case EXT_SIGNATURE_ALGORITHMS -> list16(u16Length(dataEnd), dataEnd, signatureAlgorithms);
                case EXT_POINT_FORMATS -> {
                    int n = u8Length(dataEnd);
                    for (int i = 0; i < n && pos < dataEnd; i++) {
                        pointFormats.add(u8());
                    }
                }
                default -> { }
            }
            pos = dataEnd;
        }
        String ja3 = version + "," + TlsFingerprints.dashed(ciphers) + "," + TlsFingerprints.dashed(extensions) + ","
                + TlsFingerprints.dashed(groups) + "," + TlsFingerprints.dashed(pointFormats);
        String ja4 = TlsFingerprints.ja4(version, ciphers, extensions, versions, extensions.contains(EXT_SERVER_NAME),
                alpn.isEmpty() ? null : alpnFirst, signatureAlgorithms);
        return new TlsClientHello(serverName, alpn, versions, ja3, TlsFingerprints.md5(ja3), ja4);
    }

    TlsServerHello serverHello() {
        if (!has(2 + RANDOM + 1)) {
            return null;
        }
        int version = u16();
        pos += RANDOM;
        if (!skip(u8()) || !has(3)) {
            return null;
        }
        int cipher = u16();
        pos++; // compression method
        int extEnd = extensionsEnd();
        if (extEnd < 0) {
            return null;
        }
        List<Integer> extensions = new ArrayList<>();
        List<String> alpn = new ArrayList<>();
        int selected = -1;
        while (pos < extEnd) {
            if (pos + 4 > extEnd) {
                return null;
            }
            int type = u16();
            int length = u16();
            if (pos + length > extEnd) {
                return null;
            }
            extensions.add(type);
            int dataEnd = pos + length;
            if (type == EXT_SUPPORTED_VERSIONS && length == 2) {
                selected = (b[pos] & 0xFF) << 8 | (b[pos + 1] & 0xFF);
            } else if (type == EXT_ALPN) {
                alpnList(dataEnd, alpn);
            }
            pos = dataEnd;
        }
        String ja3s = version + "," + cipher + "," + TlsFingerprints.dashed(extensions);
        return new TlsServerHello(version, cipher, ja3s, TlsFingerprints.md5(ja3s), selected,
                alpn.isEmpty() ? null : alpn.get(0));
    }

    /** The raw bytes of the first ALPN protocol, kept for JA4 (which looks at bytes, not text). */
    private byte[] alpnFirst;

    /** Where the extensions end (the message's end when there are none), or -1 when their length lies. */
    private int extensionsEnd() {
        if (pos == to) {
            return to;
        }
        if (!has(2)) {
            return -1;
        }
        int length = u16();
        return has(length) ? pos + length : -1;
    }

    private String serverName(int end) {
        int listLength = u16Length(end);
        int listEnd = Math.min(end, pos + listLength);
        while (pos + 3 <= listEnd) {
            int type = u8();
            int length = u16();
            if (pos + length > listEnd) {
                return null;
            }
            if (type == 0) {
                return new String(b, pos, length, StandardCharsets.ISO_8859_1);
            }
            pos += length;
        }
        return null;
    }

    private void alpnList(int end, List<String> out) {
        int listLength = u16Length(end);
        int listEnd = Math.min(end, pos + listLength);
        while (pos < listEnd) {
            int length = u8();
            if (pos + length > listEnd) {
                return;
            }
            if (alpnFirst == null) {
                alpnFirst = java.util.Arrays.copyOfRange(b, pos, pos + length);
            }
            out.add(new String(b, pos, length, StandardCharsets.ISO_8859_1));
            pos += length;
        }
    }

    private void list16(int length, int end, List<Integer> out) {
        int listEnd = Math.min(end, pos + length);
        while (pos + 2 <= listEnd) {
            out.add(u16());
        }
    }

    /** A one-byte length field inside an extension ending at {@code end} (0 when it is missing). */
    private int u8Length(int end) {
        return pos + 1 <= end ? u8() : 0;
    }

    private int u16Length(int end) {
        return pos + 2 <= end ? u16() : 0;
    }

    private boolean has(int n) {
        return n >= 0 && pos + n <= to;
    }

    private boolean skip(int n) {
        if (!has(n)) {
            return false;
        }
        pos += n;
        return true;
    }

    private int u8() {
        return b[pos++] & 0xFF;
    }

    private int u16() {
        int v = (b[pos] & 0xFF) << 8 | (b[pos + 1] & 0xFF);
        pos += 2;
        return v;
    }
}
