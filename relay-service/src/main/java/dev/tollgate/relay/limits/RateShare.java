package dev.tollgate.relay.limits;

import dev.tollgate.contracts.events.RateCounts;
import dev.tollgate.contracts.events.UnreadableEventException;
import dev.tollgate.relay.kafka.KafkaClientProperties;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shares this relay's rate-limit window counts with the other relays and keeps theirs: every {@code interval} it
 * publishes one record (more parts when many scopes are active) keyed by its relay id on the rate-limit topic, and a
 * consumer of its own (manual assignment of every partition, no group, from the end: old counts are worthless) hands
 * every other relay's records to {@link PeerCounts}. Each side runs on a daemon thread and rebuilds its Kafka client
 * after a failure; while Kafka is unreachable every relay enforces the limits on its own counts, and the others'
 * age out after {@code PeerCounts}' staleness bound.
 */
public class RateShare {

    private static final Logger log = LoggerFactory.getLogger(RateShare.class);
    /** Keeps one record well under Kafka's default 1 MB message size (about 60 bytes a scope). */
    static final int SCOPES_PER_RECORD = 5_000;
    private static final Duration POLL = Duration.ofMillis(100);
    private static final long RETRY_MS = 1_000;

    private final RateLimiter limiter;
    private final PeerCounts peers;
    private final String relayId;
    private final String topic;
    private final Supplier<Producer<String, byte[]>> producers;
    private final Supplier<Consumer<String, byte[]>> consumers;
    private final long intervalMs;
    private final Clock clock;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean running;
    private volatile boolean following;
    private Producer<String, byte[]> producer;
    private volatile Consumer<String, byte[]> consumer;
    private Thread publisherThread;
    private Thread consumerThread;

    public RateShare(RateLimiter limiter, PeerCounts peers, String relayId, String topic,
            Supplier<Producer<String, byte[]>> producers, Supplier<Consumer<String, byte[]>> consumers,
            Duration interval, Clock clock) {
        this.limiter = limiter;
        this.peers = peers;
        this.relayId = relayId;
        this.topic = topic;
        this.producers = producers;
        this.consumers = consumers;
        this.intervalMs = interval.toMillis();
        this.clock = clock;
    }

    /** Sharing over the given cluster every {@code interval}. */
    public static RateShare kafka(String bootstrap, String kafkaAuth, String topic, String relayId,
            RateLimiter limiter, PeerCounts peers, Duration interval, Clock clock) {
        Properties producer = KafkaClientProperties.producer(bootstrap, kafkaAuth,
                "tollgate-relay-ratelimits-" + relayId);
        // Counts are stale after a second: no retries, no waiting on a broker that is away.
        producer.put(ProducerConfig.ACKS_CONFIG, "1");
        producer.put(ProducerConfig.RETRIES_CONFIG, "0");
        producer.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false");
        producer.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        producer.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "1000");
        producer.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "2000");
        producer.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "3000");
        Properties consumer = KafkaClientProperties.consumer(bootstrap, kafkaAuth,
                "tollgate-relay-ratelimits-" + relayId);
        consumer.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        consumer.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "50");
        consumer.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "5000");
        return new RateShare(limiter, peers, relayId, topic, () -> new KafkaProducer<>(producer),
                () -> new KafkaConsumer<>(consumer), interval, clock);
    }

    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        publisherThread = new Thread(this::publishLoop, "tollgate-ratelimits-publisher");
        publisherThread.setDaemon(true);
        publisherThread.start();
        consumerThread = new Thread(this::consumeLoop, "tollgate-ratelimits-follower");
        consumerThread.setDaemon(true);
        consumerThread.start();
    }

    /** True while the consumer is assigned and its last poll succeeded: other relays' counts are arriving. */
    public boolean following() {
        return following;
    }

    public synchronized void stop() {
        running = false;
        stopped.countDown();
        Consumer<String, byte[]> current = consumer;
        if (current != null) {
            current.wakeup();
        }
        join(publisherThread);
        join(consumerThread);
    }

    /** One tick: this relay's counts, in as many parts as needed; nothing when no limited scope had traffic. */
    List<RateCounts> tick() {
        List<RateCounts.Scope> scopes = limiter.windowCounts();
        if (scopes.isEmpty()) {
            return List.of();
        }
        long tick = clock.millis();
        int parts = (scopes.size() + SCOPES_PER_RECORD - 1) / SCOPES_PER_RECORD;
        List<RateCounts> records = new ArrayList<>(parts);
        for (int part = 0; part < parts; part++) {
            List<RateCounts.Scope> slice = scopes.subList(part * SCOPES_PER_RECORD,
                    Math.min(scopes.size(), (part + 1) * SCOPES_PER_RECORD));
            records.add(RateCounts.of(relayId, tick, part, parts, clock.instant(), RateWindow.WINDOW_MS, slice));
        }
        return records;
    }

    private void publishLoop() {
        long next = System.nanoTime();
        while (running) {
            try {
                publish(tick());
            } catch (RuntimeException e) {
                log.debug("Could not publish rate-limit counts: {}", e.toString());
                closeProducer();
            }
            next += TimeUnit.MILLISECONDS.toNanos(intervalMs);
            pause(Math.max(0, TimeUnit.NANOSECONDS.toMillis(next - System.nanoTime())));
            if (next < System.nanoTime()) {
                next = System.nanoTime();
            }
        }
        closeProducer();
    }

    private void publish(List<RateCounts> records) {
        if (records.isEmpty()) {
            return;
        }
        if (producer == null) {
            producer = producers.get();
        }
        for (RateCounts counts : records) {
            producer.send(new ProducerRecord<>(topic, relayId, counts.encode()), (metadata, error) -> {
                if (error != null) {
                    log.debug("Rate-limit counts not delivered: {}", error.toString());
                }
            });
        }
    }

    private void consumeLoop() {
        while (running) {
            try {
                follow();
            } catch (RuntimeException e) {
                following = false;
                if (running) {
                    log.warn("Rate-limit follower failed ({}); rebuilding its consumer in {} ms", e.toString(),
                            RETRY_MS);
                    closeConsumer();
                    pause(RETRY_MS);
                }
            }
        }
        following = false;
        closeConsumer();
    }

    private void follow() {
        Consumer<String, byte[]> current = consumer;
        if (current == null) {
            current = consumers.get();
            consumer = current;
        }
        List<TopicPartition> partitions = partitions(current);
        while (running && partitions.isEmpty()) {
            pause(RETRY_MS);
            partitions = partitions(current);
        }
        current.assign(partitions);
        current.seekToEnd(partitions);
        while (running) {
            for (ConsumerRecord<String, byte[]> record : current.poll(POLL)) {
                accept(record);
            }
            following = true;
        }
    }

    private List<TopicPartition> partitions(Consumer<String, byte[]> current) {
        List<PartitionInfo> infos = current.partitionsFor(topic);
        if (infos == null) {
            return List.of();
        }
        return infos.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
    }

    private void accept(ConsumerRecord<String, byte[]> record) {
        try {
            peers.accept(RateCounts.decode(record.value()), clock.millis());
        } catch (UnreadableEventException e) {
            log.debug("Skipping unreadable rate counts at {}-{}@{}: {}", record.topic(), record.partition(),
                    record.offset(), e.getMessage());
        }
    }

    private void closeProducer() {
        Producer<String, byte[]> current = producer;
        producer = null;
        if (current != null) {
            try {
                current.close(Duration.ofSeconds(1));
            } catch (RuntimeException e) {
                log.debug("Closing the rate-limit producer failed: {}", e.toString());
            }
        }
    }

    private void closeConsumer() {
        Consumer<String, byte[]> current = consumer;
        consumer = null;
        if (current != null) {
            try {
                current.close(Duration.ofSeconds(1));
            } catch (RuntimeException e) {
                log.debug("Closing the rate-limit consumer failed: {}", e.toString());
            }
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

    private static void join(Thread thread) {
        if (thread == null) {
            return;
        }
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
