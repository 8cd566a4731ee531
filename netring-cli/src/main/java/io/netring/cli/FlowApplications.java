package io.netring.cli;

import io.netring.app.ApplicationAnalyzer;
import io.netring.app.ApplicationListener;
import io.netring.app.HttpRequest;
import io.netring.app.Service;
import io.netring.app.TlsClientHello;
import io.netring.decode.Layer;
import io.netring.decode.PacketDecoder;
import io.netring.flow.FlowRecord;
import io.netring.reassembly.StreamEnd;
import io.netring.reassembly.TcpReassembler;
import io.netring.reassembly.TcpStream;

import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The application side of {@code netring flows}: every packet the flow table counts also goes
 * through a {@link TcpReassembler} and an {@link ApplicationAnalyzer} (UDP to the analyzer, DNS
 * by content on any port); what they learn about a connection — its service, the TLS server name
 * or else the HTTP Host — waits here, by 5-tuple, until the flow's record comes out and takes it.
 *
 * <p>The reassembler follows the flow table's idle timeout and size, and sees each packet before
 * the table does, so a stream has ended (and told its service) by the time its flow's record is
 * made; what waits is bounded by the table's size.
 */
final class FlowApplications implements ApplicationListener {
    private static final HexFormat HEX = HexFormat.of();

    /** What one connection told. */
    private static final class Info {
        Service service;
        String serverName;
        boolean fromSni;
    }

    private final ApplicationAnalyzer analyzer = ApplicationAnalyzer.builder().listener(this).build();
    private final TcpReassembler tcp;
    private final PacketDecoder decoder = new PacketDecoder();
    private final Map<String, Info> waiting;

    FlowApplications(Duration idleTimeout, int maxFlows) {
        this.tcp = TcpReassembler.builder().idleTimeout(idleTimeout).maxStreams(maxFlows).handler(analyzer).build();
        this.waiting = new LinkedHashMap<>(64, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Info> eldest) {
                return size() > maxFlows;         // a flow whose record never asked (split by a timeout)
            }
        };
    }

    /** Feeds the frame (or the datagram it completes, with its link header) the flow table counts next. */
    void offer(MemorySegment frame, long offset, int length, int wireLength, long frameNumber, long timeNanos) {
        decoder.decode(frame, offset, length, wireLength);
        tcp.offer(decoder, frameNumber, timeNanos);
        if (decoder.has(Layer.UDP) && analyzer.udp(decoder, frameNumber)) {
            Info i = info(udpKey(decoder));
            if (i.service == null) {
                i.service = Service.DNS;
            }
        }
    }

    /** Ends, as the flow table does, the streams idle at {@code nowNanos}. */
    void expire(long nowNanos) {
        tcp.expire(nowNanos);
    }

    /** The end of the input: every stream ends and tells its service. */
    void finish() {
        tcp.finish();
    }

    /** {@code r} with what its connection told, which no longer waits. */
    FlowRecord complete(FlowRecord r) {
        Info i = waiting.remove(key(r.protocol(), r.srcBytes(), r.srcPort(), r.dstBytes(), r.dstPort(), r.vlanId()));
        return i == null ? r : r.withApplication(i.service, i.serverName);
    }

    @Override
    public void streamEnded(TcpStream stream, StreamEnd reason, Service service) {
        if (service != null && service != Service.UNKNOWN) {
            info(6, stream).service = service;
        }
    }

    @Override
    public void httpRequest(TcpStream stream, long frameNumber, HttpRequest r) {
        Info i = info(6, stream);
        if (i.serverName == null && r.host() != null) {
            i.serverName = r.host();
        }
    }

    @Override
    public void tlsClientHello(TcpStream stream, long frameNumber, TlsClientHello h) {
        Info i = info(6, stream);
        if (!i.fromSni && h.serverName() != null) {
            i.serverName = h.serverName();
            i.fromSni = true;
        }
    }

    private Info info(int protocol, TcpStream s) {
        return info(key(protocol, s.clientAddress(), s.clientPort(), s.serverAddress(), s.serverPort(), s.vlanId()));
    }

    private Info info(String key) {
        return waiting.computeIfAbsent(key, k -> new Info());
    }

    private static String udpKey(PacketDecoder d) {
        byte[] src, dst;
        if (d.has(Layer.IPV4)) {
            src = v4(d.ipv4().source());
            dst = v4(d.ipv4().destination());
        } else {
            src = v6(d.ipv6().sourceHigh(), d.ipv6().sourceLow());
            dst = v6(d.ipv6().destinationHigh(), d.ipv6().destinationLow());
        }
        int tags = d.has(Layer.VLAN) ? d.vlan().count() : 0;
        return key(17, src, d.udp().sourcePort(), dst, d.udp().destinationPort(), tags == 0 ? 0 : d.vlan().id(tags - 1));
    }

    /** Both directions give the same key: the endpoints in a fixed order. */
    private static String key(int protocol, byte[] a, int aPort, byte[] b, int bPort, int vlan) {
        int c = Arrays.compareUnsigned(a, b);
        boolean swap = c > 0 || (c == 0 && aPort > bPort);
        String first = HEX.formatHex(swap ? b : a) + ":" + (swap ? bPort : aPort);
        String second = HEX.formatHex(swap ? a : b) + ":" + (swap ? aPort : bPort);
        return protocol + " " + first + " " + second + " " + vlan;
    }

    private static byte[] v4(int address) {
        return new byte[] {(byte) (address >>> 24), (byte) (address >>> 16), (byte) (address >>> 8), (byte) address};
    }

    private static byte[] v6(long hi, long lo) {
        byte[] b = new byte[16];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (hi >>> (56 - 8 * i));
            b[8 + i] = (byte) (lo >>> (56 - 8 * i));
        }
        return b;
    }
}
