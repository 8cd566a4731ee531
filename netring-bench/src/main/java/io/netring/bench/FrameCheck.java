package io.netring.bench;

import io.netring.Packet;
import io.netring.PacketHandler;
import io.netring.PacketView;

import java.lang.foreign.MemorySegment;

/**
 * The per-packet work every consumer does, in the micro-benchmarks and end to end, the same as
 * the C consumers: check the EtherType, read the sequence number, count frames and gaps.
 */
public final class FrameCheck implements PacketHandler {
    /** Test frames seen. */
    public long frames;
    /** Times a sequence number was not the previous one plus one. */
    public long gaps;
    private int expected = -1;

    @Override
    public void onPacket(PacketView packet) {
        if (packet.unsignedShortAt(TestFrames.ETHERTYPE_OFFSET) == TestFrames.ETHERTYPE) {
            count(packet.intAt(TestFrames.SEQUENCE_OFFSET));
        }
    }

    /** The same check on a {@link Packet} of the Iterable and stream paths. */
    public void accept(Packet packet) {
        if (packet.unsignedShortAt(TestFrames.ETHERTYPE_OFFSET) == TestFrames.ETHERTYPE) {
            count(packet.intAt(TestFrames.SEQUENCE_OFFSET));
        }
    }

    /** The same check on a copied frame (pcap4j). */
    public void accept(byte[] frame) {
        if (TestFrames.isTestFrame(frame)) {
            count(TestFrames.sequence(frame));
        }
    }

    /** The check on the frame at {@code offset} of {@code data}. */
    public void check(MemorySegment data, long offset) {
        if (TestFrames.isTestFrame(data, offset)) {
            count(TestFrames.sequence(data, offset));
        }
    }

    /** Counts a test frame with sequence number {@code seq}. */
    public void count(int seq) {
        if (seq != expected && expected != -1) {
            gaps++;
        }
        expected = seq + 1;
        frames++;
    }

    /**
     * Whether a run of {@code total} frames is over: all came, or the last one (sequence number
     * {@code total - 1}) did. A consumer that lost frames stops there rather than wait for the
     * idle timeout, whose naps or polls would count in its window.
     */
    public boolean done(long total) {
        return frames >= total || expected == total;
    }

    public void reset() {
        frames = 0;
        gaps = 0;
        expected = -1;
    }
}
