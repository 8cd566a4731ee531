package io.netring.pcap;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Classic pcap records copied from a mapped file into a classic pcap {@link FileOutput}
 * without laying them out as a batch: a large run of records is copied in one piece into the
 * output buffer, then each record's 16-byte header is rewritten in place (nanoseconds, this
 * host's byte order, an unnormalised fraction carried into the seconds). The packet bytes
 * are never touched one by one, so a conversion costs one memory copy and a header rewrite
 * per record. A record this path does not take as it is (cut by the snaplen, larger than the
 * buffer, damaged) stops it there: the caller goes on batch by batch, which cuts, grows or
 * reports the damage exactly as {@link PcapReader#nextBatch()} does.
 */
final class ClassicPcapCopy {
    /** Below this much room the buffer is flushed first, so every copy moves a large run. */
    private static final int MIN_RUN = 1 << 16;
    private static final int HEADER = ClassicPcapParser.RECORD_HEADER_SIZE;
    /** Halves of an 8-byte read: the first 4 bytes are the low half on a little-endian host. */
    private static final int FIRST_HALF_SHIFT = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN ? 0 : 32;

    private ClassicPcapCopy() {}

    /**
     * Copies records from the parser's position, at most {@code max}, until the file ends or
     * a record needs the batch path; advances the parser past what was copied.
     *
     * @param snaplen the output's snapshot length: a longer record stops the copy
     * @return the number of records written to {@code out}
     */
    static long copy(ClassicPcapParser in, FileOutput out, int snaplen, long max) throws IOException {
        final long end = in.size;
        final boolean swap = in.isSwapped();
        final int units = in.nanosecondPrecision() ? 1_000_000_000 : 1_000_000;
        final int toNanos = in.nanosecondPrecision() ? 1 : 1000;
        final long limit = Math.min(snaplen & 0xFFFFFFFFL, in.maxCaplen());
        long p = in.pos;
        long n = 0;
        boolean stop = false;
        while (!stop && p < end && n < max) {
            if (out.room() < MIN_RUN) {
                out.flush();
            }
            int at = (int) out.position();
            int run = (int) Math.min(out.room(), end - p);
            out.copy(in.data, p, at, run);
            ByteBuffer v = out.view();
            int q = at;
            final int runEnd = at + run;
            while (n < max && runEnd - q >= HEADER) {
                // Two 8-byte reads, not four 4-byte ones: half the calls while the loop is interpreted.
                long time = Long.rotateRight(v.getLong(q), FIRST_HALF_SHIFT);
                long lengths = Long.rotateRight(v.getLong(q + 8), FIRST_HALF_SHIFT);
                int sec = (int) time;
                int frac = (int) (time >>> 32);
                int caplen = (int) lengths;
                int wireLen = (int) (lengths >>> 32);
                if (swap) {
                    sec = Integer.reverseBytes(sec);
                    frac = Integer.reverseBytes(frac);
                    caplen = Integer.reverseBytes(caplen);
                    wireLen = Integer.reverseBytes(wireLen);
                }
                long cap = caplen & 0xFFFFFFFFL;
                if (cap > limit) {
                    stop = true;                          // to be cut, or damaged: the batch path's job
                    break;
                }
                if (runEnd - q - HEADER < cap) {
                    break;                                // not whole in this run
                }
                if (Integer.compareUnsigned(frac, units) >= 0) {
                    long f = frac & 0xFFFFFFFFL;
                    sec = (int) ((sec & 0xFFFFFFFFL) + f / units);
                    frac = (int) (f % units);
                }
                v.putLong(q, Long.rotateLeft((sec & 0xFFFFFFFFL) | (long) (frac * toNanos) << 32, FIRST_HALF_SHIFT));
                if (swap) {
                    v.putLong(q + 8, Long.rotateLeft(cap | (long) wireLen << 32, FIRST_HALF_SHIFT));
                }
                q += HEADER + (int) cap;
                n++;
            }
            int used = q - at;
            out.skip(used);
            p += used;
            if (used == 0 && !stop) {
                if (at == 0) {
                    stop = true;                          // larger than the buffer, or cut short by the file's end
                } else {
                    out.flush();
                }
            }
        }
        in.pos = p;
        return n;
    }
}
