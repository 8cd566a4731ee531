package io.netring.app;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * JA3/JA3S (MD5 of the decimal lists, GREASE left out, as tshark 4.0 computes them) and JA4
 * (FoxIO: counts and the first ALPN in clear, SHA-256 of the sorted hex lists, 12 digits).
 */
final class TlsFingerprints {
    private static final String NO_HASH = "000000000000";

    private TlsFingerprints() {}

    /** GREASE (RFC 8701): 0x0A0A, 0x1A1A … 0xFAFA. */
    static boolean grease(int v) {
        return (v & 0x0F0F) == 0x0A0A && (v >> 8) == (v & 0xFF);
    }

    /** The values that are not GREASE, in order, joined by '-'. */
    static String dashed(List<Integer> values) {
        StringBuilder sb = new StringBuilder();
        for (int v : values) {
            if (!grease(v)) {
                if (!sb.isEmpty()) {
                    sb.append('-');
                }
                sb.append(v);
            }
        }
        return sb.toString();
    }

    static String md5(String text) {
        return hex(digest("MD5", text));
    }

    static String ja4(int legacyVersion, List<Integer> ciphers, List<Integer> extensions, List<Integer> supportedVersions,
            boolean serverName, byte[] firstAlpn, List<Integer> signatureAlgorithms) {
        int version = legacyVersion;
        boolean listed = false;
        for (int v : supportedVersions) {
            if (!grease(v) && (!listed || v > version)) {
                version = v;
                listed = true;
            }
        }
        List<Integer> cs = ciphers.stream().filter(v -> !grease(v)).toList();
        List<Integer> ext = extensions.stream().filter(v -> !grease(v)).toList();
        String a = "t" + versionCode(version) + (serverName ? 'd' : 'i') + twoDigits(cs.size()) + twoDigits(ext.size())
                + alpnCode(firstAlpn);
        String b = cs.isEmpty() ? NO_HASH : sha12(sortedHex(cs));
        List<Integer> hashed = ext.stream().filter(v -> v != 0x0000 && v != 0x0010).toList();
        List<Integer> sigs = signatureAlgorithms.stream().filter(v -> !grease(v)).toList();
        String c = hashed.isEmpty() ? NO_HASH
                : sha12(sortedHex(hashed) + (sigs.isEmpty() ? "" : "_" + hexList(sigs)));
        return a + "_" + b + "_" + c;
    }

    private static String versionCode(int v) {
        return switch (v) {
            case 0x0304 -> "13";
            case 0x0303 -> "12";
            case 0x0302 -> "11";
            case 0x0301 -> "10";
            case 0x0300 -> "s3";
            case 0x0002 -> "s2";
            case 0xfeff -> "d1";
            case 0xfefd -> "d2";
            case 0xfefc -> "d3";
            default -> "00";
        };
    }

    private static String twoDigits(int n) {
        int v = Math.min(n, 99);
        return v < 10 ? "0" + v : Integer.toString(v);
    }

    /** The first and last characters of the first ALPN value, or of its hex form when either is not alphanumeric. */
    private static String alpnCode(byte[] alpn) {
        if (alpn == null || alpn.length == 0) {
            return "00";
        }
        int first = alpn[0] & 0xFF;
        int last = alpn[alpn.length - 1] & 0xFF;
        if (alphanumeric(first) && alphanumeric(last)) {
            return "" + (char) first + (char) last;
        }
        String hex = HexFormat.of().formatHex(alpn);
        return "" + hex.charAt(0) + hex.charAt(hex.length() - 1);
    }

    private static boolean alphanumeric(int c) {
        return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    }

    private static String sortedHex(List<Integer> values) {
        return hexList(values.stream().sorted().toList());
    }

    private static String hexList(List<Integer> values) {
        StringBuilder sb = new StringBuilder();
        for (int v : values) {
            if (!sb.isEmpty()) {
                sb.append(',');
            }
            sb.append(HexFormat.of().toHexDigits((short) v));
        }
        return sb.toString();
    }

    static String sha12(String text) {
        return hex(digest("SHA-256", text)).substring(0, 12);
    }

    private static byte[] digest(String algorithm, String text) {
        try {
            return MessageDigest.getInstance(algorithm).digest(text.getBytes(StandardCharsets.US_ASCII));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is missing from this JDK", e);
        }
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
