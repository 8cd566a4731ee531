package io.netring.flow;

import java.nio.ByteBuffer;

/**
 * The two IPFIX templates the exporter uses (RFC 7011 section 3.4.1), one per address family,
 * as biflows (RFC 5103): forward counters under IANA element ids, reverse ones under the same
 * ids with the enterprise bit and the reverse PEN 29305.
 *
 * <pre>
 *  ipv4: 8 sourceIPv4Address(4) 12 destinationIPv4Address(4)
 *  ipv6: 27 sourceIPv6Address(16) 28 destinationIPv6Address(16)
 *  both: 7 sourceTransportPort(2) 11 destinationTransportPort(2) 4 protocolIdentifier(1) 58 vlanId(2)
 *        2 packetDeltaCount(8) 1 octetDeltaCount(8) 2/R packetDeltaCount(8) 1/R octetDeltaCount(8)
 *        156 flowStartNanoseconds(8) 157 flowEndNanoseconds(8)
 *        6 tcpControlBits(2) 6/R tcpControlBits(2) 136 flowEndReason(1)
 * </pre>
 */
final class IpfixTemplates {
    private IpfixTemplates() {}

    static final int TEMPLATE_V4 = 256;
    static final int TEMPLATE_V6 = 257;
    static final int REVERSE_PEN = 29305;
    static final int SET_TEMPLATE = 2;

    private static final int[][] V4 = {{8, 4}, {12, 4}};
    private static final int[][] V6 = {{27, 16}, {28, 16}};
    /** {id, length, reverse ? 1 : 0} */
    private static final int[][] COMMON = {
            {7, 2, 0}, {11, 2, 0}, {4, 1, 0}, {58, 2, 0},
            {2, 8, 0}, {1, 8, 0}, {2, 8, 1}, {1, 8, 1},
            {156, 8, 0}, {157, 8, 0},
            {6, 2, 0}, {6, 2, 1}, {136, 1, 0}};

    /** Bytes of one data record. */
    static int recordLength(int ipVersion) {
        int n = ipVersion == 4 ? 8 : 32;
        for (int[] f : COMMON) {
            n += f[1];
        }
        return n;
    }

    /** Writes the template set holding both templates. */
    static void writeTemplateSet(ByteBuffer b) {
        int start = b.position();
        b.putShort((short) SET_TEMPLATE).putShort((short) 0);
        template(b, TEMPLATE_V4, V4);
        template(b, TEMPLATE_V6, V6);
        b.putShort(start + 2, (short) (b.position() - start));
    }

    private static void template(ByteBuffer b, int id, int[][] addresses) {
        b.putShort((short) id).putShort((short) (addresses.length + COMMON.length));
        for (int[] f : addresses) {
            b.putShort((short) f[0]).putShort((short) f[1]);
        }
        for (int[] f : COMMON) {
            if (f[2] == 1) {
                b.putShort((short) (0x8000 | f[0])).putShort((short) f[1]).putInt(REVERSE_PEN);
            } else {
                b.putShort((short) f[0]).putShort((short) f[1]);
            }
        }
    }

    /** Writes one data record in the order of the template for {@code r.ipVersion()}. */
    static void writeRecord(ByteBuffer b, FlowRecord r) {
        b.put(r.srcBytes()).put(r.dstBytes());
        boolean icmp = r.protocol() == 1 || r.protocol() == 58;
        // ICMP: type and code go in the destination port as type * 256 + code, as exporters commonly do
        b.putShort((short) (icmp ? 0 : r.srcPort()));
        b.putShort((short) (icmp ? r.srcPort() << 8 | r.dstPort() : r.dstPort()));
        b.put((byte) r.protocol()).putShort((short) r.vlanId());
        b.putLong(r.packets()).putLong(r.bytes()).putLong(r.reversePackets()).putLong(r.reverseBytes());
        b.putLong(ntp(r.firstSeenNanos())).putLong(ntp(r.lastSeenNanos()));
        b.putShort((short) r.tcpFlags()).putShort((short) r.reverseTcpFlags());
        b.put((byte) r.endReason().ipfixCode());
    }

    /** dateTimeNanoseconds: NTP format, seconds since 1900 in the high 32 bits, binary fraction in the low 32 (RFC 7011 6.1.10). */
    static long ntp(long epochNanos) {
        long sec = Math.floorDiv(epochNanos, 1_000_000_000L) + 2_208_988_800L;
        long nanos = Math.floorMod(epochNanos, 1_000_000_000L);
        long fraction = (nanos << 32) / 1_000_000_000L;
        return sec << 32 | fraction;
    }
}
