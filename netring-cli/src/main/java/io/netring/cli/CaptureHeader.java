package io.netring.cli;

import io.netring.pcap.PcapInterface;

/**
 * The lines tcpdump prints on stderr before the first packet, worded as tcpdump words them:
 * where the packets come from, their link type and snapshot length.
 */
final class CaptureHeader {
    private CaptureHeader() {}

    /** {@code -r FILE}: {@code reading from file F, link-type EN10MB (Ethernet), snapshot length 262144}. */
    static String reading(String file, int linkType, int snaplen) {
        return "reading from file " + file + ", link-type " + LinkTypeNames.describe(linkType)
                + ", snapshot length " + snaplen;
    }

    /**
     * {@code -i IFACE}: tcpdump's hint about {@code -v} when it prints packets without it, then
     * the interface; with {@code -v}, or when writing a file, the interface line alone, after the
     * program's name.
     */
    static String listening(PcapInterface source, boolean verboseHint) {
        return listening(source, null, verboseHint);
    }

    /**
     * As {@link #listening(PcapInterface, boolean)}, with how the frames arrive after the
     * interface's name when that is not tcpdump's AF_PACKET ({@code path} null):
     * {@code listening on eth0 (AF_XDP queue 0, copy mode), link-type ...}.
     */
    static String listening(PcapInterface source, String path, boolean verboseHint) {
        String where = "listening on " + source.name() + (path == null ? "" : " (" + path + ")")
                + ", link-type " + LinkTypeNames.describe(source.linkType())
                + ", snapshot length " + source.snaplen() + " bytes";
        return verboseHint
                ? "netring: verbose output suppressed, use -v[v]... for full protocol decode" + System.lineSeparator() + where
                : "netring: " + where;
    }
}
