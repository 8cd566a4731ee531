package io.netring.bench;

import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNetworkInterface;

import java.lang.management.ManagementFactory;

/**
 * One Java sender of the TX comparison, in its own JVM inside the namespace:
 * {@code JavaSender MODE IFNAME COUNT SIZE}. Prints {@code READY}, sends COUNT test frames as
 * fast as the API allows, and prints {@code RESULT sent=.. wallNs=.. cpuNs=..} (process CPU).
 *
 * <p>Modes: {@code pcap4j} ({@code PcapHandle.sendPacket(byte[])}) and {@code injector}
 * (netring's Injector — see the INJECTOR SLOT below).
 */
public final class JavaSender {
    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private JavaSender() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            System.err.println("usage: JavaSender pcap4j|injector IFNAME COUNT SIZE");
            System.exit(1);
        }
        long count = Long.parseLong(args[2]);
        int size = Integer.parseInt(args[3]);
        switch (args[0]) {
            case "pcap4j" -> pcap4j(args[1], count, size);
            case "injector" -> injector(args[1], count, size);
            default -> throw new IllegalArgumentException("mode=" + args[0] + ": one of pcap4j, injector");
        }
    }

    private static void pcap4j(String ifName, long count, int size) throws Exception {
        PcapHandle handle = new PcapHandle.Builder(ifName)
                .snaplen(65535)
                .promiscuousMode(PcapNetworkInterface.PromiscuousMode.NONPROMISCUOUS)
                .timeoutMillis(60)
                .build();
        try {
            byte[] frame = TestFrames.frame(0, size);
            System.out.println("READY");
            System.out.flush();
            long cpu0 = OS.getProcessCpuTime();
            long wall0 = System.nanoTime();
            for (long seq = 0; seq < count; seq++) {
                int s = (int) seq;
                frame[14] = (byte) (s >>> 24);
                frame[15] = (byte) (s >>> 16);
                frame[16] = (byte) (s >>> 8);
                frame[17] = (byte) s;
                handle.sendPacket(frame);
            }
            report(count, System.nanoTime() - wall0, OS.getProcessCpuTime() - cpu0);
        } finally {
            handle.close();
        }
    }

    /*
     * INJECTOR SLOT. io.netring.Injector (the TX path) is written on another branch; this method
     * is where it plugs in. With the API.md names, the body is:
     *
     *   try (Injector inj = Injector.builder().interfaceName(ifName).build()) {
     *       System.out.println("READY");
     *       long cpu0 = OS.getProcessCpuTime(), wall0 = System.nanoTime();
     *       for (long seq = 0; seq < count; ) {
     *           TxSlot slot = inj.allocate(size);
     *           if (slot == null) { inj.flush(); continue; }        // ring full: hand frames over
     *           TestFrames.write(slot.data(), 0, (int) seq, size);
     *           slot.length(size);
     *           slot.send();
     *           if (++seq % 64 == 0) inj.flush();                   // same kick cadence as tx_ring.c
     *       }
     *       inj.flush();                                            // plus a wait for completion
     *       report(count, System.nanoTime() - wall0, OS.getProcessCpuTime() - cpu0);
     *   }
     */
    private static void injector(String ifName, long count, int size) {
        System.out.println("RESULT skipped=Injector_not_on_this_branch");
    }

    private static void report(long sent, long wallNs, long cpuNs) {
        System.out.printf("RESULT sent=%d wallNs=%d cpuNs=%d%n", sent, wallNs, cpuNs);
        System.out.flush();
    }
}
