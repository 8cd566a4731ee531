package io.netring.bench;

import io.netring.filter.BpfProgram;
import io.netring.testing.FrameCorpus;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Map;

/**
 * {@code BpfProgram.matches} per packet: a compiled expression interpreted over the frames of
 * the test corpus laid out in one native segment, read in place with the zero-allocation overload.
 * {@link FilterCost} runs it beside libpcap's {@code pcap_offline_filter} on the same frames.
 */
@OperationsPerInvocation(FilterBench.COUNT)
public class FilterBench extends AverageNanosBench {
    /** Frames of the corpus per invocation. */
    public static final int COUNT = 1024;
    /** Which corpus: the same value always gives the same frames. */
    public static final long VARIANT = 14;
    /** Typical expressions, by a short name JMH can take as a parameter. */
    public static final Map<String, String> EXPRESSIONS = Map.ofEntries(
            Map.entry("tcp443", "tcp port 443"),
            Map.entry("dns_or_icmp", "udp port 53 or icmp"),
            Map.entry("syn_or_fin", "tcp[tcpflags] & (tcp-syn|tcp-fin) != 0"),
            Map.entry("vlan_udp", "vlan and udp"),
            Map.entry("ip6_not_tcp", "ip6 and not tcp and len > 100"),
            Map.entry("host", "host 10.0.0.1"),
            Map.entry("net_port", "src net 192.168.0.0/16 and dst port 80"),
            Map.entry("portrange", "tcp portrange 1000-2000"),
            Map.entry("ether_host", "ether host 00:11:22:33:44:55 or arp"),
            Map.entry("icmp6_or_udp", "icmp6 or (ip6 and udp port 53)"),
            Map.entry("web", "tcp port 80 or tcp port 443 or tcp port 8080"),
            Map.entry("not_ssh", "not (tcp port 22) and ip"));

    @Param({"tcp443", "dns_or_icmp", "syn_or_fin", "vlan_udp", "ip6_not_tcp", "host", "net_port", "portrange",
            "ether_host", "icmp6_or_udp", "web", "not_ssh"})
    public String expression;

    private Arena arena;
    private MemorySegment frames;
    private long[] offsets;
    private int[] captured;
    private int[] wire;
    private BpfProgram program;

    /** The corpus frames of every row. */
    public static List<FrameCorpus.Frame> corpus() {
        return FrameCorpus.generate(VARIANT, COUNT);
    }

    @Setup(Level.Trial)
    public void setUp() {
        program = BpfProgram.compile(EXPRESSIONS.get(expression));
        List<FrameCorpus.Frame> corpus = corpus();
        arena = Arena.ofShared();
        frames = arena.allocate(corpus.stream().mapToLong(f -> f.data().length).sum() + 1, 64);
        offsets = new long[COUNT];
        captured = new int[COUNT];
        wire = new int[COUNT];
        long at = 0;
        for (int i = 0; i < COUNT; i++) {
            byte[] d = corpus.get(i).data();
            MemorySegment.copy(MemorySegment.ofArray(d), 0, frames, at, d.length);
            offsets[i] = at;
            captured[i] = d.length;
            wire[i] = corpus.get(i).wireLength();
            at += d.length;
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        arena.close();
    }

    /** Frames kept by one pass over the corpus. */
    @Benchmark
    public int matches() {
        int kept = 0;
        for (int i = 0; i < COUNT; i++) {
            if (program.matches(frames, offsets[i], captured[i], wire[i])) {
                kept++;
            }
        }
        return kept;
    }
}
