package io.netring.bench;

import io.netring.app.ApplicationAnalyzer;
import io.netring.app.ApplicationListener;
import io.netring.app.DnsMessage;
import io.netring.app.HttpRequest;
import io.netring.app.TlsClientHello;
import io.netring.decode.Layer;
import io.netring.decode.PacketDecoder;
import io.netring.flow.FlowExtractor;
import io.netring.flow.FlowTable;
import io.netring.reassembly.IpDefragmenter;
import io.netring.reassembly.TcpReassembler;
import io.netring.reassembly.TcpStream;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * A flows run with application metadata, frame by frame: IP defragmentation in front of a
 * {@link FlowTable}, TCP reassembly into an {@link ApplicationAnalyzer} and UDP datagrams into it
 * too, the messages counted (and their names hashed, so none is computed for nothing). The work
 * {@code netring flows} does with services and server names, without the printing.
 */
final class AppPipeline implements ApplicationListener {
    private static final int ETHERNET = 14;
    private final PacketDecoder decoder = new PacketDecoder();
    private final FlowExtractor extractor = new FlowExtractor();
    private final FlowTable flows;
    private final IpDefragmenter defrag = IpDefragmenter.create();
    private final ApplicationAnalyzer app = ApplicationAnalyzer.builder().listener(this).build();
    private final TcpReassembler tcp = TcpReassembler.builder().handler(app).build();
    private final MemorySegment scratch = Arena.ofAuto().allocate(ETHERNET + IpDefragmenter.DEFAULT_MAX_DATAGRAM_BYTES);
    private long frames;
    private long records;
    long httpRequests, tlsHellos, dnsMessages, nameHash;

    AppPipeline() {
        flows = FlowTable.builder().maxFlows(1 << 20).onRecord(r -> records++).build();
    }

    /** One Ethernet frame, {@code length} bytes captured of {@code wireLength}, at {@code offset}. */
    void frame(MemorySegment segment, long offset, int length, int wireLength, long timeNanos) {
        long frame = ++frames;
        switch (defrag.offerFrame(segment, offset, length, frame, timeNanos)) {
            case NOT_FRAGMENT -> {
                if (extractor.extract(segment, offset, length, wireLength, timeNanos, 0)) {
                    flows.add(extractor.fields());
                }
                transport(decoder.decode(segment, offset, length), frame, timeNanos);
            }
            case COMPLETED -> {
                // the frame's Ethernet header before the datagram, so the flow sees a whole frame
                int n = defrag.datagramLength();
                MemorySegment.copy(segment, offset, scratch, 0, ETHERNET);
                MemorySegment.copy(defrag.datagram(), 0, scratch, ETHERNET, n);
                if (extractor.extract(scratch, 0, ETHERNET + n, wireLength, timeNanos, 0)) {
                    flows.add(extractor.fields());
                }
                transport(decoder.decodeIp(defrag.datagram(), 0, n), frame, timeNanos);
            }
            case HELD, DROPPED -> { }
        }
        if ((frame & 4095) == 0) {
            flows.expire(timeNanos);
        }
    }

    private void transport(PacketDecoder d, long frame, long timeNanos) {
        if (d.has(Layer.TCP)) {
            tcp.offer(d, frame, timeNanos);
        } else if (d.has(Layer.UDP)) {
            app.udp(d, frame);
        }
    }

    /** End of input: every stream and flow ends. */
    void finish() {
        tcp.finish();
        flows.flush();
    }

    long records() {
        return records;
    }

    TcpReassembler tcp() {
        return tcp;
    }

    @Override
    public void httpRequest(TcpStream stream, long frameNumber, HttpRequest request) {
        httpRequests++;
        nameHash += request.host().hashCode();
    }

    @Override
    public void tlsClientHello(TcpStream stream, long frameNumber, TlsClientHello hello) {
        tlsHellos++;
        nameHash += hello.serverName().hashCode();
    }

    @Override
    public void dns(TcpStream stream, long frameNumber, DnsMessage message) {
        dnsMessages++;
        nameHash += message.queryNames().hashCode();
    }
}
