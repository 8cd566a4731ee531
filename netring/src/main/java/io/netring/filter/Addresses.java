package io.netring.filter;

import java.util.regex.Pattern;

/** Parses the address literals of the filter language: IPv4 (also partial, {@code 10.1}), IPv6 and MAC. */
final class Addresses {
    private static final Pattern MAC_COLON = Pattern.compile("[0-9A-Fa-f]{1,2}(:[0-9A-Fa-f]{1,2}){5}");
    private static final Pattern MAC_DASH = Pattern.compile("[0-9A-Fa-f]{1,2}(-[0-9A-Fa-f]{1,2}){5}");
    private static final Pattern MAC_DOT = Pattern.compile("[0-9A-Fa-f]{4}\\.[0-9A-Fa-f]{4}\\.[0-9A-Fa-f]{4}");
    private static final Pattern MAC_PLAIN = Pattern.compile("[0-9A-Fa-f]{12}");
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){0,3}");

    private Addresses() {
    }

    /** An IPv4 address of 1 to 4 parts: its value with the parts left-aligned and its length in bits (8 per part). */
    record Ipv4(int value, int bits) {
    }

    static boolean isMacOrIpv6(String w) {
        return isMac(w) || ipv6(w) != null;
    }

    static boolean isMac(String w) {
        return MAC_COLON.matcher(w).matches() || MAC_DASH.matcher(w).matches() || MAC_DOT.matcher(w).matches();
    }

    /** The six bytes of a MAC address in any of libpcap's spellings (also 12 hex digits), or null. */
    static byte[] mac(String w) {
        String hex;
        if (MAC_COLON.matcher(w).matches() || MAC_DASH.matcher(w).matches()) {
            String[] parts = w.split("[:-]");
            byte[] out = new byte[6];
            for (int i = 0; i < 6; i++) {
                out[i] = (byte) Integer.parseInt(parts[i], 16);
            }
            return out;
        } else if (MAC_DOT.matcher(w).matches()) {
            hex = w.replace(".", "");
        } else if (MAC_PLAIN.matcher(w).matches()) {
            hex = w;
        } else {
            return null;
        }
        byte[] out = new byte[6];
        for (int i = 0; i < 6; i++) {
            out[i] = (byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
        }
        return out;
    }

    /** A dotted IPv4 address of 1 to 4 decimal parts each at most 255, or null. */
    static Ipv4 ipv4(String w) {
        if (!IPV4.matcher(w).matches()) {
            return null;
        }
        String[] parts = w.split("\\.");
        int v = 0;
        for (String part : parts) {
            int b = Integer.parseInt(part);
            if (b > 255) {
                return null;
            }
            v = (v << 8) | b;
        }
        return new Ipv4(v, parts.length * 8);
    }

    /** The 16 bytes of an IPv6 address (RFC 4291 text, an embedded IPv4 tail allowed), or null. */
    static byte[] ipv6(String w) {
        if (w.indexOf(':') < 0 || !w.matches("[0-9A-Fa-f:.]+")) {
            return null;
        }
        int dbl = w.indexOf("::");
        if (dbl >= 0 && w.indexOf("::", dbl + 1) >= 0) {
            return null;
        }
        String head = dbl >= 0 ? w.substring(0, dbl) : w;
        String tail = dbl >= 0 ? w.substring(dbl + 2) : "";
        int[] headWords = words(head);
        int[] tailWords = words(tail);
        if (headWords == null || tailWords == null) {
            return null;
        }
        int total = headWords.length + tailWords.length;
        if ((dbl < 0 && total != 8) || (dbl >= 0 && total > 7)) {
            return null;
        }
        byte[] out = new byte[16];
        for (int i = 0; i < headWords.length; i++) {
            out[2 * i] = (byte) (headWords[i] >> 8);
            out[2 * i + 1] = (byte) headWords[i];
        }
        for (int i = 0; i < tailWords.length; i++) {
            int at = 8 - tailWords.length + i;
            out[2 * at] = (byte) (tailWords[i] >> 8);
            out[2 * at + 1] = (byte) tailWords[i];
        }
        return out;
    }

    private static int[] words(String s) {
        if (s.isEmpty()) {
            return new int[0];
        }
        String[] parts = s.split(":", -1);
        int n = parts.length;
        boolean v4Tail = parts[n - 1].contains(".");
        int[] out = new int[v4Tail ? n + 1 : n];
        for (int i = 0; i < n; i++) {
            String p = parts[i];
            if (i == n - 1 && v4Tail) {
                Ipv4 v4 = ipv4(p);
                if (v4 == null || v4.bits() != 32) {
                    return null;
                }
                out[i] = v4.value() >>> 16;
                out[i + 1] = v4.value() & 0xffff;
            } else {
                if (p.isEmpty() || p.length() > 4 || !p.matches("[0-9A-Fa-f]+")) {
                    return null;
                }
                out[i] = Integer.parseInt(p, 16);
            }
        }
        return out;
    }
}
