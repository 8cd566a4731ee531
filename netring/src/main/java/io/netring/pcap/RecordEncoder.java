package io.netring.pcap;

import io.netring.CaptureStats;

import java.io.IOException;
import java.util.List;

/**
 * How one file format lays out its header and what it writes at close (the packet records are
 * written by {@link PcapWriter}'s one record method, for both formats).
 */
interface RecordEncoder {
    void header(FileOutput out, List<PcapInterface> interfaces) throws IOException;

    /** What ends a file: pcapng's interface statistics when {@code stats} is not null. */
    void trailer(FileOutput out, List<PcapInterface> interfaces, CaptureStats stats, long epochNanos) throws IOException;
}
