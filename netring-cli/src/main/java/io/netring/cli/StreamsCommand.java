package io.netring.cli;

import io.netring.CaptureBuilder;
import io.netring.PacketBatch;
import io.netring.PacketDirection;
import io.netring.decode.PacketDecoder;
import io.netring.reassembly.TcpReassembler;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * {@code netring streams}: reassembles every TCP connection and writes each direction's bytes
 * to a file in DIR, named and filled as {@code tcpflow -r FILE -o DIR} does
 * ({@link TcpflowFiles}); reassembly is {@link TcpReassembler}'s.
 */
@Command(name = "streams", mixinStandardHelpOptions = true,
        description = "Write each TCP direction's reassembled bytes to a file in DIR, named and filled as tcpflow does "
                + "(e.g. 010.000.000.001.54321-010.000.000.002.00080; holes read as zeros).")
final class StreamsCommand implements Callable<Integer> {

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = {"-i", "--interface"}, paramLabel = "IFACE", description = "Interface to capture on.")
    String interfaceName;

    @Option(names = "-r", paramLabel = "FILE", description = "Read a pcap or pcapng file instead of an interface.")
    String read;

    @Option(names = "-o", paramLabel = "DIR", description = "The directory the stream files go to (it must exist).")
    Path outputDirectory;

    @Option(names = "--timeout", paramLabel = "DURATION", description = "Exit after this long (e.g. 10s).")
    Duration timeout;

    @Option(names = {"-c", "--count"}, paramLabel = "COUNT", description = "Exit after COUNT packets.")
    Long count;

    @Mixin
    RingOptions ring;

    @Mixin
    NamespaceOption namespace;

    @Mixin
    FilterOptions filter;

    @Override
    public Integer call() throws Exception {
        if ((interfaceName == null) == (read == null)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "give exactly one of -i IFACE and -r FILE");
        }
        if (outputDirectory == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "missing -o DIR: the directory for the stream files");
        }
        if (!Files.isDirectory(outputDirectory)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "-o " + outputDirectory
                    + (Files.exists(outputDirectory) ? ": not a directory" : ": no such directory"));
        }
        if (count != null && count <= 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--count must be positive, was " + count);
        }
        if (filter.compileOrDump(spec)) {
            return 0;
        }
        boolean filterInJava = filter.program() != null && read != null;
        CaptureBuilder cb = null;
        if (read == null) {
            try {
                cb = namespace.applyTo(ring.applyTo(io.netring.Capture.builder().interfaceName(interfaceName)));
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
            }
            if (filter.program() != null) {
                cb.bpfFilter(filter.program());
            }
        }
        PrintWriter err = spec.commandLine().getErr();
        TcpflowFiles files = new TcpflowFiles(outputDirectory);
        TcpReassembler tcp = TcpReassembler.builder().handler(files).build();
        PacketDecoder decoder = new PacketDecoder();
        long limit = count == null ? Long.MAX_VALUE : count;
        long[] packets = {0};
        boolean skipOutgoing = LoopbackCopies.skipOutgoing(interfaceName, false);
        try (StopSignal stop = new StopSignal(timeout);
             PacketInput input = read != null ? PacketInput.file(Path.of(read)) : PacketInput.live(cb, interfaceName)) {
            try {
                while (packets[0] < limit && !stop.stopRequested() && !input.ended()) {
                    try (PacketBatch batch = input.next(stop.nextWait())) {
                        if (batch == null) {
                            if (input.live()) {
                                tcp.expire(System.currentTimeMillis() * 1_000_000L);   // a quiet link still ends idle streams
                            }
                            continue;
                        }
                        batch.dispatch(view -> {
                            if (packets[0] < limit && !(skipOutgoing && view.direction() == PacketDirection.OUTGOING)) {
                                packets[0]++;
                                if (!filterInJava || filter.keeps(view)) {
                                    tcp.offer(decoder.decode(view), packets[0], view.timestampEpochNanos());
                                }
                            }
                        });
                    }
                }
            } finally {
                // what was reassembled so far is written even when the input fails
                tcp.finish();
            }
        }
        err.println(Plural.count(packets[0], "packet") + ", " + Plural.count(tcp.counters().streamsOpened(), "TCP stream")
                + ", " + Plural.count(files.files(), "file") + " written (" + files.bytes() + " bytes)");
        err.flush();
        return 0;
    }
}
