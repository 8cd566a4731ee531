package io.netring.filter;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.netring.filter.Bpf.*;

/**
 * Hand-written classic programs, one or a few per opcode, at the edges where classic BPF and
 * eBPF differ: division and modulus by zero, shift counts of 32 or more, loads that end exactly
 * at the frame's end or one byte past it, X + k wrapping, scratch words, unsigned compares.
 * Arithmetic results are checked bit by bit (one program per bit), not only for being non-zero.
 */
final class EdgePrograms {
    private EdgePrograms() {
    }

    static Map<String, BpfProgram> all() {
        Map<String, BpfProgram> m = new LinkedHashMap<>();
        // division and modulus: by a zero X rejects, by a constant zero rejects
        m.put("div by X = 0", p(i(LDX | W | IMM, 0), i(LD | B | ABS, 14), i(ALU | DIV | X, 0), i(RET | K, 1)));
        m.put("mod by X = 0", p(i(LDX | W | IMM, 0), i(LD | B | ABS, 14), i(ALU | MOD | X, 0), i(RET | K, 1)));
        m.put("div by constant 0", p(i(LD | B | ABS, 14), i(ALU | DIV | K, 0), i(RET | A, 0)));
        m.put("mod by constant 0", p(i(LD | B | ABS, 14), i(ALU | MOD | K, 0), i(RET | A, 0)));
        bits(m, "div by a frame byte", i(LDX | W | IMM, 0), i(LD | B | ABS, 15), i(MISC | TAX, 0), i(LD | W | ABS, 14),
                i(ALU | DIV | X, 0));
        bits(m, "mod by a frame byte", i(LD | B | ABS, 15), i(MISC | TAX, 0), i(LD | W | ABS, 14), i(ALU | MOD | X, 0));
        bits(m, "div and mod by constants", i(LD | W | ABS, 14), i(ALU | DIV | K, 7), i(ALU | ADD | K, 0x9abcdef0),
                i(ALU | MOD | K, 0x80000001), i(ALU | MUL | K, 0xfffffffb), i(ALU | DIV | K, 0xfffffffe));
        // shifts: a constant count masked to five bits, as the interpreter does; X masked too
        bits(m, "shift by constants >= 32", i(LD | W | ABS, 14), i(ALU | LSH | K, 33), i(ALU | RSH | K, 32), i(ALU | RSH | K, 63));
        bits(m, "shift by X from the frame", i(LD | B | ABS, 16), i(MISC | TAX, 0), i(LD | W | ABS, 18), i(ALU | LSH | X, 0),
                i(LD | B | ABS, 17), i(MISC | TAX, 0), i(ALU | RSH | X, 0));
        bits(m, "shift by X = 32 and 40", i(LDX | W | IMM, 32), i(LD | W | ABS, 14), i(ALU | RSH | X, 0), i(LDX | W | IMM, 40),
                i(ALU | LSH | X, 0));
        // every ALU operation with k and with X, and negation
        bits(m, "ALU with k", i(LD | W | ABS, 14), i(ALU | ADD | K, 0xfffffff0), i(ALU | SUB | K, 7), i(ALU | MUL | K, 0x10001),
                i(ALU | AND | K, 0xfff0fff), i(ALU | OR | K, 0x80000100), i(ALU | XOR | K, 0x55555555));
        bits(m, "ALU with X", i(LD | W | ABS, 22), i(MISC | TAX, 0), i(LD | W | ABS, 14), i(ALU | ADD | X, 0), i(ALU | SUB | X, 0),
                i(ALU | SUB | X, 0), i(ALU | MUL | X, 0), i(ALU | AND | X, 0), i(ALU | OR | X, 0), i(ALU | XOR | X, 0));
        bits(m, "neg", i(LD | H | ABS, 14), i(ALU | NEG, 0));
        // loads: at the exact end and one past it, wherever the frame ends
        for (int k = 56; k <= 64; k++) {
            m.put("ld [" + k + "]", p(i(LD | W | ABS, k), i(RET | K, 1)));
            m.put("ldh [" + k + "]", p(i(LD | H | ABS, k), i(RET | K, 1)));
            m.put("ldb [" + k + "]", p(i(LD | B | ABS, k), i(RET | K, 1)));
            m.put("ldx msh [" + k + "]", p(i(LDX | B | MSH, k), i(MISC | TXA, 0), i(ALU | ADD | K, 1), i(RET | A, 0)));
        }
        for (int size : new int[] {W, H, B}) {
            int bytes = size == W ? 4 : size == H ? 2 : 1;
            for (int back = bytes - 1; back <= bytes; back++) {
                m.put("ld" + bytes + " [len - " + back + "]", p(i(LD | W | LEN, 0), i(ALU | SUB | K, back), i(MISC | TAX, 0),
                        i(LD | size | IND, 0), i(ALU | OR | K, 1), i(RET | A, 0)));
            }
            bits(m, "ld" + bytes + " [x + k] big-endian", i(LDX | B | MSH, 14), i(LD | size | IND, 14));
            bits(m, "ld" + bytes + " [k] big-endian", i(LD | size | ABS, 20));
        }
        bits(m, "ld [x + k] wrapping at 2^32", i(LDX | W | IMM, 0xffffffff), i(LD | W | IND, 15));
        m.put("ld [x + k] negative", p(i(LDX | W | IMM, 0), i(LD | B | IND, 0xffffffff), i(RET | K, 1)));
        m.put("ld [x + k] with X = 2^31", p(i(LDX | W | IMM, 0x80000000), i(LD | B | IND, 0), i(RET | K, 1)));
        m.put("ld [x + k] far", p(i(LDX | W | IMM, 0x7fff), i(LD | B | IND, 1), i(RET | K, 1)));
        for (int k : new int[] {0x7ffe, 0x7fff, 0x8000, XdpFilterCode.MAX_LOAD_OFFSET, XdpFilterCode.MAX_LOAD_OFFSET + 1, 0xffff,
                0x7ffffff0}) {
            m.put("ldb [" + k + "]", p(i(LD | B | ABS, k), i(RET | K, 1)));
            m.put("ld [" + k + "]", p(i(LD | W | ABS, k), i(RET | K, 1)));
        }
        // lengths, scratch memory, register moves
        m.put("len > 60", p(i(LD | W | LEN, 0), j(JMP | JGT | K, 0, 1, 60), i(RET | K, 1), i(RET | K, 0)));
        bits(m, "ldx len", i(LDX | W | LEN, 0), i(MISC | TXA, 0));
        bits(m, "scratch words", i(LD | W | ABS, 14), i(ST, 3), i(LDX | W | IMM, 5), i(STX, 15), i(LD | MEM, 19), i(MISC | TAX, 0),
                i(LD | MEM, 15), i(ALU | ADD | X, 0), i(ST, 0), i(LDX | W | MEM, 0), i(MISC | TXA, 0));
        // jumps: unsigned 32-bit compares, jset, both targets equal, jt = 0, ja
        for (int k : new int[] {0, 1, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff}) {
            for (int op : new int[] {JEQ, JGT, JGE, JSET}) {
                m.put("j" + op + " #" + Integer.toHexString(k), p(i(LD | W | ABS, 14), j(JMP | op | K, 0, 1, k), i(RET | K, 1), i(RET | K, 0)));
                m.put("j" + op + " #" + Integer.toHexString(k) + " jt", p(i(LD | W | ABS, 14), j(JMP | op | K, 1, 0, k), i(RET | K, 1),
                        i(RET | K, 0)));
            }
        }
        for (int op : new int[] {JEQ, JGT, JGE, JSET}) {
            m.put("j" + op + " x", p(i(LD | W | ABS, 18), i(MISC | TAX, 0), i(LD | W | ABS, 14), j(JMP | op | X, 1, 0, 0), i(RET | K, 1),
                    i(RET | K, 0)));
        }
        m.put("jt = jf", p(i(LD | B | ABS, 14), j(JMP | JEQ | K, 1, 1, 3), i(RET | K, 1), i(RET | K, 0)));
        m.put("ja", p(i(LD | B | ABS, 14), i(JMP | JA, 1), i(RET | K, 0), i(RET | A, 0)));
        m.put("ret x", p(i(LDX | B | MSH, 14), i(RET | X, 0)));
        m.put("unreachable after a return", p(i(RET | K, 1), i(LD | W | ABS, 0), i(RET | K, 0)));
        m.put("rejects all", p(i(RET | K, 0)));
        m.put("accepts all", p(i(RET | K, 0xffffffff)));
        return m;
    }

    /**
     * The programs at the size limit: two compiled expressions of just under 4096 instructions
     * (forms the compiler builds in about a second; "port N or ..." of that size takes ten), and
     * a jump too far for 16 bits.
     */
    static Map<String, BpfProgram> largest() {
        Map<String, BpfProgram> m = new LinkedHashMap<>();
        m.put("compiled, 840 x (ip[k] = v and udp)", orOf("(ip[%d] = %d and udp)", 840));
        m.put("compiled, 680 x (tcp[k:2] = v and ...)", orOf("(tcp[%d:2] = %d and ip[0] & 0xf > 5)", 680));
        List<BpfInstruction> far = new ArrayList<>();
        far.add(i(LD | B | ABS, 14));
        far.add(j(JMP | JEQ | K, 0, 1, 0));
        far.add(i(JMP | JA, MAXINSNS - 2 - 3));             // to the last instruction, tens of thousands of eBPF ones away
        while (far.size() < MAXINSNS - 2) {
            far.add(i(LD | B | IND, far.size() % 80));
        }
        far.add(i(RET | A, 0));
        far.add(i(RET | K, 0));
        m.put("ja across " + (MAXINSNS - 5) + " indexed loads", BpfProgram.of(far));
        return m;
    }

    /** The compiled {@code form} (k, v) or'ed {@code terms} times, k cycling through 0..59. */
    private static BpfProgram orOf(String form, int terms) {
        StringBuilder e = new StringBuilder();
        for (int t = 0; t < terms; t++) {
            e.append(t == 0 ? "" : " or ").append(String.format(form, t % 60, t + 1));
        }
        return BpfProgram.compile(e.toString());
    }

    /** Thirty-two programs: {@code body}, then keep the frame when bit b of A is set. */
    private static void bits(Map<String, BpfProgram> m, String name, BpfInstruction... body) {
        for (int b = 0; b < 32; b++) {
            List<BpfInstruction> p = new ArrayList<>(Arrays.asList(body));
            p.add(i(ALU | AND | K, 1 << b));
            p.add(i(RET | A, 0));
            m.put(name + ", bit " + b, BpfProgram.of(p));
        }
    }

    private static BpfProgram p(BpfInstruction... insns) {
        return BpfProgram.of(insns);
    }

    private static BpfInstruction i(int code, int k) {
        return new BpfInstruction(code, 0, 0, k);
    }

    private static BpfInstruction j(int code, int jt, int jf, int k) {
        return new BpfInstruction(code, jt, jf, k);
    }
}
