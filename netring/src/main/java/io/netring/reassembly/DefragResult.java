package io.netring.reassembly;

/** What {@link IpDefragmenter} did with one packet. */
public enum DefragResult {
    /** Not an IP fragment (or not IP at all): use the packet as it is. Nothing was copied. */
    NOT_FRAGMENT,
    /** A fragment, held until its datagram is complete. */
    HELD,
    /** This fragment completed its datagram: {@link IpDefragmenter#datagram()} holds it. */
    COMPLETED,
    /** A fragment that could not be used, or whose datagram was given up; see {@link DefragCounters}. */
    DROPPED
}
