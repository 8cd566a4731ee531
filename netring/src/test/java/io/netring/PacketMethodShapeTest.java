package io.netring;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.spi.ToolProvider;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Library methods that take a {@link Packet} keep the shape that lets a {@code packets().forEach}
 * lambda calling them allocate nothing (io.netring.internal.PacketAccess): the public method is
 * small enough that the JIT inlines it at any call site (at most MaxInlineSize, 35 bytes of
 * bytecode), and the body it calls is too large for the JIT to inline into a hot caller (more
 * than FreqInlineSize, 325 bytes), so the caller's compiled code stays small. The sizes are read
 * from the class files with javap; the figures are HotSpot's defaults.
 */
class PacketMethodShapeTest {
    private static final int MAX_INLINE_SIZE = 35;
    private static final int FREQ_INLINE_SIZE = 325;

    @Test
    void packetMethodsAreSmallAndTheirBodiesAreNot() {
        assertSmall("io.netring.decode.PacketDecoder", "public io.netring.decode.PacketDecoder decode(io.netring.Packet)");
        assertLarge("io.netring.decode.PacketDecoder", "private void decodeEthernet(");
        assertSmall("io.netring.flow.FlowExtractor", "public boolean extract(io.netring.Packet)");
        assertLarge("io.netring.flow.FlowExtractor", "private boolean extractFrom(");
        assertSmall("io.netring.pcap.PcapWriter", "public void write(io.netring.Packet)");
        assertLarge("io.netring.pcap.PcapWriter", "private void record(java.lang.foreign.MemorySegment, long, int, int, long, int, int, int, io.netring.PacketBatch, long)");
        assertSmall("io.netring.filter.BpfProgram", "public boolean matches(io.netring.Packet)");
        assertLarge("io.netring.filter.BpfInterpreter", "public int run(java.lang.foreign.MemorySegment, long, long, int)");
        assertLarge("io.netring.flow.FlowTable", "public void add(io.netring.flow.FlowPacket)");
    }

    /**
     * {@code for (Packet pkt : batch)}: the iterator's {@code next()} is small and reaches the
     * header walk only through {@code fetch()}, a branch the loop's {@code hasNext()} leaves
     * cold, so its compiled code stays small enough to inline (PacketBatch.PacketIterator).
     */
    @Test
    void iteratorNextIsSmallAndWalksOnlyThroughFetch() {
        String type = "io.netring.PacketBatch$PacketIterator";
        String next = "public io.netring.Packet next()";
        assertSmall(type, next);
        assertSmall(type, "public boolean hasNext()");
        String body = javapBody(type, next);
        // The iterator is the walk (a subclass), so a direct call shows as "Method advance".
        assertTrue(!body.contains("advance") && !body.contains("hasNext"), "next() calls the walk directly:\n" + body);
        assertTrue(body.contains("fetch"), "next() moves the walk through fetch():\n" + body);
    }

    /**
     * {@code rx.nextBatchBlocking(...)} in the README's batch loop over AF_XDP: the per-batch
     * step it calls is too large to inline, so that loop's compile keeps its node budget for the
     * packet loop and inlines {@code batch.iterator()} (XdpRx.next).
     */
    @Test
    void xdpBatchStepStaysOutOfTheUsersLoop() {
        assertLarge("io.netring.xdp.XdpRx", "private io.netring.PacketBatch next(long, boolean)");
    }

    private static void assertSmall(String type, String method) {
        int size = codeLength(type, method);
        assertTrue(size <= MAX_INLINE_SIZE, type + " " + method + ": " + size + " bytes of bytecode, more than "
                + MAX_INLINE_SIZE + ": move the work into its body");
    }

    private static void assertLarge(String type, String method) {
        int size = codeLength(type, method);
        assertTrue(size > FREQ_INLINE_SIZE, type + " " + method + ": " + size + " bytes of bytecode, not more than "
                + FREQ_INLINE_SIZE + ": the JIT would inline it into a hot caller (see PacketAccess, XdpRx.next)");
    }

    /** The method's bytecode length, from the offset of its last instruction in {@code javap -c -p}. */
    private static int codeLength(String type, String method) {
        int last = -1;
        for (String line : javapBody(type, method).split("\n")) {
            String t = line.trim();
            int colon = t.indexOf(':');
            if (colon > 0 && t.substring(0, colon).chars().allMatch(Character::isDigit)) {
                last = Integer.parseInt(t.substring(0, colon));
            }
        }
        assertTrue(last >= 0, "no code for '" + method + "' in " + type);
        // Exact when the last instruction is a one-byte return or athrow, else a lower bound.
        return last + 1;
    }

    /** The lines {@code javap -c -p} prints for the first method of {@code type} matching {@code method}. */
    private static String javapBody(String type, String method) {
        ToolProvider javap = ToolProvider.findFirst("javap").orElseThrow();
        StringWriter out = new StringWriter();
        int rc = javap.run(new PrintWriter(out), new PrintWriter(out), "-c", "-p",
                "-cp", System.getProperty("java.class.path"), type);
        assertTrue(rc == 0, out.toString());
        StringBuilder body = new StringBuilder();
        boolean in = false;
        for (String line : out.toString().split("\n")) {
            if (line.startsWith("  ") && !line.startsWith("   ") && line.contains("(")) {
                if (in) {
                    break;
                }
                in = line.contains(method);
            } else if (in) {
                body.append(line).append('\n');
            }
        }
        assertTrue(!body.isEmpty(), "no method matching '" + method + "' in " + type);
        return body.toString();
    }
}
