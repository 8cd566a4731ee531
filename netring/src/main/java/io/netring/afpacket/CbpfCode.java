package io.netring.afpacket;

import java.util.Arrays;

/**
 * A classic BPF program as the kernel takes it ({@code struct sock_filter[]}), in the backend's
 * own terms: four ints per instruction, code, jt, jf and k.
 *
 * @param words the instructions, {@link #WORDS_PER_INSN} ints each
 */
public record CbpfCode(int[] words) {
    /** Ints per instruction. */
    public static final int WORDS_PER_INSN = 4;

    public CbpfCode {
        words = words.clone();
    }

    /** The number of instructions. */
    public int size() {
        return words.length / WORDS_PER_INSN;
    }

    @Override
    public int[] words() {
        return words.clone();
    }

    int code(int i) {
        return words[i * WORDS_PER_INSN];
    }

    int jt(int i) {
        return words[i * WORDS_PER_INSN + 1];
    }

    int jf(int i) {
        return words[i * WORDS_PER_INSN + 2];
    }

    int k(int i) {
        return words[i * WORDS_PER_INSN + 3];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CbpfCode c && Arrays.equals(c.words, words);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(words);
    }

    @Override
    public String toString() {
        return "CbpfCode[" + size() + " instructions]";
    }
}
