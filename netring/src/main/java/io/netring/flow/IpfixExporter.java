package io.netring.flow;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;

/**
 * Sends flow records as IPFIX (RFC 7011) biflows (RFC 5103) over UDP. Records are gathered
 * into messages of at most {@value #MAX_MESSAGE} bytes; every message carries the templates
 * first, as UDP exporters must resend them and a collector may start at any datagram. Call
 * {@link #flush()} when a pause in traffic should not hold records back; {@link #close()}
 * flushes.
 *
 * <pre>{@code
 * try (IpfixExporter ipfix = IpfixExporter.open(new InetSocketAddress("127.0.0.1", 4739))) {
 *     FlowTable table = FlowTable.builder().onRecord(ipfix).build();
 *     ...
 * }
 * }</pre>
 */
public final class IpfixExporter implements FlowRecordHandler, AutoCloseable {
    /** Below the IPv4 minimum MTU path of most links, so a message is one unfragmented datagram. */
    static final int MAX_MESSAGE = 1400;

    private final DatagramChannel channel;
    private final InetSocketAddress collector;
    private final int observationDomain;
    private final ByteBuffer message = ByteBuffer.allocate(MAX_MESSAGE);
    private int dataSetStart = -1;
    private int dataSetTemplate;
    private int recordsInMessage;
    /** Data records sent before the current message (the header's sequence number, RFC 7011 3.1). */
    private long sequence;
    private long messagesSent;

    private IpfixExporter(DatagramChannel channel, InetSocketAddress collector, int observationDomain) {
        this.channel = channel;
        this.collector = collector;
        this.observationDomain = observationDomain;
        startMessage();
    }

    /** Opens an exporter to {@code collector} with observation domain 0. */
    public static IpfixExporter open(InetSocketAddress collector) throws IOException {
        return open(collector, 0);
    }

    /** Opens an exporter to {@code collector} with the given observation domain id. */
    public static IpfixExporter open(InetSocketAddress collector, int observationDomain) throws IOException {
        if (collector.isUnresolved()) {
            throw new IllegalArgumentException("collector=" + collector + ": the host name does not resolve");
        }
        return new IpfixExporter(DatagramChannel.open(), collector, observationDomain);
    }

    /** Data records sent so far. */
    public long recordsSent() {
        return sequence;
    }

    /** IPFIX messages (datagrams) sent so far. */
    public long messagesSent() {
        return messagesSent;
    }

    @Override
    public void onRecord(FlowRecord record) {
        int template = record.ipVersion() == 4 ? IpfixTemplates.TEMPLATE_V4 : IpfixTemplates.TEMPLATE_V6;
        int len = IpfixTemplates.recordLength(record.ipVersion());
        int need = len + (dataSetStart < 0 || dataSetTemplate != template ? 4 : 0);
        if (message.remaining() < need) {
            flush();
        }
        if (dataSetStart < 0 || dataSetTemplate != template) {
            closeDataSet();
            dataSetStart = message.position();
            dataSetTemplate = template;
            message.putShort((short) template).putShort((short) 0);
        }
        IpfixTemplates.writeRecord(message, record);
        recordsInMessage++;
    }

    /** Sends the records gathered so far, if any. */
    public void flush() {
        if (recordsInMessage == 0) {
            return;
        }
        closeDataSet();
        message.putShort(2, (short) message.position());
        message.putInt(4, (int) (System.currentTimeMillis() / 1000));
        message.putInt(8, (int) sequence);
        message.flip();
        try {
            channel.send(message, collector);
        } catch (IOException e) {
            throw new UncheckedIOException("IPFIX send to " + collector + " failed", e);
        }
        messagesSent++;
        sequence += recordsInMessage;
        startMessage();
    }

    private void startMessage() {
        message.clear();
        message.putShort((short) 10).putShort((short) 0).putInt(0).putInt(0).putInt(observationDomain);
        IpfixTemplates.writeTemplateSet(message);
        dataSetStart = -1;
        recordsInMessage = 0;
    }

    private void closeDataSet() {
        if (dataSetStart >= 0) {
            message.putShort(dataSetStart + 2, (short) (message.position() - dataSetStart));
            dataSetStart = -1;
        }
    }

    /** Flushes, then closes the socket. */
    @Override
    public void close() throws IOException {
        try (channel) {
            flush();
        }
    }
}
