package io.netring.cli;

import io.netring.NetringException;
import io.netring.xdp.XdpAttachMode;
import io.netring.xdp.XdpMode;
import io.netring.xdp.XdpRx;
import io.netring.xdp.XdpRxBuilder;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code --xdp} and its options: capture through AF_XDP (an XDP program redirecting one or all
 * RX queues into sockets of ours) instead of an AF_PACKET ring.
 */
final class XdpOptions {
    @Option(names = "--xdp", description = "Capture through AF_XDP: an XDP program on the interface redirects its RX "
            + "queue(s) to netring; the filter expression runs inside that program. Sees received frames only.")
    boolean enabled;

    @Option(names = "--queue", paramLabel = "N", description = "With --xdp: the RX queue to read (default 0).")
    Integer queue;

    @Option(names = "--all-queues", description = "With --xdp: every RX queue of the interface, one socket each.")
    boolean allQueues;

    @Option(names = "--xdp-mode", paramLabel = "auto|copy|zc",
            description = "With --xdp: zc (zero-copy, the driver must have it), copy, or auto (zero-copy when the "
                    + "driver has it, else copy; the default).")
    String mode;

    @Option(names = "--xdp-attach", paramLabel = "native|generic",
            description = "With --xdp: attach the program in the driver (native, the default) or in the generic "
                    + "path (every interface, slower, copy mode only).")
    String attach;

    @Option(names = "--xdp-replace", description = "With --xdp: replace an XDP program already on the interface "
            + "(without it netring refuses and names that program).")
    boolean replace;

    /** The options given that only --xdp takes, as typed; empty with --xdp or when none was given. */
    List<String> givenWithoutXdp() {
        List<String> given = new ArrayList<>();
        if (enabled) {
            return given;
        }
        if (queue != null) {
            given.add("--queue");
        }
        if (allQueues) {
            given.add("--all-queues");
        }
        if (mode != null) {
            given.add("--xdp-mode");
        }
        if (attach != null) {
            given.add("--xdp-attach");
        }
        if (replace) {
            given.add("--xdp-replace");
        }
        return given;
    }

    /** "A, B need --xdp" for options given without --xdp; null when there are none. */
    static String needXdp(List<String> orphans) {
        if (orphans.isEmpty()) {
            return null;
        }
        return String.join(", ", orphans) + (orphans.size() == 1 ? " needs" : " need") + " --xdp";
    }

    /**
     * The usage error these options make on their own, or null: an option of --xdp without it,
     * {@code --queue} with {@code --all-queues}.
     */
    String misuse() {
        String orphans = needXdp(givenWithoutXdp());
        if (orphans != null) {
            return orphans;
        }
        if (queue != null && allQueues) {
            return "give one of --queue N and --all-queues";
        }
        if (queue != null && queue < 0) {
            return "--queue must be 0 or more (an RX queue id of the interface), was " + queue;
        }
        return null;
    }

    /**
     * A builder for {@code interfaceName} with these options.
     * @throws IllegalArgumentException for a mode or attach value not known, worded for the command line
     */
    XdpRxBuilder builder(String interfaceName) {
        XdpRxBuilder b = XdpRx.builder().interfaceName(interfaceName).mode(mode()).attachMode(attachMode())
                .replaceProgram(replace);
        if (allQueues) {
            b.allQueues();
        } else if (queue != null) {
            b.queue(queue);
        }
        return b;
    }

    private XdpMode mode() {
        return mode(mode);
    }

    /**
     * {@code --xdp-mode}'s value as a mode; null is AUTO.
     * @throws IllegalArgumentException for a value not known, worded for the command line
     */
    static XdpMode mode(String mode) {
        if (mode == null) {
            return XdpMode.AUTO;
        }
        return switch (mode) {
            case "auto" -> XdpMode.AUTO;
            case "copy" -> XdpMode.COPY;
            case "zc" -> XdpMode.ZERO_COPY;
            default -> throw new IllegalArgumentException("--xdp-mode must be auto, copy or zc, was '" + mode + "'");
        };
    }

    private XdpAttachMode attachMode() {
        if (attach == null) {
            return XdpAttachMode.NATIVE;
        }
        return switch (attach) {
            case "native" -> XdpAttachMode.NATIVE;
            case "generic" -> XdpAttachMode.GENERIC;
            default -> throw new IllegalArgumentException("--xdp-attach must be native or generic, was '" + attach + "'");
        };
    }

    /**
     * The library's logger: held here, as the logging framework keeps loggers only weakly, so
     * that the level set on it stays. In a class of its own so that only an XDP capture starts
     * the logging framework: its start searches every jar on the class path for providers, a
     * tenth of a short run's time.
     */
    private static final class LibraryLog {
        static final java.util.logging.Logger LOGGER = java.util.logging.Logger.getLogger("io.netring");
    }

    /** Opens the capture; a refusal's advice is reworded with the options that act on it. */
    static XdpRx open(XdpRxBuilder builder) throws NetringException {
        if (LibraryLog.LOGGER.getLevel() == null) {
            // The fallback to copy mode is an INFO record in two lines on stderr; the command says
            // the mode itself (the listening line), so only warnings are let through.
            LibraryLog.LOGGER.setLevel(java.util.logging.Level.WARNING);
        }
        try {
            return builder.build();
        } catch (NetringException e) {
            String worded = inCliTerms(e.getMessage());
            if (worded.equals(e.getMessage())) {
                throw e;
            }
            throw new NetringException(worded, e.call(), e.errno(), e);
        }
    }

    /** The library's advice (builder calls, enum constants) as the options that do the same. */
    static String inCliTerms(String message) {
        String m = message;
        for (String[] name : NAMES) {
            m = m.replace(name[0], name[1]);
        }
        return m;
    }

    /** A phrase of the library's messages and the command line's words for it. */
    private static final String[][] NAMES = {
            {"XdpMode.COPY, or XdpMode.AUTO, which", "--xdp-mode copy, or --xdp-mode auto, which"},
            {"XdpAttachMode.GENERIC, --xdp-attach generic", "--xdp-attach generic"},
            {"replaceProgram(true)", "--xdp-replace"},
    };
}
