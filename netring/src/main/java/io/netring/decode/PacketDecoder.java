package io.netring.decode;

import io.netring.OwnedPacket;
import io.netring.Packet;
import io.netring.PacketBatch;
import io.netring.internal.PacketAccess;
import io.netring.PacketView;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Finds every layer of an Ethernet frame in one pass and hands out flyweight views that read
 * the fields from the offsets it recorded (Zeek's and Agrona's way: a small table of offsets,
 * never an object per header). One decoder is reused for packet after packet and allocates
 * nothing per packet.
 *
 * <pre>{@code
 * PacketDecoder d = new PacketDecoder();
 * for (Packet p : batch) {
 *     if (d.decode(p).has(Layer.TCP) && d.tcp().syn()) { ... d.ipv4().source() ... }
 * }
 * }</pre>
 *
 * <p>Short or garbage bytes decode as far as they go and never throw. Asking the view of a
 * layer the packet does not carry for a field throws {@link IllegalStateException}. The views
 * read the packet's bytes in place, so they are valid only as long as those bytes are (for a
 * ring packet: until its batch is released) and only until the next {@code decode}. A decoder
 * is confined to one thread.
 */
public final class PacketDecoder {
    static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    /** VLAN tags recorded per frame; deeper stacks are walked but only this many are kept. */
    public static final int MAX_VLAN_TAGS = 8;
    /** IPv6 extension headers walked before giving up on reaching the upper layer. */
    static final int MAX_IPV6_EXTENSIONS = 16;

    static final int ETH_HLEN = 14;
    static final int ETHERTYPE_IPV4 = 0x0800;
    static final int ETHERTYPE_ARP = 0x0806;
    static final int ETHERTYPE_IPV6 = 0x86DD;

    // The frame: bytes [base, base + length) of seg.
    private MemorySegment seg = MemorySegment.NULL;
    private long base;
    int length;
    /** Length on the wire, or -1 until asked of {@link #wireSource}, a PacketView (a ring read saved per packet). */
    int wireLength;
    private Object wireSource;

    // The layer table, offsets from the first byte of the frame.
    int layers;
    /** EtherType of the network layer after the tags (or from SNAP), -1 when there is none. */
    int etherType = -1;
    int llcOffset = -1;
    int vlanCount;
    final int[] vlanOffsets = new int[MAX_VLAN_TAGS];
    int l3Offset = -1;
    /** End of the network-layer datagram within the captured bytes. */
    int l3End;
    /** The upper-layer protocol after IPv4 or IPv6 extension headers, -1 when unknown. */
    int ipProtocol = -1;
    int ipv6HopByHop = -1;
    int ipv6Routing = -1;
    int ipv6DestOptions = -1;
    int ipv6Fragment = -1;
    int l4Offset = -1;
    int payloadOffset = -1;
    /** Where the header above IP starts, even when it was cut short; -1 when not reached. */
    int upperOffset = -1;

    private final EthernetView ethernet = new EthernetView(this);
    private final VlanView vlan = new VlanView(this);
    private final ArpView arp = new ArpView(this);
    private final Ipv4View ipv4 = new Ipv4View(this);
    private final Ipv6View ipv6 = new Ipv6View(this);
    private final TcpView tcp = new TcpView(this);
    private final UdpView udp = new UdpView(this);
    private final IcmpView icmp = new IcmpView(this);
    private final Icmpv6View icmpv6 = new Icmpv6View(this);
    private final DnsView dns = new DnsView(this);

    /**
     * A decoder with nothing decoded yet: {@link #has} is false for every layer until the first
     * {@code decode}. Make one per thread and reuse it for every packet.
     */
    public PacketDecoder() {}

    /** Decodes a ring packet in place (no copy, nothing allocated). */
    public PacketDecoder decode(Packet packet) {
        // Hands on the packet's place as numbers; the body makes the checks (see PacketAccess).
        PacketAccess a = PacketAccess.get();
        decodeEthernet(null, a.data(packet), a.length(packet), 0, null, a.batch(packet), a.header(packet));
        return this;
    }

    /** Decodes the packet a {@link PacketView} points at, in place. */
    public PacketDecoder decode(PacketView view) {
        return decodeFrame(view.segment(), view.dataOffset(), view.length(), -1, view);
    }

    /** Decodes an owned packet's array (wrapping it makes one small segment object). */
    public PacketDecoder decode(OwnedPacket packet) {
        byte[] data = packet.data();
        return decode(MemorySegment.ofArray(data), 0, data.length, packet.originalLength());
    }

    /** Decodes a whole segment holding one frame from its MAC header on. */
    public PacketDecoder decode(MemorySegment frame) {
        int len = (int) Math.min(frame.byteSize(), Integer.MAX_VALUE);
        return decode(frame, 0, len, len);
    }

    /** Decodes {@code length} bytes of {@code segment} from {@code offset}: one frame from its MAC header on. */
    public PacketDecoder decode(MemorySegment segment, long offset, int length) {
        return decode(segment, offset, length, length);
    }

    /**
     * Decodes {@code length} captured bytes of {@code segment} from {@code offset}, a frame that
     * was {@code wireLength} bytes long on the wire (a negative one counts as {@code length}).
     * @throws IndexOutOfBoundsException when the range lies outside the segment (the only throw)
     */
    public PacketDecoder decode(MemorySegment segment, long offset, int length, int wireLength) {
        return decodeFrame(segment, offset, length, wireLength < 0 ? length : wireLength, null);
    }

    /** {@code wireLength} -1 means: ask {@code wireSource} when someone wants it. */
    private PacketDecoder decodeFrame(MemorySegment segment, long offset, int length, int wireLength, Object wireSource) {
        decodeEthernet(segment, offset, length, wireLength, wireSource, null, 0);
        return this;
    }

    /** Points the decoder at a new frame with nothing decoded yet. */
    private void start(MemorySegment segment, long offset, int length, int wireLength, Object wireSource) {
        if (offset < 0 || length < 0 || offset > segment.byteSize() - length) {
            throw new IndexOutOfBoundsException("bytes " + offset + "+" + length + " outside segment of " + segment.byteSize());
        }
        this.seg = segment;
        this.base = offset;
        this.length = length;
        this.wireLength = wireLength;
        this.wireSource = wireSource;
        reset();
    }

    /**
     * Decodes {@code length} bytes of {@code segment} from {@code offset} that start at an IP
     * header (version 4 or 6 by the first nibble), with no link layer: a raw-IP capture, or the
     * datagram an ICMP error quotes. {@link Layer#ETHERNET} is then absent.
     * @throws IndexOutOfBoundsException when the range lies outside the segment (the only throw)
     */
    public PacketDecoder decodeIp(MemorySegment segment, long offset, int length) {
        start(segment, offset, length, length, null);
        if (length > 0) {
            int version = get8(0) >> 4;
            if (version == 4) {
                etherType = ETHERTYPE_IPV4;
                l3Offset = 0;
                decodeIpv4(0);
            } else if (version == 6) {
                etherType = ETHERTYPE_IPV6;
                l3Offset = 0;
                decodeIpv6(0);
            }
        }
        return this;
    }

    private void reset() {
        layers = 0;
        etherType = -1;
        llcOffset = -1;
        vlanCount = 0;
        l3Offset = -1;
        l3End = 0;
        ipProtocol = -1;
        ipv6HopByHop = -1;
        ipv6Routing = -1;
        ipv6DestOptions = -1;
        ipv6Fragment = -1;
        l4Offset = -1;
        payloadOffset = -1;
        upperOffset = -1;
    }

    /**
     * Starts on a frame ({@code segment}, or the block of {@code batch} with the wire length read
     * from the packet header at {@code header}) and decodes it from its Ethernet header on. One method on purpose: its
     * bytecode is larger than the JIT's limit for inlining a hot call (FreqInlineSize, 325 bytes),
     * so the small public {@code decode} methods inline into a caller's loop without bringing this
     * body along, and a lambda that calls them stays small enough to be inlined where a stream
     * makes its Packet (PacketDecoderShapeTest guards the size).
     */
    private void decodeEthernet(MemorySegment segment, long offset, int length, int wireLength, Object wireSource,
                                PacketBatch batch, long header) {
        if (batch != null) {                    // a Packet: its block and wire length, checked here
            PacketAccess a = PacketAccess.get();
            segment = a.block(batch);
            wireLength = a.wireLength(batch, header);
        }
        start(segment, offset, length, wireLength, wireSource);
        int len = length;
        if (len < ETH_HLEN) {
            return;
        }
        layers |= Layer.ETHERNET.bit;
        int type = get16(12);
        int off = ETH_HLEN;
        if (type <= 1500) {
            if (len < off + 3) {
                return;
            }
            layers |= Layer.LLC.bit;
            llcOffset = off;
            // SNAP (AA AA 03, OUI 0) carries an EtherType after the 3-byte OUI.
            if (get8(off) == 0xAA && get8(off + 1) == 0xAA && get8(off + 2) == 0x03 && len >= off + 8
                    && get8(off + 3) == 0 && get16(off + 4) == 0) {
                type = get16(off + 6);
                off += 8;
            } else {
                return;
            }
        }
        while (isVlanTpid(type) && len >= off + 4) {
            if (vlanCount < MAX_VLAN_TAGS) {
                vlanOffsets[vlanCount++] = off;
            }
            layers |= Layer.VLAN.bit;
            type = get16(off + 2);
            off += 4;
        }
        if (isVlanTpid(type)) {
            return;                     // a tag cut short: no EtherType to go on with
        }
        etherType = type;
        l3Offset = off;
        switch (type) {
            case ETHERTYPE_IPV4 -> decodeIpv4(off);
            case ETHERTYPE_IPV6 -> decodeIpv6(off);
            case ETHERTYPE_ARP -> {
                if (len >= off + ArpView.FIXED_SIZE) {
                    layers |= Layer.ARP.bit;
                }
            }
            default -> { }
        }
    }

    static boolean isVlanTpid(int type) {
        return type == 0x8100 || type == 0x88A8 || type == 0x9100;
    }

    private void decodeIpv4(int off) {
        int len = length;
        if (len < off + 20) {
            return;
        }
        // Two reads for the five fields: version/IHL, TOS, total length | flags/offset, TTL, protocol.
        int word0 = get32(off);
        int word6 = get32(off + 6);
        int ihl = ((word0 >>> 24) & 0x0F) * 4;
        if ((word0 >>> 28) != 4 || ihl < 20) {
            return;
        }
        layers |= Layer.IPV4.bit;
        int total = word0 & 0xFFFF;
        int end = total == 0 ? len : Math.min(len, off + total);   // 0: a segmentation offload frame
        l3End = end;
        if (total != 0 && total < ihl) {
            return;                     // the header claims more than the datagram holds
        }
        ipProtocol = word6 & 0xFF;
        if (((word6 >>> 16) & 0x1FFF) != 0) {
            return;                     // not the first fragment: no transport header here
        }
        decodeTransport(off + ihl, end, false);
    }

    private void decodeIpv6(int off) {
        int len = length;
        if (len < off + 40 || (get8(off) >> 4) != 6) {
            return;
        }
        layers |= Layer.IPV6.bit;
        int payload = get16(off + 4);
        int end = payload == 0 ? len : Math.min(len, off + 40 + payload);
        l3End = end;
        int next = get8(off + 6);
        int at = off + 40;
        for (int i = 0; i < MAX_IPV6_EXTENSIONS; i++) {
            switch (next) {
                case 0, 43, 60 -> {     // hop-by-hop, routing, destination options: (len + 1) * 8 bytes
                    if (end < at + 2) {
                        return;
                    }
                    if (next == 0 && ipv6HopByHop < 0) {
                        ipv6HopByHop = at;
                    } else if (next == 43 && ipv6Routing < 0) {
                        ipv6Routing = at;
                    } else if (next == 60 && ipv6DestOptions < 0) {
                        ipv6DestOptions = at;
                    }
                    next = get8(at);
                    at += (get8(at + 1) + 1) * 8;
                }
                case 44 -> {            // fragment: 8 bytes; only the first fragment has the upper header
                    if (end < at + 8) {
                        return;
                    }
                    if (ipv6Fragment < 0) {
                        ipv6Fragment = at;
                    }
                    next = get8(at);
                    ipProtocol = next;
                    if ((get16(at + 2) & 0xFFF8) != 0) {
                        return;
                    }
                    at += 8;
                }
                case 51 -> {            // authentication header: (len + 2) * 4 bytes
                    if (end < at + 2) {
                        return;
                    }
                    next = get8(at);
                    at += (get8(at + 1) + 2) * 4;
                }
                default -> {
                    ipProtocol = next;
                    decodeTransport(at, end, true);
                    return;
                }
            }
        }
    }

    private void decodeTransport(int off, int end, boolean v6) {
        if (off > end) {
            return;
        }
        upperOffset = off;
        switch (ipProtocol) {
            case 6 -> {
                int dataOffset = end >= off + 20 ? get8(off + 12) >> 4 : 0;
                if (dataOffset >= 5) {
                    layers |= Layer.TCP.bit;
                    l4Offset = off;
                    payloadOffset = Math.min(end, off + dataOffset * 4);
                }
            }
            case 17 -> {
                if (end >= off + 8) {
                    layers |= Layer.UDP.bit;
                    l4Offset = off;
                    payloadOffset = off + 8;
                    int ports = get32(off);
                    if (((ports >>> 16) == 53 || (ports & 0xFFFF) == 53) && end >= off + 8 + DnsView.HEADER_SIZE) {
                        layers |= Layer.DNS.bit;
                    }
                }
            }
            case 1 -> {
                if (!v6 && end >= off + 8) {
                    layers |= Layer.ICMP.bit;
                    l4Offset = off;
                    payloadOffset = off + 8;
                }
            }
            case 58 -> {
                if (v6 && end >= off + 8) {
                    layers |= Layer.ICMPV6.bit;
                    l4Offset = off;
                    payloadOffset = off + 8;
                }
            }
            default -> payloadOffset = off;
        }
    }

    /** True when the last decoded frame carries {@code layer}. */
    public boolean has(Layer layer) {
        return (layers & layer.bit) != 0;
    }

    /** The present layers as a bit set: bit {@code layer.ordinal()} for each. */
    public int layerBits() {
        return layers;
    }

    /** Captured length of the decoded frame. */
    public int length() {
        return length;
    }

    /**
     * Length of the frame on the wire (the captured length when the source did not say). For a
     * packet decoded through a {@link PacketView} it is read from the packet's header when first
     * asked, so like the views it needs the view still valid.
     */
    public int originalLength() {
        if (wireLength < 0) {
            wireLength = ((PacketView) wireSource).originalLength();
        }
        return wireLength;
    }

    /** The EtherType of the network layer (after any VLAN tags), or -1 when there is none. */
    public int etherType() {
        return etherType;
    }

    /** Offset of the network-layer header from the frame's first byte, or -1. */
    public int networkOffset() {
        return l3Offset;
    }

    /** The protocol above IP (after IPv6 extension headers, also on fragments), or -1 without IP. */
    public int ipProtocol() {
        return ipProtocol;
    }

    /** Offset of the transport header (TCP, UDP, ICMP, ICMPv6), or -1 when none was decoded. */
    public int transportOffset() {
        return l4Offset;
    }

    /**
     * Offset of the header above IP even when it was cut short (so a quoted ICMP error
     * datagram's first 8 TCP bytes still give its ports), or -1 when the decoder did not reach
     * it (no IP, a non-first fragment, a header that claims more than was captured).
     */
    public int upperLayerOffset() {
        return upperOffset;
    }

    /** Offset of the bytes after the transport header, or -1 when no transport header was decoded. */
    public int payloadOffset() {
        return l4Offset < 0 ? -1 : payloadOffset;
    }

    /** Captured payload bytes after the transport header (padding after the IP datagram excluded), or 0. */
    public int payloadLength() {
        return l4Offset < 0 ? 0 : Math.max(0, l3End - payloadOffset);
    }

    /** The segment read by the views, and the frame's offset in it. */
    public MemorySegment segment() {
        return seg;
    }

    /** Offset of the frame's first byte in {@link #segment()}. */
    public long offset() {
        return base;
    }

    /** The unsigned byte at {@code index} of the frame, or -1 past the captured bytes. */
    public int u8(int index) {
        return index >= 0 && index < length ? get8(index) : -1;
    }

    /** The unsigned big-endian 16-bit value at {@code index}, or -1 past the captured bytes. */
    public int u16(int index) {
        return index >= 0 && index <= length - 2 ? get16(index) : -1;
    }

    /** The unsigned big-endian 32-bit value at {@code index}, or -1 past the captured bytes. */
    public long u32(int index) {
        return index >= 0 && index <= length - 4 ? Integer.toUnsignedLong(get32(index)) : -1;
    }

    /**
     * The Ethernet header view of the frame last decoded (the same object every time; read {@link
     * Layer#ETHERNET} with {@link #has} first).
     */
    public EthernetView ethernet() {
        return ethernet;
    }

    /** The VLAN tags view (the same object every time; its fields need {@link Layer#VLAN}). */
    public VlanView vlan() {
        return vlan;
    }

    /** The ARP view (the same object every time; its fields need {@link Layer#ARP}). */
    public ArpView arp() {
        return arp;
    }

    /** The IPv4 header view (the same object every time; its fields need {@link Layer#IPV4}). */
    public Ipv4View ipv4() {
        return ipv4;
    }

    /** The IPv6 header view (the same object every time; its fields need {@link Layer#IPV6}). */
    public Ipv6View ipv6() {
        return ipv6;
    }

    /** The TCP header view (the same object every time; its fields need {@link Layer#TCP}). */
    public TcpView tcp() {
        return tcp;
    }

    /** The UDP header view (the same object every time; its fields need {@link Layer#UDP}). */
    public UdpView udp() {
        return udp;
    }

    /** The ICMP header view (the same object every time; its fields need {@link Layer#ICMP}). */
    public IcmpView icmp() {
        return icmp;
    }

    /**
     * The ICMPv6 header view (the same object every time; its fields need {@link Layer#ICMPV6}).
     */
    public Icmpv6View icmpv6() {
        return icmpv6;
    }

    /** The DNS message view (the same object every time; its fields need {@link Layer#DNS}). */
    public DnsView dns() {
        return dns;
    }

    // Unchecked reads for offsets the decoder or a view has already checked against the length.

    int get8(int index) {
        return Byte.toUnsignedInt(seg.get(ValueLayout.JAVA_BYTE, base + index));
    }

    int get16(int index) {
        return Short.toUnsignedInt(seg.get(U16, base + index));
    }

    int get32(int index) {
        return seg.get(U32, base + index);
    }

    long get48(int index) {
        return ((long) get16(index) << 32) | Integer.toUnsignedLong(get32(index + 2));
    }

    long get64(int index) {
        return ((long) get32(index) << 32) | Integer.toUnsignedLong(get32(index + 4));
    }

    /** Checks that {@code layer} is present before a view reads its fields. */
    void require(Layer layer) {
        if ((layers & layer.bit) == 0) {
            throw new IllegalStateException("no " + layer + " layer in this packet (check has(Layer." + layer + ") first)");
        }
    }
}
