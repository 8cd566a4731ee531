package io.netring.pcap;

import java.util.Objects;

/**
 * One interface a {@link PcapWriter} writes packets of: in pcapng an interface description
 * block ({@code if_name}, link type, snaplen); in classic pcap the file header's link type and
 * snaplen (classic pcap has one interface).
 *
 * @param name the interface name ({@code if_name}), or null to leave it out
 * @param linkType LINKTYPE_* value, 1 for Ethernet
 * @param snaplen the largest number of bytes kept per packet; longer packets are truncated
 */
public record PcapInterface(String name, int linkType, int snaplen) {
    /** Link type of Ethernet, and of every AF_PACKET capture on an Ethernet-like device (veth, lo). */
    public static final int LINKTYPE_ETHERNET = 1;
    /** tcpdump's default snapshot length. */
    public static final int DEFAULT_SNAPLEN = 262_144;

    /**
     * Checks the values: throws {@link IllegalArgumentException} when {@code linkType} is outside 0
     * to 65535 or {@code snaplen} is not positive.
     */
    public PcapInterface {
        if (linkType < 0 || linkType > 0xFFFF) {
            throw new IllegalArgumentException("linkType=" + linkType + ": must be in [0, 65535]");
        }
        if (snaplen <= 0) {
            throw new IllegalArgumentException("snaplen=" + snaplen + ": must be positive");
        }
        if (name != null && name.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 0xFFFF) {
            throw new IllegalArgumentException("name of " + name.length() + " characters: too long for a pcapng option");
        }
    }

    /** An Ethernet interface named {@code name} with tcpdump's default snaplen. */
    public static PcapInterface ethernet(String name) {
        return new PcapInterface(name, LINKTYPE_ETHERNET, DEFAULT_SNAPLEN);
    }

    @Override
    public String toString() {
        return Objects.requireNonNullElse(name, "(unnamed)") + "[linkType=" + linkType + ", snaplen=" + snaplen + "]";
    }
}
