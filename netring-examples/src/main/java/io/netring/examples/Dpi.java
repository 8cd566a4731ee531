package io.netring.examples;

import io.netring.Capture;
import io.netring.decode.DnsView;
import io.netring.decode.Layer;
import io.netring.decode.PacketDecoder;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code bin/example dpi IFACE [COUNT]}: deep packet inspection. Recognises HTTP, TLS (with the
 * SNI of a ClientHello), DNS and SSH. The headers come from {@link PacketDecoder}'s views (one
 * decoder reused for every packet, nothing copied); the payload is read in place through a
 * small bounds-checked view. Truncated or garbage frames are reported as unknown, never thrown on.
 */
public final class Dpi {
    private Dpi() {}

    /** What a frame was found to carry. */
    public record Finding(String protocol, String detail) {
        @Override
        public String toString() {
            return protocol + (detail.isEmpty() ? "" : " " + detail);
        }
    }

    public static final Finding UNKNOWN = new Finding("unknown", "");

    public static void main(String[] args) throws Exception {
        String iface = Args.interfaceName(args, "dpi IFACE [COUNT]");
        long count = Args.number(args, 1, 20);
        Map<String, Integer> tally = new TreeMap<>();
        PacketDecoder decoder = new PacketDecoder();       // one decoder, reused for every packet
        try (Capture cap = Capture.open(iface)) {
            cap.packets().limit(count).forEach(pkt -> {
                Finding f = classify(decoder.decode(pkt));
                tally.merge(f.protocol(), 1, Integer::sum);
                if (f != UNKNOWN) {
                    System.out.println(f);
                }
            });
        }
        System.out.println("seen: " + tally);
    }

    /** Classifies an Ethernet frame (starting at the MAC header). */
    public static Finding classify(MemorySegment frame) {
        return classify(new PacketDecoder().decode(frame));
    }

    /** Classifies the frame {@code d} has just decoded, from its transport ports and payload. */
    public static Finding classify(PacketDecoder d) {
        if (d.has(Layer.DNS)) {
            return dns(d.dns());
        }
        int payload = d.payloadOffset();
        int length = d.payloadLength();
        if (!d.has(Layer.TCP) || length <= 0) {
            return UNKNOWN;
        }
        View p = new View(d.segment().asSlice(d.offset() + payload, length));
        Finding found = ssh(p);
        if (found == UNKNOWN) {
            found = http(p);
        }
        if (found == UNKNOWN) {
            found = tls(p);
        }
        return found;
    }

    private static final String[] METHODS = {"GET ", "POST ", "PUT ", "HEAD ", "DELETE ", "OPTIONS ", "PATCH ", "CONNECT "};

    static Finding http(View p) {
        String line = p.line(0, 512);
        if (line.startsWith("HTTP/1.")) {
            return new Finding("HTTP", "response " + line.substring(Math.min(line.length(), 9)).trim());
        }
        for (String m : METHODS) {
            if (line.startsWith(m) && line.contains(" HTTP/")) {
                return new Finding("HTTP", "request " + line.substring(0, line.lastIndexOf(" HTTP/")));
            }
        }
        return UNKNOWN;
    }

    static Finding ssh(View p) {
        String line = p.line(0, 255);
        return line.startsWith("SSH-") ? new Finding("SSH", line) : UNKNOWN;
    }

    /** A TLS record carrying a handshake; for a ClientHello, the server_name extension. */
    static Finding tls(View p) {
        if (p.u8(0) != 0x16 || p.u8(1) != 0x03 || p.u8(5) < 0) {
            return UNKNOWN;
        }
        if (p.u8(5) != 0x01) {
            return new Finding("TLS", "handshake");
        }
        int at = 5 + 4 + 2 + 32;                       // record hdr, handshake hdr, version, random
        int sessionLen = p.u8(at);
        if (sessionLen < 0) {
            return new Finding("TLS", "ClientHello (truncated)");
        }
        at += 1 + sessionLen;
        int suites = p.u16(at);
        if (suites < 0) {
            return new Finding("TLS", "ClientHello (truncated)");
        }
        at += 2 + suites;
        int compression = p.u8(at);
        if (compression < 0) {
            return new Finding("TLS", "ClientHello (truncated)");
        }
        at += 1 + compression;
        int extEnd = at + 2 + Math.max(0, p.u16(at));
        at += 2;
        while (at + 4 <= extEnd) {
            int type = p.u16(at);
            int len = p.u16(at + 2);
            if (type < 0 || len < 0) {
                break;
            }
            if (type == 0x0000) {                      // server_name: list len, type 0, name len, name
                int nameLen = p.u16(at + 4 + 3);
                String name = p.ascii(at + 4 + 5, nameLen);
                return name == null ? new Finding("TLS", "ClientHello (truncated SNI)") : new Finding("TLS", "ClientHello SNI " + name);
            }
            at += 4 + len;
        }
        return new Finding("TLS", "ClientHello");
    }

    /** The DNS header and first question, read in place by the decoder's view. */
    static Finding dns(DnsView dns) {
        if (dns.questionCount() < 1) {
            return new Finding("DNS", "(malformed)");
        }
        StringBuilder name = new StringBuilder();
        if (!dns.appendQuestionName(name)) {
            return new Finding("DNS", "(truncated or malformed name)");
        }
        return new Finding("DNS", (dns.isResponse() ? "response " : "query ") + name);
    }

    /** A bounds-checked, zero-copy view: reads past the end give -1 or null, never an exception. */
    static final class View {
        private final MemorySegment s;

        View(MemorySegment s) {
            this.s = s;
        }

        boolean has(long offset, long length) {
            return offset >= 0 && length >= 0 && offset + length <= s.byteSize();
        }

        int u8(long offset) {
            return has(offset, 1) ? Byte.toUnsignedInt(s.get(ValueLayout.JAVA_BYTE, offset)) : -1;
        }

        int u16(long offset) {
            return has(offset, 2) ? (u8(offset) << 8) | u8(offset + 1) : -1;
        }

        /** Printable ASCII of exactly {@code length} bytes, or null when out of range or not text. */
        String ascii(long offset, int length) {
            if (length < 0 || !has(offset, length)) {
                return null;
            }
            byte[] b = s.asSlice(offset, length).toArray(ValueLayout.JAVA_BYTE);
            for (byte c : b) {
                if (c < 0x20 || c > 0x7E) {
                    return null;
                }
            }
            return new String(b, StandardCharsets.US_ASCII);
        }

        /** The text up to CR/LF (at most {@code max} bytes); empty when the bytes are not text. */
        String line(long offset, int max) {
            StringBuilder sb = new StringBuilder();
            for (long i = offset; i < offset + max; i++) {
                int c = u8(i);
                if (c < 0 || c == '\r' || c == '\n') {
                    break;
                }
                if (c < 0x20 || c > 0x7E) {
                    return "";
                }
                sb.append((char) c);
            }
            return sb.toString();
        }
    }
}
