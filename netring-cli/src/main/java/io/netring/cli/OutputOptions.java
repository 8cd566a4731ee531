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
    private static final Pattern FIELD_NAME = Pattern.compile("[a-z_][a-z0-9_]*(\\.[a-z0-9_]+)+");

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
                && fieldOptions.isEmpty() && hexAscii.length == 0 && ascii.length == 0 && !quick && time.length == 0;
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
     * The printer these options ask for.
     * @throws IllegalArgumentException for an unknown -T format or field, or a bad -E option
     */
    PacketPrinter printer() {
        if (format == null) {
            if (!fields().isEmpty()) {
                throw new IllegalArgumentException("-e " + fields().getFirst() + " needs -T fields or -T json");
            }
            // -X wins over -x, as in tcpdump.
            int dump = hexAscii.length > 0 ? hexAscii.length : hex.length;
            return PacketPrinter.tcpdump(new TcpdumpLine(linkLayer(), verbose.length, Math.min(2, dump),
                    hexAscii.length > 0, Math.min(2, ascii.length), quick), Math.min(5, time.length));
        }
        return switch (format) {
            case "fields" -> {
                int[] e = FieldPrinter.parseOptions(fieldOptions);
                yield PacketPrinter.fields(new FieldPrinter(fields(), (char) e[0], e[1]));
            }
            case "json" -> PacketPrinter.json(new JsonPrinter(fields()));
            default -> throw new IllegalArgumentException("-T takes fields or json, was '" + format + "'");
        };
    }
}
