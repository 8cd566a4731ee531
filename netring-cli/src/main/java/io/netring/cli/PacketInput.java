package io.netring.cli;

import io.netring.AfPacketRx;
import io.netring.Capture;
import io.netring.CaptureBuilder;
import io.netring.CaptureStats;
import io.netring.NetringException;
import io.netring.PacketBatch;
import io.netring.kafka.KafkaPacketReader;
import io.netring.kafka.KafkaTarget;
import io.netring.pcap.PcapInterface;
import io.netring.pcap.PcapReader;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Where {@code netring capture} takes packets from: an interface ({@code -i}, through AF_PACKET
 * or, with {@code --xdp}, AF_XDP) or a file ({@code -r}).
 */
final class PacketInput implements AutoCloseable {
    private final Capture capture;
    private final XdpInput xdp;
    private final PcapReader reader;
    private final String interfaceName;
    private final KafkaPacketReader kafka;
    private final KafkaTarget kafkaTarget;

    private PacketInput(Capture capture, PcapReader reader, String interfaceName) {
        this(capture, reader, interfaceName, null, null);
    }

    private PacketInput(Capture capture, PcapReader reader, String interfaceName, KafkaPacketReader kafka, KafkaTarget target) {
        this(capture, null, reader, interfaceName, kafka, target);
    }

    private PacketInput(Capture capture, XdpInput xdp, PcapReader reader, String interfaceName, KafkaPacketReader kafka,
                        KafkaTarget target) {
        this.capture = capture;
        this.xdp = xdp;
        this.reader = reader;
        this.interfaceName = interfaceName;
        this.kafka = kafka;
        this.kafkaTarget = target;
    }

    /**
     * {@code -r kafka://HOST:PORT/TOPIC}: packet records read back from a topic.
     * @throws IOException naming the broker when it does not answer within {@code brokerTimeout}
     */
    static PacketInput kafka(KafkaTarget target, Duration brokerTimeout) throws IOException {
        try {
            return new PacketInput(null, null, null, KafkaPacketReader.open(target, brokerTimeout), target);
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            throw new IOException(BrokerWatch.unreachable(target, brokerTimeout), e);
        }
    }

    /** The Kafka reader of a {@code -r kafka://} input, or null. */
    KafkaPacketReader kafka() {
        return kafka;
    }

    /** The sources in the topic of a Kafka input, listed before reading (one pcapng interface each). */
    java.util.List<String> kafkaSources() {
        return KafkaPacketReader.sources(kafkaTarget, Duration.ofSeconds(60));
    }

    static PacketInput live(CaptureBuilder builder, String interfaceName) throws NetringException {
        return new PacketInput(builder.build(), null, interfaceName);
    }

    /** {@code --xdp -i IFACE}: an AF_XDP capture, opened by the builder. */
    static PacketInput xdp(io.netring.xdp.XdpRxBuilder builder, String interfaceName) throws NetringException {
        return new PacketInput(null, new XdpInput(XdpOptions.open(builder)), null, interfaceName, null, null);
    }

    /** {@code -r FILE}; {@code -r -} reads standard input to its end, then its packets. */
    static PacketInput file(Path file) throws IOException {
        PcapReader reader = SavedTrafficOptions.STANDARD_STREAM.equals(file.toString())
                ? PcapReader.read(new java.io.FileInputStream(java.io.FileDescriptor.in).getChannel(), file)
                : PcapReader.open(file);
        return new PacketInput(null, reader, null);
    }

    boolean live() {
        return capture != null || xdp != null;
    }

    /** How a live capture gets its frames when that is not an AF_PACKET ring ({@code AF_XDP queue 0, copy mode}), else null. */
    String path() {
        return xdp == null ? null : xdp.describe();
    }

    PcapReader reader() {
        return reader;
    }

    /** The next batch, or null when none came within {@code wait} (live) or the file has ended. */
    PacketBatch next(Duration wait) throws IOException {
        if (kafka != null) {
            return kafka.nextBatchBlocking(wait);
        }
        if (xdp != null) {
            return xdp.next(wait);
        }
        return capture != null ? capture.unwrap().nextBatchBlocking(wait) : reader.nextBatch();
    }

    /** True when no packet will ever come (a file read to its end). */
    boolean ended() {
        return kafka != null ? kafka.atEnd() : reader != null && reader.atEnd();
    }

    /** The interface a file written from this input describes. */
    PcapInterface describe() {
        if (live()) {
            return PcapInterface.ethernet(interfaceName);
        }
        int linkType = reader.linkType() < 0 ? PcapInterface.LINKTYPE_ETHERNET : reader.linkType();
        int snaplen = reader.snaplen() <= 0 ? PcapInterface.DEFAULT_SNAPLEN : reader.snaplen();
        return new PcapInterface(reader.interfaceName(0), linkType, snaplen);
    }

    /** The capture's counters since it started (a live capture), or null (a file). */
    CaptureStats totals() {
        if (!live()) {
            return null;
        }
        try {
            if (xdp != null) {
                return xdp.totals();
            }
            capture.stats();                       // folds the kernel's latest counters into the totals
        } catch (NetringException e) {
            throw new UncheckedIOException(e);
        }
        return capture.totalStats();
    }

    /** A live capture's counters for the metrics endpoint, read without taking from {@link #totals()}. */
    LiveCounters liveCounters() throws NetringException {
        return LiveCounters.of(xdp != null ? xdp.rx() : capture.unwrap());
    }

    /** The counters as last read from the kernel (a live capture), without asking it again; or null. */
    CaptureStats lastTotals() {
        if (xdp != null) {
            return xdp.lastTotals();
        }
        return capture == null ? null : capture.totalStats();
    }

    @Override
    public void close() {
        if (capture != null) {
            capture.close();
        } else if (xdp != null) {
            xdp.close();
        } else if (kafka != null) {
            kafka.close();
        } else {
            reader.close();
        }
    }
}
