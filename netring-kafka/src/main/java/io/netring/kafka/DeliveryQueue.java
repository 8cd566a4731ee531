package io.netring.kafka;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The records a publisher has handed over, between its capture thread and the producer: a
 * bounded queue that never blocks the caller and a sender thread that waits for the broker.
 * Counts in units the publisher chooses (packets of a packet record, 1 for a flow record):
 * delivered, given up (undelivered), and — from the publisher's own count of units handed
 * over — pending. Once {@link #close} has made its final count, nothing changes it.
 */
final class DeliveryQueue<K, V> {
    private static final System.Logger LOG = System.getLogger(DeliveryQueue.class.getName());

    /** A record waiting for the producer, with its units and bytes. */
    private record Held<K, V>(ProducerRecord<K, V> record, int units, int bytes) {}

    private final KafkaProducer<K, V> producer;
    private final String topic;
    private final String name;
    private final long maxBytes;
    private final BlockingQueue<Held<K, V>> queue = new ArrayBlockingQueue<>(1 << 16);
    private final AtomicLong heldBytes = new AtomicLong();
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong undelivered = new AtomicLong();
    private final AtomicLong records = new AtomicLong();
    /** Guards the final count at close against the sender thread or a callback still counting. */
    private final Object accounts = new Object();
    private boolean accounted;
    private final Thread sender;
    private volatile boolean closing;
    private volatile boolean reachable;
    private volatile Throwable lastError;

    /** Starts the sender thread, named {@code threadName}; at most {@code maxBytes} of records are held. */
    DeliveryQueue(KafkaProducer<K, V> producer, String topic, String threadName, long maxBytes) {
        this.producer = producer;
        this.topic = topic;
        this.name = threadName;
        this.maxBytes = maxBytes;
        this.sender = Thread.ofPlatform().daemon().name(threadName).start(this::sendLoop);
    }

    /** Hands a record over without blocking; when it does not fit, its units count as undelivered. */
    void offer(ProducerRecord<K, V> record, int units, int bytes) {
        // the bound: bytes waiting here, so a broker that is down costs memory up to maxBytes
        if (closing || heldBytes.addAndGet(bytes) > maxBytes || !queue.offer(new Held<>(record, units, bytes))) {
            heldBytes.addAndGet(-bytes);
            count(undelivered, units);
        }
    }

    long delivered() {
        return delivered.get();
    }

    long undelivered() {
        return undelivered.get();
    }

    /** Records the broker acknowledged. */
    long records() {
        return records.get();
    }

    /** True once the broker answered a metadata request for the topic. */
    boolean reachable() {
        return reachable;
    }

    Throwable lastError() {
        return lastError;
    }

    /** Waits until {@code handed} units are all delivered or given up, at most {@code timeout}; true when they are. */
    boolean drain(long handed, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (handed - delivered.get() - undelivered.get() > 0) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            Thread.sleep(5);
        }
        return true;
    }

    /**
     * Waits up to {@code timeout} for delivery of the {@code handed} units, then closes the
     * producer; what is still pending then counts as undelivered, and the counts change no more.
     */
    void close(long handed, Duration timeout) {
        if (closing) {
            return;
        }
        long deadline = System.nanoTime() + Math.max(0, timeout.toNanos());
        try {
            drain(handed, timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closing = true;
        try {
            // the sender may sit in a producer call that blocks up to max.block.ms; what it still
            // holds then counts as undelivered below
            sender.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(Duration.ZERO);
        // records neither acknowledged nor failed by now never will be; late callbacks are ignored
        synchronized (accounts) {
            long left = handed - delivered.get() - undelivered.get();
            if (left > 0) {
                undelivered.addAndGet(left);
            }
            accounted = true;
        }
    }

    /** Adds {@code n} units to a counter, unless close() has made its final count. */
    private void count(AtomicLong counter, long n) {
        synchronized (accounts) {
            if (!accounted) {
                counter.addAndGet(n);
            }
        }
    }

    private void sendLoop() {
        try {
            while (true) {
                Held<K, V> h = queue.poll(100, TimeUnit.MILLISECONDS);
                if (h == null) {
                    if (closing) {
                        return;
                    }
                    if (!reachable) {
                        awaitMetadata();           // ask at once, so a broker that is away shows before any record
                    }
                    continue;
                }
                if (closing) {
                    // close() waited its time for delivery already: what is left is given up at
                    // once, not tried a producer block (1 s) per record
                    giveUp(h);
                    continue;
                }
                send(h);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One metadata request for the topic (blocks up to max.block.ms); true when it was answered. */
    private boolean awaitMetadata() {
        try {
            producer.partitionsFor(topic);
            reachable = true;
            return true;
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            lastError = e;                           // broker unreachable or still creating the topic
            return false;
        }
    }

    /** Sends one record, retrying while the producer cannot take it (no broker, full buffer) until closed. */
    private void send(Held<K, V> h) {
        while (true) {
            try {
                // metadata first: send() reports a metadata timeout only to the callback, where it
                // would count as a loss; partitionsFor() throws it, so the record is kept and retried
                if (!awaitMetadata()) {
                    if (closing) {
                        giveUp(h);
                        return;
                    }
                    continue;
                }
                producer.send(h.record(), (meta, e) -> {
                    if (e == null) {
                        count(delivered, h.units());
                        records.incrementAndGet();
                    } else {
                        lastError = e;
                        count(undelivered, h.units());
                    }
                });
                heldBytes.addAndGet(-h.bytes());
                return;
            } catch (org.apache.kafka.common.errors.TimeoutException e) {
                lastError = e;                       // the producer's buffer stayed full: keep the record, try again
                if (closing) {
                    giveUp(h);
                    return;
                }
            } catch (RuntimeException e) {
                lastError = e;
                if (closing) {
                    giveUp(h);                       // the producer closed under a blocked call: expected
                    return;
                }
                LOG.log(System.Logger.Level.WARNING, "Kafka send for " + name + " failed: " + e);
                giveUp(h);
                return;
            }
        }
    }

    private void giveUp(Held<K, V> h) {
        heldBytes.addAndGet(-h.bytes());
        count(undelivered, h.units());
    }
}
