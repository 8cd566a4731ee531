package io.netring.internal;

import io.netring.filter.EbpfInstruction;
import io.netring.internal.linux.Bpf;

import java.util.List;

/** eBPF instructions as {@link Bpf} takes them: opcode, dst, src, off, imm, five ints each. */
public final class EbpfWords {
    private EbpfWords() {}

    /** The words of {@code instructions}, in order. */
    public static int[] of(List<EbpfInstruction> instructions) {
        int[] words = new int[instructions.size() * Bpf.WORDS_PER_INSN];
        int w = 0;
        for (EbpfInstruction insn : instructions) {
            words[w++] = insn.opcode();
            words[w++] = insn.dst();
            words[w++] = insn.src();
            words[w++] = insn.off();
            words[w++] = insn.imm();
        }
        return words;
    }
}
