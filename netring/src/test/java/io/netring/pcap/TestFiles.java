package io.netring.pcap;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Builds pcap and pcapng files byte by byte, in either byte order, independently of
 * {@link PcapWriter}: the reader's tests must not trust the writer, and no tool here writes
 * big-endian files.
 */
final class TestFiles {
    private TestFiles() {}

    /** A packet as the tests expect it back. */
    record Rec(byte[] data, long seconds, int nanos, int originalLength) {}

    /** {@code n} Ethernet-looking frames of varied lengths, timestamps increasing by uneven steps. */
    static List<Rec> records(int n, long start) {
        Random r = new Random(start);
        List<Rec> out = new ArrayList<>();
        long sec = 1_700_000_000L;
        int nanos = 0;
        for (int i = 0; i < n; i++) {
            byte[] d = new byte[14 + r.nextInt(120)];
            r.nextBytes(d);
            d[12] = (byte) 0x88;
            d[13] = (byte) 0xB5;
            nanos += r.nextInt(400_000_000);
            if (nanos >= 1_000_000_000) {
                sec++;
                nanos -= 1_000_000_000;
            }
            int orig = r.nextInt(4) == 0 ? d.length + r.nextInt(1000) : d.length;
            out.add(new Rec(d, sec, nanos, orig));
        }
        return out;
    }

    /** Rounds the timestamps down to microseconds (what a microsecond file can hold). */
    static List<Rec> micros(List<Rec> recs) {
        return recs.stream().map(r -> new Rec(r.data, r.seconds, r.nanos / 1000 * 1000, r.originalLength)).toList();
    }

    static byte[] classic(List<Rec> recs, ByteOrder order, boolean nanos, int linkType, int snaplen) {
        ByteBuffer b = ByteBuffer.allocate(24 + recs.stream().mapToInt(r -> 16 + r.data.length).sum()).order(order);
        b.putInt(nanos ? 0xa1b23c4d : 0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0)
                .putInt(snaplen).putInt(linkType);
        for (Rec r : recs) {
            b.putInt((int) r.seconds).putInt(nanos ? r.nanos : r.nanos / 1000).putInt(r.data.length)
                    .putInt(r.originalLength).put(r.data);
        }
        return b.array();
    }

    /** pcapng blocks, assembled in one byte order. */
    static final class Ng {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private ByteOrder order;

        Ng section(ByteOrder order) {
            this.order = order;
            ByteBuffer body = buf(16).putInt(0x1A2B3C4D).putShort((short) 1).putShort((short) 0).putLong(-1);
            return block(0x0A0D0D0A, body.array(), options(4, "test".getBytes(StandardCharsets.UTF_8)));
        }

        /** An IDB; {@code tsresol} is written when not negative. */
        Ng iface(int linkType, int snaplen, String name, int tsresol) {
            return iface(linkType, snaplen, name, tsresol, 0);
        }

        /** An IDB with {@code if_tsoffset} (seconds added to every timestamp) when not 0. */
        Ng iface(int linkType, int snaplen, String name, int tsresol, long tsoffset) {
            ByteBuffer body = buf(8).putShort((short) linkType).putShort((short) 0).putInt(snaplen);
            List<Object> opts = new ArrayList<>();
            if (name != null) {
                opts.add(2);
                opts.add(name.getBytes(StandardCharsets.UTF_8));
            }
            if (tsresol >= 0) {
                opts.add(9);
                opts.add(new byte[] {(byte) tsresol});
            }
            if (tsoffset != 0) {
                opts.add(14);
                opts.add(buf(8).putLong(tsoffset).array());
            }
            return block(1, body.array(), options(opts.toArray()));
        }

        /** An EPB with a timestamp in the interface's units; {@code flags} written when not negative. */
        Ng epb(int ifId, long ts, byte[] data, int origLen, int flags) {
            ByteBuffer body = buf(20 + pad(data.length)).putInt(ifId).putInt((int) (ts >>> 32)).putInt((int) ts)
                    .putInt(data.length).putInt(origLen).put(data);
            byte[] opts = flags < 0 ? new byte[0] : options(2, buf(4).putInt(flags).array());
            return block(6, body.array(), opts);
        }

        Ng spb(byte[] data, int origLen) {
            ByteBuffer body = buf(4 + pad(data.length)).putInt(origLen).put(data);
            return block(3, body.array(), new byte[0]);
        }

        Ng isb(int ifId, long recv, long drop) {
            ByteBuffer body = buf(12).putInt(ifId).putInt(0).putInt(0);
            return block(5, body.array(), options(4, buf(8).putLong(recv).array(), 5, buf(8).putLong(drop).array()));
        }

        /** A block of a type no reader knows, to be skipped. */
        Ng unknown(int type, int bodyLen) {
            return block(type, new byte[pad(bodyLen)], new byte[0]);
        }

        byte[] bytes() {
            return out.toByteArray();
        }

        private ByteBuffer buf(int n) {
            return ByteBuffer.allocate(n).order(order);
        }

        /** Options from (code, value) pairs, ended by opt_endofopt. */
        private byte[] options(Object... pairs) {
            ByteArrayOutputStream o = new ByteArrayOutputStream();
            for (int i = 0; i < pairs.length; i += 2) {
                byte[] v = (byte[]) pairs[i + 1];
                o.writeBytes(buf(4).putShort((short) (int) (Integer) pairs[i]).putShort((short) v.length).array());
                o.writeBytes(v);
                o.writeBytes(new byte[pad(v.length) - v.length]);
            }
            if (pairs.length > 0) {
                o.writeBytes(new byte[4]);
            }
            return o.toByteArray();
        }

        private Ng block(int type, byte[] body, byte[] opts) {
            int len = 12 + body.length + opts.length;
            out.writeBytes(buf(8).putInt(type).putInt(len).array());
            out.writeBytes(body);
            out.writeBytes(opts);
            out.writeBytes(buf(4).putInt(len).array());
            return this;
        }

        private static int pad(int n) {
            return (n + 3) & ~3;
        }
    }
}
