package io.netring.filter;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Collects eBPF instructions with jumps to numbered labels, and fills in the jump offsets once
 * every label is placed. An unconditional jump too far for 16 bits becomes the 32-bit
 * {@code gotol}; a conditional one that far is a translation error (the callers keep theirs short).
 */
final class EbpfAssembler {
    private final List<EbpfInstruction> code = new ArrayList<>();
    /** Instruction index of each label, -1 until placed. */
    private final int[] labels;
    /** Pairs of (instruction index, label) for the jumps to resolve. */
    private final List<int[]> jumps = new ArrayList<>();

    EbpfAssembler(int labelCount) {
        labels = new int[labelCount];
        Arrays.fill(labels, -1);
    }

    void emit(EbpfInstruction insn) {
        code.add(insn);
    }

    /** Emits {@code jump} (its offset ignored) to go to {@code label}. */
    void jump(EbpfInstruction jump, int label) {
        jumps.add(new int[] {code.size(), label});
        code.add(jump);
    }

    /** Places {@code label} at the next instruction emitted. */
    void place(int label) {
        labels[label] = code.size();
    }

    /** The instructions, every jump resolved. */
    List<EbpfInstruction> instructions() {
        for (int[] j : jumps) {
            int at = j[0];
            int target = labels[j[1]];
            if (target < 0) {
                throw new IllegalStateException("label " + j[1] + " jumped to at instruction " + at + " was never placed");
            }
            int off = target - (at + 1);
            EbpfInstruction insn = code.get(at);
            if (off >= Short.MIN_VALUE && off <= Short.MAX_VALUE) {
                code.set(at, EbpfOps.withOffset(insn, off));
            } else if (EbpfOps.isJa(insn)) {
                code.set(at, EbpfOps.jaLong(off));
            } else {
                throw new IllegalStateException("conditional jump at instruction " + at + " spans " + off
                        + " instructions, more than 16 bits hold");
            }
        }
        jumps.clear();
        return List.copyOf(code);
    }
}
