package io.netring.decode;

import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;

import static io.netring.decode.FrameBuilder.*;
import static org.junit.jupiter.api.Assertions.*;

/** Each layer's view on hand-made frames, and the contract for absent layers. */
class PacketDecoderTest {
    private final PacketDecoder d = new PacketDecoder();
    private static final byte[] A = ipv4Addr(10, 0, 0, 1);
    private static final byte[] B = ipv4Addr(10, 0, 0, 2);

    private PacketDecoder decode(byte[] frame) {
        return d.decode(MemorySegment.ofArray(frame));
    }

    @Test
    void tcpSynWithOptions() {
        byte[] opts = bytes(2, 4, 0x05, 0xB4, 4, 2, 8, 10, 0, 0, 0, 7, 0, 0, 0, 0, 1, 3, 3, 7);
        byte[] f = ethernet(0x0000_5E00_5301L, 0x0200_0000_0001L, 0x0800,
                ipv4(A, B, 6, 64, 0x1234, 0x4000, new byte[0], tcp(40000, 80, 1000, 0, 0x02, 64240, opts, new byte[0])));
        decode(f);
        assertTrue(d.has(Layer.ETHERNET) && d.has(Layer.IPV4) && d.has(Layer.TCP));
        assertFalse(d.has(Layer.UDP) || d.has(Layer.VLAN) || d.has(Layer.IPV6));
        assertEquals("02:00:00:00:00:01", AddressText.mac(d.ethernet().source()));
        assertEquals("00:00:5e:00:53:01", AddressText.mac(d.ethernet().destination()));
        assertEquals("10.0.0.1", AddressText.ipv4(d.ipv4().source()));
        assertEquals(64, d.ipv4().ttl());
        assertTrue(d.ipv4().dontFragment());
        assertFalse(d.ipv4().isFragment());
        assertEquals(0x1234, d.ipv4().identification());
        assertEquals(40000, d.tcp().sourcePort());
        assertEquals(80, d.tcp().destinationPort());
        assertEquals(1000, d.tcp().sequence());
        assertEquals(0x002, d.tcp().flags());
        assertTrue(d.tcp().syn());
        assertFalse(d.tcp().ack());
        assertEquals(1460, d.tcp().mss());
        assertTrue(d.tcp().sackPermitted());
        assertEquals(7, d.tcp().timestampValue());
        assertEquals(0, d.tcp().timestampEcho());
        assertEquals(7, d.tcp().windowScale());
        assertEquals(40, d.tcp().headerLength());
        assertEquals(0, d.payloadLength());
        assertEquals(6, d.ipProtocol());
    }

    @Test
    void absentLayerThrowsIllegalState() {
        decode(ethernet(1, 2, 0x0806, arp(1, 2, A, 0, B)));
        assertTrue(d.has(Layer.ARP));
        assertEquals(ArpView.REQUEST, d.arp().opcode());
        assertEquals("10.0.0.2", AddressText.ipv4(d.arp().targetIp()));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> d.tcp().sourcePort());
        assertEquals("no TCP layer in this packet (check has(Layer.TCP) first)", e.getMessage());
        assertThrows(IllegalStateException.class, () -> d.ipv4().source());
        assertThrows(IllegalStateException.class, () -> d.dns().id());
        assertThrows(IllegalStateException.class, () -> d.vlan().id(0));
    }

    @Test
    void vlanStackAndLlc() {
        byte[] inner = ipv4(A, B, 17, 1, 1, 0, new byte[0], udp(1000, 2000, new byte[4]));
        decode(ethernet(1, 2, 0x88A8, concat(vlanTag(0, 100, 0x8100), vlanTag(5, 200, 0x0800), inner)));
        assertEquals(2, d.vlan().count());
        assertEquals(100, d.vlan().id(0));
        assertEquals(0x88A8, d.vlan().tpid(0));
        assertEquals(200, d.vlan().id(1));
        assertEquals(5, d.vlan().priority(1));
        assertEquals(0x8100, d.vlan().tpid(1));
        assertEquals(0x0800, d.etherType());
        assertEquals(22, d.networkOffset());
        assertEquals(2000, d.udp().destinationPort());
        assertThrows(IndexOutOfBoundsException.class, () -> d.vlan().id(2));

        decode(ethernet(1, 2, 40, concat(bytes(0x42, 0x42, 0x03), new byte[37])));
        assertTrue(d.has(Layer.LLC));
        assertFalse(d.ethernet().isEthernetII());
        assertEquals(0x42, d.ethernet().llcDsap());
        assertEquals(-1, d.etherType());
    }

    @Test
    void ipv4FragmentsCarryTransportOnlyInTheFirst() {
        byte[] first = ethernet(1, 2, 0x0800, ipv4(A, B, 17, 64, 9, 0x2000, new byte[0], udp(1, 2, new byte[16])));
        decode(first);
        assertTrue(d.has(Layer.UDP));
        assertTrue(d.ipv4().isFragment());
        assertTrue(d.ipv4().moreFragments());
        byte[] later = ethernet(1, 2, 0x0800, ipv4(A, B, 17, 64, 9, 3, new byte[0], new byte[24]));
        decode(later);
        assertFalse(d.has(Layer.UDP));
        assertEquals(24, d.ipv4().fragmentOffset());
        assertEquals(17, d.ipProtocol());
        assertEquals(-1, d.transportOffset());
    }

    @Test
    void ipv4Options() {
        decode(ethernet(1, 2, 0x0800, ipv4(A, B, 6, 64, 1, 0, bytes(1, 0x94, 4, 0, 0, 0, 0, 0),
                tcp(1, 2, 3, 4, 0x10, 5, new byte[0], new byte[0]))));
        assertEquals(28, d.ipv4().headerLength());
        assertEquals(8, d.ipv4().optionsLength());
        assertTrue(d.ipv4().hasOption(0x94));
        assertFalse(d.ipv4().hasOption(7));
        assertEquals(14 + 28, d.transportOffset());
    }

    @Test
    void ipv6ExtensionHeadersToTheUpperLayer() {
        byte[] src = ipv6Addr(0xfe80, 0, 0, 0, 0, 0, 0, 1);
        byte[] dst = ipv6Addr(0x2001, 0xdb8, 0, 0, 0, 0, 0, 2);
        byte[] l4 = icmpv6(128, 0, 0x00010002, new byte[4]);
        byte[] ext = ipv6Options(60, ipv6Options(43, ipv6Routing(44, ipv6Fragment(58, 0, true, 7, l4))));
        decode(ethernet(1, 2, 0x86DD, ipv6(src, dst, 0, 255, ext)));
        assertTrue(d.has(Layer.IPV6) && d.has(Layer.ICMPV6));
        assertEquals(0, d.ipv6().nextHeader());
        assertEquals(58, d.ipProtocol());
        assertTrue(d.ipv6().hasHopByHop() && d.ipv6().hasDestinationOptions() && d.ipv6().hasRouting() && d.ipv6().hasFragment());
        assertTrue(d.ipv6().moreFragments());
        assertEquals(0, d.ipv6().fragmentOffset());
        assertEquals(7, d.ipv6().fragmentIdentification());
        assertEquals(128, d.icmpv6().type());
        assertEquals(1, d.icmpv6().identifier());
        assertEquals("fe80::1", d.ipv6().appendSource(new StringBuilder()).toString());
        assertEquals("2001:db8::2", d.ipv6().appendDestination(new StringBuilder()).toString());

        decode(ethernet(1, 2, 0x86DD, ipv6(src, dst, 44, 255, ipv6Fragment(6, 64, false, 7, new byte[20]))));
        assertFalse(d.has(Layer.TCP));
        assertEquals(6, d.ipProtocol());
        assertEquals(64, d.ipv6().fragmentOffset());
    }

    @Test
    void dnsQuestionNameWithoutAllocation() {
        byte[] f = ethernet(1, 2, 0x0800, ipv4(A, B, 17, 64, 1, 0, new byte[0],
                udp(5555, 53, dnsQuery(0xBEEF, 0x0100, "www.Example.com", 28))));
        decode(f);
        assertTrue(d.has(Layer.DNS));
        assertEquals(0xBEEF, d.dns().id());
        assertFalse(d.dns().isResponse());
        assertTrue(d.dns().recursionDesired());
        assertEquals(1, d.dns().questionCount());
        byte[] name = new byte[64];
        int n = d.dns().questionName(name);
        assertEquals("www.Example.com", new String(name, 0, n, java.nio.charset.StandardCharsets.US_ASCII));
        assertTrue(d.dns().questionNameEquals("www.example.COM"));
        assertFalse(d.dns().questionNameEquals("www.example.co"));
        assertEquals(28, d.dns().questionType());
        assertEquals(1, d.dns().questionClass());
        StringBuilder sb = new StringBuilder();
        assertTrue(d.dns().appendQuestionName(sb));
        assertEquals("www.Example.com", sb.toString());
        // Cut inside the name: the header is there, the name is not readable.
        decode(Arrays.copyOf(f, f.length - 10));
        assertTrue(d.has(Layer.DNS));
        assertEquals(-1, d.dns().questionName(name));
        assertEquals(-1, d.dns().questionType());
    }

    @Test
    void dnsAnswersAreWalkedWithCompressedNames() {
        byte[] q = dnsQuery(7, 0x8180, "www.example.com", 1);
        byte[] answer = bytes(0xC0, 12, 0, 5, 0, 1, 0, 0, 0, 60, 0, 6, 3, 'c', 'd', 'n', 0xC0, 16);
        byte[] msg = concat(q, answer);
        msg[7] = 1;                                            // one answer
        decode(ethernet(1, 2, 0x0800, ipv4(A, B, 17, 64, 1, 0, new byte[0], udp(53, 5555, msg))));
        assertTrue(d.dns().isResponse());
        int rr = d.dns().answersOffset();
        assertEquals(d.dns().messageOffset() + q.length, rr);
        int afterName = d.dns().nameEnd(rr);
        assertEquals(rr + 2, afterName);
        assertEquals(5, d.u16(afterName));
        StringBuilder sb = new StringBuilder();
        assertTrue(d.dns().appendName(afterName + 10, sb));
        assertEquals("cdn.example.com", sb.toString());
        assertEquals(-1, d.dns().nameEnd(3));                  // before the message: refused, not read
    }

    @Test
    void dnsCompressionPointerLoopsEnd() {
        byte[] dns = concat(bytes(0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0), bytes(0xC0, 12), bytes(0, 1, 0, 1));
        decode(ethernet(1, 2, 0x0800, ipv4(A, B, 17, 64, 1, 0, new byte[0], udp(53, 5555, dns))));
        assertEquals(-1, d.dns().questionName(new byte[10]));
    }

    @Test
    void shortFramesDecodeAsFarAsTheyGo() {
        byte[] f = ethernet(1, 2, 0x0800, ipv4(A, B, 6, 64, 1, 0, new byte[0], tcp(1, 2, 3, 4, 0x10, 5, new byte[0], new byte[0])));
        for (int len = 0; len <= f.length; len++) {
            decode(Arrays.copyOf(f, len));
            assertEquals(len >= 14, d.has(Layer.ETHERNET), "len " + len);
            assertEquals(len >= 34, d.has(Layer.IPV4), "len " + len);
            assertEquals(len >= 54, d.has(Layer.TCP), "len " + len);
        }
    }

    @Test
    void ringPacketsDecodeInPlace() {
        byte[] f = ethernet(1, 2, 0x0800, ipv4(A, B, 17, 64, 1, 0, new byte[0], udp(7, 9, new byte[30])));
        try (java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofConfined()) {
            MemorySegment block = arena.allocate(1 << 16, 4096);
            io.netring.testing.SyntheticBlock.write(block, 1, io.netring.internal.linux.LinuxConstants.TP_STATUS_USER, java.util.List.of(f, f));
            try (io.netring.PacketBatch batch = io.netring.PacketBatch.ofBlock(block)) {
                int[] seen = new int[1];
                batch.dispatch(v -> {
                    d.decode(v);
                    assertEquals(9, d.udp().destinationPort());
                    assertEquals(f.length, d.originalLength());
                    seen[0]++;
                });
                for (io.netring.Packet p : batch) {
                    assertEquals(7, d.decode(p).udp().sourcePort());
                    assertEquals(f.length, d.originalLength());
                    seen[0]++;
                }
                assertEquals(4, seen[0]);
            }
            // The batch is released: a view reading the ring now throws instead of reading freed bytes.
            assertThrows(IllegalStateException.class, () -> d.udp().sourcePort());
        }
    }

    @Test
    void rfc5952Text() {
        assertEquals("::", AddressText.ipv6(0, 0));
        assertEquals("::1", AddressText.ipv6(0, 1));
        assertEquals("2001:db8::1:0:0:1", AddressText.ipv6(0x20010db800000000L, 0x0001000000000001L));
        assertEquals("2001:0:0:1::1", AddressText.ipv6(0x2001000000000001L, 0x0000000000000001L));
        assertEquals("2001:db8:0:1:1:1:1:1", AddressText.ipv6(0x20010db800000001L, 0x0001000100010001L));
        assertEquals("::ffff:192.0.2.1", AddressText.ipv6(0, 0x0000ffffc0000201L));
        assertEquals("fe80::", AddressText.ipv6(0xfe80000000000000L, 0));
    }

    @Test
    void rangeOutsideTheSegmentIsTheOnlyThrow() {
        MemorySegment s = MemorySegment.ofArray(new byte[10]);
        assertThrows(IndexOutOfBoundsException.class, () -> d.decode(s, 5, 10));
        assertThrows(IndexOutOfBoundsException.class, () -> d.decode(s, -1, 2));
    }
}
