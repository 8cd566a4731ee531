package io.netring.app;

import io.netring.reassembly.StreamSide;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Random, mutated and truncated input in random chunks, with gaps: no exception, and what a
 * stream holds stays under its bounds. Fixed random start, so a failure repeats.
 */
class ParserFuzzTest {
    private static final int BOUND = 4096;
    private static final int ROUNDS = 3000;

    private static byte[][] samples() {
        byte[] dns = DnsParserTest.response(7);
        byte[] dnsTcp = new byte[dns.length + 2];
        dnsTcp[1] = (byte) dns.length;
        System.arraycopy(dns, 0, dnsTcp, 2, dns.length);
        return new byte[][] {
            HttpParserTest.REQUESTS.getBytes(StandardCharsets.ISO_8859_1),
            HttpParserTest.RESPONSES.getBytes(StandardCharsets.ISO_8859_1),
            TlsParserTest.records(TlsParserTest.clientHello(TlsParserTest.CIPHERS, TlsParserTest.EXTENSIONS,
                    TlsParserTest.SIGNATURES), 30),
            TlsParserTest.records(TlsParserTest.serverHello(), 1000),
            dnsTcp,
        };
    }

    @Test
    void garbageMutationsAndTruncationsNeverThrowAndStayBounded() {
        Random random = new Random(20_23);
        byte[][] samples = samples();
        ApplicationAnalyzer a = ApplicationAnalyzer.builder().maxHttpHeaderBytes(BOUND).maxTlsHandshakeBytes(BOUND).build();
        for (int round = 0; round < ROUNDS; round++) {
            byte[] input = input(random, samples);
            Conversation c = new Conversation(a, null);
            StreamSide side = random.nextBoolean() ? StreamSide.CLIENT : StreamSide.SERVER;
            int pos = 0;
            long frame = 1;
            while (pos < input.length) {
                int n = Math.min(input.length - pos, 1 + random.nextInt(200));
                if (random.nextInt(50) == 0) {
                    c.gap(side, 1 + random.nextInt(100), frame++);
                }
                c.data(side, MemorySegment.ofArray(input).asSlice(pos, n), frame++);
                pos += n;
                // two directions, each under its largest bound (DNS: one 65 535-byte message)
                assertTrue(c.heldBytes() <= 2 * (65_535 + Service.DETECTION_BYTES), "held " + c.heldBytes());
            }
            c.closed();
            DnsMessageReader reader = new DnsMessageReader();
            reader.read(MemorySegment.ofArray(input), 0, input.length);
            reader.wellFormed(MemorySegment.ofArray(input), 0, input.length);
        }
        assertTrue(a.counters().httpRequests() > 0 && a.counters().tlsClientHellos() > 0 && a.counters().dnsMessages() > 0,
                a.counters().toString());
        assertTrue(a.counters().httpMalformed() + a.counters().tlsMalformed() + a.counters().dnsMalformed() > 0);
    }

    /** A sample as is, mutated, truncated, or pure noise behind a valid opening. */
    private static byte[] input(Random random, byte[][] samples) {
        byte[] s = samples[random.nextInt(samples.length)].clone();
        switch (random.nextInt(4)) {
            case 0 -> { }
            case 1 -> {
                for (int i = random.nextInt(8); i >= 0; i--) {
                    s[random.nextInt(s.length)] = (byte) random.nextInt(256);
                }
            }
            case 2 -> s = java.util.Arrays.copyOf(s, random.nextInt(s.length + 1));
            default -> {
                byte[] noise = new byte[random.nextInt(20_000)];
                random.nextBytes(noise);
                System.arraycopy(s, 0, noise, 0, Math.min(6, Math.min(s.length, noise.length)));
                s = noise;
            }
        }
        return s;
    }
}
