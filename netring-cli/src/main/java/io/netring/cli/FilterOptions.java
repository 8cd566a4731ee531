package io.netring.cli;

import io.netring.Packet;
import io.netring.PacketView;
import io.netring.filter.BpfInstruction;
import io.netring.filter.BpfProgram;
import io.netring.filter.FilterSyntaxException;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.List;

/**
 * A tcpdump filter expression given as the trailing words of {@code netring capture}, and
 * tcpdump's {@code -d}/{@code -dd}. A live capture runs the compiled program in the kernel; a
 * file read runs it per packet with {@link BpfProgram#matches}, so both keep the same packets.
 */
final class FilterOptions {
    @Parameters(paramLabel = "EXPRESSION", arity = "0..*",
            description = "A tcpdump filter expression (pcap-filter(7)), e.g. tcp port 80 and not host 10.0.0.1.")
    List<String> words = new ArrayList<>();

    @Option(names = "-d", description = "Print the compiled filter as tcpdump -d does and exit; -dd and -ddd as tcpdump's.")
    boolean[] dump = new boolean[0];

    private BpfProgram program;
    /** Traffic the command leaves out whatever the expression says (its own Kafka connections), or null. */
    private String leftOut;

    /**
     * Leaves out what {@code clause} matches (null: nothing), combined with the user's expression:
     * {@code (EXPRESSION) and not (CLAUSE)}. Call before the program is compiled.
     */
    void leaveOut(String clause) {
        this.leftOut = clause;
    }

    /** The expression's words joined, with what is left out; null when there is neither. */
    String expression() {
        String user = words.isEmpty() ? null : String.join(" ", words);
        if (leftOut == null) {
            return user;
        }
        return (user == null ? "" : "(" + user + ") and ") + "not (" + leftOut + ")";
    }

    /**
     * The compiled program, or null without an expression.
     * @throws FilterSyntaxException when the expression does not compile
     */
    BpfProgram program() {
        String expression = expression();
        if (program == null && expression != null) {
            program = BpfProgram.compile(expression);
        }
        return program;
    }

    /**
     * Compiles the expression (a malformed one is a usage error) and, for {@code -d}/{@code -dd},
     * prints the program.
     * @return true when the program was printed and the command has nothing more to do
     */
    boolean compileOrDump(CommandSpec spec) {
        try {
            program();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        if (!dumpRequested()) {
            return false;
        }
        spec.commandLine().getOut().print(dumpText());
        spec.commandLine().getOut().flush();
        return true;
    }

    /** True when {@code -d} or {@code -dd} asked for the program instead of a capture. */
    boolean dumpRequested() {
        return dump.length > 0;
    }

    /**
     * Without an expression tcpdump's program keeps every packet up to its default snap length:
     * {@code ret #262144}.
     */
    private static final BpfProgram KEEP_SNAPLEN = BpfProgram.of(BpfInstruction.ret(262144));

    /** The program in tcpdump's {@code -d}, {@code -dd} or {@code -ddd} form. */
    String dumpText() {
        BpfProgram p = program() != null ? program() : KEEP_SNAPLEN;
        return switch (dump.length) {
            case 1 -> p.toTcpdumpD();
            case 2 -> p.toTcpdumpDd();
            default -> p.toTcpdumpDdd();
        };
    }

    /** As {@link #keeps(Packet)}, for a dispatched view. Allocates nothing. */
    boolean keeps(PacketView v) {
        return program == null || program.matches(v);
    }

    /** True when the packet passes the expression (always without one); reads it in place, allocates nothing. */
    boolean keeps(Packet p) {
        return program == null || program.matches(p);
    }
}
