package io.netring.pcap;

import io.netring.CaptureStats;

import java.io.IOException;
import java.util.List;

/** Classic pcap, version 2.4, nanosecond magic, host byte order (see {@link ClassicPcapParser} for the layout). */
final class ClassicPcapEncoder implements RecordEncoder {
    static final ClassicPcapEncoder INSTANCE = new ClassicPcapEncoder();

    @Override
    public void header(FileOutput out, List<PcapInterface> interfaces) throws IOException {
        PcapInterface first = interfaces.getFirst();
        out.reserve(ClassicPcapParser.FILE_HEADER_SIZE);
        long at = out.position();
        out.putInt(at, ClassicPcapParser.MAGIC_NANOS);
        out.putShort(at + 4, (short) 2);
        out.putShort(at + 6, (short) 4);
        out.putInt(at + 8, 0);                       // thiszone: timestamps are UTC
        out.putInt(at + 12, 0);                      // sigfigs
        out.putInt(at + ClassicPcapParser.SNAPLEN_OFFSET, first.snaplen());
        out.putInt(at + ClassicPcapParser.LINKTYPE_OFFSET, first.linkType());
        out.skip(ClassicPcapParser.FILE_HEADER_SIZE);
    }

    @Override
    public void trailer(FileOutput out, List<PcapInterface> interfaces, CaptureStats stats, long epochNanos) {
        // Classic pcap has nowhere to put statistics.
    }
}
