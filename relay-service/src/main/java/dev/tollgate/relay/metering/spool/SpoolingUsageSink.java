package dev.tollgate.relay.metering.spool;

import dev.tollgate.contracts.events.EventCodec;
import dev.tollgate.contracts.events.UsageEvent;
import dev.tollgate.contracts.events.UsageStatus;
import dev.tollgate.contracts.money.TokenUsage;
import dev.tollgate.relay.metering.UsageSink;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Usage events go to the local spool first, then to Kafka by the {@link SpoolSender}: Kafka being down never
 * loses an event nor slows a request. Called on the usage publisher's own thread (never a request's), which
 * also does the group commit: a force at most every {@code forceEvery} or per {@code forceRecords} records; a
 * small timer forces a quiet tail.
 */
public final class SpoolingUsageSink implements UsageSink {

    private static final Logger log = LoggerFactory.getLogger(SpoolingUsageSink.class);

    private final UsageSpool spool;
    private final SpoolSender sender;
    private final long forceEveryNanos;
    private final long forceRecords;
    private final ScheduledExecutorService flusher;
    private final AtomicLong droppedRejections = new AtomicLong();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile long lastForceNanos = System.nanoTime();

    public SpoolingUsageSink(UsageSpool spool, SpoolSender sender, Duration forceEvery, long forceRecords) {
        this.spool = spool;
        this.sender = sender;
        this.forceEveryNanos = forceEvery.toNanos();
        this.forceRecords = forceRecords;
        this.flusher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tollgate-usage-spool-flush");
            t.setDaemon(true);
            return t;
        });
        long ms = Math.max(1, forceEvery.toMillis());
        flusher.scheduleWithFixedDelay(this::forceQuietTail, ms, ms, TimeUnit.MILLISECONDS);
        sender.start();
    }

    @Override
    public void send(UsageEvent event) {
        send(event, null);
    }

    @Override
    public void send(UsageEvent event, String traceparent) {
        if (spool.full() && unbillableRejection(event)) {
            // Requests refused while the spool is full must not grow it: they carry no money.
            if (droppedRejections.incrementAndGet() % 1000 == 1) {
                log.warn("Usage spool full: not spooling events of refused requests ({} so far)",
                        droppedRejections.get());
            }
            return;
        }
        // Admission stops new requests at the bound; events of requests already admitted always go in.
        spool.append(event.userId(), EventCodec.encode(event), traceparent, true);
        long now = System.nanoTime();
        if (spool.unforcedRecords() >= forceRecords || now - lastForceNanos >= forceEveryNanos) {
            force(now);
        }
    }

    static boolean unbillableRejection(UsageEvent event) {
        return event.status() == UsageStatus.REJECTED && TokenUsage.NONE.equals(event.tokens());
    }

    private void forceQuietTail() {
        long now = System.nanoTime();
        if (now - lastForceNanos >= forceEveryNanos) {
            try {
                force(now);
            } catch (RuntimeException e) {
                log.error("Cannot force the usage spool: {}", e.toString());
            }
        }
    }

    private void force(long now) {
        lastForceNanos = now;
        spool.force();
    }

    /** True when new requests must be refused: their usage could not be recorded. */
    public boolean full() {
        return spool.full();
    }

    public UsageSpool spool() {
        return spool;
    }

    public SpoolSender sender() {
        return sender;
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        flusher.shutdownNow();
        sender.stop(Duration.ofSeconds(3));
        spool.close();
    }
}
