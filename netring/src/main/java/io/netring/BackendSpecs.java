package io.netring;

import io.netring.afpacket.CbpfCode;
import io.netring.afpacket.FanoutSpec;
import io.netring.afpacket.FilterSpec;
import io.netring.filter.BpfInstruction;
import io.netring.filter.BpfProgram;
import io.netring.filter.EbpfProgram;

import java.util.Set;
import java.util.TreeSet;

/**
 * Turns the public filter and fanout types into the backend's own terms (kernel numbers and
 * fds), so that the backend imports no public class but the exceptions it throws.
 */
final class BackendSpecs {
    private BackendSpecs() {}

    /** The program as four ints per instruction. */
    static CbpfCode classic(BpfProgram program) {
        int[] words = new int[program.size() * CbpfCode.WORDS_PER_INSN];
        int w = 0;
        for (BpfInstruction insn : program.instructions()) {
            words[w++] = insn.code();
            words[w++] = insn.jt();
            words[w++] = insn.jf();
            words[w++] = insn.k();
        }
        return new CbpfCode(words);
    }

    /** The socket filter to attach at open: at most one of the two programs, maybe locked. */
    static FilterSpec filter(BpfProgram classic, EbpfProgram ebpf, boolean lock) {
        if (classic == null && ebpf == null && !lock) {
            return FilterSpec.NONE;
        }
        return new FilterSpec(classic == null ? null : classic(classic), ebpf == null ? -1 : ebpf.fd(), lock);
    }

    /** A validated fanout request; {@code cbpf} or {@code ebpf} for the program modes, else null. */
    static FanoutSpec fanout(FanoutMode mode, int groupId, Set<FanoutFlag> flags, BpfProgram cbpf, EbpfProgram ebpf) {
        int flagBits = 0;
        for (FanoutFlag f : flags) {
            flagBits |= f.kernelBit;
        }
        String description = mode + " group " + groupId + (flags.isEmpty() ? "" : " " + new TreeSet<>(flags));
        return new FanoutSpec(mode.kernelType, groupId, flagBits, description,
                cbpf == null ? null : classic(cbpf), ebpf == null ? -1 : ebpf.fd());
    }
}
