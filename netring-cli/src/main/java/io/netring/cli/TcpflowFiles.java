package io.netring.cli;

import io.netring.reassembly.StreamEnd;
import io.netring.reassembly.StreamHandler;
import io.netring.reassembly.StreamSide;
import io.netring.reassembly.TcpStream;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;

/**
 * Writes each direction of each stream to a file of its own, named and filled as tcpflow 1.6.1
 * does: {@code 010.000.000.001.54321-010.000.000.002.00080} (IPv6 addresses as text), then
 * {@code --VLAN} for a tagged stream and {@code cN} for the N-th later file of the same name. A
 * byte goes to its stream offset, so a hole reads as zeros and a missing tail is not written;
 * a direction that sent no data gets no file.
 */
final class TcpflowFiles implements StreamHandler {
    private final Path directory;
    /** Files made so far per name: the next one of a name gets {@code c} and this count. */
    private final Map<String, Integer> made = new HashMap<>();
    private long files;
    private long bytes;

    TcpflowFiles(Path directory) {
        this.directory = directory;
    }

    @Override
    public void opened(TcpStream stream) {
        stream.attach(new FileChannel[2]);
    }

    @Override
    public void data(TcpStream stream, StreamSide side, long streamOffset, MemorySegment data, long frameNumber) {
        FileChannel[] channels = (FileChannel[]) stream.attachment();
        try {
            FileChannel ch = channels[side.ordinal()];
            if (ch == null) {
                ch = channels[side.ordinal()] = open(stream, side);
            }
            ByteBuffer b = data.asByteBuffer();
            long at = streamOffset;
            while (b.hasRemaining()) {
                at += ch.write(b, at);
            }
            bytes += data.byteSize();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void closed(TcpStream stream, StreamEnd reason) {
        FileChannel[] channels = (FileChannel[]) stream.attachment();
        try {
            for (FileChannel ch : channels) {
                if (ch != null) {
                    ch.close();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private FileChannel open(TcpStream stream, StreamSide side) throws IOException {
        String name = name(stream, side);
        int earlier = made.merge(name, 1, Integer::sum) - 1;
        files++;
        return FileChannel.open(directory.resolve(earlier == 0 ? name : name + "c" + earlier),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
    }

    /** tcpflow's default name: sender address and port, receiver address and port, the VLAN. */
    static String name(TcpStream stream, StreamSide side) {
        StreamSide to = side.opposite();
        String name = endpoint(stream, side) + "-" + endpoint(stream, to);
        return stream.vlanId() != 0 ? name + "--" + stream.vlanId() : name;
    }

    private static String endpoint(TcpStream stream, StreamSide side) {
        String address;
        if (stream.ipVersion() == 4) {
            byte[] a = stream.address(side);
            address = String.format("%03d.%03d.%03d.%03d", a[0] & 0xFF, a[1] & 0xFF, a[2] & 0xFF, a[3] & 0xFF);
        } else {
            address = side == StreamSide.CLIENT ? stream.clientAddressText() : stream.serverAddressText();
        }
        return address + "." + String.format("%05d", stream.port(side));
    }

    /** Files written so far. */
    long files() { return files; }

    /** Bytes written so far. */
    long bytes() { return bytes; }
}
