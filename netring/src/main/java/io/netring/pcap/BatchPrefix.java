package io.netring.pcap;

import io.netring.Packet;
import io.netring.PacketBatch;

import java.io.IOException;

/**
 * Writes the first packets of a batch, for a transfer with a packet limit that ends inside a
 * batch: the whole batch through the writer's batch path when it fits, else packet by packet.
 */
final class BatchPrefix {
    private BatchPrefix() {}

    interface BatchWrite {
        int write(PacketBatch batch) throws IOException;
    }

    interface PacketWrite {
        void write(Packet packet) throws IOException;
    }

    /** Writes at most {@code max} packets of {@code batch} and returns how many. */
    static long write(PacketBatch batch, long max, BatchWrite whole, PacketWrite one) throws IOException {
        if (batch.size() <= max) {
            return whole.write(batch);
        }
        long n = 0;
        for (Packet p : batch) {
            if (n == max) {
                break;
            }
            one.write(p);
            n++;
        }
        return n;
    }
}
