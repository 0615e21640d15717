package dev.tollgate.relay.metering.spool;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that moves the spool to Kafka, in spool order (= relaySeq order): sends what was appended,
 * advances the acknowledged position only over a contiguous run of acknowledged records, checkpoints it and lets
 * the spool delete whole acknowledged segments. On any failure it closes the producer, backs off (0.5 s doubling
 * to 10 s), builds a new one and resends from the first unacknowledged record; a resend of an event Kafka
 * already has is harmless (the ledger dedupes by request id) and keeps each user's events in order.
 */
public final class SpoolSender implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SpoolSender.class);
    /** The W3C trace context header. */
    public static final String TRACEPARENT = "traceparent";
    /** Records sent but not yet acknowledged, at most. */
    private static final int WINDOW = 2048;
    private static final long IDLE_WAIT_MS = 50;
    private static final long CHECKPOINT_EVERY_MS = 100;

    private final UsageSpool spool;
    private final Supplier<Producer<String, byte[]>> producers;
    private final String topic;
    private final long firstBackoffMs;
    private final long maxBackoffMs;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Object acks = new Object();
    private volatile boolean running;
    /** A publish slower than this means Kafka is not taking events (healthy acks take milliseconds). */
    static final long STALLED_AFTER_MS = 2_000;

    private volatile boolean failing;
    private volatile String lastSendError;
    private volatile long oldestUnackedAt;
    private volatile long sentTotal;
    private Thread thread;

    /** One producer's life; a failed send marks it, so nothing more is sent on it. */
    private static final class Session {
        volatile boolean failed;
    }

    /** A record handed to the producer; its callback fills in the outcome. */
    private static final class InFlight implements Callback {
        final SpoolRecord record;
        final Session session;
        final Object signal;
        volatile boolean done;
        volatile Exception error;

        InFlight(SpoolRecord record, Session session, Object signal) {
            this.record = record;
            this.session = session;
            this.signal = signal;
        }

        @Override
        public void onCompletion(org.apache.kafka.clients.producer.RecordMetadata metadata, Exception exception) {
            error = exception;
            if (exception != null) {
                session.failed = true;
            }
            done = true;
            synchronized (signal) {
                signal.notifyAll();
            }
        }
    }

    public SpoolSender(UsageSpool spool, Supplier<Producer<String, byte[]>> producers, String topic,
            Duration firstBackoff, Duration maxBackoff) {
        this.spool = spool;
        this.producers = producers;
        this.topic = topic;
        this.firstBackoffMs = firstBackoff.toMillis();
        this.maxBackoffMs = maxBackoff.toMillis();
    }

    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        thread = new Thread(this::run, "tollgate-usage-sender");
        thread.setDaemon(true);
        thread.start();
    }

    /** True while the last attempt to reach Kafka failed and nothing was acknowledged since. */
    public boolean failing() {
        return failing;
    }

    /** The last send failure (kept after recovery, for the health details), or null. */
    public String lastSendError() {
        return lastSendError;
    }

    /**
     * True while events pile up on disk: a send failed, or the oldest waiting event is older than a healthy
     * publish ever takes. The age matters because the producer may hold a batch for seconds before it admits
     * that the broker is gone.
     */
    public boolean spooling(long nowMillis) {
        long oldest = oldestUnackedAt();
        return failing || (oldest != 0 && nowMillis - oldest > STALLED_AFTER_MS);
    }

    /** Append time of the oldest record not yet acknowledged (0 when none is known to be waiting). */
    public long oldestUnackedAt() {
        return spool.spooledEvents() == 0 ? 0 : oldestUnackedAt;
    }

    /** Records handed to a producer, resends included. */
    public long sentTotal() {
        return sentTotal;
    }

    private void run() {
        long backoffMs = firstBackoffMs;
        while (running) {
            Producer<String, byte[]> producer = null;
            try {
                producer = producers.get();
                if (session(producer)) {
                    backoffMs = firstBackoffMs;
                }
            } catch (RuntimeException e) {
                if (!running) {
                    break;
                }
                failing = true;
                lastSendError = e instanceof SendFailedException ? e.getMessage()
                        : e.getClass().getSimpleName() + ": " + e.getMessage();
                log.warn("Usage events not reaching Kafka ({}); {} spooled, retrying in {} ms", lastSendError,
                        spool.spooledEvents(), backoffMs);
            } finally {
                closeQuietly(producer);
                spool.checkpoint();
            }
            if (running) {
                pause(backoffMs);
                backoffMs = Math.min(backoffMs * 2, maxBackoffMs);
            }
        }
    }

    /**
     * Sends from the first unacknowledged record until stopped or a send fails (thrown). Returns true when
     * something was acknowledged.
     */
    private boolean session(Producer<String, byte[]> producer) {
        Deque<InFlight> inFlight = new ArrayDeque<>();
        Session current = new Session();
        boolean progressed = false;
        long lastCheckpoint = System.currentTimeMillis();
        try (UsageSpool.Reader reader = spool.reader(spool.ackedIndex())) {
            while (running) {
                boolean sent = false;
                SpoolRecord record;
                // After a failure nothing more goes out on this producer: a later record must not overtake the
                // failed one (the resend starts from it), or a user's events would reach Kafka out of order.
                while (!current.failed && inFlight.size() < WINDOW && (record = reader.next()) != null) {
                    if (inFlight.isEmpty() && record.index() == spool.ackedIndex()) {
                        oldestUnackedAt = record.appendedAtMillis();
                    }
                    InFlight f = new InFlight(record, current, acks);
                    inFlight.add(f);
                    producer.send(toKafka(record), f);
                    sentTotal++;
                    sent = true;
                }
                long next = -1;
                long bytes = 0;
                while (!inFlight.isEmpty() && inFlight.peekFirst().done) {
                    InFlight head = inFlight.peekFirst();
                    if (head.error != null) {
                        spool.acknowledge(next, bytes);
                        throw new SendFailedException(head.error);
                    }
                    inFlight.removeFirst();
                    next = head.record.index() + 1;
                    bytes += head.record.sizeBytes();
                }
                if (next >= 0) {
                    spool.acknowledge(next, bytes);
                    progressed = true;
                    failing = false;
                    InFlight head = inFlight.peekFirst();
                    oldestUnackedAt = head == null ? System.currentTimeMillis() : head.record.appendedAtMillis();
                }
                long now = System.currentTimeMillis();
                if (now - lastCheckpoint >= CHECKPOINT_EVERY_MS) {
                    spool.checkpoint();
                    lastCheckpoint = now;
                }
                if (!sent && next < 0) {
                    idle(inFlight.isEmpty() ? reader.index() : -1);
                }
            }
        }
        return progressed;
    }

    /** The record as sent: keyed by user; a traced request's W3C trace context rides in the headers. */
    ProducerRecord<String, byte[]> toKafka(SpoolRecord record) {
        ProducerRecord<String, byte[]> out = new ProducerRecord<>(topic, Long.toString(record.userId()),
                record.payload());
        if (record.traceparent() != null) {
            out.headers().add(TRACEPARENT, record.traceparent().getBytes(StandardCharsets.US_ASCII));
        }
        return out;
    }

    /** Waits for an ack, or (when nothing is in flight) for an append at {@code awaitIndex}. */
    private void idle(long awaitIndex) {
        try {
            if (awaitIndex >= 0) {
                spool.awaitAppend(awaitIndex, IDLE_WAIT_MS);
            } else {
                synchronized (acks) {
                    acks.wait(IDLE_WAIT_MS);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    private void pause(long ms) {
        try {
            stopped.await(ms, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    private static void closeQuietly(Producer<String, byte[]> producer) {
        if (producer == null) {
            return;
        }
        try {
            // Unsent records fail at once; they are resent from the checkpoint by the next producer.
            producer.close(Duration.ZERO);
        } catch (RuntimeException e) {
            log.debug("Closing the usage producer failed: {}", e.toString());
        }
    }

    /**
     * Stops after giving in-flight sends up to {@code grace} to be acknowledged; whatever is left stays in the
     * spool and is sent by the next start.
     */
    public void stop(Duration grace) {
        long deadline = System.nanoTime() + grace.toNanos();
        try {
            while (spool.spooledEvents() > 0 && !failing && System.nanoTime() < deadline && running) {
                synchronized (acks) {
                    acks.wait(20);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Thread t;
        synchronized (this) {
            running = false;
            t = thread;
        }
        stopped.countDown();
        if (t != null) {
            t.interrupt();
            try {
                t.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void close() {
        stop(Duration.ofSeconds(2));
    }

    /** A send Kafka did not acknowledge; ends the session. */
    private static final class SendFailedException extends RuntimeException {
        SendFailedException(Exception cause) {
            super(cause.getClass().getSimpleName() + ": " + cause.getMessage(), cause, false, false);
        }
    }
}
