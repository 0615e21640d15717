package dev.tollgate.admin.commands;

import dev.tollgate.contracts.events.Change;
import dev.tollgate.contracts.events.ChangeEnvelope;
import dev.tollgate.contracts.events.EventCodec;
import dev.tollgate.contracts.events.UnreadableEventException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread per admin instance that reads the whole changes topic: every partition assigned
 * by hand (no consumer group), starting at the end, since only results of commands sent after start matter.
 */
final class ChangesFollower implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ChangesFollower.class);
    private static final Duration POLL = Duration.ofMillis(100);
    private static final long ASSIGN_RETRY_MS = 1000;

    private final KafkaConsumer<String, byte[]> consumer;
    private final String topic;
    private final Consumer<Change> sink;
    private final CountDownLatch positioned = new CountDownLatch(1);
    private final Thread thread;
    private volatile boolean running = true;

    ChangesFollower(Map<String, Object> clientProperties, String topic, Consumer<Change> sink) {
        Map<String, Object> props = new java.util.HashMap<>(clientProperties);
        props.put("key.deserializer", StringDeserializer.class.getName());
        props.put("value.deserializer", ByteArrayDeserializer.class.getName());
        props.put("enable.auto.commit", "false");
        // The ledger creates the topics; a reader must not create them with broker defaults.
        props.put("allow.auto.create.topics", "false");
        props.put("client.id", "tollgate-admin-changes-" + Long.toHexString(System.nanoTime()));
        this.consumer = new KafkaConsumer<>(props);
        this.topic = topic;
        this.sink = sink;
        this.thread = new Thread(this::run, "tollgate-admin-changes");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** True once every partition is assigned and positioned at its end: commands sent after this are safe. */
    boolean awaitPositioned(Duration timeout) throws InterruptedException {
        return positioned.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    boolean isPositioned() {
        return positioned.getCount() == 0;
    }

    private void run() {
        try {
            assignAtEnd();
            while (running) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
                    dispatch(record);
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.error("changes follower stopped", e);
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    private void assignAtEnd() throws InterruptedException {
        boolean warned = false;
        while (running) {
            List<PartitionInfo> infos;
            try {
                infos = consumer.partitionsFor(topic, Duration.ofSeconds(5));
            } catch (WakeupException e) {
                throw e;
            } catch (RuntimeException e) {
                infos = List.of();
            }
            if (infos != null && !infos.isEmpty()) {
                List<TopicPartition> partitions = infos.stream()
                        .map(i -> new TopicPartition(i.topic(), i.partition()))
                        .toList();
                consumer.assign(partitions);
                consumer.seekToEnd(partitions);
                // seekToEnd is lazy: resolve the positions now, so a result written after this point is read.
                partitions.forEach(consumer::position);
                positioned.countDown();
                log.info("following {} ({} partitions) from the end", topic, partitions.size());
                return;
            }
            if (!warned) {
                log.warn("topic {} does not exist yet (the ledger creates it at start); retrying", topic);
                warned = true;
            }
            // A retry loop on our own background thread, not request-path synchronisation.
            Thread.sleep(ASSIGN_RETRY_MS);
        }
    }

    private void dispatch(ConsumerRecord<String, byte[]> record) {
        ChangeEnvelope envelope;
        try {
            envelope = EventCodec.decodeChange(record.value());
        } catch (UnreadableEventException e) {
            log.debug("skipping unreadable change at {}-{}@{}: {}", record.topic(), record.partition(),
                    record.offset(), e.getMessage());
            return;
        }
        if (envelope.payload() != null) {
            sink.accept(envelope.payload());
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
