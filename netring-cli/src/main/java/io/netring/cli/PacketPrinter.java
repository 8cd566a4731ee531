package io.netring.cli;

import io.netring.Packet;
import io.netring.decode.PacketDecoder;

import java.io.PrintWriter;
import java.util.List;
import java.util.TimeZone;

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
    /** Defragmentation for -T output (tcpdump's text shows fragments as they are, as tcpdump does). */
    private final boolean defragment;
    private FragmentLines fragments;
    /** Whether a chosen field is {@code ip.reassembled_in} or {@code ipv6.reassembled.in}, the two-pass fields. */
    private final boolean namesReassembledIn;
    /** Reassembly and application parsers, only when a requested field needs them. */
    private final ApplicationFields app;
    private PrintWriter fragmentsOut;
    private final FrameMeta meta = new FrameMeta();
    private final StringBuilder sb = new StringBuilder(256);
    private char[] line = new char[256];
    /**
     * The local time zone as java.util's: java.time's rules (ZoneId.systemDefault().getRules())
     * are the same tzdb data but first look for other rule providers on the whole class path,
     * some 40 ms of a short run's start.
     */
    private final TimeZone zone = TimeZone.getDefault();
    private long number;
    /** The zone offset of the last second printed: looked up again only when the second changes. */
    private long offsetSecond = Long.MIN_VALUE;
    private int offsetSeconds;

    /** tcpdump's -t count: 0 time of day, 1 none, 2 epoch seconds, 3 delta to the previous, 4 date and time, 5 delta to the first. */
    private final int timeFormat;
    /** The previous (or, for -ttttt, the first) packet's time in microseconds, or -1 before the first. */
    private long referenceMicros = -1;
    /** -tttt's date, made again only when the day changes. */
    private long dateDay = Long.MIN_VALUE;
    private String dateText;

    private PacketPrinter(TcpdumpLine tcpdump, FieldPrinter fields, JsonPrinter json, int timeFormat, boolean defragment) {
        this.tcpdump = tcpdump;
        this.fields = fields;
        this.json = json;
        this.timeFormat = timeFormat;
        this.defragment = defragment;
        List<String> names = fields != null ? fields.names() : json != null ? json.names() : List.of();
        this.app = FieldPrinter.needsApplication(names) ? new ApplicationFields() : null;
        this.namesReassembledIn = names.contains("ip.reassembled_in") || names.contains("ipv6.reassembled.in");
    }

    private PacketPrinter(TcpdumpLine tcpdump, FieldPrinter fields, JsonPrinter json) {
        this(tcpdump, fields, json, 0, false);
    }

    static PacketPrinter tcpdump(TcpdumpLine line) {
        return new PacketPrinter(line, null, null);
    }

    /** A tcpdump printer with the time form of {@code -t} given {@code tCount} times. */
    static PacketPrinter tcpdump(TcpdumpLine line, int tCount) {
        return new PacketPrinter(line, null, null, tCount, false);
    }

    static PacketPrinter fields(FieldPrinter fields) {
        return fields(fields, false);
    }

    /** tshark's fields, with IP fragments reassembled as tshark does by default when {@code defragment}. */
    static PacketPrinter fields(FieldPrinter fields, boolean defragment) {
        return new PacketPrinter(null, fields, null, 0, defragment);
    }

    static PacketPrinter json(JsonPrinter json) {
        return json(json, false);
    }

    /** tshark's JSON, with IP fragments reassembled when {@code defragment}. */
    static PacketPrinter json(JsonPrinter json, boolean defragment) {
        return new PacketPrinter(null, null, json, 0, defragment);
    }

    /**
     * Says whether the input is a file: then fragments show tshark -2's {@code reassembled_in},
     * their lines held until their datagram settles (see {@link FragmentLines}) when that field is
     * chosen; live, or without it, lines go out at once. Call before the first packet.
     */
    PacketPrinter readingFile(boolean file) {
        if (defragment) {
            // Only reassembled_in differs between tshark's one and two passes: when no field asks
            // for it, no line need wait (and no frame be copied) for a datagram to settle.
            fragments = new FragmentLines(file && namesReassembledIn, app,
                    (transport, network, m) -> printLine(layers.refresh(transport, network), m));
        }
        return this;
    }

    /** Prints {@code p} as the next packet of the capture. */
    void print(Packet p, PrintWriter out) {
        // The packet handed on as numbers: the Packet of a batch loop then need not be allocated.
        decoder.decode(p);
        if (defragment) {
            if (fragments == null) {
                readingFile(false);
            }
            fragmentsOut = out;
            fragments.offer(decoder, ++number, p.timestampSeconds(), p.timestampNanos(), p.originalLength());
            return;
        }
        print(p.timestampSeconds(), p.timestampNanos(), p.length(), p.originalLength(), out);
    }

    /** The end of the input: lines still held for fragments are printed. */
    void finish(PrintWriter out) {
        if (fragments != null) {
            fragmentsOut = out;
            fragments.finish();
        }
    }

    private void printLine(PacketLayers l, FrameMeta m) {
        sb.setLength(0);
        if (fields != null) {
            fields.append(sb, l, m);
        } else {
            json.append(sb, l, m);
        }
        write(fragmentsOut);
    }

    /** Prints the packet {@link #decoder} holds, stamped {@code seconds}.{@code nanos}. */
    private void print(long seconds, int nanos, int capturedLength, int wireLength, PrintWriter out) {
        meta.set(++number, seconds, nanos, capturedLength, wireLength);
        if (app != null) {
            meta.app = app.offer(decoder, number, seconds * 1_000_000_000L + nanos);
        }
        sb.setLength(0);
        if (tcpdump != null && invalidHeader(sb, capturedLength, wireLength)) {
            // tcpdump's line for a record it will not decode: no time, nothing else
        } else if (tcpdump != null) {
            if (timeFormat != 1) {
                appendStamp(sb, seconds, nanos).append(' ');
            }
            tcpdump.append(sb, decoder);
        } else if (fields != null) {
            fields.append(sb, layers.refresh(decoder, decoder), meta);
        } else {
            json.append(sb, layers.refresh(decoder, decoder), meta);
        }
        write(out);
    }

    private void write(PrintWriter out) {
        // Through a reused char array: append(sb) would make a String of every line.
        sb.append('\n');
        int n = sb.length();
        if (n > line.length) {
            line = new char[Math.max(n, 2 * line.length)];
        }
        sb.getChars(0, n, line, 0);
        out.write(line, 0, n);
    }

    /** tcpdump's "[Invalid header: caplen==0, len==0]" for a record header it will not decode; true when appended. */
    private static boolean invalidHeader(StringBuilder b, int capturedLength, int wireLength) {
        if (capturedLength != 0 && wireLength != 0 && wireLength >= capturedLength) {
            return false;
        }
        b.append("[Invalid header:");
        char separator = ' ';
        if (capturedLength == 0) {
            b.append(" caplen==0");
            separator = ',';
        }
        if (wireLength == 0) {
            b.append(separator).append(" len==0");
        } else if (wireLength < capturedLength) {
            b.append(separator).append(" len(").append(wireLength).append(") < caplen(").append(capturedLength).append(')');
        }
        b.append(']');
        return true;
    }

    /** The time in the form {@link #timeFormat} asks for. */
    private StringBuilder appendStamp(StringBuilder b, long seconds, int nanos) {
        int micros = nanos / 1000;
        switch (timeFormat) {
            case 2 -> {
                b.append(seconds).append('.');
                return six(b, micros);
            }
            case 3, 5 -> {
                long now = seconds * 1_000_000L + micros;
                long delta = referenceMicros < 0 ? 0 : now - referenceMicros;
                if (timeFormat == 3 || referenceMicros < 0) {
                    referenceMicros = now;
                }
                // A sign column, then the gap printed as a UTC time of day (tcpdump's gmtime).
                b.append(delta < 0 ? '-' : ' ');
                delta = Math.abs(delta);
                long s = delta / 1_000_000L;
                two(b, (int) (s / 3600 % 24)).append(':');
                two(b, (int) (s / 60 % 60)).append(':');
                two(b, (int) (s % 60)).append('.');
                return six(b, (int) (delta % 1_000_000L));
            }
            case 4 -> {
                long day = Math.floorDiv(localSeconds(seconds), 86_400L);
                if (day != dateDay) {
                    dateDay = day;
                    dateText = java.time.LocalDate.ofEpochDay(day).toString();
                }
                b.append(dateText).append(' ');
                return appendTime(b, seconds, nanos);
            }
            default -> {
                return appendTime(b, seconds, nanos);
            }
        }
    }

    private long localSeconds(long seconds) {
        if (seconds != offsetSecond) {
            offsetSecond = seconds;
            long millis = Math.abs(seconds) < Long.MAX_VALUE / 1000 ? seconds * 1000L : Long.signum(seconds) * Long.MAX_VALUE;
            offsetSeconds = zone.getOffset(millis) / 1000;
        }
        return seconds + offsetSeconds;
    }

    private static StringBuilder six(StringBuilder b, int micros) {
        for (int div = 100_000; div > 0; div /= 10) {
            b.append((char) ('0' + micros / div % 10));
        }
        return b;
    }

    /** tcpdump's default time: local HH:MM:SS.microseconds. */
    private StringBuilder appendTime(StringBuilder b, long seconds, int nanos) {
        long local = localSeconds(seconds);
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
