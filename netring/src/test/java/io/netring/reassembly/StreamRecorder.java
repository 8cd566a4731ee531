package io.netring.reassembly;

import java.io.ByteArrayOutputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A handler that keeps what it is told: each direction's bytes (a gap as that many '~'), the
 * events in order, and checks that every call continues its direction where the last one ended.
 */
final class StreamRecorder implements StreamHandler {
    final List<String> events = new ArrayList<>();
    final Map<String, ByteArrayOutputStream> bytes = new HashMap<>();
    final Map<String, Long> ends = new HashMap<>();

    @Override
    public void opened(TcpStream stream) {
        events.add("open " + stream.id() + " " + stream.clientPort() + ">" + stream.serverPort());
    }

    @Override
    public void data(TcpStream stream, StreamSide side, long streamOffset, MemorySegment data, long frameNumber) {
        follow(stream, side, streamOffset, data.byteSize());
        bytes.computeIfAbsent(key(stream, side), k -> new ByteArrayOutputStream())
                .writeBytes(data.toArray(ValueLayout.JAVA_BYTE));
        events.add("data " + stream.id() + " " + side + " @" + streamOffset + " +" + data.byteSize() + " #" + frameNumber);
    }

    @Override
    public void gap(TcpStream stream, StreamSide side, long streamOffset, long length, long frameNumber) {
        follow(stream, side, streamOffset, length);
        bytes.computeIfAbsent(key(stream, side), k -> new ByteArrayOutputStream()).writeBytes("~".repeat((int) length).getBytes());
        events.add("gap " + stream.id() + " " + side + " @" + streamOffset + " +" + length);
    }

    @Override
    public void closed(TcpStream stream, StreamEnd reason) {
        events.add("closed " + stream.id() + " " + reason);
    }

    private void follow(TcpStream stream, StreamSide side, long offset, long length) {
        String k = key(stream, side);
        assertEquals(ends.getOrDefault(k, 0L), offset, "offset of " + k);
        ends.put(k, offset + length);
    }

    /** The text a direction received, gaps as '~'. */
    String text(long id, StreamSide side) {
        ByteArrayOutputStream b = bytes.get(id + " " + side);
        return b == null ? "" : b.toString(StandardCharsets.ISO_8859_1);
    }

    long events(String prefix) {
        return events.stream().filter(e -> e.startsWith(prefix)).count();
    }

    private static String key(TcpStream s, StreamSide side) {
        return s.id() + " " + side;
    }
}
