package io.netring.app;

import io.netring.reassembly.StreamSide;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.lang.foreign.MemorySegment;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class DnsParserTest {
    /** A response for www.example.test: a CNAME (compressed), two A, one AAAA, an A in the additional section. */
    static byte[] response(int id) {
        ByteArrayOutputStream m = new ByteArrayOutputStream();
        int[] header = {id, 0x8180, 1, 4, 0, 1};
        for (int v : header) {
            TlsParserTest.u16(m, v);
        }
        m.writeBytes(new byte[] {3, 'w', 'w', 'w', 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 4, 't', 'e', 's', 't', 0});
        TlsParserTest.u16(m, 1);
        TlsParserTest.u16(m, 1);
        // www.example.test CNAME web.example.test (web + pointer to "example.test" at offset 16)
        rr(m, new byte[] {(byte) 0xC0, 12}, 5, new byte[] {3, 'w', 'e', 'b', (byte) 0xC0, 16});
        rr(m, new byte[] {(byte) 0xC0, 46}, 1, new byte[] {10, 0, 0, 1});
        rr(m, new byte[] {(byte) 0xC0, 46}, 1, new byte[] {10, 0, 0, 2});
        byte[] v6 = new byte[16];
        v6[0] = 0x20;
        v6[1] = 0x01;
        v6[2] = 0x0d;
        v6[3] = (byte) 0xb8;
        v6[15] = 1;
        rr(m, new byte[] {(byte) 0xC0, 46}, 28, v6);
        rr(m, new byte[] {0}, 1, new byte[] {(byte) 192, (byte) 168, 0, 9});
        return m.toByteArray();
    }

    private static void rr(ByteArrayOutputStream m, byte[] name, int type, byte[] data) {
        m.writeBytes(name);
        TlsParserTest.u16(m, type);
        TlsParserTest.u16(m, 1);
        m.writeBytes(new byte[] {0, 0, 0, 60});
        TlsParserTest.u16(m, data.length);
        m.writeBytes(data);
    }

    static final DnsMessage EXPECTED = new DnsMessage(0x1234, true, List.of("www.example.test"),
            List.of("10.0.0.1", "10.0.0.2", "192.168.0.9"), List.of("2001:db8::1"), List.of("web.example.test"));

    @Test
    void readsNamesAddressesAndAliasesOfEverySection() {
        byte[] msg = response(0x1234);
        DnsMessageReader reader = new DnsMessageReader();
        assertEquals(EXPECTED, reader.read(MemorySegment.ofArray(msg), 0, msg.length));
        assertTrue(reader.wellFormed(MemorySegment.ofArray(msg), 0, msg.length));
        assertFalse(reader.wellFormed(MemorySegment.ofArray(msg), 0, msg.length - 1));
    }

    @Test
    void aPointerLoopOrACutNameIsNotFollowedForever() {
        byte[] loop = {0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, (byte) 0xC0, 12, 0, 1, 0, 1};
        DnsMessageReader reader = new DnsMessageReader();
        assertNull(reader.read(MemorySegment.ofArray(loop), 0, loop.length));
        byte[] root = {0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1};
        assertEquals(List.of("<Root>"), reader.read(MemorySegment.ofArray(root), 0, root.length).queryNames());
    }

    @Test
    void tcpMessagesSplitAtEveryByteAreReportedOnTheirLastByte() {
        byte[] one = response(1);
        byte[] two = response(2);
        byte[] stream = new byte[4 + one.length + two.length];
        stream[1] = (byte) one.length;
        System.arraycopy(one, 0, stream, 2, one.length);
        stream[2 + one.length + 1] = (byte) two.length;
        System.arraycopy(two, 0, stream, 4 + one.length, two.length);
        int firstEnd = 2 + one.length;
        for (int k = 0; k <= stream.length; k++) {
            Recorder r = new Recorder();
            Conversation c = new Conversation(Recorder.analyzer(r), null);
            Recorder.split(c, StreamSide.SERVER, stream, k, 0);
            assertEquals(2, r.values.size(), "split at " + k);
            assertEquals(EXPECTED.a(), ((DnsMessage) r.values.get(1)).a());
            assertEquals(List.of(firstEnd <= k ? 1L : 2L, stream.length <= k ? 1L : 2L), r.frames, "split at " + k);
        }
        Recorder r = new Recorder();
        Recorder.byteByByte(new Conversation(Recorder.analyzer(r), null), StreamSide.CLIENT, stream);
        assertEquals(List.of((long) firstEnd, (long) stream.length), r.frames);
    }
}
