package dev.tollgate.admin.live;

import dev.tollgate.admin.config.KafkaSettings;
import dev.tollgate.contracts.events.EventCodec;
import dev.tollgate.contracts.events.UnreadableEventException;
import dev.tollgate.contracts.events.UsageEvent;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads {@code tollgate.usage.v1} for the live view: one thread, in a consumer group of this instance's own (so
 * every admin instance sees every event), from the end (only what happens from now on matters), committing nothing
 * (a restart starts at the end again, and the group leaves nothing behind on the broker). A failed consumer is
 * closed and rebuilt after a pause; an unreadable event is skipped, since the ledger already dead-letters it.
 */
final class LiveUsageConsumer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LiveUsageConsumer.class);
    private static final Duration POLL = Duration.ofMillis(100);
    private static final Duration RETRY = Duration.ofSeconds(2);

    private final Map<String, Object> clientProperties;
    private final String topic;
    private final String groupId;
    private final BiConsumer<UsageEvent, Long> sink;
    private final java.util.function.ToLongFunction<UsageEvent> costs;
    private final Thread thread;
    private final CountDownLatch closing = new CountDownLatch(1);
    private volatile KafkaConsumer<String, byte[]> current;
    private volatile boolean assigned;
    private volatile String lastError;

    LiveUsageConsumer(KafkaSettings kafka, java.util.function.ToLongFunction<UsageEvent> costs,
            BiConsumer<UsageEvent, Long> sink) {
        this.clientProperties = kafka.clientProperties();
        this.topic = kafka.topics().usage();
        this.groupId = "tollgate-admin-live-" + UUID.randomUUID();
        this.costs = costs;
        this.sink = sink;
        this.thread = new Thread(this::run, "tollgate-admin-live-usage");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** True while partitions of the usage topic are assigned: events from now on reach the windows. */
    boolean isFollowing() {
        return assigned;
    }

    String lastError() {
        return lastError;
    }

    String groupId() {
        return groupId;
    }

    private KafkaConsumer<String, byte[]> newConsumer() {
        Map<String, Object> props = new HashMap<>(clientProperties);
        props.put("group.id", groupId);
        props.put("client.id", groupId);
        props.put("key.deserializer", StringDeserializer.class.getName());
        props.put("value.deserializer", ByteArrayDeserializer.class.getName());
        props.put("enable.auto.commit", "false");
        props.put("auto.offset.reset", "latest");
        // The ledger creates the topic; until it exists, look again every few seconds instead of every 5 minutes.
        props.put("allow.auto.create.topics", "false");
        props.put("metadata.max.age.ms", "5000");
        return new KafkaConsumer<>(props);
    }

    private void run() {
        while (closing.getCount() > 0) {
            try (KafkaConsumer<String, byte[]> consumer = newConsumer()) {
                current = consumer;
                if (closing.getCount() == 0) {
                    return;
                }
                consumer.subscribe(List.of(topic), new Listener(consumer));
                while (closing.getCount() > 0) {
                    for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
                        dispatch(record);
                    }
                }
            } catch (WakeupException e) {
                // close() woke it
            } catch (RuntimeException e) {
                lastError = e.toString();
                log.warn("live usage consumer failed, rebuilding in {}: {}", RETRY, e.toString());
            } finally {
                assigned = false;
                current = null;
            }
            if (!pause()) {
                return;
            }
        }
    }

    private void dispatch(ConsumerRecord<String, byte[]> record) {
        UsageEvent event;
        try {
            event = EventCodec.decodeUsage(record.value());
        } catch (UnreadableEventException e) {
            log.debug("skipping unreadable usage event at {}-{}@{}: {}", record.topic(), record.partition(),
                    record.offset(), e.getMessage());
            return;
        }
        sink.accept(event, costs.applyAsLong(event));
    }

    private boolean pause() {
        try {
            return !closing.await(RETRY.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private final class Listener implements ConsumerRebalanceListener {
        private final KafkaConsumer<String, byte[]> consumer;

        Listener(KafkaConsumer<String, byte[]> consumer) {
            this.consumer = consumer;
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            assigned = false;
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            // "latest" is looked up lazily: resolve it now, so an event sent once we say we follow is read.
            partitions.forEach(consumer::position);
            assigned = !partitions.isEmpty();
            if (assigned) {
                log.info("following {} for the live view ({} partitions, group {})", topic, partitions.size(), groupId);
            }
        }
    }

    @Override
    public void close() {
        closing.countDown();
        KafkaConsumer<String, byte[]> c = current;
        if (c != null) {
            c.wakeup();
        }
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
