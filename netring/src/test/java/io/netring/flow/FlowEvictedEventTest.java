package io.netring.flow;

import io.netring.testing.UdpFrames;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A full flow table's evictions as {@code io.netring.FlowEvicted} events, recorded and read back. */
class FlowEvictedEventTest {
    @TempDir
    Path dir;

    @Test
    void eachEvictionIsAnEvent() throws Exception {
        Path file = dir.resolve("flows.jfr");
        FlowTable table = FlowTable.builder().maxFlows(4).onRecord(r -> { }).build();
        FlowExtractor extract = new FlowExtractor();
        try (Recording recording = new Recording()) {
            recording.enable("io.netring.FlowEvicted");
            recording.start();
            for (int flow = 0; flow < 10; flow++) {          // ten flows through four slots: six evicted
                byte[] f = UdpFrames.frame(40000 + flow, 53, 0, 64);
                assertTrue(extract.extract(MemorySegment.ofArray(f), 0, f.length, f.length, 1_000_000L * (flow + 1), -1));
                table.add(extract.fields());
            }
            recording.stop();
            recording.dump(file);
        }
        List<RecordedEvent> events = RecordingFile.readAllEvents(file).stream()
                .filter(e -> e.getEventType().getName().equals("io.netring.FlowEvicted")).toList();
        assertEquals(6, table.evictions());
        assertEquals(6, events.size());
        assertEquals(4, events.get(0).getInt("maxFlows"));
        assertEquals(17, events.get(0).getInt("protocol"));
        assertEquals(6, events.get(5).getLong("evictions"));
    }
}
