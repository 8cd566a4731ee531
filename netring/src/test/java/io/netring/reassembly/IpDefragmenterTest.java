package io.netring.reassembly;

import io.netring.decode.PacketDecoder;
import io.netring.testing.Allocations;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.Arrays;

import static io.netring.testing.FrameBuilder.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Overlaps as tshark 4.0 resolves them (checked by hand on crafted files), headers, timeouts, bounds. */
class IpDefragmenterTest {
    private static final byte[] SRC = ipv4Addr(10, 0, 0, 1), DST = ipv4Addr(10, 0, 0, 2);
    private static final long SECOND = 1_000_000_000L;

    private static byte[] fill(char c, int n) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) c);
        return b;
    }

    /** An IPv4 fragment of protocol 253 (experimental, as in the crafted tshark files) with id 1. */
    private static byte[] v4(int offset, boolean more, byte[] data) {
        return ipv4(SRC, DST, 253, 64, 1, (more ? 0x2000 : 0) | offset / 8, new byte[0], data);
    }

    private static DefragResult offer(IpDefragmenter d, byte[] ip, long frame, long time) {
        return d.offerIp(MemorySegment.ofArray(ip), 0, ip.length, frame, time);
    }

    private static String payload(IpDefragmenter d) {
        byte[] all = d.datagram().toArray(ValueLayout.JAVA_BYTE);
        return new String(all, 20, all.length - 20, java.nio.charset.StandardCharsets.US_ASCII);
    }

    /** Each case: fragments in the order sent, and the payload tshark -r shows as data.data. */
    @Test
    void overlapsKeepTheLowerOffsetThenTheEarlierCopy() {
        byte[][][] cases = {
                {v4(0, true, fill('A', 16)), v4(8, true, fill('B', 16)), v4(24, false, fill('C', 8))},
                {v4(8, true, fill('B', 16)), v4(0, true, fill('A', 16)), v4(24, false, fill('C', 8))},
                {v4(0, true, fill('A', 16)), v4(0, true, fill('D', 16)), v4(16, true, fill('B', 16)), v4(24, false, fill('C', 8))},
                {v4(0, true, fill('A', 8)), v4(0, true, fill('D', 16)), v4(16, false, fill('C', 8))},
        };
        String[] tshark = {"A".repeat(16) + "B".repeat(8) + "C".repeat(8), "A".repeat(16) + "B".repeat(8) + "C".repeat(8),
                "A".repeat(16) + "B".repeat(16), "A".repeat(8) + "D".repeat(8) + "C".repeat(8)};
        for (int c = 0; c < cases.length; c++) {
            IpDefragmenter d = IpDefragmenter.create();
            DefragResult last = null;
            for (int i = 0; i < cases[c].length; i++) {
                last = offer(d, cases[c][i], i + 1, 0);
            }
            assertEquals(DefragResult.COMPLETED, last, "case " + c);
            assertEquals(tshark[c], payload(d), "case " + c);
            assertEquals(cases[c].length, d.frameCount());
            assertEquals(1, d.counters().overlaps(), "case " + c);
            assertEquals(0, d.pendingDatagrams());
            assertEquals(0, d.heldBytes());
        }
    }

    @Test
    void rewritesTheIpv4HeaderAndStartsAfreshAfterCompletion() {
        IpDefragmenter d = IpDefragmenter.create();
        assertEquals(DefragResult.HELD, offer(d, v4(0, true, fill('A', 16)), 7, 0));
        assertEquals(DefragResult.COMPLETED, offer(d, v4(16, false, fill('B', 16)), 9, 0));
        assertArrayEquals(new long[] {7, 9}, d.frameNumbers());
        byte[] whole = v4(0, false, (new String(fill('A', 16)) + new String(fill('B', 16))).getBytes());
        assertArrayEquals(whole, d.datagram().toArray(ValueLayout.JAVA_BYTE));   // same header, checksum redone
        // tshark too: a fragment after completion begins a new datagram.
        assertEquals(DefragResult.HELD, offer(d, v4(0, true, fill('D', 16)), 10, 0));
        assertEquals(0, d.datagramLength());
        assertEquals(1, d.pendingDatagrams());
    }

    @Test
    void ipv6DropsTheFragmentHeaderAndKeepsTheOthers() {
        byte[] s = ipv6Addr(0x2001, 0xdb8, 0, 0, 0, 0, 0, 1), t = ipv6Addr(0x2001, 0xdb8, 0, 0, 0, 0, 0, 2);
        byte[] udp = udp(5000, 6000, fill('x', 40));
        byte[] first = ipv6(s, t, 0, 64, ipv6Options(44, ipv6Fragment(17, 0, true, 77, Arrays.copyOf(udp, 24))));
        byte[] second = ipv6(s, t, 0, 64, ipv6Options(44, ipv6Fragment(17, 24, false, 77, Arrays.copyOfRange(udp, 24, 48))));
        IpDefragmenter d = IpDefragmenter.create();
        assertEquals(DefragResult.HELD, offer(d, second, 1, 0));
        assertEquals(DefragResult.COMPLETED, offer(d, first, 2, 0));
        assertArrayEquals(ipv6(s, t, 0, 64, ipv6Options(17, udp)), d.datagram().toArray(ValueLayout.JAVA_BYTE));
        PacketDecoder p = new PacketDecoder().decodeIp(d.datagram(), 0, d.datagramLength());
        assertEquals(6000, p.udp().destinationPort());
    }

    @Test
    void notFragmentsPassUntouchedAndAllocateNothing() {
        byte[] frame = pad(ethernet(2, 1, 0x0800, ipv4(SRC, DST, 17, 64, 5, 0x4000, new byte[0], udp(1, 2, new byte[20]))));
        byte[] frame6 = pad(ethernet(2, 1, 0x86DD, ipv6(ipv6Addr(0xfd00, 0, 0, 0, 0, 0, 0, 1), ipv6Addr(0xfd00, 0, 0, 0, 0, 0, 0, 2), 17, 64, udp(1, 2, new byte[20]))));
        byte[] arp = pad(ethernet(2, 1, 0x0806, arp(1, 1, SRC, 0, DST)));
        MemorySegment a = MemorySegment.ofArray(frame), b = MemorySegment.ofArray(frame6), c = MemorySegment.ofArray(arp);
        IpDefragmenter d = IpDefragmenter.create();
        int[] sink = new int[1];
        Allocations.Measured m = Allocations.perOperation(() -> {
            for (int i = 0; i < 10_000; i++) {
                sink[0] += d.offerFrame(a, 0, frame.length, i, i).ordinal() + d.offerFrame(b, 0, frame6.length, i, i).ordinal()
                        + d.offerFrame(c, 0, arp.length, i, i).ordinal();
            }
        }, 20, 10, 30_000, 0.01);
        assertTrue(m.perOperation() < 0.01, "bytes per packet: " + m);
        assertEquals(0, sink[0]);                                        // NOT_FRAGMENT is ordinal 0
        assertEquals(0, d.counters().fragments());
    }

    /** tshark 4.0 on crafted files: the innermost VLAN id is part of the key, the outer QinQ tag is not. */
    @Test
    void keysByTheInnermostVlanId() {
        byte[] first = v4(0, true, fill('A', 16)), last = v4(16, false, fill('B', 8));
        byte[] tagged5 = ethernet(2, 1, 0x8100, concat(vlanTag(0, 5, 0x0800), first));
        byte[] qinq7and5 = ethernet(2, 1, 0x88A8, concat(vlanTag(0, 7, 0x8100), vlanTag(0, 5, 0x0800), first));
        byte[] untaggedLast = ethernet(2, 1, 0x0800, last);
        byte[] tagged5Last = ethernet(2, 1, 0x8100, concat(vlanTag(0, 5, 0x0800), last));
        IpDefragmenter d = IpDefragmenter.create();
        assertEquals(DefragResult.HELD, d.offerFrame(MemorySegment.ofArray(tagged5), 0, tagged5.length, 1, 0));
        assertEquals(DefragResult.HELD, d.offerFrame(MemorySegment.ofArray(untaggedLast), 0, untaggedLast.length, 2, 0));
        d = IpDefragmenter.create();
        assertEquals(DefragResult.HELD, d.offerFrame(MemorySegment.ofArray(qinq7and5), 0, qinq7and5.length, 1, 0));
        assertEquals(DefragResult.COMPLETED, d.offerFrame(MemorySegment.ofArray(tagged5Last), 0, tagged5Last.length, 2, 0));
    }

    @Test
    void givesUpOnTimeoutInPacketTime() {
        IpDefragmenter d = IpDefragmenter.builder().timeout(Duration.ofSeconds(30)).build();
        offer(d, v4(0, true, fill('A', 16)), 1, 100 * SECOND);
        offer(d, v4(32, false, fill('A', 16)), 2, 129 * SECOND);
        assertEquals(1, d.pendingDatagrams());
        assertEquals(DefragResult.HELD, offer(d, v4(16, true, fill('A', 16)), 3, 130 * SECOND));
        assertEquals(1, d.counters().dropped(DropReason.TIMEOUT));
        assertEquals(1, d.pendingDatagrams());                           // the late fragment begins anew
        d.discardPending();
        assertEquals(1, d.counters().dropped(DropReason.UNFINISHED));
        assertEquals(0, d.heldBytes());
    }

    @Test
    void boundsOneDatagramAndRefusesBrokenFragments() {
        IpDefragmenter d = IpDefragmenter.builder().maxDatagramBytes(1000).maxTotalBytes(4000).build();
        assertEquals(DefragResult.HELD, offer(d, v4(0, true, fill('A', 400)), 1, 0));
        assertEquals(DefragResult.DROPPED, offer(d, v4(960, true, fill('A', 40)), 2, 0));   // reaches past 1000
        assertEquals(1, d.counters().dropped(DropReason.TOO_BIG));
        assertEquals(0, d.pendingDatagrams());
        byte[] cut = Arrays.copyOf(v4(0, true, fill('A', 400)), 100);                      // captured short
        assertEquals(DefragResult.DROPPED, offer(d, cut, 3, 0));
        assertEquals(1, d.counters().dropped(DropReason.MALFORMED));
        assertEquals(0, d.heldBytes());
    }

    @Test
    void checksItsBounds() {
        assertEquals("maxDatagramBytes=10 must be at least 68 (the smallest datagram IPv4 lets be fragmented)",
                assertThrows(IllegalArgumentException.class, () -> IpDefragmenter.builder().maxDatagramBytes(10).build()).getMessage());
        assertEquals("maxTotalBytes=100 must be at least maxDatagramBytes=65596",
                assertThrows(IllegalArgumentException.class, () -> IpDefragmenter.builder().maxTotalBytes(100).build()).getMessage());
        assertEquals("timeout=PT0S must be positive",
                assertThrows(IllegalArgumentException.class, () -> IpDefragmenter.builder().timeout(Duration.ZERO).build()).getMessage());
    }
}
