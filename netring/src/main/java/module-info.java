/**
 * netring: zero-copy packet capture and injection on Linux through AF_PACKET TPACKET_V3 rings,
 * in pure Java (java.lang.foreign). No runtime dependencies.
 *
 * <p>One exported package per concern: capture and injection ({@code io.netring}), filters,
 * decoding, saved traffic, flows, adapters and AF_XDP ({@code io.netring.xdp}). The AF_PACKET
 * backend ({@code io.netring.afpacket}), the AF_XDP rings ({@code io.netring.internal.xdp}) and the
 * Linux bindings ({@code io.netring.internal.linux}) are not exported.
 */
module io.netring {
    // Flight Recorder events (RingEvents): in every JDK image that has the java launcher's defaults.
    requires jdk.jfr;
    exports io.netring;
    exports io.netring.filter;
    exports io.netring.decode;
    exports io.netring.pcap;
    exports io.netring.flow;
    exports io.netring.adapter;
    exports io.netring.reassembly;
    exports io.netring.app;
    exports io.netring.xdp;
    // Packet's place in its batch for the library's own Packet-taking methods (PacketAccess).
    exports io.netring.internal to io.netring.kafka;
}
