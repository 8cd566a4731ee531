package io.netring.cli;

import io.netring.pcap.PcapFormat;
import io.netring.pcap.PcapRotation;
import io.netring.pcap.PcapWriter;
import io.netring.pcap.PcapWriterBuilder;
import picocli.CommandLine.Option;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.nio.file.Path;

/** tcpdump's file options: {@code -r FILE}, {@code -w FILE}, {@code -F}, {@code -C}, {@code -G}, {@code -W}. */
final class SavedTrafficOptions {
    @Option(names = "-r", paramLabel = "FILE",
            description = "Read packets from a pcap or pcapng file instead of an interface (- for standard input).")
    Path readFile;

    @Option(names = "-w", paramLabel = "FILE",
            description = "Write packets to FILE instead of printing them: pcapng when FILE ends with .pcapng, pcap otherwise "
                    + "(- for standard output).")
    String writeFile;

    @Option(names = "-F", paramLabel = "FORMAT", description = "Format written by -w: pcap or pcapng (overrides the name).")
    String format;

    @Option(names = "-C", paramLabel = "MB", description = "With -w: start a new file when the current one exceeds MB million bytes.")
    Long fileSizeMb;

    @Option(names = "-G", paramLabel = "SECONDS",
            description = "With -w: start a new file every SECONDS; FILE may hold strftime conversions (%%Y%%m%%d-%%H%%M%%S).")
    Long rotateSeconds;

    @Option(names = "-W", paramLabel = "COUNT",
            description = "With -C: a ring of COUNT files; with -G alone: stop after COUNT files.")
    Integer fileCount;

    @Option(names = {"-U", "--packet-buffered"},
            description = "With -w: hand each batch of packets to the file as soon as it is written "
                    + "(by default a live capture's file is flushed at least once a second).")
    boolean packetBuffered;

    /** {@code -r -} and {@code -w -}: standard input and standard output, as in tcpdump. */
    static final String STANDARD_STREAM = "-";

    /** The writer settings of {@code -w}: the file, or standard output for {@code -w -}; usage errors as IllegalArgumentException. */
    PcapWriterBuilder writer() {
        PcapWriterBuilder b = PcapWriter.builder(Path.of(writeFile)).format(writeFormat());
        if (STANDARD_STREAM.equals(writeFile)) {
            b.channel(new FileOutputStream(FileDescriptor.out).getChannel());
        }
        return b;
    }

    /** The format -w writes; usage errors as IllegalArgumentException. */
    PcapFormat writeFormat() {
        return format != null ? PcapFormat.parse(format) : PcapFormat.forFileName(Path.of(writeFile));
    }

    /** The rotation of -C/-G/-W; usage errors as IllegalArgumentException. */
    PcapRotation rotation() {
        if (writeFile == null && (fileSizeMb != null || rotateSeconds != null || fileCount != null || format != null
                || packetBuffered)) {
            throw new IllegalArgumentException("-C, -G, -W, -F and -U need -w FILE");
        }
        if (fileSizeMb != null && fileSizeMb <= 0) {
            throw new IllegalArgumentException("-C must be positive, was " + fileSizeMb);
        }
        if (rotateSeconds != null && rotateSeconds <= 0) {
            throw new IllegalArgumentException("-G must be positive, was " + rotateSeconds);
        }
        if (fileCount != null && fileCount <= 0) {
            throw new IllegalArgumentException("-W must be positive, was " + fileCount);
        }
        if (STANDARD_STREAM.equals(writeFile) && (fileSizeMb != null || rotateSeconds != null)) {
            throw new IllegalArgumentException("-C and -G need a file to rotate, not -w - (standard output)");
        }
        return PcapRotation.tcpdump(fileSizeMb, rotateSeconds, fileCount);
    }
}
