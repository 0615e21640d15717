package dev.tollgate.relay.snapshot;

import dev.tollgate.contracts.events.ChangeEnvelope;
import dev.tollgate.contracts.events.EventCodec;
import dev.tollgate.contracts.events.UnreadableEventException;
import dev.tollgate.contracts.kafka.KafkaAuth;
import dev.tollgate.relay.kafka.KafkaClientProperties;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the changes topic on one thread with a plain consumer: manual assignment of every partition, no
 * consumer group (every relay reads everything), starting at the offsets captured before the snapshot was
 * loaded so nothing committed in between is missed.
 *
 * <p>Self-healing: when the consumer fails, it is closed and a new one resumes after the last change applied on
 * each partition (or at the captured start offsets where none was), after a backoff that doubles up to a limit.
 * The relay keeps serving from its snapshot meanwhile; the health details say whether changes are followed.
 */
public class ChangeFollower {

    private static final Logger log = LoggerFactory.getLogger(ChangeFollower.class);
    private static final Duration POLL = Duration.ofMillis(100);
    private static final long TOPIC_RECHECK_MS = 500;
    static final Duration FIRST_BACKOFF = Duration.ofMillis(500);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(10);

    private final Supplier<Consumer<String, byte[]>> consumers;
    private final String topic;
    private final RelaySnapshot snapshot;
    private final long firstBackoffMs;
    private final long maxBackoffMs;
    /** Per partition, the offset after the last change applied: where a rebuilt consumer resumes. */
    private final Map<TopicPartition, Long> nextOffsets = new ConcurrentHashMap<>();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile Consumer<String, byte[]> consumer;
    // A live view, read from the health endpoint's thread without touching the (single-threaded) consumer.
    private volatile Map<MetricName, ? extends Metric> metrics = Map.of();
    private volatile Map<TopicPartition, Long> startOffsets;
    private volatile boolean running;
    private volatile boolean following;
    private volatile Instant lastPollAt;
    private volatile Instant lastChangeAt;
    private volatile String lastFailure;
    private long backoffMs;
    private Thread thread;

    /**
     * @param consumers makes a new consumer: once at the start, and again after each failure
     */
    public ChangeFollower(Supplier<Consumer<String, byte[]>> consumers, String topic, RelaySnapshot snapshot,
            Duration firstBackoff, Duration maxBackoff) {
        this.consumers = consumers;
        this.topic = topic;
        this.snapshot = snapshot;
        this.firstBackoffMs = firstBackoff.toMillis();
        this.maxBackoffMs = maxBackoff.toMillis();
        this.backoffMs = firstBackoffMs;
    }

    /** A follower of {@code topic} on the given cluster, backing off from 0.5 s to 10 s between rebuilds. */
    public static ChangeFollower kafka(String bootstrap, String topic, String relayId, RelaySnapshot snapshot) {
        return kafka(bootstrap, KafkaAuth.NONE, topic, relayId, snapshot);
    }

    /** The same, authenticating as TOLLGATE_KAFKA_AUTH says ({@code none} or {@code msk-iam}). */
    public static ChangeFollower kafka(String bootstrap, String kafkaAuth, String topic, String relayId,
            RelaySnapshot snapshot) {
        Properties props = consumerProperties(bootstrap, kafkaAuth, relayId);
        return new ChangeFollower(() -> new KafkaConsumer<>(props), topic, snapshot, FIRST_BACKOFF, MAX_BACKOFF);
    }

    static Properties consumerProperties(String bootstrap, String kafkaAuth, String relayId) {
        Properties props = KafkaClientProperties.consumer(bootstrap, kafkaAuth, "tollgate-relay-changes-" + relayId);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "10000");
        return props;
    }

    /**
     * Step one of the start: where the topic ends now, given {@code deadline} to find out. Empty when the topic
     * does not exist yet or Kafka cannot be reached: then it is followed from its beginning once it can be
     * (replaying changes the snapshot already holds is harmless: entities carry versions), so a relay started
     * during a Kafka outage still loads its snapshot and serves.
     *
     * @return false when Kafka could not be reached in time
     */
    boolean captureEndOffsets(Duration deadline) {
        Map<TopicPartition, Long> offsets = new HashMap<>();
        try {
            Consumer<String, byte[]> current = consumer();
            List<PartitionInfo> partitions = current.partitionsFor(topic, deadline);
            if (partitions != null && !partitions.isEmpty()) {
                List<TopicPartition> tps = partitions.stream()
                        .map(p -> new TopicPartition(p.topic(), p.partition()))
                        .toList();
                offsets.putAll(current.endOffsets(tps, deadline));
            }
            startOffsets = offsets;
            return true;
        } catch (KafkaException e) {
            log.warn("Kafka not reachable while loading the snapshot ({}): the changes topic will be followed from"
                    + " its beginning once it is", e.toString());
            closeConsumer();
            startOffsets = Map.of();
            return false;
        }
    }

    /** Step three: follow from the captured offsets on a thread of its own. */
    synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        thread = new Thread(this::run, "tollgate-changes-follower");
        thread.setDaemon(true);
        thread.start();
    }

    /** True while the consumer is assigned and its last poll succeeded (false while it is being rebuilt). */
    public boolean following() {
        return following;
    }

    /** When a poll last returned without failing (null before the first). */
    public Instant lastPollAt() {
        return lastPollAt;
    }

    /** When a change was last applied (null before the first). */
    public Instant lastChangeAt() {
        return lastChangeAt;
    }

    /** The failure that made the consumer be rebuilt last, or null. */
    public String lastFailure() {
        return lastFailure;
    }

    /** True while the consumer has a live connection to a broker. */
    public boolean connected() {
        try {
            for (Map.Entry<MetricName, ? extends Metric> e : metrics.entrySet()) {
                if ("connection-count".equals(e.getKey().name())
                        && e.getValue().metricValue() instanceof Double count && count > 0) {
                    return true;
                }
            }
        } catch (RuntimeException e) {
            return false;
        }
        return false;
    }

    public synchronized void stop() {
        running = false;
        stopped.countDown();
        Consumer<String, byte[]> current = consumer;
        if (thread == null) {
            closeConsumer();
            return;
        }
        if (current != null) {
            current.wakeup();
        }
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        while (running) {
            try {
                follow();
            } catch (RuntimeException e) {
                if (running) {
                    recover(e);
                }
                // else: stop() woke the consumer up
            }
        }
        following = false;
        closeConsumer();
    }

    /** Assigns, then polls and applies until stopped; a failure goes up to {@link #run}, which rebuilds. */
    private void follow() {
        Consumer<String, byte[]> current = consumer();
        while (running && !assign(current)) {
            pause(TOPIC_RECHECK_MS);
        }
        while (running) {
            ConsumerRecords<String, byte[]> records = current.poll(POLL);
            lastPollAt = Instant.now();
            following = true;
            backoffMs = firstBackoffMs;
            for (ConsumerRecord<String, byte[]> record : records) {
                applyRecord(record);
                nextOffsets.put(new TopicPartition(record.topic(), record.partition()), record.offset() + 1);
                lastChangeAt = Instant.now();
            }
        }
    }

    /** The consumer failed: drop it, wait, and let the next {@link #follow} build a new one. */
    private void recover(RuntimeException e) {
        following = false;
        lastFailure = e.getClass().getSimpleName() + ": " + e.getMessage();
        log.warn("Changes follower failed ({}); rebuilding its consumer in {} ms", lastFailure, backoffMs);
        closeConsumer();
        pause(backoffMs);
        backoffMs = Math.min(backoffMs * 2, maxBackoffMs);
    }

    /** The current consumer, made when there is none. */
    private Consumer<String, byte[]> consumer() {
        Consumer<String, byte[]> current = consumer;
        if (current == null) {
            current = consumers.get();
            consumer = current;
            metrics = current.metrics();
        }
        return current;
    }

    private void closeConsumer() {
        Consumer<String, byte[]> current = consumer;
        consumer = null;
        if (current == null) {
            return;
        }
        try {
            current.close(Duration.ofSeconds(2));
        } catch (RuntimeException e) {
            log.debug("Closing the changes consumer failed: {}", e.toString());
        }
    }

    /**
     * Assigns every partition and seeks each to the offset after its last applied change, else to its start
     * offset; false while the topic does not exist.
     */
    private boolean assign(Consumer<String, byte[]> current) {
        Map<TopicPartition, Long> offsets = startOffsets;
        if (offsets.isEmpty()) {
            List<PartitionInfo> partitions = current.partitionsFor(topic);
            if (partitions == null || partitions.isEmpty()) {
                return false;
            }
            // The topic appeared (or Kafka came back) after the snapshot was loaded: replay all of it.
            offsets = new HashMap<>();
            for (PartitionInfo p : partitions) {
                offsets.put(new TopicPartition(p.topic(), p.partition()), 0L);
            }
            startOffsets = offsets;
            log.info("Changes topic {} appeared; following it from the beginning", topic);
        }
        Map<TopicPartition, Long> positions = new HashMap<>(offsets);
        positions.putAll(nextOffsets);
        current.assign(positions.keySet());
        positions.forEach(current::seek);
        log.info("Following {} from offsets {}", topic, positions);
        return true;
    }

    /** Waits, unless stop() comes first. */
    private void pause(long ms) {
        try {
            stopped.await(ms, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    private void applyRecord(ConsumerRecord<String, byte[]> record) {
        try {
            ChangeEnvelope envelope = EventCodec.decodeChange(record.value());
            if (envelope.payload() != null) {
                snapshot.apply(envelope.payload());
            }
        } catch (UnreadableEventException e) {
            log.warn("Skipping unreadable change at {}-{}@{}: {}", record.topic(), record.partition(),
                    record.offset(), e.getMessage());
        } catch (RuntimeException e) {
            log.warn("Could not apply change at {}-{}@{}: {}", record.topic(), record.partition(), record.offset(),
                    e.toString());
        }
    }
}
