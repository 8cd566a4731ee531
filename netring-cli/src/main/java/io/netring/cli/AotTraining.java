package io.netring.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The training runs behind the AOT caches {@code bin/netring} starts from (JDK 25, JEP 483/514/515:
 * classes loaded and linked ahead of time, method profiles). The full training runs every command
 * line whose start should be fast, as {@link NetringCommand#main} would: a file to pcap, to pcapng,
 * to tcpdump {@code -n} lines, and two command lines picocli parses ({@code capture -e}, {@code
 * flows}). The short one ({@code short FILE}) only prints {@value #FRAMES} packets: a cache
 * loads all its classes at start, and printing a small file needs a third fewer.
 *
 * <p>The input is {@link #TRAFFIC}, a varied capture of {@value #FRAMES} frames ({@code
 * AotTrainingTest} keeps it equal to the test kit's corpus), repeated to {@value #PACKETS}
 * packets: more than {@link CaptureCommand}'s transfer step, so the copy loop is trained to end
 * a step too.
 */
final class AotTraining {
    /** The training capture, a classic little-endian microsecond pcap, as a class-path resource. */
    static final String TRAFFIC = "aot-training.pcap";
    /** Frames in {@link #TRAFFIC}. */
    static final int FRAMES = 400;
    /** Packets in the file the training reads. */
    static final int PACKETS = 100_000;
    private static final int FILE_HEADER = 24;

    private AotTraining() {}

    public static void main(String[] args) throws IOException {
        if (args.length == 2 && args[0].equals("short")) {
            trainShort(Path.of(args[1]));
        }
        Path dir = Files.createTempDirectory("netring-aot");
        int worst;
        try {
            Path in = dir.resolve("train.pcap");
            writeTrainingFile(in, PACKETS);
            String file = in.toString();
            List<String[]> lines = List.of(
                    new String[] {"capture", "-r", file, "-w", dir.resolve("out.pcap").toString()},
                    new String[] {"capture", "-r", file, "-w", dir.resolve("out.pcapng").toString()},
                    new String[] {"capture", "-r", file, "-n"},
                    new String[] {"capture", "-r", file, "-c", "20000", "-e"},
                    new String[] {"flows", "-r", file});
            worst = 0;
            for (String[] line : lines) {
                worst = Math.max(worst, NetringCommand.runOnStdout(line));
            }
        } finally {
            deleteTree(dir);
        }
        System.exit(worst);
    }

    /**
     * The short training, in {@code file} (which it deletes): nothing but what such a run does
     * itself, since every class the training loads is one more the cache loads at each start
     * (a temporary directory alone brings the JDK's random number providers).
     */
    private static void trainShort(Path file) throws IOException {
        int code;
        try {
            writeTrainingFile(file, FRAMES);
            code = NetringCommand.runOnStdout(new String[] {"capture", "-r", file.toString(), "-n"});
        } finally {
            Files.deleteIfExists(file);
        }
        System.exit(code);
    }

    /** {@link #TRAFFIC}'s records repeated until the file holds {@code packets} packets (a multiple of {@link #FRAMES}). */
    static void writeTrainingFile(Path file, int packets) throws IOException {
        byte[] pcap;
        try (InputStream in = AotTraining.class.getResourceAsStream(TRAFFIC)) {
            if (in == null) {
                throw new IOException("resource " + TRAFFIC + " is missing from the class path");
            }
            pcap = in.readAllBytes();
        }
        byte[] records = Arrays.copyOfRange(pcap, FILE_HEADER, pcap.length);
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(pcap, 0, FILE_HEADER);
            for (int n = 0; n < packets; n += FRAMES) {
                out.write(records);
            }
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
