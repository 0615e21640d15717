package dev.tollgate.relay.metering;

import dev.tollgate.contracts.events.UsageEvent;
import dev.tollgate.relay.admission.PendingCharges;
import dev.tollgate.relay.admission.Reservation;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Numbers and publishes usage events. {@code relaySeq} comes from one counter per process, started at
 * {@code currentTimeMillis × 1000} so it keeps growing across restarts, and is taken under the same lock that
 * hands the event to the sink: this relay's events reach the partition in sequence order. The same step turns
 * the request's reservation into a finished charge under that seq.
 *
 * <p>Work runs on one thread of its own, so a request's end never waits on Kafka or on token counting.
 */
public class UsagePublisher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(UsagePublisher.class);

    /**
     * A finished request ready to publish: its event (unnumbered), its reservation (or null), its cost and its W3C
     * trace context (null when not traced).
     */
    public record Finished(UsageEvent event, Reservation reservation, long costMicros, String traceparent) {

        public Finished(UsageEvent event, Reservation reservation, long costMicros) {
            this(event, reservation, costMicros, null);
        }
    }

    private final UsageSink sink;
    private final PendingCharges pending;
    private final ExecutorService executor;
    private final RelayMetrics metrics;
    private final Object lock = new Object();
    private long nextSeq;

    public UsagePublisher(UsageSink sink, PendingCharges pending) {
        this(sink, pending, RelayMetrics.none());
    }

    public UsagePublisher(UsageSink sink, PendingCharges pending, RelayMetrics metrics) {
        this.sink = sink;
        this.pending = pending;
        this.metrics = metrics;
        this.nextSeq = System.currentTimeMillis() * 1000;
        this.executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "tollgate-usage-publisher");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Computes the finished request off the caller's thread, then publishes it. Whatever happens, the request's
     * {@code reservation} (may be null) does not outlive it: settled with the event, or released when there is none.
     */
    public void publishLater(Supplier<Finished> finished, Reservation reservation) {
        try {
            executor.execute(() -> publish(finished, reservation));
        } catch (RejectedExecutionException e) {
            log.error("Usage publisher is shut down; a usage event is lost");
            release(reservation);
        }
    }

    private void publish(Supplier<Finished> work, Reservation reservation) {
        try {
            Finished finished = work.get();
            metrics.record(finished.event(), finished.costMicros());
            publish(finished);
        } catch (RuntimeException e) {
            log.error("Could not publish a usage event: {}", e.toString());
            // Settled or not, a reservation must not hold the user's money after its request ended.
            release(reservation);
        }
    }

    /** Numbers the event and hands it to the sink; returns the seq it got. */
    public long publish(Finished finished) {
        synchronized (lock) {
            long seq = nextSeq++;
            Reservation reservation = finished.reservation();
            if (reservation != null) {
                pending.settle(reservation, seq, finished.costMicros());
            }
            try {
                sink.send(finished.event().withRelaySeq(seq), finished.traceparent());
            } catch (RuntimeException e) {
                // The event never left: no balance change will ever name its seq, so its charge would stay pending.
                if (reservation != null) {
                    pending.forget(reservation.userId(), seq);
                }
                throw e;
            }
            return seq;
        }
    }

    private void release(Reservation reservation) {
        if (reservation != null) {
            pending.release(reservation);
        }
    }

    @Override
    public void close() {
        executor.shutdown();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        sink.close();
    }
}
