package io.netring.xdp;

import io.netring.filter.BpfProgram;
import io.netring.filter.EbpfInstruction;

import java.util.List;

/** The eBPF a classic filter becomes inside the XDP program (see XdpRedirectProgram's prefix contract). */
final class FilterPrefix {
    private FilterPrefix() {}

    static List<EbpfInstruction> of(BpfProgram classic) {
        throw new UnsupportedOperationException("filters inside XDP are not built yet");
    }
}
