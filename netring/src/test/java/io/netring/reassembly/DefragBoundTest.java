package io.netring.reassembly;

import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.util.Random;

import static io.netring.testing.FrameBuilder.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Adversarial input: memory stays under the total bound, what was dropped is counted, garbage never throws. */
class DefragBoundTest {
    @Test
    void hundredThousandUnfinishedDatagramsStayUnderTheTotalBound() {
        IpDefragmenter d = IpDefragmenter.create();
        byte[] data = new byte[1400];
        byte[] ip = ipv4(ipv4Addr(10, 0, 0, 1), ipv4Addr(10, 0, 0, 2), 17, 64, 0, 0x2000, new byte[0], data);
        MemorySegment s = MemorySegment.ofArray(ip);
        long most = 0;
        for (int i = 0; i < 100_000; i++) {
            put16(ip, 4, i);                                            // a distinct datagram each time
            ip[12] = (byte) (i >>> 16);
            assertEquals(DefragResult.HELD, d.offerIp(s, 0, ip.length, i + 1, i * 1_000L));
            most = Math.max(most, d.heldBytes());
        }
        DefragCounters c = d.counters();
        assertTrue(most <= d.maxTotalBytes(), most + " held");
        assertEquals(100_000, c.fragments());
        assertEquals(100_000, c.dropped(DropReason.TOTAL_BOUND) + d.pendingDatagrams(), c.toString());
        assertTrue(c.dropped(DropReason.TOTAL_BOUND) > 85_000, c.toString());
    }

    @Test
    void randomFragmentsAndGarbageNeverThrow() {
        Random r = new Random(23);
        IpDefragmenter d = IpDefragmenter.builder().maxTotalBytes(1 << 20).build();
        byte[] buf = new byte[2000];
        MemorySegment s = MemorySegment.ofArray(buf);
        long time = 0;
        int completed = 0;
        for (int i = 0; i < 200_000; i++) {
            int len;
            if (r.nextInt(3) == 0) {
                len = r.nextInt(buf.length);
                r.nextBytes(buf);                                       // garbage
            } else {
                boolean v6 = r.nextBoolean();
                byte[] data = new byte[r.nextInt(300)];
                r.nextBytes(data);
                int offset = 8 * r.nextInt(r.nextBoolean() ? 40 : 8192);
                boolean more = r.nextInt(4) != 0;
                int id = r.nextInt(4);
                byte[] ip = v6 ? ipv6(ipv6Addr(0xfd00, 0, 0, 0, 0, 0, 0, 1), ipv6Addr(0xfd00, 0, 0, 0, 0, 0, 0, 2), 44, 64, ipv6Fragment(17, offset & 0xFFF8, more, id, data))
                        : ipv4(ipv4Addr(1, 1, 1, 1), ipv4Addr(2, 2, 2, 2), 17, 64, id, (more ? 0x2000 : 0) | (offset / 8 & 0x1FFF),
                        new byte[0], data);
                if (r.nextInt(10) == 0) {
                    ip[2 + r.nextInt(8)] = (byte) r.nextInt();          // a broken length, flag or offset
                }
                len = Math.min(ip.length, r.nextInt(20) == 0 ? r.nextInt(ip.length + 1) : ip.length);
                System.arraycopy(ip, 0, buf, 0, len);
            }
            time += r.nextInt(50_000_000);
            if (d.offerIp(s, 0, len, i, time) == DefragResult.COMPLETED) {
                completed++;
                assertTrue(d.datagramLength() <= d.maxDatagramBytes());
            }
            assertTrue(d.heldBytes() <= d.maxTotalBytes());
        }
        assertTrue(completed > 0 && d.counters().droppedTotal() > 0, d.counters().toString());
    }
}
