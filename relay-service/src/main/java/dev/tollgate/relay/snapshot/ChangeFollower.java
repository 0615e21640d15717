package dev.tollgate.relay.snapshot;

import dev.tollgate.contracts.events.ChangeEnvelope;
import dev.tollgate.contracts.events.EventCodec;
import dev.tollgate.contracts.events.UnreadableEventException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the changes topic on one thread with a plain consumer: manual assignment of every partition, no
 * consumer group (every relay reads everything), starting at the offsets captured before the snapshot was
 * loaded so nothing committed in between is missed.
 */
public class ChangeFollower {

    private static final Logger log = LoggerFactory.getLogger(ChangeFollower.class);
    private static final Duration POLL = Duration.ofMillis(100);
    private static final long TOPIC_RECHECK_MS = 500;

    private final String topic;
    private final RelaySnapshot snapshot;
    private final KafkaConsumer<String, byte[]> consumer;
    private final Map<MetricName, ? extends Metric> metrics;
    private volatile Map<TopicPartition, Long> startOffsets;
    private volatile boolean running;
    private volatile boolean following;
    private Thread thread;

    public ChangeFollower(String bootstrap, String topic, String relayId, RelaySnapshot snapshot) {
        this.topic = topic;
        this.snapshot = snapshot;
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "tollgate-relay-changes-" + relayId);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "10000");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        this.consumer = new KafkaConsumer<>(props);
        // A live view, read from the health endpoint's thread without touching the (single-threaded) consumer.
        this.metrics = consumer.metrics();
    }

    /**
     * Step one of the start: where the topic ends now. Empty when the topic does not exist yet, in which case
     * it is followed from its beginning once it appears.
     */
    void captureEndOffsets() {
        List<PartitionInfo> partitions = consumer.partitionsFor(topic);
        Map<TopicPartition, Long> offsets = new HashMap<>();
        if (partitions != null && !partitions.isEmpty()) {
            List<TopicPartition> tps = partitions.stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition()))
                    .toList();
            offsets.putAll(consumer.endOffsets(tps));
        }
        startOffsets = offsets;
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

    public boolean following() {
        return following;
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
        consumer.wakeup();
        if (thread != null) {
            try {
                thread.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void run() {
        try {
            while (running && !assign()) {
                waitForTopic();
            }
            following = true;
            while (running) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
                    applyRecord(record);
                }
            }
        } catch (WakeupException e) {
            // stop() was called
        } catch (RuntimeException e) {
            log.error("Changes follower stopped: {}", e.toString());
        } finally {
            following = false;
            consumer.close(Duration.ofSeconds(2));
        }
    }

    /** Assigns every partition and seeks to the start offsets; false while the topic does not exist. */
    private boolean assign() {
        Map<TopicPartition, Long> offsets = startOffsets;
        if (offsets.isEmpty()) {
            List<PartitionInfo> partitions = consumer.partitionsFor(topic);
            if (partitions == null || partitions.isEmpty()) {
                return false;
            }
            // The topic appeared after the snapshot was loaded: all of it is newer than the snapshot.
            offsets = new HashMap<>();
            for (PartitionInfo p : partitions) {
                offsets.put(new TopicPartition(p.topic(), p.partition()), 0L);
            }
            log.info("Changes topic {} appeared; following it from the beginning", topic);
        }
        consumer.assign(offsets.keySet());
        offsets.forEach(consumer::seek);
        log.info("Following {} from offsets {}", topic, offsets);
        return true;
    }

    private void waitForTopic() {
        try {
            Thread.sleep(TOPIC_RECHECK_MS);
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
