package io.netring.cli;

import io.netring.OwnedPacket;
import io.netring.Timestamp;
import io.netring.pcap.PcapFormat;
import io.netring.pcap.PcapWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.*;

/** Summaries and messages as people write them: singular counts, durations as typed. */
class SummaryWordingTest {

    @Test
    void oneIsSingular(@TempDir Path dir) throws Exception {
        Path one = dir.resolve("one.pcap");
        try (PcapWriter w = PcapWriter.open(one, PcapFormat.PCAP)) {
            byte[] f = KafkaCliTest.udp(false, 41000, 10);
            w.write(new OwnedPacket(f, new Timestamp(1_767_225_600L, 0), f.length));
        }
        String[] r = FlowsOnInputErrorTest.run("flows", "-r", one.toString());
        assertEquals("0", r[0], r[2]);
        assertEquals("1 packet, 1 flow record", r[2].strip());
        assertEquals("3 packets", Plural.count(3, "packet"));
        assertEquals("0 flow records", Plural.count(0, "flow record"));
    }

    @Test
    void durationsAreShownAsTyped() {
        String[] r = FlowsOnInputErrorTest.run("stats", "-i", "lo", "--interval", "0");
        assertEquals("2", r[0], r[2]);
        assertTrue(r[2].startsWith("netring: --interval must be positive, was 0s\n"), r[2]);
        r = FlowsOnInputErrorTest.run("capture", "-i", "lo", "--timeout", "0ms");
        assertEquals("2", r[0], r[2]);
        assertTrue(r[2].startsWith("netring: --timeout must be positive, was 0s\n"), r[2]);
        assertEquals("500ms", Durations.format(Durations.parse("500ms")));
        assertEquals("90s", Durations.format(Durations.parse("90s")));
        assertEquals("2m", Durations.format(Durations.parse("120")));
        assertEquals("1500us", Durations.format(Durations.parse("1500us")));
        assertEquals("1h", Durations.format(Duration.ofHours(1)));
        assertEquals("7ns", Durations.format(Duration.ofNanos(7)));
    }
}
