package io.netring.internal.xdp;

import io.netring.filter.EbpfInstruction;
import io.netring.internal.linux.Bpf;
import io.netring.testing.EbpfAllowed;
import io.netring.testing.NamespaceTest;
import io.netring.xdp.XdpMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;

import static io.netring.filter.EbpfInstruction.R1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The redirect program run by the kernel on test data (BPF_PROG_TEST_RUN), with a prefix that
 * passes frames shorter than 60 bytes. A test run reports the program's verdict without acting
 * on it: XDP_REDIRECT when the frame's queue (0 in a test run) has a socket in the map, the
 * helper's fallback XDP_PASS when the slot is empty.
 */
@EbpfAllowed
@Timeout(60)
class XdpRedirectProgramTest extends NamespaceTest {
    private static final int XDP_PASS = 2;
    private static final int XDP_REDIRECT = 4;

    /** Frames shorter than 60 bytes end here with XDP_PASS; the rest fall off the end with r1 intact. */
    static List<EbpfInstruction> shorterThan60Passes() {
        return List.of(
                XdpAssembler.loadWord(2, R1, XdpAssembler.XDP_MD_DATA),
                XdpAssembler.loadWord(3, R1, XdpAssembler.XDP_MD_DATA_END),
                XdpAssembler.add(2, 60),
                XdpAssembler.jumpIfLessOrEqual(2, 3, 2),          // data + 60 <= data_end: accepted
                EbpfInstruction.movImm(EbpfInstruction.R0, XDP_PASS),
                EbpfInstruction.exit());
    }

    @Test
    void aQueueWithASocketIsRedirectedAndThePrefixPassesShortFrames() throws Exception {
        ns.run(() -> {
            try (XskSocket socket = XskSocket.open(XskConfig.of(ns.b, 0).withFrames(2048, 64, 0)
                    .withRings(32, 0, 64, 32).withMode(XdpMode.COPY));
                 XskMap map = XskMap.forInterface(ns.b);
                 XdpRedirectProgram program = XdpRedirectProgram.load(map, shorterThan60Passes())) {
                assertEquals(1, map.size(), "veth has one RX queue");
                assertEquals(6 + 6, program.instructionCount());
                // An empty slot: the helper's fallback, whatever the prefix decided.
                assertEquals(XDP_PASS, Bpf.testRun(program.fd(), new byte[59]));
                assertEquals(XDP_PASS, Bpf.testRun(program.fd(), new byte[60]));

                map.put(0, socket.fd());
                assertEquals(XDP_PASS, Bpf.testRun(program.fd(), new byte[59]), "the prefix passed it");
                assertEquals(XDP_REDIRECT, Bpf.testRun(program.fd(), new byte[60]), "accepted: redirected");
                assertEquals(XDP_REDIRECT, Bpf.testRun(program.fd(), new byte[1514]));

                map.remove(0);
                assertEquals(XDP_PASS, Bpf.testRun(program.fd(), new byte[60]), "the slot is empty again");
            }
        });
    }

    @Test
    void withoutAPrefixEveryFrameIsRedirected() throws Exception {
        ns.run(() -> {
            try (XskSocket socket = XskSocket.open(XskConfig.of(ns.b, 0).withFrames(2048, 64, 0)
                    .withRings(32, 0, 64, 32).withMode(XdpMode.COPY));
                 XskMap map = XskMap.create(4);
                 XdpRedirectProgram program = XdpRedirectProgram.load(map, List.of())) {
                map.put(0, socket.fd());
                assertEquals(XDP_REDIRECT, Bpf.testRun(program.fd(), new byte[14]));
                program.close();
                program.close();
                IllegalStateException closed = assertThrows(IllegalStateException.class, program::fd);
                assertTrue(closed.getMessage().contains("is closed"), closed.getMessage());
            }
        });
    }

    @Test
    void aPrefixJumpingOutsideItselfIsRefused() {
        List<EbpfInstruction> prefix = List.of(
                EbpfInstruction.jumpIfEqual(2, 0, 5),
                EbpfInstruction.movImm(EbpfInstruction.R0, XDP_PASS),
                EbpfInstruction.exit());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> XdpRedirectProgram.instructions(3, prefix));
        assertEquals("prefix instruction 0 jumps to 6, outside the prefix (0 to 3): a filter prefix ends by exiting"
                + " or by reaching its end (instruction 3), where the redirect starts", e.getMessage());
        // A jump to just past the end is the accept path.
        XdpRedirectProgram.instructions(3, List.of(EbpfInstruction.jumpIfEqual(2, 0, 0)));
    }

    @Test
    void theRedirectIsTheHelperCallOnTheQueueIndex() {
        List<EbpfInstruction> code = XdpRedirectProgram.instructions(7, List.of());
        assertEquals(List.of(
                new EbpfInstruction(0x61, 2, 1, 16, 0),         // r2 = *(u32 *)(r1 + 16): rx_queue_index
                new EbpfInstruction(0x18, 1, 1, 0, 7),          // r1 = map fd 7 (BPF_PSEUDO_MAP_FD)
                new EbpfInstruction(0, 0, 0, 0, 0),
                new EbpfInstruction(0xb7, 3, 0, 0, XDP_PASS),   // r3 = XDP_PASS
                new EbpfInstruction(0x85, 0, 0, 0, 51),         // call bpf_redirect_map
                new EbpfInstruction(0x95, 0, 0, 0, 0)), code);
    }
}
