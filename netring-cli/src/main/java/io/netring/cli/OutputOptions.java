package io.netring.cli;

import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;
import java.util.Stack;
import java.util.regex.Pattern;

/**
 * How {@code netring capture} prints packets: tcpdump's {@code -n -e -v -x -xx}, or tshark's
 * {@code -T fields|json -e FIELD -E occurrence=f -E separator=C}. {@code -e} is both tcpdump's
 * link-layer flag and tshark's field option: it takes the next word when that looks like a
 * field name ({@code ip.src}), and is the flag otherwise.
 */
final class OutputOptions {
    private static final Pattern FIELD_NAME = Pattern.compile("[a-z_][a-z0-9_]*(\\.[a-z0-9_]+)+|communityid");

    @Option(names = "-n", description = "Do not resolve addresses or ports; -nn the same (accepted for tcpdump users; netring never resolves).")
    boolean[] numeric = new boolean[0];

    @Option(names = "-e", paramLabel = "[FIELD]", parameterConsumer = LinkOrField.class,
            description = "Without -T: print the link-layer header (tcpdump -e). With -T: a field to print (tshark -e), repeatable.")
    List<String> linkOrFields = new ArrayList<>();

    @Option(names = "-v", description = "Verbose: the IP header fields (TTL, id, flags, length); repeatable.")
    boolean[] verbose = new boolean[0];

    @Option(names = "-x", description = "Hex dump after the link header; -xx includes it.")
    boolean[] hex = new boolean[0];

    @Option(names = "-X", description = "Hex and ASCII dump after the link header; -XX includes it.")
    boolean[] hexAscii = new boolean[0];

    @Option(names = "-A", description = "The packet as ASCII after the link header; -AA includes it.")
    boolean[] ascii = new boolean[0];

    @Option(names = "-q", description = "Quick output: less protocol detail (tcpdump -q).")
    boolean quick;

    @Option(names = "-t", description = "-t no time, -tt epoch seconds, -ttt delta to the previous packet, "
            + "-tttt date and time, -ttttt delta to the first packet (as tcpdump).")
    boolean[] time = new boolean[0];

    @Option(names = "-T", paramLabel = "fields|json", description = "tshark-style output: fields (one line of -e fields) or json (one object per packet).")
    String format;

    @Option(names = "-o", paramLabel = "PREF:VALUE", description = "A tshark preference for -T: ip.defragment:FALSE or "
            + "ipv6.defragment:FALSE shows fragments as they are (defragmentation is on by default, as in tshark).")
    List<String> preferences = new ArrayList<>();

    @Option(names = "-E", paramLabel = "occurrence=f|l|a|N|separator=C", description = "Options of -T fields, as tshark's.")
    List<String> fieldOptions = new ArrayList<>();

    /** Puts "" for a bare -e (the link-layer flag) and the field name for "-e ip.src". */
    static final class LinkOrField implements CommandLine.IParameterConsumer {
        @Override
        public void consumeParameters(Stack<String> args, ArgSpec argSpec, CommandSpec commandSpec) {
            List<String> list = argSpec.getValue();
            if (!args.isEmpty() && FIELD_NAME.matcher(args.peek()).matches()) {
                list.add(args.pop());
            } else {
                list.add("");
            }
        }
    }

    /** True when no output option was given ({@code -n} aside): {@link #printer()} cannot fail then. */
    boolean allDefault() {
        return format == null && linkOrFields.isEmpty() && verbose.length == 0 && hex.length == 0
                && fieldOptions.isEmpty() && preferences.isEmpty() && hexAscii.length == 0 && ascii.length == 0 && !quick && time.length == 0;
    }

    /** True when tcpdump would suggest {@code -v} here: tcpdump lines printed without it. */
    boolean verboseHintFits() {
        return format == null && verbose.length == 0;
    }

    boolean linkLayer() {
        return linkOrFields.contains("");
    }

    List<String> fields() {
        return linkOrFields.stream().filter(s -> !s.isEmpty()).toList();
    }

    /**
     * Whether -T output reassembles IP fragments: on unless {@code -o ip.defragment:FALSE} (tshark's
     * preference; {@code ipv6.defragment} is accepted with it, both turn defragmentation off or on
     * together since one defragmenter serves both).
     * @throws IllegalArgumentException for another preference or value
     */
    boolean defragment() {
        boolean on = true;
        for (String p : preferences) {
            int colon = p.indexOf(':');
            String key = colon < 0 ? p : p.substring(0, colon);
            String value = colon < 0 ? "" : p.substring(colon + 1);
            if (!key.equals("ip.defragment") && !key.equals("ipv6.defragment")) {
                throw new IllegalArgumentException("unsupported -o preference '" + p
                        + "' (supported: ip.defragment:TRUE|FALSE, ipv6.defragment:TRUE|FALSE)");
            }
            if (!value.equalsIgnoreCase("TRUE") && !value.equalsIgnoreCase("FALSE")) {
                throw new IllegalArgumentException("-o " + key + " takes TRUE or FALSE, was '" + value + "'");
            }
            on = value.equalsIgnoreCase("TRUE");
        }
        return on;
    }

    /**
     * The printer these options ask for.
     * @throws IllegalArgumentException for an unknown -T format or field, or a bad -E option
     */
    PacketPrinter printer() {
        if (format == null) {
            if (!preferences.isEmpty()) {
                throw new IllegalArgumentException("-o " + preferences.getFirst() + " needs -T fields or -T json");
            }
            if (!fields().isEmpty()) {
                throw new IllegalArgumentException("-e " + fields().getFirst() + " needs -T fields or -T json");
            }
            // -X wins over -x, as in tcpdump.
            int dump = hexAscii.length > 0 ? hexAscii.length : hex.length;
            return PacketPrinter.tcpdump(new TcpdumpLine(linkLayer(), verbose.length, Math.min(2, dump),
                    hexAscii.length > 0, Math.min(2, ascii.length), quick), Math.min(5, time.length));
        }
        boolean defragment = defragment();
        return switch (format) {
            case "fields" -> {
                int[] e = FieldPrinter.parseOptions(fieldOptions);
                yield PacketPrinter.fields(new FieldPrinter(fields(), (char) e[0], e[1]), defragment);
            }
            case "json" -> PacketPrinter.json(new JsonPrinter(fields()), defragment);
            default -> throw new IllegalArgumentException("-T takes fields or json, was '" + format + "'");
        };
    }
}
