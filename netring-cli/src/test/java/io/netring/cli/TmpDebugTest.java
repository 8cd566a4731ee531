package io.netring.cli;
import io.netring.app.*;
import io.netring.decode.PacketDecoder;
import io.netring.pcap.PcapReader;
import io.netring.reassembly.*;
import org.junit.jupiter.api.Test;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
class TmpDebugTest {
    @Test void debug() throws Exception {
        ApplicationAnalyzer a = ApplicationAnalyzer.builder().listener(new ApplicationListener() {
            public void httpRequest(TcpStream s, long f, HttpRequest r) { System.out.println("REQ " + f + " " + r); }
            public void httpResponse(TcpStream s, long f, HttpResponse r) { System.out.println("RESP " + f + " " + r); }
        }).build();
        StreamHandler h = new StreamHandler() {
            public void data(TcpStream s, StreamSide side, long off, MemorySegment d, long f) {
                if (s.serverPort() == 8081) System.out.println(side + " DATA " + f + " off " + off + " len " + d.byteSize() + " " + new String(d.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE), 0, (int) Math.min(20, d.byteSize())).replace("\r\n", "|"));
                a.data(s, side, off, d, f);
            }
            public void opened(TcpStream s) { a.opened(s); }
            public void gap(TcpStream s, StreamSide side, long off, long len, long f) { System.out.println("GAP " + f + " " + side + " " + off + " " + len); a.gap(s, side, off, len, f); }
            public void finished(TcpStream s, StreamSide side, long f) { a.finished(s, side, f); }
            public void closed(TcpStream s, StreamEnd r) { a.closed(s, r); }
        };
        TcpReassembler t = TcpReassembler.builder().handler(h).build();
        PacketDecoder d = new PacketDecoder();
        long n = 0;
        try (PcapReader r = PcapReader.open(Path.of("/tmp/appcli/m2.pcap"))) {
            for (var it = r.packets().iterator(); it.hasNext();) { var p = it.next(); d.decode(p); t.offer(d, ++n, 0); }
        }
        System.out.println(a.counters());
    }
}
