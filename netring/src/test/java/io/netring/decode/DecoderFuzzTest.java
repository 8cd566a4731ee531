package io.netring.decode;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/**
 * 100 000 seeded random and mutated frames: decoding never throws, every accessor of a present
 * layer returns, and an absent layer's accessors throw only {@link IllegalStateException}.
 */
@Timeout(120)
class DecoderFuzzTest {
    private long sink;

    @Test
    void nothingThrownOutsideTheContract() {
        Random r = new Random(0xDEC0DEL);
        List<FrameCorpus.Frame> corpus = FrameCorpus.generate(99, 500);
        PacketDecoder d = new PacketDecoder();
        int frames = 100_000;
        for (int i = 0; i < frames; i++) {
            byte[] f;
            int how = r.nextInt(4);
            if (how == 0) {
                f = new byte[r.nextInt(120)];
                r.nextBytes(f);
                if (f.length > 13 && r.nextBoolean()) {
                    int[] types = {0x0800, 0x86DD, 0x0806, 0x8100, 0x88A8};
                    int t = types[r.nextInt(types.length)];
                    f[12] = (byte) (t >> 8);
                    f[13] = (byte) t;
                }
            } else {
                f = corpus.get(r.nextInt(corpus.size())).data().clone();
                int flips = 1 + r.nextInt(6);
                for (int k = 0; k < flips && f.length > 0; k++) {
                    f[r.nextInt(f.length)] = (byte) r.nextInt();
                }
                if (how == 2) {
                    f = Arrays.copyOf(f, r.nextInt(f.length + 1));
                }
            }
            final byte[] frame = f;
            assertDoesNotThrow(() -> exercise(d.decode(MemorySegment.ofArray(frame))), () -> java.util.HexFormat.of().formatHex(frame));
        }
        assertNotEquals(42, sink);
    }

    /** Calls every accessor; checks that only absent layers throw, and only IllegalStateException. */
    private void exercise(PacketDecoder d) {
        sink += d.etherType() + d.networkOffset() + d.transportOffset() + d.payloadOffset() + d.payloadLength()
                + d.ipProtocol() + d.upperLayerOffset() + d.u8(d.length() - 1) + d.u16(3) + d.u32(7);
        layer(d, Layer.ETHERNET, () -> sink += d.ethernet().source() + d.ethernet().destination() + d.ethernet().typeOrLength());
        layer(d, Layer.LLC, () -> sink += d.ethernet().llcDsap() + d.ethernet().llcSsap() + d.ethernet().llcControl());
        layer(d, Layer.VLAN, () -> {
            for (int i = 0; i < d.vlan().count(); i++) {
                sink += d.vlan().id(i) + d.vlan().tpid(i) + d.vlan().etherType(i) + d.vlan().priority(i);
            }
        });
        layer(d, Layer.ARP, () -> {
            sink += d.arp().opcode() + d.arp().hardwareType() + d.arp().protocolType();
            if (d.arp().isEthernetIpv4()) {
                sink += d.arp().senderIp() + d.arp().targetMac() + d.arp().senderMac() + d.arp().targetIp();
            }
        });
        layer(d, Layer.IPV4, () -> {
            var ip = d.ipv4();
            sink += ip.source() + ip.destination() + ip.ttl() + ip.protocol() + ip.headerLength() + ip.totalLength()
                    + ip.fragmentOffset() + ip.optionsLength() + (ip.hasOption(0x94) ? 1 : 0) + ip.identification();
            sink += ip.appendSource(new StringBuilder()).length();
        });
        layer(d, Layer.IPV6, () -> {
            var ip = d.ipv6();
            sink += ip.sourceHigh() + ip.destinationLow() + ip.nextHeader() + ip.hopLimit() + ip.flowLabel() + ip.payloadLength();
            if (ip.hasFragment()) {
                sink += ip.fragmentOffset() + ip.fragmentIdentification();
            }
            sink += ip.appendDestination(new StringBuilder()).length();
        });
        layer(d, Layer.TCP, () -> {
            var t = d.tcp();
            sink += t.sourcePort() + t.destinationPort() + t.sequence() + t.acknowledgment() + t.flags() + t.window()
                    + t.mss() + t.windowScale() + t.timestampValue() + t.timestampEcho() + (t.sackPermitted() ? 1 : 0)
                    + t.optionsLength();
        });
        layer(d, Layer.UDP, () -> sink += d.udp().sourcePort() + d.udp().destinationPort() + d.udp().length());
        layer(d, Layer.ICMP, () -> sink += d.icmp().type() + d.icmp().code() + d.icmp().identifier() + d.icmp().sequence());
        layer(d, Layer.ICMPV6, () -> {
            sink += d.icmpv6().type() + d.icmpv6().code() + d.icmpv6().restOfHeader();
            if (d.icmpv6().hasTarget()) {
                sink += d.icmpv6().targetHigh() + d.icmpv6().targetLow();
            }
        });
        layer(d, Layer.DNS, () -> {
            var dns = d.dns();
            sink += dns.id() + dns.flags() + dns.questionCount() + dns.questionName(new byte[16]) + dns.questionType()
                    + dns.questionClass() + (dns.questionNameEquals("a.b") ? 1 : 0);
            dns.appendQuestionName(new StringBuilder());
        });
    }

    private static void layer(PacketDecoder d, Layer layer, Runnable read) {
        if (d.has(layer)) {
            read.run();
        } else if (layer != Layer.VLAN) {
            assertThrows(IllegalStateException.class, read::run, layer + " absent");
        }
    }
}
