package io.netring.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * The training run of {@code bin/netring-train}: several {@code netring} command lines, split
 * at {@code --then}, in one process, since the JVM writes one AOT cache per process and the
 * cache should know the paths of all of them (file to pcap, to pcapng, to text). Each line
 * runs as {@link NetringCommand#main} would run it, standard output included.
 */
final class AotTraining {
    private AotTraining() {}

    public static void main(String[] args) {
        List<String> line = new ArrayList<>();
        int worst = 0;
        for (String a : args) {
            if (a.equals("--then")) {
                worst = Math.max(worst, NetringCommand.runOnStdout(line.toArray(String[]::new)));
                line.clear();
            } else {
                line.add(a);
            }
        }
        worst = Math.max(worst, NetringCommand.runOnStdout(line.toArray(String[]::new)));
        System.exit(worst);
    }
}
