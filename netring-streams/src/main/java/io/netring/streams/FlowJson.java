package io.netring.streams;

import io.netring.app.Service;
import io.netring.flow.FlowEndReason;
import io.netring.flow.FlowRecord;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Reads back the JSON of a {@link SourcedFlowRecord}: a flat object of strings and integers, as
 * {@link FlowRecord#toJson()} writes it. What that JSON leaves out (VLAN id, the per-direction
 * first and last times) reads as 0.
 */
final class FlowJson {
    private FlowJson() {}

    static SourcedFlowRecord parse(String json) {
        Map<String, String> f = fields(json);
        byte[] src = address(f, "src"), dst = address(f, "dst");
        ByteBuffer s = ByteBuffer.wrap(wide(src)), d = ByteBuffer.wrap(wide(dst));
        FlowRecord r = new FlowRecord(src.length == 4 ? 4 : 6, integer(f, "proto"),
                s.getLong(), s.getLong(), integer(f, "srcPort"), d.getLong(), d.getLong(), integer(f, "dstPort"), 0,
                number(f, "packets"), number(f, "bytes"), number(f, "reversePackets"), number(f, "reverseBytes"),
                nanos(f, "firstSeen"), nanos(f, "lastSeen"), 0, 0, 0, integer(f, "tcpFlags"), integer(f, "reverseTcpFlags"),
                text(f, "history"), endReason(text(f, "endReason")),
                Service.valueOf(text(f, "service").toUpperCase(Locale.ROOT)), f.get("serverName"));
        return new SourcedFlowRecord(text(f, "source"), r);
    }

    /** An IPv4 address widened to 16 bytes with zeros in front, as FlowRecord keeps it (hi 0, lo the address). */
    private static byte[] wide(byte[] address) {
        byte[] out = new byte[16];
        System.arraycopy(address, 0, out, 16 - address.length, address.length);
        return out;
    }

    private static byte[] address(Map<String, String> f, String name) {
        String text = text(f, name);
        try {
            return InetAddress.ofLiteral(text).getAddress();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("flow record field " + name + ": not an IP address: " + f.get(name));
        }
    }

    private static FlowEndReason endReason(String name) {
        for (FlowEndReason r : FlowEndReason.values()) {
            if (r.jsonName().equals(name)) {
                return r;
            }
        }
        throw new IllegalArgumentException("flow record field endReason: unknown value " + name);
    }

    private static long nanos(Map<String, String> f, String name) {
        Instant t = Instant.parse(text(f, name));
        return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000_000L), t.getNano());
    }

    private static String text(Map<String, String> f, String name) {
        String v = f.get(name);
        if (v == null) {
            throw new IllegalArgumentException("flow record without field " + name);
        }
        return v;
    }

    private static long number(Map<String, String> f, String name) {
        try {
            return Long.parseLong(text(f, name));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("flow record field " + name + ": not an integer: " + f.get(name));
        }
    }

    private static int integer(Map<String, String> f, String name) {
        return Math.toIntExact(number(f, name));
    }

    /** The name/value pairs of a flat JSON object; strings unescaped, numbers as their text. */
    private static Map<String, String> fields(String json) {
        Map<String, String> out = new HashMap<>();
        int[] at = {skip(json, 0)};
        expect(json, at, '{');
        while (true) {
            at[0] = skip(json, at[0]);
            if (at[0] < json.length() && json.charAt(at[0]) == '}') {
                return out;
            }
            String name = string(json, at);
            at[0] = skip(json, at[0]);
            expect(json, at, ':');
            at[0] = skip(json, at[0]);
            String value;
            if (at[0] < json.length() && json.charAt(at[0]) == '"') {
                value = string(json, at);
            } else {
                int start = at[0];
                while (at[0] < json.length() && "-0123456789".indexOf(json.charAt(at[0])) >= 0) {
                    at[0]++;
                }
                if (start == at[0]) {
                    throw new IllegalArgumentException("flow record JSON: expected a string or an integer at " + start);
                }
                value = json.substring(start, at[0]);
            }
            out.put(name, value);
            at[0] = skip(json, at[0]);
            if (at[0] < json.length() && json.charAt(at[0]) == ',') {
                at[0]++;
            }
        }
    }

    private static String string(String json, int[] at) {
        expect(json, at, '"');
        StringBuilder sb = new StringBuilder();
        while (at[0] < json.length()) {
            char c = json.charAt(at[0]++);
            if (c == '"') {
                return sb.toString();
            }
            if (c == '\\' && at[0] < json.length()) {
                char e = json.charAt(at[0]++);
                if (e == 'u' && at[0] + 4 <= json.length()) {
                    sb.append((char) Integer.parseInt(json, at[0], at[0] + 4, 16));
                    at[0] += 4;
                } else {
                    sb.append(e);
                }
            } else {
                sb.append(c);
            }
        }
        throw new IllegalArgumentException("flow record JSON: a string runs to the end");
    }

    private static void expect(String json, int[] at, char c) {
        if (at[0] >= json.length() || json.charAt(at[0]) != c) {
            throw new IllegalArgumentException("flow record JSON: expected '" + c + "' at " + at[0]);
        }
        at[0]++;
    }

    private static int skip(String json, int at) {
        while (at < json.length() && Character.isWhitespace(json.charAt(at))) {
            at++;
        }
        return at;
    }
}
