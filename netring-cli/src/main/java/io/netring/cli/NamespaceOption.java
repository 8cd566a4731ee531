package io.netring.cli;

import io.netring.AbstractRxBuilder;
import picocli.CommandLine.Option;

/** {@code --netns NAME|PATH}: open the capture socket inside another network namespace. */
final class NamespaceOption {
    @Option(names = "--netns", paramLabel = "NAME|PATH",
            description = "Open the socket inside this network namespace (a name under /run/netns, or a path such as "
                    + "/proc/PID/ns/net); the process and its other connections stay where they are.")
    String netns;

    <B extends AbstractRxBuilder<B>> B applyTo(B builder) {
        return netns == null ? builder : builder.netns(netns);
    }
}
