package io.netring.pcap;

import java.time.ZonedDateTime;
import java.time.format.TextStyle;
import java.util.Locale;

/**
 * The strftime(3) conversions tcpdump's {@code -G} file names use, in the local time zone:
 * {@code %Y %y %m %d %e %H %I %M %S %p %j %s %b %h %B %a %A %F %T %D %R %z %Z %u %w %%}. Others
 * are kept as written.
 */
final class Strftime {
    private Strftime() {}

    static String format(String pattern, ZonedDateTime t) {
        StringBuilder out = new StringBuilder(pattern.length() + 16);
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c != '%' || i + 1 == pattern.length()) {
                out.append(c);
                continue;
            }
            char k = pattern.charAt(++i);
            switch (k) {
                case 'Y' -> out.append(t.getYear());
                case 'y' -> two(out, t.getYear() % 100);
                case 'm' -> two(out, t.getMonthValue());
                case 'd' -> two(out, t.getDayOfMonth());
                case 'e' -> out.append(t.getDayOfMonth() < 10 ? " " : "").append(t.getDayOfMonth());
                case 'H' -> two(out, t.getHour());
                case 'I' -> two(out, t.getHour() % 12 == 0 ? 12 : t.getHour() % 12);
                case 'M' -> two(out, t.getMinute());
                case 'S' -> two(out, t.getSecond());
                case 'p' -> out.append(t.getHour() < 12 ? "AM" : "PM");
                case 'j' -> out.append(String.format("%03d", t.getDayOfYear()));
                case 's' -> out.append(t.toEpochSecond());
                case 'b', 'h' -> out.append(t.getMonth().getDisplayName(TextStyle.SHORT, Locale.ROOT));
                case 'B' -> out.append(t.getMonth().getDisplayName(TextStyle.FULL, Locale.ROOT));
                case 'a' -> out.append(t.getDayOfWeek().getDisplayName(TextStyle.SHORT, Locale.ROOT));
                case 'A' -> out.append(t.getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.ROOT));
                case 'u' -> out.append(t.getDayOfWeek().getValue());
                case 'w' -> out.append(t.getDayOfWeek().getValue() % 7);
                case 'F' -> out.append(format("%Y-%m-%d", t));
                case 'T' -> out.append(format("%H:%M:%S", t));
                case 'D' -> out.append(format("%m/%d/%y", t));
                case 'R' -> out.append(format("%H:%M", t));
                case 'z' -> out.append(t.getOffset().getId().equals("Z") ? "+0000" : t.getOffset().getId().replace(":", ""));
                case 'Z' -> out.append(t.getZone().getDisplayName(TextStyle.SHORT, Locale.ROOT));
                case '%' -> out.append('%');
                default -> out.append('%').append(k);
            }
        }
        return out.toString();
    }

    private static void two(StringBuilder out, int v) {
        if (v < 10) {
            out.append('0');
        }
        out.append(v);
    }
}
