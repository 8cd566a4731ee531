package io.netring;

import io.netring.filter.BpfInstruction;
import io.netring.filter.BpfProgram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Classic BPF programs: parsing {@code tcpdump -dd} text and refusing what the kernel would refuse. */
class BpfProgramTest {

    static String resource(String name) throws IOException {
        try (InputStream in = BpfProgramTest.class.getResourceAsStream(name)) {
            assertNotNull(in, "test resource " + name);
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
    }

    @Test
    void parsesTcpdumpDdOutput() throws IOException {
        BpfProgram p = BpfProgram.parseTcpdumpDd(resource("udp-dst-port-53.dd"));
        assertEquals(16, p.size());
        assertEquals(new BpfInstruction(0x28, 0, 0, 0x0c), p.instructions().get(0));      // ldh [12]
        assertEquals(new BpfInstruction(0x15, 8, 9, 0x35), p.instructions().get(5));      // jeq #53
        assertEquals(new BpfInstruction(0x6, 0, 0, 0x40000), p.instructions().get(14));   // ret #262144
        assertEquals(BpfInstruction.ret(0), p.instructions().get(15));
    }

    @Test
    void printsBackWhatTcpdumpPrinted() throws IOException {
        String text = resource("udp-dst-port-53.dd");
        assertEquals(text, BpfProgram.parseTcpdumpDd(text).toTcpdumpDd());
    }

    @Test
    void toleratesBlankLinesAndCrLf() {
        BpfProgram p = BpfProgram.parseTcpdumpDd("\r\n{ 0x6, 0, 0, 0x00040000 },\r\n\r\n");
        assertEquals(List.of(BpfInstruction.ret(0x40000)), p.instructions());
    }

    @Test
    void kAboveIntMaxIsKeptAsTheSameBits() {
        BpfProgram p = BpfProgram.parseTcpdumpDd("{ 0x6, 0, 0, 0xffffffff },");
        assertEquals(-1, p.instructions().get(0).k());
    }

    @Test
    void malformedLineNamesTheLineAndWhy() {
        String text = "{ 0x28, 0, 0, 0x0000000c },\n{ 0x15, 0, 4 },\n{ 0x6, 0, 0, 0 },\n";
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BpfProgram.parseTcpdumpDd(text));
        assertTrue(e.getMessage().contains("line 2"), e.getMessage());
        assertTrue(e.getMessage().contains("{ 0x15, 0, 4 }"), e.getMessage());
        assertTrue(e.getMessage().contains("expected { code, jt, jf, k }"), e.getMessage());
    }

    @Test
    void humanReadableTcpdumpOutputIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BpfProgram.parseTcpdumpDd("(000) ldh      [12]\n"));
        assertTrue(e.getMessage().startsWith("tcpdump -dd line 1 "), e.getMessage());
    }

    @Test
    void valuesOutOfRangeNameTheField() {
        assertMessage(() -> BpfProgram.parseTcpdumpDd("{ 0x10000, 0, 0, 0 },"), "line 1", "code=0x10000 out of range");
        assertMessage(() -> BpfProgram.parseTcpdumpDd("{ 0x6, 256, 0, 0 },"), "line 1", "jt=0x100 out of range");
        assertMessage(() -> BpfProgram.parseTcpdumpDd("{ 0x6, 0, 300, 0 },"), "line 1", "jf=0x12c out of range");
        assertMessage(() -> BpfProgram.parseTcpdumpDd("{ 0x6, 0, 0, 0x100000000 },"), "line 1", "k=0x100000000 out of range");
        assertMessage(() -> BpfProgram.parseTcpdumpDd("{ 0x6, 0, 0, 0x1000000000000000000 },"), "line 1", "k=", "too large");
        assertMessage(() -> new BpfInstruction(-1, 0, 0, 0), "code=-1");
        assertMessage(() -> new BpfInstruction(6, 256, 0, 0), "jt=256");
        assertMessage(() -> new BpfInstruction(6, 0, -1, 0), "jf=-1");
    }

    @Test
    void emptyProgramIsRefused() {
        assertMessage(() -> BpfProgram.parseTcpdumpDd(""), "empty program");
        assertMessage(() -> BpfProgram.parseTcpdumpDd("\n\n"), "empty program");
        assertMessage(BpfProgram::of, "program=[]", "at least one instruction");
    }

    @Test
    void programLongerThanTheKernelLimitIsRefused() {
        List<BpfInstruction> max = new ArrayList<>(Collections.nCopies(4095, new BpfInstruction(0x28, 0, 0, 12)));
        max.add(BpfInstruction.ret(0));
        assertEquals(4096, BpfProgram.of(max).size());
        max.add(0, new BpfInstruction(0x28, 0, 0, 12));
        assertMessage(() -> BpfProgram.of(max), "program length=4097", "at most 4096", "BPF_MAXINSNS");
        String text = "{ 0x28, 0, 0, 0x0000000c },\n".repeat(4096) + "{ 0x6, 0, 0, 0x00000000 },\n";
        assertMessage(() -> BpfProgram.parseTcpdumpDd(text), "tcpdump -dd line 4097: more than 4096 instructions (BPF_MAXINSNS)");
    }

    @Test
    void ddTextStopsAtTheFirstInstructionTooManyWithoutReadingOn() {
        // The length bound is checked as lines are read: the garbage after line 4097 is never
        // reached (reading everything first would report it, after parsing every line).
        String text = "{ 0x28, 0, 0, 0x0000000c },\n".repeat(4097) + "garbage\n".repeat(1000);
        assertMessage(() -> BpfProgram.parseTcpdumpDd(text), "tcpdump -dd line 4097: more than 4096 instructions");
        String blanks = "\n".repeat(10) + "{ 0x6, 0, 0, 0x0 },\n".repeat(4097);
        assertMessage(() -> BpfProgram.parseTcpdumpDd(blanks), "tcpdump -dd line 4107:");
    }

    @Test
    void nullInstructionIsNamedByItsIndex() {
        NullPointerException array = assertThrows(NullPointerException.class,
                () -> BpfProgram.of(BpfInstruction.ret(0), null, BpfInstruction.ret(0)));
        assertEquals("instructions[1] is null; every instruction of a BPF program is required", array.getMessage());
        List<BpfInstruction> list = new ArrayList<>(List.of(BpfInstruction.ret(0)));
        list.add(0, null);
        NullPointerException fromList = assertThrows(NullPointerException.class, () -> BpfProgram.of(list));
        assertEquals("instructions[0] is null; every instruction of a BPF program is required", fromList.getMessage());
    }

    @Test
    void jumpsPastTheEndAndMissingReturnAreRefused() {
        assertMessage(() -> BpfProgram.of(new BpfInstruction(0x15, 0, 2, 1), BpfInstruction.ret(0)),
                "instruction 0", "jumps past the end");
        assertMessage(() -> BpfProgram.of(new BpfInstruction(0x05, 0, 0, 5), BpfInstruction.ret(0)),
                "instruction 0", "ja +5");
        assertMessage(() -> BpfProgram.of(new BpfInstruction(0x28, 0, 0, 12)),
                "instruction 0", "last instruction must be a return");
    }

    @Test
    void rejectAndAcceptAllAreValidPrograms() {
        assertEquals(1, BpfProgram.rejectAll().size());
        assertEquals(0, BpfProgram.rejectAll().instructions().get(0).k());
        assertEquals(-1, BpfProgram.acceptAll().instructions().get(0).k());
    }

    static void assertMessage(Executable call, String... parts) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), "message \"" + e.getMessage() + "\" lacks \"" + part + "\"");
        }
    }
}
