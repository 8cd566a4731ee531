package io.netring.cli;

import io.netring.OwnedPacket;
import io.netring.Timestamp;
import io.netring.pcap.PcapFormat;
import io.netring.pcap.PcapWriter;
import io.netring.testing.UdpFrames;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** {@code netring flows} over a file cut mid-record: the flows seen come out, then the error, exit 1. */
@Timeout(60)
class FlowsOnInputErrorTest {

    @Test
    void aFileCutMidRecordStillGivesEveryFlowSeen(@TempDir Path dir) throws Exception {
        Path whole = dir.resolve("whole.pcap"), cut = dir.resolve("cut.pcap");
        try (PcapWriter w = PcapWriter.open(whole, PcapFormat.PCAP)) {
            for (int i = 0; i < 3000; i++) {
                byte[] f = UdpFrames.frame(40000 + i % 30, 53, i, 60);
                w.write(new OwnedPacket(f, new Timestamp(1_767_225_600L + i / 100, i % 100 * 1000), f.length));
            }
        }
        byte[] bytes = Files.readAllBytes(whole);
        Files.write(cut, java.util.Arrays.copyOf(bytes, bytes.length - 30));    // the last record loses its end

        String[] r = run("flows", "-r", cut.toString());
        assertEquals("1", r[0], r[2]);
        List<String> records = r[1].lines().toList();
        assertEquals(30, records.size(), r[1]);
        long packets = 0;
        for (String json : records) {
            assertTrue(json.contains("\"endReason\":\"input-error\","), json);
            packets += FlowsCliTest.field(json, "packets");
        }
        assertEquals(2999, packets, "every packet before the damage counted");
        List<String> err = r[2].lines().toList();
        assertEquals("2999 packets, 30 flow records", err.getFirst(), r[2]);
        assertTrue(err.getLast().startsWith("netring: " + cut + ": offset "), r[2]);
        assertTrue(err.getLast().contains("runs past the end of the file"), r[2]);

        String[] all = run("flows", "-r", whole.toString());
        assertEquals("0", all[0], all[2]);
        assertEquals(30, all[1].lines().filter(j -> j.contains("\"endReason\":\"end\",")).count(), all[1]);
    }

    static String[] run(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = NetringCommand.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new String[] {Integer.toString(code), out.toString(), err.toString()};
    }
}
