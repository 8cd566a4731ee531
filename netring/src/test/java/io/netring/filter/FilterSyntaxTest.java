package io.netring.filter;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.foreign.MemorySegment;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/** Errors with a caret, bounded nesting, a reproducible parser fuzz, and the printed form of programs. */
@Timeout(60)
class FilterSyntaxTest {
    @Test
    void errorShowsTheExpressionAndACaretUnderTheToken() {
        FilterSyntaxException e = assertThrows(FilterSyntaxException.class, () -> BpfProgram.compile("tcp port 99999"));
        assertEquals(9, e.position());
        assertTrue(e.getMessage().contains("illegal port number 99999 > 65535"), e.getMessage());
        assertTrue(e.getMessage().endsWith("  tcp port 99999\n           ^"), e.getMessage());
        assertInstanceOf(IllegalArgumentException.class, e);
    }

    @Test
    void portNamesInARangeResolveAsLibpcapResolvesThem() {
        assertEquals(BpfProgram.compile("tcp portrange 80-443").toTcpdumpD(), BpfProgram.compile("tcp portrange http-https").toTcpdumpD());
        assertEquals(BpfProgram.compile("portrange 1-53").toTcpdumpD(), BpfProgram.compile("portrange 1-domain").toTcpdumpD());
        assertEquals(BpfProgram.compile("udp portrange 53-123").toTcpdumpD(), BpfProgram.compile("udp portrange domain-ntp").toTcpdumpD());
        // both ends TCP only: a TCP range, as for "port http"
        assertEquals(BpfProgram.compile("tcp portrange 22-80").toTcpdumpD(), BpfProgram.compile("portrange http-ssh").toTcpdumpD());
        assertRefused("udp portrange http-ssh", "port in range 'http-ssh' is tcp");
        assertRefused("portrange snmp-trap-200", "unknown port in range 'snmp-trap-200'");
        assertRefused("portrange 0x10-20", "unknown port in range '0x10-20'");
        assertRefused("portrange 1-70000", "illegal port number 70000 > 65535");
    }

    @Test
    void aMaskOfAllOnesIsDecidedAsLibpcapDecidesIt() {
        assertRefused("ether[0] & 0xffffffff = 0", "expression rejects all packets");
        assertRefused("ether[58:1] & -1 = 0", "expression rejects all packets");
        BpfProgram all = BpfProgram.compile("ether[0] & 0xffffffff != 0");
        assertTrue(all.matches(MemorySegment.ofArray(new byte[60]), 60), "kept with a zero byte, as libpcap keeps it");
        BpfProgram tcp = BpfProgram.compile("tcp[13] & 0xffffffff != 0");
        byte[] frame = java.util.HexFormat.of().parseHex("001122334455001122334466080045000028000000004006000"
                + "00a0000010a000002" + "00500050" + "00".repeat(16));
        assertTrue(tcp.matches(MemorySegment.ofArray(frame), frame.length), "flags 0 kept, as libpcap keeps them");
        assertFalse(tcp.matches(MemorySegment.ofArray(frame), 0, 40, frame.length), "but not without tcp[13]");
    }

    private static void assertRefused(String expression, String reason) {
        FilterSyntaxException e = assertThrows(FilterSyntaxException.class, () -> BpfProgram.compile(expression));
        assertTrue(e.getMessage().contains(reason), e.getMessage());
    }

    @Test
    void deepNestingIsASyntaxErrorNotAStackOverflow() {
        String deep = "(".repeat(10_000) + "tcp" + ")".repeat(10_000);
        FilterSyntaxException e = assertThrows(FilterSyntaxException.class, () -> BpfProgram.compile(deep));
        assertTrue(e.reason().contains("nested"), e.getMessage());
        assertThrows(FilterSyntaxException.class, () -> BpfProgram.compile("not ".repeat(10_000) + "tcp"));
    }

    @Test
    void emptyExpressionAcceptsEverything() {
        BpfProgram p = BpfProgram.compile("");
        assertEquals(1, p.size());
        assertTrue(p.matches(MemorySegment.ofArray(new byte[0]), 0));
    }

    @Test
    void printsLikeTcpdumpD() {
        String d = BpfProgram.compile("ip[2:2] > 100").toTcpdumpD();
        assertEquals("""
                (000) ldh      [12]
                (001) jeq      #0x800           jt 2\tjf 5
                (002) ldh      [16]
                (003) jgt      #0x64            jt 4\tjf 5
                (004) ret      #262144
                (005) ret      #0
                """, d);
    }

    private static final String ALPHABET = "()[]:!&|^<>=+-*/% 0123456789abcdefx.tcpudphostnetportvlan\\";

    /** A generated expression with up to three random character edits. */
    private static String mutated(ExpressionGenerator gen, Random rnd) {
        StringBuilder sb = new StringBuilder(gen.expression());
        int edits = rnd.nextInt(4);
        for (int e = 0; e < edits && sb.length() > 0; e++) {
            int at = rnd.nextInt(sb.length());
            switch (rnd.nextInt(3)) {
                case 0 -> sb.deleteCharAt(at);
                case 1 -> sb.insert(at, ALPHABET.charAt(rnd.nextInt(ALPHABET.length())));
                default -> sb.setCharAt(at, ALPHABET.charAt(rnd.nextInt(ALPHABET.length())));
            }
        }
        return sb.toString();
    }

    /** The parser alone (tokens, grammar, expansion) over 100 000 reproducible random cases: only its own exception escapes. */
    @Test
    void parserFuzzOnlyEverThrowsFilterSyntaxException() {
        Random rnd = new Random(14);
        ExpressionGenerator gen = new ExpressionGenerator(14);
        int parsed = 0;
        for (int i = 0; i < 100_000; i++) {
            String expr = mutated(gen, rnd);
            try {
                assertNotNull(FilterCompiler.parse(expr));
                parsed++;
            } catch (FilterSyntaxException expected) {
                assertTrue(expected.position() >= -1 && expected.position() <= expr.length(), expected.getMessage());
            } catch (RuntimeException | StackOverflowError other) {
                fail("\"" + expr + "\" threw " + other);
            }
        }
        assertTrue(parsed > 10_000, "parsed " + parsed);
    }

    /** Every stage (parser, optimizer, code generator) over 30 000 reproducible random cases. */
    @Test
    void fuzzedExpressionsOnlyEverThrowFilterSyntaxException() {
        Random rnd = new Random(7);
        ExpressionGenerator gen = new ExpressionGenerator(7);
        int compiled = 0;
        for (int i = 0; i < 30_000; i++) {
            String expr = mutated(gen, rnd);
            try {
                BpfProgram.compile(expr);
                compiled++;
            } catch (FilterSyntaxException expected) {
                assertNotNull(expected.getMessage());
            } catch (RuntimeException | StackOverflowError other) {
                fail("\"" + expr + "\" threw " + other);
            }
        }
        assertTrue(compiled > 1000, "compiled " + compiled);
    }
}
