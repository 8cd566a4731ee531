package io.netring;

import io.netring.filter.EbpfInstruction;
import io.netring.internal.linux.Bpf;
import io.netring.internal.linux.KernelLayouts;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

import static io.netring.internal.linux.KernelLayouts.offset;
import static org.junit.jupiter.api.Assertions.*;

/** Sizes and offsets of the filter, eBPF and ifreq structs against the kernel's (x86_64 / aarch64). */
class FilterLayoutsTest {
    @Test
    void structSizesAndOffsets() {
        assertEquals(8, KernelLayouts.SOCK_FILTER.byteSize());
        assertEquals(16, KernelLayouts.SOCK_FPROG.byteSize());
        assertEquals(8, KernelLayouts.SOCK_FPROG.byteOffset(MemoryLayout.PathElement.groupElement("filter")));
        assertEquals(8, KernelLayouts.BPF_INSN.byteSize());
        assertEquals(72, KernelLayouts.BPF_ATTR_PROG_LOAD.byteSize());
        assertEquals(8, offset(KernelLayouts.BPF_ATTR_PROG_LOAD, "insns"));
        assertEquals(16, offset(KernelLayouts.BPF_ATTR_PROG_LOAD, "license"));
        assertEquals(24, offset(KernelLayouts.BPF_ATTR_PROG_LOAD, "log_level"));
        assertEquals(32, offset(KernelLayouts.BPF_ATTR_PROG_LOAD, "log_buf"));
        assertEquals(48, offset(KernelLayouts.BPF_ATTR_PROG_LOAD, "prog_name"));
        assertEquals(68, offset(KernelLayouts.BPF_ATTR_PROG_LOAD, "expected_attach_type"));
        assertEquals(40, KernelLayouts.IFREQ.byteSize());
        assertEquals(16, offset(KernelLayouts.IFREQ, "ifr_ifru.ifr_mtu"));
        assertEquals(16, offset(KernelLayouts.IFREQ, "ifr_ifru.ifr_flags"));
        assertEquals(18, offset(KernelLayouts.IFREQ, "ifr_ifru.ifr_hwaddr.sa_data"));
    }

    @Test
    void ebpfInstructionsEncodeAsTheKernelExpects() {
        // BPF_MOV64_REG(R6, R1) is bf 16 00 00 00000000; BPF_LD_ABS(H, 12) is 28 00 0000 0c000000.
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment code = Bpf.encode(arena, words(List.of(
                    EbpfInstruction.movReg(EbpfInstruction.R6, EbpfInstruction.R1),
                    EbpfInstruction.loadAbsolute(2, 12),
                    EbpfInstruction.jumpIfNotEqual(EbpfInstruction.R0, 0x88b5, -2))));
            byte[] b = code.toArray(ValueLayout.JAVA_BYTE);
            assertArrayEquals(new byte[] {(byte) 0xbf, 0x16, 0, 0, 0, 0, 0, 0}, Arrays.copyOfRange(b, 0, 8));
            assertArrayEquals(new byte[] {0x28, 0, 0, 0, 12, 0, 0, 0}, Arrays.copyOfRange(b, 8, 16));
            assertArrayEquals(new byte[] {0x55, 0, (byte) 0xfe, (byte) 0xff, (byte) 0xb5, (byte) 0x88, 0, 0},
                    Arrays.copyOfRange(b, 16, 24));
        }
    }

    /** The five ints per instruction that {@link Bpf#encode} takes, as EbpfProgram.load passes them. */
    private static int[] words(List<EbpfInstruction> insns) {
        return insns.stream().flatMapToInt(i -> IntStream.of(i.opcode(), i.dst(), i.src(), i.off(), i.imm()))
                .toArray();
    }

    @Test
    void ebpfInstructionRangesAreChecked() {
        BpfProgramTest.assertMessage(() -> new EbpfInstruction(256, 0, 0, 0, 0), "opcode=256");
        BpfProgramTest.assertMessage(() -> new EbpfInstruction(0, 16, 0, 0, 0), "dst=16");
        BpfProgramTest.assertMessage(() -> new EbpfInstruction(0, 0, -1, 0, 0), "src=-1");
        BpfProgramTest.assertMessage(() -> new EbpfInstruction(0, 0, 0, 40000, 0), "off=40000");
        BpfProgramTest.assertMessage(() -> EbpfInstruction.loadAbsolute(3, 0), "size=3");
    }
}
