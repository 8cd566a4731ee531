package io.netring.filter;

import io.netring.AfPacketRx;
import io.netring.testing.Privileged;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.*;

/** Every compiled program of the differential corpus is accepted by the kernel's classic BPF checker. */
@Privileged
@Timeout(60)
class FilterKernelTest {
    @Test
    void kernelAcceptsEveryCompiledProgram() throws Exception {
        int attached = 0;
        try (AfPacketRx rx = AfPacketRx.builder().interfaceName("lo").blockSize(1 << 16).blockCount(2)
                .blockTimeout(Duration.ofMillis(10)).build()) {
            for (String expr : FilterDifferentialTest.expressions()) {
                BpfProgram p;
                try {
                    p = BpfProgram.compile(expr);
                } catch (FilterSyntaxException refused) {
                    continue;
                }
                try {
                    rx.setFilter(p);
                } catch (Exception e) {
                    fail("kernel refused the program for \"" + expr + "\": " + e + "\n" + p.toTcpdumpD());
                }
                attached++;
            }
        }
        assertTrue(attached > 400, "programs attached: " + attached);
    }
}
