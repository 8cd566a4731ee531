package io.netring.cli;

import io.netring.PacketView;
import io.netring.flow.FlowExtractor;
import io.netring.reassembly.IpDefragmenter;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * IP defragmentation in front of {@code netring flows}: a fragmented datagram counts once, with
 * its ports, on the frame that completes it; the fragments before it count in no flow. That is
 * how tshark's conversation tables ({@code -z conv,udp}) count it too, bytes included: the
 * completing frame's length.
 */
final class FlowFragments {
    private final IpDefragmenter defrag = IpDefragmenter.create();
    private final byte[] scratch = new byte[64 + IpDefragmenter.DEFAULT_MAX_DATAGRAM_BYTES];
    private final MemorySegment scratchSegment = MemorySegment.ofArray(scratch);
    private long frames;

    /**
     * Fills {@code ex} from the frame, or from the datagram it completes, and hands the same bytes
     * to {@code apps}; false when it counts in no flow (not IP, a fragment held or given up).
     */
    boolean extract(PacketView view, FlowExtractor ex, FlowApplications apps) {
        long time = view.timestampEpochNanos();
        long frame = ++frames;
        return switch (defrag.offerFrame(view.segment(), view.dataOffset(), view.length(), frame, time)) {
            case NOT_FRAGMENT -> {
                apps.offer(view.segment(), view.dataOffset(), view.length(), view.originalLength(), frame, time);
                yield ex.extract(view);
            }
            case HELD, DROPPED -> false;
            case COMPLETED -> {
                // The frame's link header before the datagram, so VLAN tags still count.
                int link = linkLength(view);
                if (link < 0 || link > 64) {
                    yield false;
                }
                MemorySegment.copy(view.segment(), ValueLayout.JAVA_BYTE, view.dataOffset(), scratch, 0, link);
                int length = defrag.datagramLength();
                MemorySegment.copy(defrag.datagram(), ValueLayout.JAVA_BYTE, 0, scratch, link, length);
                apps.offer(scratchSegment, 0, link + length, link + length, frame, time);
                yield ex.extract(scratchSegment, 0, link + length, view.originalLength(), time, view.vlanTci() & 0xFFF);
            }
        };
    }

    /** Where the IP header starts: after the Ethernet header and any VLAN tags in the frame. */
    private static int linkLength(PacketView view) {
        int at = 12;
        while (at + 2 <= view.length()) {
            int type = view.unsignedShortAt(at);
            if (type != 0x8100 && type != 0x88A8) {
                return at + 2;
            }
            at += 4;
        }
        return -1;
    }
}
