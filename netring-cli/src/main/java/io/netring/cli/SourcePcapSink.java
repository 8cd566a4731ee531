package io.netring.cli;

import io.netring.PacketBatch;
import io.netring.pcap.PcapFormat;
import io.netring.pcap.PcapInterface;
import io.netring.pcap.PcapWriter;
import io.netring.pcap.PcapWriterBuilder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code -r kafka://… -w FILE}: one file with one pcapng interface per capture source
 * ({@code host/interface}), each packet written as a packet of its source's interface. The
 * sources are listed from the topic before the first packet, since a pcapng writer declares its
 * interfaces up front; a source that appears later is written under the first interface.
 */
final class SourcePcapSink implements CaptureSink {
    private final PcapWriter writer;
    private final Map<String, Integer> interfaceOf = new HashMap<>();
    private final PacketInput input;

    private SourcePcapSink(PcapWriter writer, List<String> sources, PacketInput input) {
        this.writer = writer;
        this.input = input;
        for (int i = 0; i < sources.size(); i++) {
            interfaceOf.put(sources.get(i), i);
        }
    }

    static SourcePcapSink open(SavedTrafficOptions files, PacketInput input) throws IOException {
        if (files.fileSizeMb != null || files.rotateSeconds != null || files.fileCount != null) {
            throw new IllegalArgumentException("-C, -G and -W do not combine with -r kafka://");
        }
        List<String> sources = input.kafkaSources();
        PcapWriterBuilder b = files.writer().application("netring 0.1.0");
        int linkType = input.kafka().linkType() > 0 ? input.kafka().linkType() : PcapInterface.LINKTYPE_ETHERNET;
        if (sources.isEmpty()) {
            b.addInterface(new PcapInterface("kafka", linkType, PcapInterface.DEFAULT_SNAPLEN));
        }
        for (String s : sources) {
            b.addInterface(new PcapInterface(s, linkType, PcapInterface.DEFAULT_SNAPLEN));
        }
        return new SourcePcapSink(b.build(), sources, input);
    }

    @Override
    public long write(PacketBatch batch, long max) throws IOException {
        int id = writer.format() == PcapFormat.PCAPNG ? interfaceOf.getOrDefault(input.kafka().source(), 0) : 0;
        long[] n = {0};
        try {
            batch.dispatch(v -> {
                if (n[0] < max) {
                    try {
                        writer.write(v, id);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    n[0]++;
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return n[0];
    }

    @Override
    public void close() throws IOException {
        writer.close();
    }
}
