package io.netring.decode;

/**
 * The DNS header of the decoded frame (a UDP datagram to or from port 53) and its first
 * question. The question name is read without allocating: into the caller's array or
 * {@code StringBuilder}, or compared in place; compression pointers are followed (at most 16).
 * A name that is cut short or malformed reads as -1 / false.
 */
public final class DnsView extends LayerView {
    static final int HEADER_SIZE = 12;
    private final DnsNameReader names = new DnsNameReader();
    private final byte[] name = names.buffer();
    /** Offset in the frame just after the name walked last (where the question's type starts). */
    private int nameEnd;

    DnsView(PacketDecoder d) {
        super(d, Layer.DNS);
    }

    /** The DNS message starts where the UDP payload does. */
    @Override
    int start() {
        return d.payloadOffset;
    }

    /** Offset in the frame of the DNS message (its id). */
    public int messageOffset() { return at(0); }

    /** The message ID, 0 to 65535, which pairs a response with its query. */
    public int id() { return field16(0); }

    /** The 16 flag bits (QR, opcode, AA, TC, RD, RA, Z, AD, CD, rcode). */
    public int flags() { return field16(2); }

    /** The QR bit: true for a response, false for a query. */
    public boolean isResponse() { return (flags() & 0x8000) != 0; }

    /** The opcode, 0 to 15 (0 a standard query). */
    public int opcode() { return (flags() >> 11) & 0xF; }

    /** The RD bit: the client asks for recursion. */
    public boolean recursionDesired() { return (flags() & 0x0100) != 0; }

    /** The response code, 0 to 15 (0 no error, 3 NXDOMAIN). */
    public int rcode() { return flags() & 0xF; }

    /**
     * QDCOUNT: entries in the question section, as the header says (not checked against the bytes).
     */
    public int questionCount() { return field16(4); }

    /** ANCOUNT: resource records in the answer section, as the header says. */
    public int answerCount() { return field16(6); }

    /** NSCOUNT: resource records in the authority section, as the header says. */
    public int authorityCount() { return field16(8); }

    /** ARCOUNT: resource records in the additional section, as the header says. */
    public int additionalCount() { return field16(10); }

    /**
     * Copies the first question's name (dotted, without the final dot; empty for the root) into
     * {@code dst} and returns its length, or -1 when there is no readable question. Copies only
     * what fits when {@code dst} is shorter, and still returns the full length.
     */
    public int questionName(byte[] dst) {
        int n = walkQuestion();
        if (n > 0) {
            System.arraycopy(name, 0, dst, 0, Math.min(n, dst.length));
        }
        return n;
    }

    /** Appends the first question's name to {@code sb}; false (nothing appended) when unreadable. */
    public boolean appendQuestionName(StringBuilder sb) {
        int n = walkQuestion();
        for (int i = 0; i < n; i++) {
            sb.append((char) (name[i] & 0xFF));
        }
        return n >= 0;
    }

    /** True when the first question's name equals {@code expected} (ASCII, case-insensitive, no final dot). */
    public boolean questionNameEquals(CharSequence expected) {
        int n = walkQuestion();
        if (n < 0 || n != expected.length()) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (lower(name[i] & 0xFF) != lower(expected.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** The first question's type (1 = A, 28 = AAAA, ...), or -1 when not captured. */
    public int questionType() { return walkQuestion() < 0 || nameEnd + 2 > d.l3End ? -1 : d.get16(nameEnd); }

    /** The first question's class (1 = IN), or -1 when not captured. */
    public int questionClass() { return walkQuestion() < 0 || nameEnd + 4 > d.l3End ? -1 : d.get16(nameEnd + 2); }

    /**
     * Offset in the frame of the first answer record (after the questions), or -1 when the
     * questions cannot be walked in the captured bytes. With {@link #nameEnd} and
     * {@link #appendName} a caller walks the records: name, type, class, TTL, length, data.
     */
    public int answersOffset() {
        int at = at(HEADER_SIZE);
        for (int q = questionCount(); q > 0; q--) {
            at = nameEnd(at);
            if (at < 0 || at + 4 > d.l3End) {
                return -1;
            }
            at += 4;
        }
        return at;
    }

    /** Offset just after the (possibly compressed) name at frame offset {@code offset}, or -1 when malformed or cut short. */
    public int nameEnd(int offset) {
        at(0);
        return walkName(offset) < 0 ? -1 : nameEnd;
    }

    /** Appends the name at frame offset {@code offset} (dotted, no final dot, compression followed); false when unreadable. */
    public boolean appendName(int offset, StringBuilder sb) {
        at(0);
        int n = walkName(offset);
        for (int i = 0; i < n; i++) {
            sb.append((char) (name[i] & 0xFF));
        }
        return n >= 0;
    }

    private static int lower(int c) {
        return c >= 'A' && c <= 'Z' ? c + 32 : c;
    }

    private int walkQuestion() {
        if (questionCount() == 0) {
            return -1;
        }
        return walkName(at(HEADER_SIZE));
    }

    /** Reads the name at frame offset {@code start} into the reader's buffer; its length, or -1. Sets {@link #nameEnd}. */
    private int walkName(int start) {
        long base = d.offset();
        int n = names.read(d.segment(), base + d.payloadOffset, base + d.l3End, base + start);
        nameEnd = n < 0 ? -1 : (int) (names.end() - base);
        return n;
    }
}
