package io.netring.cli;

import io.netring.Packet;
import io.netring.decode.PacketDecoder;

import java.io.PrintWriter;
import java.time.ZoneId;
import java.time.zone.ZoneRules;

/**
 * Prints one captured packet in the chosen form (tcpdump line, tshark fields or JSON): decodes
 * it once with a reused {@link PacketDecoder} and writes into one reused builder.
 */
final class PacketPrinter {
    private final TcpdumpLine tcpdump;
    private final FieldPrinter fields;
    private final JsonPrinter json;
    private final PacketDecoder decoder = new PacketDecoder();
    private final PacketLayers layers = new PacketLayers(decoder);
    private final FrameMeta meta = new FrameMeta();
    private final StringBuilder sb = new StringBuilder(256);
    private char[] line = new char[256];
    private final ZoneRules zone = ZoneId.systemDefault().getRules();
    private long number;
    /** The zone offset of the last second printed: looked up again only when the second changes. */
    private long offsetSecond = Long.MIN_VALUE;
    private int offsetSeconds;

    private PacketPrinter(TcpdumpLine tcpdump, FieldPrinter fields, JsonPrinter json) {
        this.tcpdump = tcpdump;
        this.fields = fields;
        this.json = json;
    }

    static PacketPrinter tcpdump(TcpdumpLine line) {
        return new PacketPrinter(line, null, null);
    }

    static PacketPrinter fields(FieldPrinter fields) {
        return new PacketPrinter(null, fields, null);
    }

    static PacketPrinter json(JsonPrinter json) {
        return new PacketPrinter(null, null, json);
    }

    /** Prints {@code p} as the next packet of the capture. */
    void print(Packet p, PrintWriter out) {
        var ts = p.timestamp();
        decoder.decode(p);
        meta.set(++number, ts, p.length(), p.originalLength());
        sb.setLength(0);
        if (tcpdump != null) {
            appendTime(sb, ts.seconds(), ts.nanos()).append(' ');
            tcpdump.append(sb, decoder);
        } else if (fields != null) {
            fields.append(sb, layers.refresh(), meta);
        } else {
            json.append(sb, layers.refresh(), meta);
        }
        // Through a reused char array: append(sb) would make a String of every line.
        sb.append('\n');
        int n = sb.length();
        if (n > line.length) {
            line = new char[Math.max(n, 2 * line.length)];
        }
        sb.getChars(0, n, line, 0);
        out.write(line, 0, n);
    }

    /** tcpdump's default time: local HH:MM:SS.microseconds. */
    private StringBuilder appendTime(StringBuilder b, long seconds, int nanos) {
        if (seconds != offsetSecond) {
            offsetSecond = seconds;
            offsetSeconds = zone.getOffset(java.time.Instant.ofEpochSecond(seconds)).getTotalSeconds();
        }
        long local = seconds + offsetSeconds;
        int secOfDay = (int) Math.floorMod(local, 86_400L);
        two(b, secOfDay / 3600).append(':');
        two(b, secOfDay / 60 % 60).append(':');
        two(b, secOfDay % 60).append('.');
        int micros = nanos / 1000;
        for (int div = 100_000; div > 0; div /= 10) {
            b.append((char) ('0' + micros / div % 10));
        }
        return b;
    }

    private static StringBuilder two(StringBuilder b, int v) {
        return b.append((char) ('0' + v / 10)).append((char) ('0' + v % 10));
    }
}
