package io.netring.pcap;

import io.netring.CaptureStats;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.util.List;

/** How one file format lays out its header, its packet records and what it writes at close. */
interface RecordEncoder {
    void header(FileOutput out, List<PcapInterface> interfaces) throws IOException;

    /**
     * One packet: {@code caplen} bytes (already cut to the interface's snaplen) of {@code src}
     * at {@code offset}.
     * @param epbFlags the pcapng direction/reception flags, 0 when unknown
     */
    void packet(FileOutput out, MemorySegment src, long offset, int caplen, int wireLen, long seconds, int nanos,
                int interfaceId, int epbFlags) throws IOException;

    /** What ends a file: pcapng's interface statistics when {@code stats} is not null. */
    void trailer(FileOutput out, List<PcapInterface> interfaces, CaptureStats stats, long epochNanos) throws IOException;
}
