package io.netring.pcap;

import io.netring.CaptureStats;

import java.io.IOException;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Options of a {@link PcapWriter}. Defaults: {@link PcapFormat#PCAP}, one unnamed Ethernet
 * interface with snaplen 262144, application {@code "netring"}, no statistics.
 */
public final class PcapWriterBuilder {
    private final Path path;
    private PcapFormat format = PcapFormat.PCAP;
    private final List<PcapInterface> interfaces = new ArrayList<>();
    private String application = "netring";
    private Supplier<CaptureStats> statistics;
    private int bufferSize = FileOutput.DEFAULT_BUFFER;
    private WritableByteChannel channel;

    PcapWriterBuilder(Path path) {
        this.path = Objects.requireNonNull(path, "path");
    }

    /** The file format to write; throws {@link NullPointerException} for null. */
    public PcapWriterBuilder format(PcapFormat format) {
        this.format = Objects.requireNonNull(format, "format");
        return this;
    }

    /**
     * Adds an interface (pcapng: one IDB each, in order; ids from 0). Without any, one unnamed
     * Ethernet interface is written. Classic pcap uses the first one's link type and snaplen.
     */
    public PcapWriterBuilder addInterface(PcapInterface iface) {
        interfaces.add(Objects.requireNonNull(iface, "iface"));
        return this;
    }

    /** The {@code shb_userappl} of the pcapng section header, or null to leave it out. */
    public PcapWriterBuilder application(String application) {
        this.application = application;
        return this;
    }

    /**
     * Where the capture's counters come from: asked once at close, for the running totals since
     * the capture started, which pcapng records as {@code isb_ifrecv} (packets) and
     * {@code isb_ifdrop} (drops) of the first interface. E.g. {@code () -> capture.totalStats()}.
     */
    public PcapWriterBuilder statistics(Supplier<CaptureStats> statistics) {
        this.statistics = statistics;
        return this;
    }

    /** Size of the native write buffer (default 2 MiB, at least 64 KiB). */
    public PcapWriterBuilder bufferSize(int bytes) {
        if (bytes < 1 << 16) {
            throw new IllegalArgumentException("bufferSize=" + bytes + ": must be at least 65536");
        }
        this.bufferSize = bytes;
        return this;
    }

    /**
     * Writes to {@code channel}, already open, instead of creating the file: a pipe or standard
     * output ({@code new FileOutputStream(FileDescriptor.out).getChannel()}), as tcpdump's
     * {@code -w -}. The path then only names the output in messages; {@link PcapWriter#close()}
     * closes the channel. A {@link RotatingPcapWriter} cannot rotate such an output.
     */
    public PcapWriterBuilder channel(WritableByteChannel channel) {
        this.channel = Objects.requireNonNull(channel, "channel");
        return this;
    }

    /** Creates (or truncates) the file, or takes the {@link #channel}, and writes the header. */
    public PcapWriter build() throws IOException {
        return build(path);
    }

    /** The same writer at another path (the files of a {@link RotatingPcapWriter}). */
    PcapWriter build(Path file) throws IOException {
        List<PcapInterface> ifs = interfaces.isEmpty() ? List.of(PcapInterface.ethernet(null)) : interfaces;
        FileOutput out = channel != null ? new FileOutput(path, channel, bufferSize) : new FileOutput(file, bufferSize);
        return new PcapWriter(out, format, ifs, application, statistics);
    }

    /** True when the output is a channel given by {@link #channel}, not a file to create. */
    boolean toChannel() {
        return channel != null;
    }

    Path path() {
        return path;
    }
}
