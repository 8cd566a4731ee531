package io.netring.xdp;

/**
 * A JVM of its own for {@link XdpExitIntegrationTest}: opens an {@link XdpRx} on the interface
 * named first, prints READY, and then, as the second argument says, returns from {@code main}
 * without closing it ({@code return}) or waits to be killed ({@code wait}).
 */
public final class XdpExitProbe {
    private XdpExitProbe() {}

    public static void main(String[] args) throws Exception {
        XdpRx rx = XdpRx.builder().interfaceName(args[0]).queue(0).mode(XdpMode.COPY).frameSize(2048)
                .frameCount(256).ringSize(128).build();
        System.out.println("READY " + rx);
        System.out.flush();
        if (args[1].equals("wait")) {
            Thread.sleep(60_000);
        }
    }
}
