package io.netring.flow;

import io.netring.Packet;
import io.netring.PacketBatch;
import io.netring.PacketView;
import io.netring.decode.Layer;
import io.netring.decode.PacketDecoder;
import io.netring.internal.PacketAccess;

import java.lang.foreign.MemorySegment;

/**
 * Fills a reusable {@link FlowPacket} from an Ethernet frame through the decoder's views
 * ({@link PacketDecoder}): VLAN tags (in the frame or stripped by the kernel), IPv4, IPv6 past
 * its extension headers, TCP, UDP, ICMP and ICMPv6. Frames that are not IP are skipped; a
 * transport header cut short still gives its ports when they were captured. Allocates nothing.
 */
public final class FlowExtractor {
    private final PacketDecoder decoder = new PacketDecoder();
    private final FlowPacket fields = new FlowPacket();

    /** An extractor with its own decoder and holder; confined to one thread, reused for every frame. */
    public FlowExtractor() {}

    /** The holder the last successful {@code extract} filled. */
    public FlowPacket fields() {
        return fields;
    }

    /** Extracts from a dispatched view; false when the frame is not IP (then {@link #fields()} is stale). */
    public boolean extract(PacketView view) {
        return extract(view.segment(), view.dataOffset(), view.length(), view.originalLength(),
                view.timestampEpochNanos(), view.vlanTci() & 0xFFF);
    }

    /**
     * Extracts from a packet of a batch, a capture stream or a file. Passes the packet on as
     * numbers (no {@code data()} segment, no {@code Timestamp}), so a stream's {@code Packet}
     * need not be allocated.
     */
    public boolean extract(Packet packet) {
        PacketAccess a = PacketAccess.get();
        return extractFrom(null, a.data(packet), a.length(packet), 0, 0, 0, a.batch(packet), a.header(packet));
    }

    /**
     * Extracts from {@code captured} bytes at {@code offset} of {@code seg}, an Ethernet frame of
     * {@code wireLength} bytes on the wire stamped {@code timestampNanos}; {@code strippedVlanId}
     * is the VLAN id the kernel took out of the frame (0 for none).
     */
    public boolean extract(MemorySegment seg, long offset, int captured, int wireLength, long timestampNanos, int strippedVlanId) {
        return extractFrom(seg, offset, captured, wireLength, timestampNanos, strippedVlanId, null, 0);
    }

    /**
     * The body of every {@code extract}: from {@code seg}, or from the block of {@code batch} with
     * the wire length, time and stripped VLAN id read (and checked) from the packet header at
     * {@code header}. Larger than the JIT inlines into a hot caller, which keeps a stream lambda
     * calling {@link #extract(Packet)} small (see {@code PacketAccess}).
     */
    private boolean extractFrom(MemorySegment seg, long offset, int captured, int wireLength, long timestampNanos,
                                int strippedVlanId, PacketBatch batch, long header) {
        if (batch != null) {
            PacketAccess a = PacketAccess.get();
            seg = a.block(batch);
            wireLength = a.wireLength(batch, header);
            timestampNanos = a.seconds(batch, header) * 1_000_000_000L + a.nanos(batch, header);
            strippedVlanId = a.vlanTci(batch, header) & 0xFFF;
        }
        PacketDecoder d = decoder.decode(seg, offset, captured, wireLength);
        FlowPacket p = fields;
        int datagramEnd;                         // where the IP datagram ends by its own length field
        if (d.has(Layer.IPV4)) {
            p.ipv4(d.ipv4().source(), d.ipv4().destination());
            datagramEnd = d.networkOffset() + d.ipv4().totalLength();
        } else if (d.has(Layer.IPV6)) {
            var ip = d.ipv6();
            p.ipv6(ip.sourceHigh(), ip.sourceLow(), ip.destinationHigh(), ip.destinationLow());
            datagramEnd = d.networkOffset() + 40 + ip.payloadLength();
        } else {
            return false;
        }
        int proto = d.ipProtocol();
        int upper = d.upperLayerOffset();
        int sport = 0, dport = 0, tcpFlags = 0, payload = 0;
        if (upper >= 0) {
            if (proto == 6 || proto == 17) {
                sport = Math.max(0, d.u16(upper));
                dport = Math.max(0, d.u16(upper + 2));
                if (proto == 6) {
                    tcpFlags = Math.max(0, d.u8(upper + 13));
                    int dataOffset = Math.max(0, d.u8(upper + 12)) >>> 4;
                    payload = Math.max(0, datagramEnd - upper - 4 * dataOffset);
                } else {
                    payload = Math.max(0, datagramEnd - upper - 8);
                }
            } else if (proto == 1 || proto == 58) {
                sport = Math.max(0, d.u8(upper));
                dport = Math.max(0, d.u8(upper + 1));
            }
        }
        int vlan = strippedVlanId != 0 ? strippedVlanId : d.has(Layer.VLAN) ? d.vlan().id(0) : 0;
        p.transport(proto, sport, dport, tcpFlags, payload);
        p.frame(timestampNanos, wireLength, vlan);
        return true;
    }
}
