package io.netring.bench;

import io.netring.PacketBatch;
import io.netring.PacketHandler;
import io.netring.afpacket.TpacketV3;
import io.netring.decode.Layer;
import io.netring.decode.PacketDecoder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;
import org.pcap4j.packet.EthernetPacket;
import org.pcap4j.packet.IllegalRawDataException;
import org.pcap4j.packet.IpV4Packet;
import org.pcap4j.packet.IpV6Packet;
import org.pcap4j.packet.TcpPacket;
import org.pcap4j.packet.UdpPacket;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;

/**
 * Decoding to the transport layer, per packet: netring's one-pass {@link PacketDecoder} over
 * frames in a native segment, against pcap4j's static packet factories over the same frames
 * as arrays. Both read the same fields (addresses, protocol, ports, TCP flags). With
 * {@code -prof gc} the figures include bytes allocated per packet.
 */
@OperationsPerInvocation(DecodeFrames.COUNT)
public class DecodeBench extends AverageNanosBench {
    private Arena arena;
    private MemorySegment frames;
    private long[] offsets;
    private int[] lengths;
    private byte[][] arrays;
    private final PacketDecoder decoder = new PacketDecoder();
    private MemorySegment block;
    private long ringSum;
    private final PacketHandler ringHandler = v -> ringSum += read(decoder.decode(v));

    @Setup(Level.Trial)
    public void setUp() {
        List<byte[]> mix = DecodeFrames.mix();
        arena = Arena.ofShared();
        long total = mix.stream().mapToLong(f -> f.length).sum();
        frames = arena.allocate(total, 64);
        offsets = new long[mix.size()];
        lengths = new int[mix.size()];
        arrays = mix.toArray(byte[][]::new);
        long at = 0;
        for (int i = 0; i < mix.size(); i++) {
            MemorySegment.copy(MemorySegment.ofArray(arrays[i]), 0, frames, at, arrays[i].length);
            offsets[i] = at;
            lengths[i] = arrays[i].length;
            at += arrays[i].length;
        }
        // The same frames in a retired TPACKET_V3 block, for the ring path: a synthetic block of
        // 2048-byte slots, each packet's lengths and bytes then replaced by a frame of the mix.
        block = TestFrames.block(arena, mix.size(), 2048, 0, 1);
        long hdr = Integer.toUnsignedLong(block.get(ValueLayout.JAVA_INT, TpacketV3.FIRST_PKT_OFFSET));
        for (int i = 0; i < mix.size(); i++) {
            block.set(ValueLayout.JAVA_INT, hdr + TpacketV3.SNAPLEN_OFFSET, lengths[i]);
            block.set(ValueLayout.JAVA_INT, hdr + TpacketV3.LEN_OFFSET, lengths[i]);
            long mac = hdr + Short.toUnsignedLong(block.get(ValueLayout.JAVA_SHORT, hdr + TpacketV3.MAC_OFFSET));
            MemorySegment.copy(MemorySegment.ofArray(arrays[i]), 0, block, mac, lengths[i]);
            hdr += Integer.toUnsignedLong(block.get(ValueLayout.JAVA_INT, hdr + TpacketV3.NEXT_OFFSET_OFFSET));
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        arena.close();
    }

    /** netring: one decode pass per frame, then the fields read from the recorded offsets. */
    @Benchmark
    public long netringDecoder() {
        long sum = 0;
        PacketDecoder d = decoder;
        for (int i = 0; i < offsets.length; i++) {
            sum += read(d.decode(frames, offsets[i], lengths[i]));
        }
        return sum;
    }

    /** netring on the ring path: the same frames in a block, each decoded through its PacketView. */
    @Benchmark
    public long netringDecoderRingBlock() {
        ringSum = 0;
        try (PacketBatch batch = PacketBatch.ofBlock(block)) {
            batch.dispatch(ringHandler);
        }
        return ringSum;
    }

    /** The fields both contenders read: addresses, protocol, ports, TCP flags. */
    private static long read(PacketDecoder d) {
        long sum = 0;
        if (d.has(Layer.IPV4)) {
            sum += d.ipv4().source() + d.ipv4().destination();
        } else if (d.has(Layer.IPV6)) {
            sum += d.ipv6().sourceLow() + d.ipv6().destinationLow();
        }
        sum += d.ipProtocol();
        if (d.has(Layer.TCP)) {
            sum += d.tcp().sourcePort() + d.tcp().destinationPort() + d.tcp().flags();
        } else if (d.has(Layer.UDP)) {
            sum += d.udp().sourcePort() + d.udp().destinationPort();
        }
        return sum;
    }

    /** pcap4j 1.8.2 with pcap4j-packetfactory-static: an object tree per frame. */
    @Benchmark
    public long pcap4jStaticFactories() throws IllegalRawDataException {
        long sum = 0;
        for (byte[] f : arrays) {
            EthernetPacket eth = EthernetPacket.newPacket(f, 0, f.length);
            IpV4Packet v4 = eth.get(IpV4Packet.class);
            if (v4 != null) {
                sum += v4.getHeader().getSrcAddr().hashCode() + v4.getHeader().getDstAddr().hashCode()
                        + v4.getHeader().getProtocol().value();
            } else {
                IpV6Packet v6 = eth.get(IpV6Packet.class);
                if (v6 != null) {
                    sum += v6.getHeader().getSrcAddr().hashCode() + v6.getHeader().getDstAddr().hashCode()
                            + v6.getHeader().getNextHeader().value();
                }
            }
            TcpPacket tcp = eth.get(TcpPacket.class);
            if (tcp != null) {
                sum += tcp.getHeader().getSrcPort().valueAsInt() + tcp.getHeader().getDstPort().valueAsInt()
                        + (tcp.getHeader().getSyn() ? 1 : 0) + (tcp.getHeader().getAck() ? 2 : 0);
            } else {
                UdpPacket udp = eth.get(UdpPacket.class);
                if (udp != null) {
                    sum += udp.getHeader().getSrcPort().valueAsInt() + udp.getHeader().getDstPort().valueAsInt();
                }
            }
        }
        return sum;
    }
}
