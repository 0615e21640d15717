package dev.tollgate.admin.commands;

import dev.tollgate.contracts.events.Change;
import dev.tollgate.contracts.events.ChangeEnvelope;
import dev.tollgate.contracts.events.EventCodec;
import dev.tollgate.contracts.events.UnreadableEventException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
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
 * by hand (no consumer group), starting at the end, since only results of commands sent after matter.
 * When the consumer fails it is closed and a new one is built and positioned at the end again, after
 * a backoff; until then {@link #status()} says it is not following, so writes wait or answer 503.
 */
final class ChangesFollower implements AutoCloseable {

    static final Duration FIRST_RETRY = Duration.ofMillis(500);
    static final Duration MAX_RETRY = Duration.ofSeconds(10);
    private static final Logger log = LoggerFactory.getLogger(ChangesFollower.class);
    private static final Duration POLL = Duration.ofMillis(100);
    private static final Duration ASSIGN_RETRY = Duration.ofSeconds(1);

    /** What health shows: following, how often the consumer was rebuilt, and the last failure. */
    record Status(boolean following, long restarts, String lastError, Instant lastErrorAt) {
    }

    private final Supplier<Consumer<String, byte[]>> consumers;
    private final String topic;
    private final java.util.function.Consumer<Change> sink;
    private final Backoff backoff;
    private final Runnable onPositioned;
    private final Thread thread;
    private final CountDownLatch closing = new CountDownLatch(1);
    private final AtomicLong restarts = new AtomicLong();
    private volatile CompletableFuture<Void> positioned = new CompletableFuture<>();
    private volatile Consumer<String, byte[]> current;
    private volatile String lastError;
    private volatile Instant lastErrorAt;

    ChangesFollower(Map<String, Object> clientProperties, String topic, java.util.function.Consumer<Change> sink,
            Runnable onPositioned) {
        this(kafkaConsumers(clientProperties), topic, sink, new Backoff(FIRST_RETRY, MAX_RETRY), onPositioned);
    }

    ChangesFollower(Supplier<Consumer<String, byte[]>> consumers, String topic,
            java.util.function.Consumer<Change> sink, Backoff backoff) {
        this(consumers, topic, sink, backoff, () -> { });
    }

    /**
     * {@code onPositioned} runs on the follower's thread each time a (new) consumer is positioned at the end: what was
     * committed before that point is not read from the topic, so a listener reloads it from MySQL then.
     */
    ChangesFollower(Supplier<Consumer<String, byte[]>> consumers, String topic,
            java.util.function.Consumer<Change> sink, Backoff backoff, Runnable onPositioned) {
        this.consumers = consumers;
        this.topic = topic;
        this.sink = sink;
        this.backoff = backoff;
        this.onPositioned = onPositioned;
        this.thread = new Thread(this::run, "tollgate-admin-changes");
        this.thread.setDaemon(true);
    }

    private static Supplier<Consumer<String, byte[]>> kafkaConsumers(Map<String, Object> clientProperties) {
        return () -> {
            Map<String, Object> props = new HashMap<>(clientProperties);
            props.put("key.deserializer", StringDeserializer.class.getName());
            props.put("value.deserializer", ByteArrayDeserializer.class.getName());
            props.put("enable.auto.commit", "false");
            // The ledger creates the topics; a reader must not create them with broker defaults.
            props.put("allow.auto.create.topics", "false");
            props.put("client.id", "tollgate-admin-changes-" + Long.toHexString(System.nanoTime()));
            return new KafkaConsumer<>(props);
        };
    }

    void start() {
        thread.start();
    }

    /** True once every partition is assigned and positioned at its end: commands sent after this are safe. */
    boolean awaitPositioned(Duration timeout) throws InterruptedException {
        try {
            positioned.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            throw new IllegalStateException("never completed exceptionally", e);
        }
    }

    boolean isPositioned() {
        return positioned.isDone();
    }

    Status status() {
        return new Status(isPositioned(), restarts.get(), lastError, lastErrorAt);
    }

    private boolean isClosing() {
        return closing.getCount() == 0;
    }

    private void run() {
        while (!isClosing()) {
            Consumer<String, byte[]> consumer = null;
            Duration retryIn = null;
            try {
                consumer = consumers.get();
                current = consumer;
                // close() may have looked for a consumer to wake before this one existed.
                if (isClosing()) {
                    return;
                }
                follow(consumer);
            } catch (WakeupException e) {
                // close() woke the consumer; the loop ends since closing is set
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                retryIn = failed(e);
            } finally {
                notFollowing();
                current = null;
                closeQuietly(consumer);
            }
            if (retryIn != null && !pause(retryIn)) {
                return;
            }
        }
    }

    /** Positions a fresh consumer at the end and reads until closed or until it throws. */
    private void follow(Consumer<String, byte[]> consumer) throws InterruptedException {
        if (!assignAtEnd(consumer)) {
            return;
        }
        long followingSince = System.nanoTime();
        boolean settled = false;
        while (!isClosing()) {
            for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
                dispatch(record);
            }
            // Only a consumer that stayed healthy for a while resets the delay, so a broken one cannot spin.
            if (!settled && System.nanoTime() - followingSince >= backoff.max().toNanos()) {
                backoff.reset();
                settled = true;
            }
        }
    }

    private boolean assignAtEnd(Consumer<String, byte[]> consumer) throws InterruptedException {
        boolean warned = false;
        while (!isClosing()) {
            List<PartitionInfo> infos;
            try {
                infos = consumer.partitionsFor(topic, Duration.ofSeconds(5));
            } catch (WakeupException e) {
                throw e;
            } catch (RuntimeException e) {
                // The broker may not be up yet: the same wait as for a missing topic, not a rebuild.
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
                positioned.complete(null);
                log.info("following {} ({} partitions) from the end", topic, partitions.size());
                positionedHook();
                return true;
            }
            if (!warned) {
                log.warn("topic {} does not exist yet (the ledger creates it at start); retrying", topic);
                warned = true;
            }
            if (waitForClose(ASSIGN_RETRY)) {
                return false;
            }
        }
        return false;
    }

    private void positionedHook() {
        try {
            onPositioned.run();
        } catch (RuntimeException e) {
            log.warn("a listener failed when the changes topic was positioned: {}", e.toString());
        }
    }

    private Duration failed(RuntimeException e) {
        long n = restarts.incrementAndGet();
        // Time first: status() reads the error first, so an error it sees always has its time.
        lastErrorAt = Instant.now();
        lastError = e.toString();
        boolean firstInARow = backoff.isReset();
        Duration delay = backoff.next();
        if (firstInARow) {
            log.error("changes follower failed; rebuilding its consumer in {} ms (restart {})", delay.toMillis(), n, e);
        } else {
            log.warn("changes follower failed again ({}); rebuilding its consumer in {} ms (restart {})",
                    e.toString(), delay.toMillis(), n);
        }
        return delay;
    }

    private void notFollowing() {
        if (positioned.isDone()) {
            positioned = new CompletableFuture<>();
        }
    }

    /** Waits before the next consumer is built; false when the thread should end instead. */
    private boolean pause(Duration delay) {
        try {
            return !waitForClose(delay);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Waits the delay unless close() comes first; true when closing. */
    private boolean waitForClose(Duration delay) throws InterruptedException {
        return closing.await(delay.toMillis(), TimeUnit.MILLISECONDS);
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

    private static void closeQuietly(Consumer<String, byte[]> consumer) {
        if (consumer == null) {
            return;
        }
        try {
            consumer.close(Duration.ofSeconds(2));
        } catch (RuntimeException e) {
            log.debug("closing the changes consumer failed: {}", e.toString());
        }
    }

    @Override
    public void close() {
        closing.countDown();
        Consumer<String, byte[]> consumer = current;
        if (consumer != null) {
            try {
                consumer.wakeup();
            } catch (RuntimeException e) {
                log.debug("waking the changes consumer failed: {}", e.toString());
            }
        }
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
