package io.netring.cli;

import io.netring.kafka.KafkaTarget;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Says, once, that a Kafka broker has not answered within {@code --broker-timeout}: one line
 * naming it instead of the client's warnings, while the command goes on (what cannot be
 * delivered is counted and reported at the end).
 */
final class BrokerWatch {
    private final KafkaTarget target;
    private final Duration timeout;
    private final BooleanSupplier reachable;
    private final PrintWriter err;
    private final long due;
    private boolean told;

    BrokerWatch(KafkaTarget target, Duration timeout, BooleanSupplier reachable, PrintWriter err) {
        this.target = target;
        this.timeout = timeout;
        this.reachable = reachable;
        this.err = err;
        this.due = System.nanoTime() + timeout.toNanos();
    }

    /** Prints the line when the broker is overdue and it was not printed yet; cheap enough for every loop turn. */
    void check() {
        if (!told && System.nanoTime() - due >= 0 && !reachable.getAsBoolean()) {
            told = true;
            err.println("netring: " + unreachable(target, timeout) + "; counting what cannot be delivered");
            err.flush();
        }
    }

    /**
     * The line that ends the command when {@code undelivered} of its {@code what} (packet, flow
     * record) did not reach {@code target}; it names the broker when it never answered.
     */
    String undelivered(long undelivered, String what) {
        String lost = Plural.count(undelivered, what) + " undelivered to " + target;
        return reachable.getAsBoolean() ? lost : unreachable(target, timeout) + ": " + lost;
    }

    /** "kafka broker HOST:PORT unreachable (no answer within 5s)". */
    static String unreachable(KafkaTarget target, Duration timeout) {
        return "kafka broker" + (target.bootstrapServers().contains(",") ? "s " : " ") + target.bootstrapServers()
                + " unreachable (no answer within " + Durations.format(timeout) + ")";
    }
}
