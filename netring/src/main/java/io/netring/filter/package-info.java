/**
 * Packet filters: what decides, in the kernel or in Java, which packets a capture keeps.
 *
 * <ul>
 *   <li>{@link io.netring.filter.BpfProgram} and {@link io.netring.filter.BpfInstruction}:
 *       classic BPF, attached as a socket filter or used as a fanout steering program; read
 *       from {@code tcpdump -dd} output.</li>
 *   <li>{@link io.netring.filter.EbpfProgram} and {@link io.netring.filter.EbpfInstruction}:
 *       eBPF socket filters loaded through {@code bpf(BPF_PROG_LOAD)};
 *       {@link io.netring.filter.EbpfVerifierException} carries the verifier's log.</li>
 * </ul>
 *
 * <p>The pcap-filter expression compiler and the Java interpreter of classic BPF land here too.
 */
package io.netring.filter;
