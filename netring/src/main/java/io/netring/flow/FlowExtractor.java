package io.netring.flow;

import io.netring.Packet;
import io.netring.PacketView;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Fills a reusable {@link FlowPacket} from an Ethernet frame: VLAN tags (in the frame or
 * stripped by the kernel), IPv4, IPv6 with its common extension headers, TCP, UDP, ICMP and
 * ICMPv6. Frames that are not IP, or too short for their headers, are skipped. Allocates
 * nothing; reads stop at the captured length.
 */
public final class FlowExtractor {
    private static final ValueLayout.OfShort BE_SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(java.nio.ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfInt BE_INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(java.nio.ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfLong BE_LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(java.nio.ByteOrder.BIG_ENDIAN);

    private final FlowPacket fields = new FlowPacket();

    /** The holder the last successful {@code extract} filled. */
    public FlowPacket fields() {
        return fields;
    }

    /** Extracts from a dispatched view; false when the frame is not IP (then {@link #fields()} is stale). */
    public boolean extract(PacketView view) {
        int tci = view.vlanTci();
        long ts = view.timestampSeconds() * 1_000_000_000L + view.timestampNanos();
        return extract(view.segment(), view.dataOffset(), view.length(), view.originalLength(), ts, tci & 0xFFF);
    }

    /** Extracts from a packet of a batch or file. */
    public boolean extract(Packet packet) {
        MemorySegment data = packet.data();
        return extract(data, 0, packet.length(), packet.originalLength(), packet.timestamp().toEpochNanos(),
                packet.vlanTci() & 0xFFF);
    }

    /**
     * Extracts from {@code captured} bytes at {@code offset} of {@code seg}, an Ethernet frame of
     * {@code wireLength} bytes on the wire stamped {@code timestampNanos}; {@code strippedVlanId}
     * is the VLAN id the kernel took out of the frame (0 for none).
     */
    public boolean extract(MemorySegment seg, long offset, int captured, int wireLength, long timestampNanos, int strippedVlanId) {
        if (captured < 14) {
            return false;
        }
        int vlan = strippedVlanId;
        int pos = 12;
        int type = seg.get(BE_SHORT, offset + pos) & 0xFFFF;
        while ((type == 0x8100 || type == 0x88A8 || type == 0x9100) && pos + 6 <= captured) {
            if (vlan == 0) {
                vlan = seg.get(BE_SHORT, offset + pos + 2) & 0xFFF;
            }
            pos += 4;
            type = seg.get(BE_SHORT, offset + pos) & 0xFFFF;
        }
        int l3 = pos + 2;
        FlowPacket p = fields;
        int l4;
        int proto;
        int l4End;
        boolean firstFragment = true;
        if (type == 0x0800) {
            if (l3 + 20 > captured) {
                return false;
            }
            int vihl = seg.get(ValueLayout.JAVA_BYTE, offset + l3) & 0xFF;
            if (vihl >>> 4 != 4) {
                return false;
            }
            int ihl = (vihl & 0xF) * 4;
            int total = seg.get(BE_SHORT, offset + l3 + 2) & 0xFFFF;
            firstFragment = (seg.get(BE_SHORT, offset + l3 + 6) & 0x1FFF) == 0;
            proto = seg.get(ValueLayout.JAVA_BYTE, offset + l3 + 9) & 0xFF;
            p.ipv4(seg.get(BE_INT, offset + l3 + 12), seg.get(BE_INT, offset + l3 + 16));
            l4 = l3 + ihl;
            l4End = l3 + total;
        } else if (type == 0x86DD) {
            if (l3 + 40 > captured) {
                return false;
            }
            int payloadLen = seg.get(BE_SHORT, offset + l3 + 4) & 0xFFFF;
            proto = seg.get(ValueLayout.JAVA_BYTE, offset + l3 + 6) & 0xFF;
            p.ipv6(seg.get(BE_LONG, offset + l3 + 8), seg.get(BE_LONG, offset + l3 + 16),
                    seg.get(BE_LONG, offset + l3 + 24), seg.get(BE_LONG, offset + l3 + 32));
            l4 = l3 + 40;
            l4End = l4 + payloadLen;
            // hop-by-hop, routing, fragment, destination options
            while ((proto == 0 || proto == 43 || proto == 44 || proto == 60) && l4 + 8 <= captured) {
                int next = seg.get(ValueLayout.JAVA_BYTE, offset + l4) & 0xFF;
                if (proto == 44) {
                    firstFragment = (seg.get(BE_SHORT, offset + l4 + 2) & 0xFFF8) == 0;
                    l4 += 8;
                } else {
                    l4 += 8 + 8 * (seg.get(ValueLayout.JAVA_BYTE, offset + l4 + 1) & 0xFF);
                }
                proto = next;
            }
        } else {
            return false;
        }
        int sport = 0, dport = 0, tcpFlags = 0, payload = 0;
        if (firstFragment) {
            if ((proto == 6 || proto == 17) && l4 + 4 <= captured) {
                sport = seg.get(BE_SHORT, offset + l4) & 0xFFFF;
                dport = seg.get(BE_SHORT, offset + l4 + 2) & 0xFFFF;
                if (proto == 6 && l4 + 14 <= captured) {
                    int dataOffset = ((seg.get(ValueLayout.JAVA_BYTE, offset + l4 + 12) & 0xFF) >>> 4) * 4;
                    tcpFlags = seg.get(ValueLayout.JAVA_BYTE, offset + l4 + 13) & 0xFF;
                    payload = Math.max(0, l4End - l4 - dataOffset);
                } else if (proto == 17) {
                    payload = Math.max(0, l4End - l4 - 8);
                }
            } else if ((proto == 1 || proto == 58) && l4 + 2 <= captured) {
                sport = seg.get(ValueLayout.JAVA_BYTE, offset + l4) & 0xFF;
                dport = seg.get(ValueLayout.JAVA_BYTE, offset + l4 + 1) & 0xFF;
            }
        }
        p.transport(proto, sport, dport, tcpFlags, payload);
        p.frame(timestampNanos, wireLength, vlan);
        return true;
    }
}
