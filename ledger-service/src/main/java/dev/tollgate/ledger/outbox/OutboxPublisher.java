package dev.tollgate.ledger.outbox;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Publishes outbox rows in id order from one background thread: send, wait for the acks, then
 * delete. Woken right after each commit; polls every 250 ms as a safety net. When Kafka is down
 * the rows wait in the table and the thread retries with backoff, so nothing committed is lost
 * (a row may be sent twice after a crash; followers keep the highest version).
 */
@Component
public class OutboxPublisher implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(OutboxPublisher.class);
    static final int BATCH = 500;
    private static final long POLL_MS = 250;
    private static final long MAX_BACKOFF_MS = 5_000;
    private static final long ACK_TIMEOUT_MS = 35_000;

    private final JdbcTemplate jdbc;
    private final NamedParameterJdbcTemplate named;
    private final KafkaProducer<String, byte[]> producer;
    private final Semaphore wakeups = new Semaphore(0);
    private volatile boolean running;
    private Thread thread;

    OutboxPublisher(JdbcTemplate jdbc, NamedParameterJdbcTemplate named, KafkaProducer<String, byte[]> outboxProducer) {
        this.jdbc = jdbc;
        this.named = named;
        this.producer = outboxProducer;
    }

    /** Called after a commit that wrote outbox rows. */
    public void wake() {
        wakeups.release();
    }

    @Override
    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        thread = new Thread(this::run, "outbox-publisher");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public synchronized void stop() {
        running = false;
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            thread = null;
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Stop after the listeners (default phase) so their last commits still get published. */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 1000;
    }

    private void run() {
        long backoff = POLL_MS;
        while (running) {
            try {
                int sent;
                do {
                    sent = publishOnce();
                } while (sent == BATCH && running);
                backoff = POLL_MS;
                awaitWakeup(POLL_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                log.warn("Outbox publish failed, retrying in {} ms: {}", backoff, e.toString());
                try {
                    awaitWakeup(backoff);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
                backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
            }
        }
    }

    private void awaitWakeup(long ms) throws InterruptedException {
        if (wakeups.tryAcquire(ms, TimeUnit.MILLISECONDS)) {
            wakeups.drainPermits();
        }
    }

    /** One round: up to {@link #BATCH} rows sent and deleted; returns how many. */
    int publishOnce() throws InterruptedException {
        List<OutboxRow> rows = jdbc.query(
                "SELECT id, topic, msg_key, payload FROM outbox ORDER BY id LIMIT " + BATCH,
                (rs, i) -> new OutboxRow(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4)));
        if (rows.isEmpty()) {
            return 0;
        }
        List<Future<RecordMetadata>> acks = new ArrayList<>(rows.size());
        for (OutboxRow row : rows) {
            acks.add(producer.send(new ProducerRecord<>(row.topic(), row.key(),
                    row.payload().getBytes(StandardCharsets.UTF_8))));
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ACK_TIMEOUT_MS);
        for (Future<RecordMetadata> ack : acks) {
            try {
                ack.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                throw new IllegalStateException("Kafka did not acknowledge outbox rows: " + e.getMessage(), e);
            }
        }
        named.update("DELETE FROM outbox WHERE id IN (:ids)",
                Map.of("ids", rows.stream().map(OutboxRow::id).toList()));
        return rows.size();
    }

    record OutboxRow(long id, String topic, String key, String payload) {
    }
}
