package io.netring.pcap;

import java.nio.file.Path;

/** The two file formats {@link PcapWriter} writes; {@link PcapReader} reads both and detects which. */
public enum PcapFormat {
    /**
     * Classic libpcap format with the nanosecond magic {@code 0xa1b23c4d}, in host byte order:
     * read by tcpdump, Wireshark and every libpcap tool since libpcap 1.5.
     */
    PCAP,
    /**
     * pcapng: a section header naming the writing application, one interface description per
     * interface ({@code if_name}, {@code if_tsresol}=9, snaplen, link type), enhanced packet
     * blocks with the original length and the direction in {@code epb_flags}, and interface
     * statistics ({@code isb_ifrecv}, {@code isb_ifdrop}) at close when the capture's counters
     * were given.
     */
    PCAPNG;

    /** {@link #PCAPNG} when the file name ends with {@code .pcapng} (any case), else {@link #PCAP} — tcpdump-style. */
    public static PcapFormat forFileName(Path file) {
        String name = file.getFileName() == null ? "" : file.getFileName().toString();
        return name.toLowerCase(java.util.Locale.ROOT).endsWith(".pcapng") ? PCAPNG : PCAP;
    }

    /** Parses {@code pcap} or {@code pcapng} (any case), as given to tcpdump's {@code -F}/tshark's {@code -F}. */
    public static PcapFormat parse(String name) {
        return switch (name.toLowerCase(java.util.Locale.ROOT)) {
            case "pcap" -> PCAP;
            case "pcapng" -> PCAPNG;
            default -> throw new IllegalArgumentException("format=" + name + ": must be pcap or pcapng");
        };
    }
}
