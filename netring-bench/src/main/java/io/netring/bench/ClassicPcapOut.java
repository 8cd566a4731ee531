package io.netring.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A classic microsecond pcap written as tcpdump writes it (host order, Ethernet, snaplen 262144),
 * through one 4 MiB buffer: the output of the bench's file generators.
 */
final class ClassicPcapOut implements AutoCloseable {
    private static final int BUFFER = 1 << 22;
    private final FileChannel channel;
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER).order(ByteOrder.nativeOrder());

    ClassicPcapOut(Path file) throws IOException {
        channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
        buffer.putInt(0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(262_144).putInt(1);
    }

    /**
     * Room for a record of {@code length} bytes: the record header is written, the frame goes at the
     * returned buffer's position (big-endian writes through a duplicate are the caller's).
     */
    ByteBuffer record(long usec, int length) throws IOException {
        if (buffer.remaining() < 16 + length) {
            drain();
        }
        return buffer.putInt((int) (usec / 1_000_000)).putInt((int) (usec % 1_000_000)).putInt(length).putInt(length);
    }

    /** A whole frame as a record. */
    void write(long usec, byte[] frame) throws IOException {
        record(usec, frame.length).put(frame);
    }

    private void drain() throws IOException {
        buffer.flip();
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
        buffer.clear();
    }

    @Override
    public void close() throws IOException {
        drain();
        channel.close();
    }
}
