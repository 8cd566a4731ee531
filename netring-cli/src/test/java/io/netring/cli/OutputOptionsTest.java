package io.netring.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The capture output flags: -e as tcpdump's flag or tshark's field option, -E, -T, -x/-xx. */
class OutputOptionsTest {
    private static OutputOptions parse(String... args) {
        OutputOptions o = new OutputOptions();
        new CommandLine(o).parseArgs(args);
        return o;
    }

    @Test
    void dashETakesAFieldNameOrIsTheLinkFlag() {
        OutputOptions o = parse("-T", "fields", "-e", "ip.src", "-e", "tcp.flags", "-E", "occurrence=f");
        assertEquals(List.of("ip.src", "tcp.flags"), o.fields());
        assertFalse(o.linkLayer());
        OutputOptions link = parse("-e", "-n", "-xx", "-vv");
        assertTrue(link.linkLayer());
        assertTrue(link.fields().isEmpty());
        assertEquals(2, link.hex.length);
        assertEquals(2, link.verbose.length);
        assertTrue(parse("-e").linkLayer());
    }

    @Test
    void defragmentationIsOnUnlessTsharksPreferenceTurnsItOff() {
        assertTrue(parse("-T", "fields", "-e", "communityid").defragment());
        assertEquals(List.of("communityid"), parse("-T", "fields", "-e", "communityid").fields());
        assertFalse(parse("-T", "json", "-o", "ip.defragment:FALSE").defragment());
        assertFalse(parse("-T", "json", "-o", "ipv6.defragment:false").defragment());
        assertEquals("unsupported -o preference 'tcp.reassemble_out_of_order:TRUE' (supported: ip.defragment:TRUE|FALSE, "
                + "ipv6.defragment:TRUE|FALSE)", assertThrows(IllegalArgumentException.class,
                () -> parse("-T", "fields", "-e", "ip.src", "-o", "tcp.reassemble_out_of_order:TRUE").printer()).getMessage());
        assertEquals("-o ip.defragment takes TRUE or FALSE, was 'no'", assertThrows(IllegalArgumentException.class,
                () -> parse("-T", "fields", "-e", "ip.src", "-o", "ip.defragment:no").printer()).getMessage());
        assertEquals("-o ip.defragment:FALSE needs -T fields or -T json", assertThrows(IllegalArgumentException.class,
                () -> parse("-o", "ip.defragment:FALSE").printer()).getMessage());
    }

    @Test
    void badChoicesAreClearErrors() {
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> parse("-T", "fields", "-e", "ip.bogus").printer());
        assertTrue(unknown.getMessage().startsWith("unknown field 'ip.bogus'; known fields: "), unknown.getMessage());
        assertEquals("-T takes fields or json, was 'pdml'", assertThrows(IllegalArgumentException.class,
                () -> parse("-T", "pdml").printer()).getMessage());
        assertEquals("-e ip.src needs -T fields or -T json", assertThrows(IllegalArgumentException.class,
                () -> parse("-e", "ip.src").printer()).getMessage());
        assertEquals("-E occurrence takes f, l, a or a number from 1, was 'z'", assertThrows(IllegalArgumentException.class,
                () -> parse("-T", "fields", "-e", "ip.src", "-E", "occurrence=z").printer()).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> parse("-T", "fields").printer()).getMessage().startsWith("-T fields needs at least one -e FIELD"));
    }

    @Test
    void separatorAndOccurrence() {
        int[] e = FieldPrinter.parseOptions(List.of("separator=,", "occurrence=l"));
        assertEquals(',', e[0]);
        assertEquals(FieldPrinter.LAST, e[1]);
        assertEquals(' ', FieldPrinter.parseOptions(List.of("separator=/s"))[0]);
        assertEquals(3, FieldPrinter.parseOptions(List.of("occurrence=3"))[1]);
    }
}
