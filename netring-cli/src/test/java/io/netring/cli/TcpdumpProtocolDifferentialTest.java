package io.netring.cli;

import io.netring.decode.PacketDecoder;
import io.netring.testing.ExternalTool;
import io.netring.testing.FrameCorpus;
import io.netring.testing.ProtocolCorpus;
import io.netring.testing.ProtocolCorpus.Family;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@code tcpdump -n -r} against our default line, one protocol family at a time over a reproducible
 * corpus of varied frames ({@link ProtocolCorpus}): every line of the TCP, UDP, ICMP, ICMPv6,
 * ARP and DNS corpora must be tcpdump's, frames cut by a snap length included; for the
 * protocols tcpdump only names, the line up to that name. With {@code -v}: every ICMP line, and
 * the ICMP and ICMPv6 errors (their own corpora), quoted datagrams included.
 */
@Timeout(120)
class TcpdumpProtocolDifferentialTest {
    private static final int FRAMES = 600;

    @TempDir
    Path dir;

    @Test
    void tcp() throws Exception {
        assertAllEqual(Family.TCP);
    }

    @Test
    void udp() throws Exception {
        assertAllEqual(Family.UDP);
    }

    @Test
    void icmp() throws Exception {
        assertAllEqual(Family.ICMP);
    }

    @Test
    void icmpv6() throws Exception {
        assertAllEqual(Family.ICMPV6);
    }

    /** -v: the IP header fields, and an error's quoted datagram as tcpdump prints it (its header, its endpoints). */
    @Test
    void icmpVerbose() throws Exception {
        assertAllEqual(Family.ICMP, "-v");
    }

    @Test
    void icmpErrorsVerbose() throws Exception {
        assertAllEqual(Family.ICMP_ERRORS, "-v");
    }

    /** -v on ICMPv6 errors: the checksum checked; tcpdump quotes no datagram there. */
    @Test
    void icmpv6ErrorsVerbose() throws Exception {
        assertAllEqual(Family.ICMPV6_ERRORS, "-v");
    }

    @Test
    void arp() throws Exception {
        assertAllEqual(Family.ARP);
    }

    @Test
    void dns() throws Exception {
        assertAllEqual(Family.DNS);
    }

    /** SCTP, GRE, ESP, AH, NTP, BOOTP, SNMP, syslog: the endpoints and the protocol's name. */
    @Test
    void namedProtocols() throws Exception {
        List<String> mismatches = compare(Family.OTHER, 200, (ours, theirs) -> ours.startsWith(nameAndEndpoints(theirs)));
        assertTrue(mismatches.isEmpty(), report(Family.OTHER, 200, mismatches));
    }

    private void assertAllEqual(Family family, String... flags) throws Exception {
        List<String> mismatches = compare(family, FRAMES, TcpdumpProtocolDifferentialTest::sameUpToGre, flags);
        assertTrue(mismatches.isEmpty(), report(family, FRAMES, mismatches));
    }

    private static String report(Family family, int frames, List<String> mismatches) {
        return family + ": " + (frames - mismatches.size()) + "/" + frames + " lines equal, first mismatches:\n"
                + String.join("\n", mismatches.subList(0, Math.min(20, mismatches.size())));
    }

    /**
     * Equal lines; where tcpdump decodes a GRE version 0 or 1 header (an ICMP error may quote
     * one), equal up to the GRE version: GRE is a protocol the line only names.
     */
    private static boolean sameUpToGre(String ours, String theirs) {
        int gre = Math.max(theirs.indexOf(": GREv0"), theirs.indexOf(": GREv1"));
        return gre < 0 ? ours.equals(theirs) : ours.startsWith(theirs.substring(0, gre + 7));
    }

    /** tcpdump's line up to the end of the first word after the endpoints ("IP a.123 > b.123: NTPv4"). */
    static String nameAndEndpoints(String line) {
        int colon = line.indexOf(": ", line.indexOf(" > "));
        int start = colon + 2;
        while (start < line.length() && line.charAt(start) == ' ') {
            start++;
        }
        int end = start;
        while (end < line.length() && " ,(".indexOf(line.charAt(end)) < 0) {
            end++;
        }
        return line.substring(0, end);
    }

    /** Our lines against tcpdump's for {@code count} frames of {@code family}; {@code flags}: "-v" or none. */
    private List<String> compare(Family family, int count, java.util.function.BiPredicate<String, String> same,
                                 String... flags) throws Exception {
        List<FrameCorpus.Frame> frames = ProtocolCorpus.generate(family, 2024L, count);
        Path pcap = dir.resolve(family + ".pcap");
        FrameCorpus.writePcap(pcap, frames);
        List<String> cmd = TcpdumpDifferentialTest.inUtc(ExternalTool.TCPDUMP.command("-n"));
        cmd.addAll(List.of(flags));
        cmd.addAll(List.of("-r", pcap.toString()));
        List<String> theirs = TcpdumpDifferentialTest.records(TsharkDifferentialTest.run(cmd));
        assertEquals(frames.size(), theirs.size(), "one tcpdump record per frame");
        TcpdumpLine printer = new TcpdumpLine(false, flags.length, 0);
        PacketDecoder d = new PacketDecoder();
        List<String> mismatches = new ArrayList<>();
        for (int i = 0; i < frames.size(); i++) {
            FrameCorpus.Frame f = frames.get(i);
            d.decode(MemorySegment.ofArray(f.data()), 0, f.data().length, f.wireLength());
            StringBuilder sb = new StringBuilder();
            printer.append(sb, d);
            if (!same.test(sb.toString(), theirs.get(i))) {
                mismatches.add("frame " + (i + 1) + " (" + f.kind() + ")\n  ours:    " + sb + "\n  tcpdump: " + theirs.get(i));
            }
        }
        // Every mismatch, for reading when the assertion's first twenty are not enough.
        java.nio.file.Files.createDirectories(Path.of("target"));
        java.nio.file.Files.write(Path.of("target", "tcpdump-" + family + String.join("", flags) + "-mismatches.txt"), mismatches);
        System.out.printf("%s: %d/%d lines equal (%.1f %%)%n", family, count - mismatches.size(), count,
                100.0 * (count - mismatches.size()) / count);
        return mismatches;
    }
}
