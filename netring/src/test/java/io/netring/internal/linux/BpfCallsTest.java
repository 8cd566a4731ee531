package io.netring.internal.linux;

import io.netring.internal.EbpfWords;
import io.netring.NetringException;
import io.netring.filter.EbpfInstruction;
import io.netring.filter.EbpfVerifierException;
import io.netring.testing.EbpfAllowed;
import org.junit.jupiter.api.Test;

import static io.netring.internal.linux.LinuxConstants.BPF_MAP_TYPE_XSKMAP;
import static io.netring.internal.linux.LinuxConstants.BPF_PROG_TYPE_XDP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The bpf(2) calls beyond socket filters, against the running kernel. */
@EbpfAllowed
class BpfCallsTest {
    private static final int XDP_PASS = 2;

    private static int[] words(EbpfInstruction... insns) {
        return EbpfWords.of(java.util.List.of(insns));
    }

    @Test
    void anXdpProgramRunsOnTestDataAndHasAnId() throws NetringException {
        int fd = Bpf.loadProgram(BPF_PROG_TYPE_XDP,
                words(EbpfInstruction.movImm(EbpfInstruction.R0, XDP_PASS), EbpfInstruction.exit()), "XDP program");
        try {
            assertEquals(XDP_PASS, Bpf.testRun(fd, new byte[64]));
            assertTrue(Bpf.progId(fd) > 0);
        } finally {
            Bpf.close(fd);
        }
    }

    @Test
    void aRefusedXdpProgramNamesItsKind() {
        // r0 is never set: the verifier refuses the exit.
        EbpfVerifierException e = assertThrows(EbpfVerifierException.class,
                () -> Bpf.loadProgram(BPF_PROG_TYPE_XDP, words(EbpfInstruction.exit()), "XDP program"));
        assertTrue(e.getMessage().contains("1-instruction XDP program"), e.getMessage());
    }

    @Test
    void anXskMapTakesOnlySocketsAndItsSlotsAreAnArray() throws NetringException {
        int map = Bpf.createMap(BPF_MAP_TYPE_XSKMAP, 4, 4, 4, "netring_test");
        try {
            // An XSKMAP value must be an AF_XDP socket: a plain fd is refused with a clear errno.
            NetringException e = assertThrows(NetringException.class, () -> Bpf.updateElement(map, 0, map));
            assertTrue(e.getMessage().contains("BPF_MAP_UPDATE_ELEM"), e.getMessage());
            // Its slots are an array: clearing an empty one succeeds, one past the end is refused.
            assertTrue(Bpf.deleteElement(map, 1));
            NetringException past = assertThrows(NetringException.class, () -> Bpf.deleteElement(map, 99));
            assertTrue(past.getMessage().contains("BPF_MAP_DELETE_ELEM"), past.getMessage());
        } finally {
            Bpf.close(map);
        }
    }
}
