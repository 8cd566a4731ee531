package io.netring.flow;

import io.netring.app.Service;
import io.netring.reassembly.CommunityId;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * One finished flow: a bidirectional 5-tuple (plus VLAN id) seen from its originator, the side
 * that sent the first packet ({@code src}). "Forward" counters are the originator's packets,
 * "reverse" the responder's. Times are nanoseconds since the epoch; bytes are frame bytes on the
 * wire, link header included, as tshark's conversation tables count them.
 *
 * @param history Zeek's conn.log history: one letter per event and direction, upper case from
 *                the originator, lower case from the responder (S syn, H syn-ack, A pure ack,
 *                D data, F fin, R rst, I fin+rst, Q syn with fin or rst), each at most once per
 *                direction, in the order first seen; empty for other protocols
 * @param service what the flow's payload was recognised as (by content, any port:
 *                {@link io.netring.app.ApplicationAnalyzer}); {@link Service#UNKNOWN} when nothing
 *                was recognised or the table ran without application analysis; never null
 * @param serverName the TLS server name (SNI) the client asked for, else the Host of its first
 *                HTTP request; null when neither was seen
 */
public record FlowRecord(int ipVersion, int protocol,
                         long srcHi, long srcLo, int srcPort,
                         long dstHi, long dstLo, int dstPort,
                         int vlanId,
                         long packets, long bytes, long reversePackets, long reverseBytes,
                         long firstSeenNanos, long lastSeenNanos,
                         long forwardLastNanos, long reverseFirstNanos, long reverseLastNanos,
                         int tcpFlags, int reverseTcpFlags,
                         String history, FlowEndReason endReason, Service service, String serverName) {

    /** A record without application metadata ({@link Service#UNKNOWN}, no server name). */
    public FlowRecord(int ipVersion, int protocol, long srcHi, long srcLo, int srcPort, long dstHi, long dstLo, int dstPort,
                      int vlanId, long packets, long bytes, long reversePackets, long reverseBytes, long firstSeenNanos,
                      long lastSeenNanos, long forwardLastNanos, long reverseFirstNanos, long reverseLastNanos, int tcpFlags,
                      int reverseTcpFlags, String history, FlowEndReason endReason) {
        this(ipVersion, protocol, srcHi, srcLo, srcPort, dstHi, dstLo, dstPort, vlanId, packets, bytes, reversePackets,
                reverseBytes, firstSeenNanos, lastSeenNanos, forwardLastNanos, reverseFirstNanos, reverseLastNanos, tcpFlags,
                reverseTcpFlags, history, endReason, Service.UNKNOWN, null);
    }

    /** Null {@code service} is read as {@link Service#UNKNOWN}. */
    public FlowRecord {
        service = service == null ? Service.UNKNOWN : service;
    }

    /** This record with the application metadata given (the counters unchanged). */
    public FlowRecord withApplication(Service service, String serverName) {
        return new FlowRecord(ipVersion, protocol, srcHi, srcLo, srcPort, dstHi, dstLo, dstPort, vlanId, packets, bytes,
                reversePackets, reverseBytes, firstSeenNanos, lastSeenNanos, forwardLastNanos, reverseFirstNanos,
                reverseLastNanos, tcpFlags, reverseTcpFlags, history, endReason, service, serverName);
    }

    private static final DateTimeFormatter ISO_NANOS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'").withZone(ZoneOffset.UTC);

    /** The originator's address as text (dotted quad, or RFC 5952 for IPv6). */
    public String src() {
        return AddressText.format(ipVersion, srcHi, srcLo);
    }

    /** The responder's address as text. */
    public String dst() {
        return AddressText.format(ipVersion, dstHi, dstLo);
    }

    /** The originator's address in network byte order (4 or 16 bytes). */
    public byte[] srcBytes() {
        return AddressText.bytes(ipVersion, srcHi, srcLo);
    }

    /** The responder's address in network byte order. */
    public byte[] dstBytes() {
        return AddressText.bytes(ipVersion, dstHi, dstLo);
    }

    /**
     * The flow's Community ID v1 (hashSeed 0), as {@link CommunityId} gives
     * it: what tshark's {@code communityid} field shows on the flow's packets (ICMP hashes the
     * originator's type and code as its ports).
     */
    public String communityId() {
        return CommunityId.of(protocol, srcBytes(), dstBytes(), srcPort, dstPort);
    }

    /** When the flow's first packet was seen ({@code firstSeenNanos} as an {@link Instant}). */
    public Instant firstSeen() {
        return instant(firstSeenNanos);
    }

    /**
     * When the flow's last packet was seen, either direction ({@code lastSeenNanos} as an {@link
     * Instant}).
     */
    public Instant lastSeen() {
        return instant(lastSeenNanos);
    }

    /** ISO-8601 in UTC with all nine fraction digits, e.g. {@code 2026-01-02T03:04:05.000000123Z}. */
    public static String isoNanos(long epochNanos) {
        return ISO_NANOS.format(instant(epochNanos));
    }

    private static Instant instant(long epochNanos) {
        return Instant.ofEpochSecond(Math.floorDiv(epochNanos, 1_000_000_000L), Math.floorMod(epochNanos, 1_000_000_000L));
    }

    /**
     * One JSON object with the fields of {@code netring flows}, in this order: proto, src,
     * srcPort, dst, dstPort, packets, bytes, reversePackets, reverseBytes, firstSeen, lastSeen,
     * tcpFlags, reverseTcpFlags, history, endReason, communityId, service (lower case, {@code unknown}
     * when none was recognised), then serverName only when known.
     */
    public String toJson() {
        return "{\"proto\":" + protocol
                + ",\"src\":\"" + src() + "\",\"srcPort\":" + srcPort
                + ",\"dst\":\"" + dst() + "\",\"dstPort\":" + dstPort
                + ",\"packets\":" + packets + ",\"bytes\":" + bytes
                + ",\"reversePackets\":" + reversePackets + ",\"reverseBytes\":" + reverseBytes
                + ",\"firstSeen\":\"" + isoNanos(firstSeenNanos) + "\",\"lastSeen\":\"" + isoNanos(lastSeenNanos) + "\""
                + ",\"tcpFlags\":" + tcpFlags + ",\"reverseTcpFlags\":" + reverseTcpFlags
                + ",\"history\":\"" + history + "\",\"endReason\":\"" + endReason.jsonName() + "\""
                + ",\"communityId\":\"" + communityId() + "\""
                + ",\"service\":\"" + service.name().toLowerCase(java.util.Locale.ROOT) + "\""
                + (serverName == null ? "" : ",\"serverName\":" + jsonString(serverName)) + "}";
    }

    /** A JSON string: quotes, backslashes and control characters escaped (a server name is the sender's bytes). */
    private static String jsonString(String text) {
        StringBuilder sb = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20 || c >= 0x7F) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.append('"').toString();
    }
}
