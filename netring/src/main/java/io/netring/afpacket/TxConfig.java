package io.netring.afpacket;

/**
 * A validated transmit configuration, as the public builders hand it to the backend.
 *
 * @param qdiscBypass PACKET_QDISC_BYPASS: hand frames straight to the driver, skipping traffic control
 * @param lossy skip frames the link cannot carry (counted) instead of throwing
 * @param lockMemory map the ring with MAP_LOCKED (falls back to unlocked with a warning)
 * @param allowV3 try a TPACKET_V3 ring first; false goes straight to TPACKET_V2 (tests of the fallback)
 */
public record TxConfig(
        String interfaceName,
        TxGeometry geometry,
        boolean qdiscBypass,
        boolean lossy,
        boolean lockMemory,
        boolean allowV3) {

    /** The same configuration restricted to a TPACKET_V2 ring, as on a kernel older than 4.11. */
    public TxConfig withV2Only() {
        return new TxConfig(interfaceName, geometry, qdiscBypass, lossy, lockMemory, false);
    }
}
