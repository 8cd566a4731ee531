package io.netring.filter;

import java.util.List;

/** Prints classic BPF the way {@code tcpdump -d} does (libpcap's bpf_image), for reading and comparing programs. */
final class BpfDisassembler {
    private BpfDisassembler() {
    }

    /** All instructions, one per line, each line ending with a newline. */
    public static String disassemble(List<int[]> rows) {
        StringBuilder sb = new StringBuilder();
        for (int n = 0; n < rows.size(); n++) {
            sb.append(line(rows.get(n), n)).append('\n');
        }
        return sb.toString();
    }

    /** One instruction {code, jt, jf, k} at index {@code n}. */
    public static String line(int[] row, int n) {
        int code = row[0];
        int k = row[3];
        String op;
        String operand;
        switch (code) {
            case Bpf.RET | Bpf.K -> { op = "ret"; operand = "#" + k; }
            case Bpf.RET | Bpf.A -> { op = "ret"; operand = ""; }
            case Bpf.RET | Bpf.X -> { op = "ret"; operand = "x"; }
            case Bpf.LD | Bpf.W | Bpf.ABS -> { op = "ld"; operand = "[" + k + "]"; }
            case Bpf.LD | Bpf.H | Bpf.ABS -> { op = "ldh"; operand = "[" + k + "]"; }
            case Bpf.LD | Bpf.B | Bpf.ABS -> { op = "ldb"; operand = "[" + k + "]"; }
            case Bpf.LD | Bpf.W | Bpf.LEN -> { op = "ld"; operand = "#pktlen"; }
            case Bpf.LD | Bpf.W | Bpf.IND -> { op = "ld"; operand = "[x + " + k + "]"; }
            case Bpf.LD | Bpf.H | Bpf.IND -> { op = "ldh"; operand = "[x + " + k + "]"; }
            case Bpf.LD | Bpf.B | Bpf.IND -> { op = "ldb"; operand = "[x + " + k + "]"; }
            case Bpf.LD | Bpf.IMM -> { op = "ld"; operand = hex(k); }
            case Bpf.LDX | Bpf.IMM -> { op = "ldx"; operand = hex(k); }
            case Bpf.LDX | Bpf.W | Bpf.LEN -> { op = "ldx"; operand = "#pktlen"; }
            case Bpf.LDX | Bpf.B | Bpf.MSH -> { op = "ldxb"; operand = "4*([" + k + "]&0xf)"; }
            case Bpf.LD | Bpf.MEM -> { op = "ld"; operand = "M[" + k + "]"; }
            case Bpf.LDX | Bpf.MEM -> { op = "ldx"; operand = "M[" + k + "]"; }
            case Bpf.ST -> { op = "st"; operand = "M[" + k + "]"; }
            case Bpf.STX -> { op = "stx"; operand = "M[" + k + "]"; }
            case Bpf.JMP | Bpf.JA -> { op = "ja"; operand = Integer.toString(n + 1 + k); }
            case Bpf.MISC | Bpf.TAX -> { op = "tax"; operand = ""; }
            case Bpf.MISC | Bpf.TXA -> { op = "txa"; operand = ""; }
            case Bpf.ALU | Bpf.NEG -> { op = "neg"; operand = ""; }
            default -> {
                int cls = code & 0x07;
                boolean x = (code & Bpf.X) != 0;
                if (cls == Bpf.ALU) {
                    op = switch (code & 0xf0) {
                        case Bpf.ADD -> "add"; case Bpf.SUB -> "sub"; case Bpf.MUL -> "mul"; case Bpf.DIV -> "div";
                        case Bpf.MOD -> "mod"; case Bpf.AND -> "and"; case Bpf.OR -> "or"; case Bpf.XOR -> "xor";
                        case Bpf.LSH -> "lsh"; case Bpf.RSH -> "rsh"; default -> "unimp";
                    };
                    boolean bitwise = (code & 0xf0) == Bpf.AND || (code & 0xf0) == Bpf.OR || (code & 0xf0) == Bpf.XOR;
                    operand = x ? "x" : bitwise ? hex(k) : "#" + k;
                } else if (cls == Bpf.JMP) {
                    op = switch (code & 0xf0) {
                        case Bpf.JEQ -> "jeq"; case Bpf.JGT -> "jgt"; case Bpf.JGE -> "jge"; case Bpf.JSET -> "jset";
                        default -> "unimp";
                    };
                    operand = x ? "x" : hex(k);
                } else {
                    op = "unimp";
                    operand = "0x" + Integer.toHexString(code);
                }
            }
        }
        if ((code & 0x07) == Bpf.JMP && (code & 0xf0) != Bpf.JA) {
            return String.format("(%03d) %-8s %-16s jt %d\tjf %d", n, op, operand, n + 1 + row[1], n + 1 + row[2]);
        }
        return String.format("(%03d) %-8s %s", n, op, operand);
    }

    private static String hex(int k) {
        return "#0x" + Integer.toHexString(k);
    }
}
