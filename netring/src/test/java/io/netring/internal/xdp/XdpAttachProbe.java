package io.netring.internal.xdp;

import io.netring.xdp.XdpAttachMode;

import java.util.List;

/**
 * A process of its own for {@link XdpAttachmentIntegrationTest}: attaches the redirect program
 * to the interface named by its argument, prints {@code ATTACHED <program id>} and returns from
 * main without closing anything, so only the shutdown hook can detach. A refusal prints
 * {@code <exception class>|<message>}.
 */
public final class XdpAttachProbe {
    private XdpAttachProbe() {}

    public static void main(String[] args) {
        try {
            XskMap map = XskMap.create(1);
            XdpRedirectProgram program = XdpRedirectProgram.load(map, List.of());
            XdpAttachment attachment = XdpAttachment.attach(args[0], program.fd(), XdpAttachMode.NATIVE, false);
            System.out.println("ATTACHED " + attachment.programId());
        } catch (Exception e) {
            System.out.println(e.getClass().getName() + "|" + e.getMessage());
        }
    }
}
