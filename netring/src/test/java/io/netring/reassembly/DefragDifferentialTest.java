package io.netring.reassembly;

import io.netring.decode.Layer;
import io.netring.decode.PacketDecoder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Per frame, what tshark -2 says of reassembly (ip.reassembled_in, ipv6.reassembled.in: which frame completed a fragment's datagram, the
 * reassembled length, the UDP length or ICMP sequence and the payload bytes on the completing
 * frame) equals what {@link IpDefragmenter} says, over reproducible fragment scenarios.
 */
class DefragDifferentialTest {
    private static final String[] FIELDS = {"ip.reassembled_in", "ipv6.reassembled.in", "ip.reassembled.length",
            "ipv6.reassembled.length", "udp.length", "icmp.seq", "icmpv6.echo.sequence_number", "data.data"};

    @TempDir
    Path dir;

    @Test
    void equalsTsharkOnEveryFrame() throws IOException {
        Tshark.require();
        List<byte[]> frames = FragmentScenarios.generate(23, 150);
        Path file = dir.resolve("fragments.pcap");
        Tshark.writePcap(file, frames);
        List<String[]> theirs = Tshark.fields(file, List.of("-2"), FIELDS);
        assertEquals(frames.size(), theirs.size());

        String[][] ours = new String[frames.size()][];
        for (int i = 0; i < ours.length; i++) {
            ours[i] = new String[] {"", "", "", ""};
        }
        IpDefragmenter defrag = IpDefragmenter.create();
        PacketDecoder d = new PacketDecoder();
        int completed = 0;
        for (int i = 0; i < frames.size(); i++) {
            byte[] f = frames.get(i);
            if (defrag.offerFrame(MemorySegment.ofArray(f), 0, f.length, i + 1, Tshark.timeNanos(i)) != DefragResult.COMPLETED) {
                continue;
            }
            completed++;
            for (int k = 0; k < defrag.frameCount(); k++) {
                if (defrag.frameNumber(k) != i + 1) {
                    ours[(int) defrag.frameNumber(k) - 1][0] = Integer.toString(i + 1);
                }
            }
            d.decodeIp(defrag.datagram(), 0, defrag.datagramLength());
            int header = d.has(Layer.IPV4) ? d.ipv4().headerLength() : d.upperLayerOffset();
            ours[i][1] = Integer.toString(defrag.datagramLength() - header);
            if (d.has(Layer.UDP)) {
                ours[i][2] = Integer.toString(d.udp().length());
            } else if (d.has(Layer.ICMP)) {
                ours[i][2] = Integer.toString(d.icmp().sequence());
            } else if (d.has(Layer.ICMPV6)) {
                ours[i][2] = Integer.toString(d.icmpv6().sequence());
            }
            ours[i][3] = HexFormat.of().formatHex(defrag.datagram().asSlice(d.payloadOffset()).toArray(
                    java.lang.foreign.ValueLayout.JAVA_BYTE));
        }
        List<String> wrong = new ArrayList<>();
        for (int i = 0; i < frames.size(); i++) {
            String[] t = theirs.get(i);
            // A fragment's own bytes are data.data too: the payload is compared where a datagram completed.
            boolean completes = !(t[2] + t[3]).isEmpty() || !ours[i][1].isEmpty();
            String[] expected = {t[0] + t[1], t[2] + t[3], t[4] + t[5] + t[6], completes ? t[7] : ""};
            for (int c = 0; c < 4; c++) {
                if (!expected[c].equals(ours[i][c])) {
                    wrong.add("frame " + (i + 1) + " column " + c + ": tshark " + abbreviate(expected[c])
                            + ", ours " + abbreviate(ours[i][c]));
                }
            }
        }
        assertTrue(wrong.isEmpty(), wrong.size() + " differ:\n" + String.join("\n", wrong.subList(0, Math.min(30, wrong.size()))));
        assertTrue(completed >= 80, "only " + completed + " datagrams completed");
        assertTrue(defrag.counters().overlaps() > 0 && defrag.counters().overlapConflicts() > 0, defrag.counters().toString());
    }

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 20) + "…(" + s.length() + ")…" + s.substring(s.length() - 12) : s;
    }
}
