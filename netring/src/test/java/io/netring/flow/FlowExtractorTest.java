package io.netring.flow;

import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/** The extractor reads what it can and never throws, whatever the bytes. */
class FlowExtractorTest {

    @Test
    void extractsTheFieldsOfACorpusFrame() {
        var c = new CorpusFrames.End(CorpusFrames.v4(10, 0, 0, 1), 40000);
        var s = new CorpusFrames.End(CorpusFrames.v4(10, 0, 1, 2), 443);
        byte[] f = CorpusFrames.frame(CorpusFrames.TCP, c, s, 0x18, 25, 7);
        FlowExtractor ex = new FlowExtractor();
        assertTrue(ex.extract(MemorySegment.ofArray(f), 0, f.length, f.length + 4, 123, 0));
        FlowPacket p = ex.fields();
        assertEquals(4, p.ipVersion);
        assertEquals(0x0A000001L, p.srcLo);
        assertEquals(0x0A000102L, p.dstLo);
        assertEquals(6, p.protocol);
        assertEquals(40000, p.srcPort);
        assertEquals(443, p.dstPort);
        assertEquals(0x18, p.tcpFlags);
        assertEquals(25, p.payloadLength);
        assertEquals(7, p.vlanId);
        assertEquals(f.length + 4, p.length);
        assertEquals(123, p.timestampNanos);
    }

    @Test
    void truncatedAndNonIpFramesAreSkippedNotThrown() {
        FlowExtractor ex = new FlowExtractor();
        byte[] arp = new byte[60];
        arp[12] = 0x08;
        arp[13] = 0x06;
        assertFalse(ex.extract(MemorySegment.ofArray(arp), 0, 60, 60, 0, 0));
        List<FlowCorpus.Frame> corpus = FlowCorpus.build(1);
        for (FlowCorpus.Frame fr : corpus.subList(0, 40)) {
            byte[] f = fr.bytes();
            for (int len = 0; len <= f.length; len++) {
                ex.extract(MemorySegment.ofArray(f), 0, len, f.length, 0, 0);
            }
        }
    }

    @Test
    void mutatedFramesNeverThrow() {
        Random rnd = new Random(11);
        FlowExtractor ex = new FlowExtractor();
        FlowTable table = FlowTable.builder().maxFlows(64).onRecord(r -> r.toJson()).build();
        List<FlowCorpus.Frame> corpus = FlowCorpus.build(2);
        for (int i = 0; i < 50_000; i++) {
            byte[] f = corpus.get(rnd.nextInt(corpus.size())).bytes().clone();
            for (int k = rnd.nextInt(6); k >= 0; k--) {
                f[rnd.nextInt(f.length)] = (byte) rnd.nextInt(256);
            }
            int len = rnd.nextInt(f.length + 1);
            if (ex.extract(MemorySegment.ofArray(f), 0, len, f.length, i, 0)) {
                table.add(ex.fields());
            }
        }
        table.flush();
        assertEquals(0, table.size());
    }
}
