package io.netring.cli;

import io.netring.Capture;
import io.netring.CaptureBuilder;
import io.netring.CaptureStats;
import io.netring.PacketBatch;
import io.netring.kafka.KafkaPacketReader;
import io.netring.kafka.KafkaTarget;
import io.netring.pcap.PcapReader;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

/** Where {@code netring flows} takes packets from: an interface, a pcap/pcapng file, or a Kafka topic of packet records. */
final class FlowSource implements AutoCloseable {
    private final Capture capture;
    private final KafkaPacketReader kafka;
    private final PcapReader file;

    private FlowSource(Capture capture, KafkaPacketReader kafka, PcapReader file) {
        this.capture = capture;
        this.kafka = kafka;
        this.file = file;
    }

    static FlowSource file(Path path) throws IOException {
        return new FlowSource(null, null, PcapReader.open(path));
    }

    static FlowSource live(CaptureBuilder builder) throws IOException {
        return new FlowSource(builder.build(), null, null);
    }

    static FlowSource kafka(KafkaTarget target) {
        KafkaLogLevel.warningsOnly();
        return new FlowSource(null, KafkaPacketReader.open(target), null);
    }

    boolean live() {
        return capture != null;
    }

    /** The next batch, or null when none came within {@code wait}. */
    PacketBatch next(Duration wait) throws IOException {
        if (file != null) {
            return file.nextBatch();
        }
        return capture != null ? capture.unwrap().nextBatchBlocking(wait) : kafka.nextBatchBlocking(wait);
    }

    /** True when no packet will ever come (a file read, a topic read to the end it had at start). */
    boolean ended() {
        return kafka != null ? kafka.atEnd() : file != null && file.atEnd();
    }

    /** Kernel counters of a live capture since it started, or null. */
    CaptureStats totals() throws IOException {
        if (capture == null) {
            return null;
        }
        return capture.stats();
    }

    @Override
    public void close() {
        if (capture != null) {
            capture.close();
        } else if (kafka != null) {
            kafka.close();
        } else {
            file.close();
        }
    }
}
