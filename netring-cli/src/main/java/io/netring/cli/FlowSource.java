package io.netring.cli;

import io.netring.Capture;
import io.netring.CaptureBuilder;
import io.netring.CaptureStats;
import io.netring.PacketBatch;
import io.netring.kafka.KafkaPacketReader;
import io.netring.kafka.KafkaTarget;

import java.io.IOException;
import java.time.Duration;

/** Where {@code netring flows} takes packets from: an interface, or a Kafka topic of packet records. */
final class FlowSource implements AutoCloseable {
    private final Capture capture;
    private final KafkaPacketReader kafka;

    private FlowSource(Capture capture, KafkaPacketReader kafka) {
        this.capture = capture;
        this.kafka = kafka;
    }

    static FlowSource live(CaptureBuilder builder) throws IOException {
        return new FlowSource(builder.build(), null);
    }

    static FlowSource kafka(KafkaTarget target) {
        return new FlowSource(null, KafkaPacketReader.open(target));
    }

    boolean live() {
        return capture != null;
    }

    /** The next batch, or null when none came within {@code wait}. */
    PacketBatch next(Duration wait) throws IOException {
        return capture != null ? capture.unwrap().nextBatchBlocking(wait) : kafka.nextBatchBlocking(wait);
    }

    /** True when no packet will ever come (a topic read to the end it had at start). */
    boolean ended() {
        return kafka != null && kafka.atEnd();
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
        } else {
            kafka.close();
        }
    }
}
