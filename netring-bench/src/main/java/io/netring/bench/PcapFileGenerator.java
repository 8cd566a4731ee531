package io.netring.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;

/**
 * Writes the input of the file benchmark: a classic microsecond pcap as tcpdump writes it
 * (host order, Ethernet, snaplen 262144) of {@code count} UDP/IPv4 frames of 60 to 250 bytes,
 * stamped one to a few microseconds apart. Deterministic for a given count.
 *
 * <pre>java ... io.netring.bench.PcapFileGenerator big.pcap 1500000</pre>
 */
public final class PcapFileGenerator {
    private PcapFileGenerator() {}

    public static void main(String[] args) throws IOException {
        Usage.require(args, 2, "PcapFileGenerator FILE COUNT");
        Path file = Path.of(args[0]);
        long count = Long.parseLong(args[1]);
        try (ClassicPcapOut out = new ClassicPcapOut(file)) {
            long usec = 1_700_000_000L * 1_000_000L;
            long state = 0x9E3779B97F4A7C15L;
            for (long i = 0; i < count; i++) {
                state = state * 6364136223846793005L + 1442695040888963407L;
                int len = 60 + (int) ((state >>> 33) % 191);
                usec += 1 + ((state >>> 20) & 3);
                frame(out.record(usec, len), len, i);
            }
        }
    }

    /** Ethernet + IPv4 + UDP headers, then a counter as payload. */
    private static void frame(ByteBuffer b, int len, long i) {
        int start = b.position();
        ByteBuffer f = b.duplicate().order(ByteOrder.BIG_ENDIAN);
        f.put(new byte[] {2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1}).putShort((short) 0x0800);
        f.put((byte) 0x45).put((byte) 0).putShort((short) (len - 14)).putShort((short) i).putShort((short) 0)
                .put((byte) 64).put((byte) 17).putShort((short) 0).putInt(0x0A000001).putInt(0x0A000002);
        f.putShort((short) (1024 + (int) (i & 0xFF))).putShort((short) 9).putShort((short) (len - 34)).putShort((short) 0);
        while (f.position() < start + len) {
            f.put((byte) i);
        }
        b.position(start + len);
    }
}
