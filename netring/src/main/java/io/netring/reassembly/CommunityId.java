package io.netring.reassembly;

import io.netring.decode.Layer;
import io.netring.decode.PacketDecoder;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetAddress;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;

/**
 * Community ID v1 flow hashes (github.com/corelight/community-id-spec), the identifier Zeek,
 * Suricata and Wireshark log for a flow: {@code "1:" + base64(sha1(hashSeed . addrA . addrB . proto .
 * 0 . portA . portB))}, the endpoints ordered so both directions give the same value.
 *
 * <p>TCP, UDP and SCTP hash their ports; ICMP and ICMPv6 hash the type and, for request/reply
 * pairs (echo, timestamp, router solicitation/advertisement, …), the counterpart type, else the
 * code — one-way types keep the packet's direction. Other protocols hash the addresses alone.
 */
public final class CommunityId {
    /** IP protocol number of ICMP. */
    public static final int ICMP = 1;
    /** IP protocol number of TCP. */
    public static final int TCP = 6;
    /** IP protocol number of UDP. */
    public static final int UDP = 17;
    /** IP protocol number of ICMPv6. */
    public static final int ICMPV6 = 58;
    /** IP protocol number of SCTP. */
    public static final int SCTP = 132;

    private static final ThreadLocal<Hashing> HASHING = ThreadLocal.withInitial(Hashing::new);

    private CommunityId() {}

    /**
     * The Community ID (hashSeed 0, the default) of a flow of {@code protocol} between two addresses (4 bytes each
     * or 16 each). For ICMP and ICMPv6 pass the type as {@code srcPort} and the code as
     * {@code dstPort}; other protocols without ports ignore them.
     */
    public static String of(int protocol, byte[] src, byte[] dst, int srcPort, int dstPort) {
        return of(0, protocol, src, dst, srcPort, dstPort);
    }

    /** As {@link #of(int, byte[], byte[], int, int)}, with InetAddress endpoints. */
    public static String of(int protocol, InetAddress src, InetAddress dst, int srcPort, int dstPort) {
        return of(0, protocol, src.getAddress(), dst.getAddress(), srcPort, dstPort);
    }

    /** As {@link #of(int, byte[], byte[], int, int)} with a hashSeed (0 to 65535) other than the default 0. */
    public static String of(int hashSeed, int protocol, byte[] src, byte[] dst, int srcPort, int dstPort) {
        if (src.length != dst.length || (src.length != 4 && src.length != 16)) {
            throw new IllegalArgumentException("addresses must both be 4 or both 16 bytes, not "
                    + src.length + " and " + dst.length);
        }
        if (hashSeed < 0 || hashSeed > 0xFFFF) {
            throw new IllegalArgumentException("hashSeed=" + hashSeed + " must be 0..65535");
        }
        if (protocol < 0 || protocol > 0xFF) {
            throw new IllegalArgumentException("protocol=" + protocol + " must be 0..255");
        }
        boolean ports = hasPorts(protocol);
        int a = srcPort & 0xFFFF, b = dstPort & 0xFFFF;
        boolean oneWay = false;
        if (protocol == ICMP || protocol == ICMPV6) {
            int counterpart = protocol == ICMP ? icmpCounterpart(srcPort) : icmpv6Counterpart(srcPort);
            oneWay = counterpart < 0;
            a = srcPort & 0xFF;
            b = oneWay ? dstPort & 0xFF : counterpart;
        }
        boolean swap = !oneWay && greater(src, dst, ports ? a : 0, ports ? b : 0);
        return HASHING.get().hash(hashSeed, protocol, swap ? dst : src, swap ? src : dst,
                swap ? b : a, swap ? a : b, ports);
    }

    /**
     * The Community ID of a decoded frame's IP flow as tshark's {@code communityid} field gives
     * it, or null when tshark gives none. Ports come from the TCP, UDP or SCTP header (ICMP: type
     * and code). An IPv4 fragment hashes addresses and protocol alone, its transport header
     * belonging to the reassembled datagram; IPv6 gets an id only for TCP, UDP, SCTP and ICMPv6
     * outside a fragment (tshark 4.0 hashes no other IPv6 packet). No IP layer: null.
     */
    public static String of(PacketDecoder d) {
        return of(d, true);
    }

    /**
     * As {@link #of(PacketDecoder)} when {@code defragmenting}; otherwise as tshark with
     * {@code -o ip.defragment:FALSE -o ipv6.defragment:FALSE} gives it: a first fragment whose
     * transport header the decoder read hashes its ports as a whole packet would.
     */
    public static String of(PacketDecoder d, boolean defragmenting) {
        byte[] src, dst;
        MemorySegment s = d.segment();
        long base = d.offset() + d.networkOffset();
        int protocol = d.ipProtocol();
        boolean fragment;
        if (d.has(Layer.IPV4)) {
            src = new byte[4];
            dst = new byte[4];
            MemorySegment.copy(s, ValueLayout.JAVA_BYTE, base + 12, src, 0, 4);
            MemorySegment.copy(s, ValueLayout.JAVA_BYTE, base + 16, dst, 0, 4);
            fragment = (d.ipv4().moreFragments() || d.ipv4().fragmentOffset() != 0)
                    && (defragmenting || d.transportOffset() < 0);
        } else if (d.has(Layer.IPV6)) {
            fragment = d.ipv6().hasFragment() && (defragmenting || d.transportOffset() < 0);
            if (fragment || !(protocol == TCP || protocol == UDP || protocol == SCTP || protocol == ICMPV6)) {
                return null;
            }
            src = new byte[16];
            dst = new byte[16];
            MemorySegment.copy(s, ValueLayout.JAVA_BYTE, base + 8, src, 0, 16);
            MemorySegment.copy(s, ValueLayout.JAVA_BYTE, base + 24, dst, 0, 16);
        } else {
            return null;
        }
        if (!fragment) {
            if (d.has(Layer.TCP)) {
                return of(TCP, src, dst, d.tcp().sourcePort(), d.tcp().destinationPort());
            } else if (d.has(Layer.UDP)) {
                return of(UDP, src, dst, d.udp().sourcePort(), d.udp().destinationPort());
            } else if (d.has(Layer.ICMP)) {
                return of(ICMP, src, dst, d.icmp().type(), d.icmp().code());
            } else if (d.has(Layer.ICMPV6)) {
                return of(ICMPV6, src, dst, d.icmpv6().type(), d.icmpv6().code());
            } else if (protocol == SCTP && d.upperLayerOffset() >= 0 && d.upperLayerOffset() + 4 <= d.length()) {
                int at = d.upperLayerOffset();
                return of(SCTP, src, dst, d.u16(at), d.u16(at + 2));
            }
        }
        boolean swap = greater(src, dst, 0, 0);
        return HASHING.get().hash(0, protocol & 0xFF, swap ? dst : src, swap ? src : dst, 0, 0, false);
    }

    static boolean hasPorts(int protocol) {
        return protocol == TCP || protocol == UDP || protocol == SCTP || protocol == ICMP || protocol == ICMPV6;
    }

    /** The type answering {@code type} (echo and reply, …), or -1 when ICMP type {@code type} is one-way. */
    static int icmpCounterpart(int type) {
        return switch (type) {
            case 8 -> 0;            // echo → echo reply
            case 0 -> 8;
            case 13 -> 14;          // timestamp
            case 14 -> 13;
            case 15 -> 16;          // information
            case 16 -> 15;
            case 10 -> 9;           // router solicitation → advertisement
            case 9 -> 10;
            case 17 -> 18;          // address mask
            case 18 -> 17;
            default -> -1;
        };
    }

    /** As {@link #icmpCounterpart} for ICMPv6. */
    static int icmpv6Counterpart(int type) {
        return switch (type) {
            case 128 -> 129;        // echo
            case 129 -> 128;
            case 133 -> 134;        // router solicitation → advertisement
            case 134 -> 133;
            case 135 -> 136;        // neighbor solicitation → advertisement
            case 136 -> 135;
            case 130 -> 131;        // multicast listener query → report
            case 131 -> 130;
            case 139 -> 140;        // node information query → reply (who-are-you)
            case 140 -> 139;
            case 144 -> 145;        // home agent address discovery
            case 145 -> 144;
            default -> -1;
        };
    }

    /** Whether endpoint (a, portA) sorts after (b, portB): addresses as unsigned bytes, then ports. */
    private static boolean greater(byte[] a, byte[] b, int portA, int portB) {
        int c = Arrays.compareUnsigned(a, b);
        return c > 0 || (c == 0 && portA > portB);
    }

    /** One SHA-1 and its input buffer per thread. */
    private static final class Hashing {
        private final MessageDigest sha1;
        private final byte[] input = new byte[2 + 16 + 16 + 2 + 4];

        Hashing() {
            try {
                sha1 = MessageDigest.getInstance("SHA-1");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-1 is missing from this JDK", e);
            }
        }

        String hash(int hashSeed, int protocol, byte[] a, byte[] b, int portA, int portB, boolean ports) {
            int n = 0;
            input[n++] = (byte) (hashSeed >>> 8);
            input[n++] = (byte) hashSeed;
            System.arraycopy(a, 0, input, n, a.length);
            n += a.length;
            System.arraycopy(b, 0, input, n, b.length);
            n += b.length;
            input[n++] = (byte) protocol;
            input[n++] = 0;
            if (ports) {
                input[n++] = (byte) (portA >>> 8);
                input[n++] = (byte) portA;
                input[n++] = (byte) (portB >>> 8);
                input[n++] = (byte) portB;
            }
            sha1.update(input, 0, n);
            return "1:" + Base64.getEncoder().encodeToString(sha1.digest());
        }
    }
}
