/**
 * netring: zero-copy packet capture and injection on Linux through AF_PACKET TPACKET_V3 rings,
 * in pure Java (java.lang.foreign). No runtime dependencies.
 */
module io.netring {
    exports io.netring;
    exports io.netring.adapter;
    exports io.netring.flow;
    exports io.netring.decode;
}
