package io.netring.cli;

import io.netring.Packet;
import io.netring.PacketBatch;

import java.io.IOException;

/** Where {@code netring capture -w} puts packets: a file, a file per source, or a Kafka topic. */
interface CaptureSink extends AutoCloseable {
    /** Writes at most {@code max} packets of {@code batch} and returns how many. */
    long write(PacketBatch batch, long max) throws IOException;

    /** Writes one packet that a filter expression kept; false when this sink takes whole batches only. */
    default boolean write(Packet packet) throws IOException {
        return false;
    }

    /**
     * Writes what the file {@code input} has left, at most {@code max} packets, straight from
     * the reader (no batch loop); returns how many, or -1 when this sink takes batches only.
     */
    default long transfer(io.netring.pcap.PcapReader input, long max) throws IOException {
        return -1;
    }

    /** True when the sink takes no more packets (e.g. the last file of {@code -G} with {@code -W}). */
    default boolean finished() {
        return false;
    }

    /** A wait for packets timed out, or packets were written one by one: a chance to send what is held back. */
    default void idle() throws IOException {}

    /** A line for the summary on stderr, or null. */
    default String summary() {
        return null;
    }

    @Override
    void close() throws IOException;

    /**
     * The sink for {@code -w}: {@code kafka} (the parsed kafka:// URL, or null) publishes, a Kafka
     * input gets one pcapng interface per source, else a file.
     */
    static CaptureSink open(SavedTrafficOptions files, PacketInput input, String interfaceName,
                            io.netring.kafka.KafkaTarget kafka, java.time.Duration brokerTimeout) throws IOException {
        if (kafka != null) {
            return KafkaPacketSink.open(kafka, interfaceName, brokerTimeout);
        }
        if (input.kafka() != null) {
            return SourcePcapSink.open(files, input);
        }
        return PacketFileSink.open(files, input);
    }
}
