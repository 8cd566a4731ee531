package io.netring.pcap;

import io.netring.CaptureStats;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static io.netring.pcap.PcapngParser.pad4;

/**
 * pcapng in host byte order: SHB with {@code shb_userappl}, one IDB per interface
 * ({@code if_name}, {@code if_tsresol}=9), the EPB per packet is written by {@link PcapWriter} itself, an ISB per interface at close. Layouts in {@link PcapngBlocks}.
 */
final class PcapngEncoder implements RecordEncoder {
    /** EPB: 28 fixed bytes, then data, then options, then the trailing length. */
    static final int EPB_FLAGS_OPTION = 8;
    static final int END_OF_OPTIONS = 4;

    private final byte[] application;

    PcapngEncoder(String application) {
        this.application = application == null ? null : application.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void header(FileOutput out, List<PcapInterface> interfaces) throws IOException {
        int optLen = application == null ? 0 : 4 + (int) pad4(application.length) + END_OF_OPTIONS;
        int len = PcapngBlocks.SHB_MIN + optLen;
        out.reserve(len);
        long at = out.position();
        out.putInt(at, PcapngBlocks.SHB);
        out.putInt(at + 4, len);
        out.putInt(at + 8, PcapngBlocks.BYTE_ORDER_MAGIC);
        out.putShort(at + 12, (short) 1);
        out.putShort(at + 14, (short) 0);
        out.putLong(at + 16, -1L);                   // section length not given: we stream
        long o = at + 24;
        if (application != null) {
            o = stringOption(out, o, PcapngBlocks.SHB_USERAPPL, application);
            out.putInt(o, 0);
            o += END_OF_OPTIONS;
        }
        out.putInt(o, len);
        out.skip(len);
        for (PcapInterface i : interfaces) {
            interfaceDescription(out, i);
        }
    }

    private static void interfaceDescription(FileOutput out, PcapInterface i) throws IOException {
        byte[] name = i.name() == null ? null : i.name().getBytes(StandardCharsets.UTF_8);
        int optLen = (name == null ? 0 : 4 + (int) pad4(name.length)) + 8 + END_OF_OPTIONS;
        int len = PcapngBlocks.IDB_MIN + optLen;
        out.reserve(len);
        long at = out.position();
        out.putInt(at, PcapngBlocks.IDB);
        out.putInt(at + 4, len);
        out.putShort(at + 8, (short) i.linkType());
        out.putShort(at + 10, (short) 0);
        out.putInt(at + 12, i.snaplen());
        long o = at + 16;
        if (name != null) {
            o = stringOption(out, o, PcapngBlocks.IF_NAME, name);
        }
        out.putShort(o, (short) PcapngBlocks.IF_TSRESOL);
        out.putShort(o + 2, (short) 1);
        out.putInt(o + 4, 9);                        // 10^-9: nanoseconds (little-endian first byte; zero pad)
        if (java.nio.ByteOrder.nativeOrder() == java.nio.ByteOrder.BIG_ENDIAN) {
            out.putInt(o + 4, 9 << 24);
        }
        o += 8;
        out.putInt(o, 0);
        o += END_OF_OPTIONS;
        out.putInt(o, len);
        out.skip(len);
    }

    private static long stringOption(FileOutput out, long o, int code, byte[] value) {
        out.putShort(o, (short) code);
        out.putShort(o + 2, (short) value.length);
        out.putInt(o + 4 + pad4(value.length) - 4, 0);   // zero the padding before the bytes land
        out.copy(value, 0, o + 4, value.length);
        return o + 4 + pad4(value.length);
    }

    @Override
    public void trailer(FileOutput out, List<PcapInterface> interfaces, CaptureStats stats, long epochNanos)
            throws IOException {
        if (stats == null) {
            return;
        }
        // The counters describe the capture's socket: they go to the first interface.
        int len = PcapngBlocks.ISB_MIN - 4 + 12 + 12 + END_OF_OPTIONS + 4;
        out.reserve(len);
        long at = out.position();
        out.putInt(at, PcapngBlocks.ISB);
        out.putInt(at + 4, len);
        out.putInt(at + 8, 0);
        out.putInt(at + 12, (int) (epochNanos >>> 32));
        out.putInt(at + 16, (int) epochNanos);
        long o = at + 20;
        out.putShort(o, (short) PcapngBlocks.ISB_IFRECV);
        out.putShort(o + 2, (short) 8);
        out.putLong(o + 4, stats.packets());
        o += 12;
        out.putShort(o, (short) PcapngBlocks.ISB_IFDROP);
        out.putShort(o + 2, (short) 8);
        out.putLong(o + 4, stats.drops());
        o += 12;
        out.putInt(o, 0);
        o += END_OF_OPTIONS;
        out.putInt(o, len);
        out.skip(len);
    }
}
