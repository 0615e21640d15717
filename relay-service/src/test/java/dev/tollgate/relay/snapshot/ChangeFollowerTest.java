package dev.tollgate.relay.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tollgate.contracts.events.Change;
import dev.tollgate.contracts.events.ChangeEnvelope;
import dev.tollgate.contracts.events.EventCodec;
import dev.tollgate.contracts.money.Price;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

class ChangeFollowerTest {

    private static final String TOPIC = "changes";
    private static final TopicPartition P0 = new TopicPartition(TOPIC, 0);
    private static final TopicPartition P1 = new TopicPartition(TOPIC, 1);
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final RelaySnapshot snapshot = new RelaySnapshot(new EmptyRepository(), null, "relay-a", (u, s) -> { },
            10, 10, Duration.ofSeconds(30));
    /** The consumers the follower gets, in order: one at the start, one per rebuild. */
    private final BlockingQueue<Consumer<String, byte[]>> consumers = new LinkedBlockingQueue<>();
    /** Made when the queue is empty. */
    private volatile Supplier<PacedConsumer> fallback = PacedConsumer::new;
    private final AtomicInteger built = new AtomicInteger();
    private final ChangeFollower follower = new ChangeFollower(this::nextConsumer, TOPIC, snapshot,
            Duration.ofMillis(20), Duration.ofMillis(80));

    private Consumer<String, byte[]> nextConsumer() {
        built.incrementAndGet();
        Consumer<String, byte[]> next = consumers.poll();
        return next != null ? next : fallback.get();
    }

    @AfterEach
    void stop() {
        follower.stop();
    }

    /** A MockConsumer whose empty polls take a moment, as a real one's do, instead of spinning. */
    private static class PacedConsumer extends MockConsumer<String, byte[]> {
        PacedConsumer() {
            super("earliest");
            updatePartitions(TOPIC, List.of(partition(0), partition(1)));
        }

        @Override
        public synchronized ConsumerRecords<String, byte[]> poll(Duration timeout) {
            ConsumerRecords<String, byte[]> records = super.poll(timeout);
            if (records.isEmpty()) {
                LockSupport.parkNanos(Duration.ofMillis(5).toNanos());
            }
            return records;
        }
    }

    /** A consumer that can never poll: Kafka gone for good. */
    private static final class BrokenConsumer extends PacedConsumer {
        BrokenConsumer() {
            super();
        }

        @Override
        public synchronized ConsumerRecords<String, byte[]> poll(Duration timeout) {
            LockSupport.parkNanos(Duration.ofMillis(5).toNanos());
            throw new KafkaException("broker unreachable");
        }
    }

    /** A repository with nothing in it, so the snapshot can be "loaded" without MySQL. */
    private static final class EmptyRepository extends SnapshotRepository {
        EmptyRepository() {
            super(null);
        }

        @Override
        public Flux<ChannelRow> loadChannels() {
            return Flux.empty();
        }

        @Override
        public Flux<PriceEntry> loadPrices() {
            return Flux.empty();
        }

        @Override
        public Flux<GroupEntry> loadGroups() {
            return Flux.empty();
        }
    }

    private static PartitionInfo partition(int p) {
        return new PartitionInfo(TOPIC, p, Node.noNode(), new Node[0], new Node[0]);
    }

    private static ConsumerRecord<String, byte[]> priceChange(TopicPartition tp, long offset, String model) {
        Change change = new Change.PriceChanged(model, 1, Price.perMTok(1, 1), null);
        return new ConsumerRecord<>(TOPIC, tp.partition(), offset, change.entityKey(),
                EventCodec.encode(ChangeEnvelope.of(change)));
    }

    @Test
    void shouldResumeAfterLastAppliedChangeWithNewConsumerWhenPollFails() {
        PacedConsumer first = new PacedConsumer();
        first.updateEndOffsets(Map.of(P0, 5L, P1, 3L));
        PacedConsumer second = new PacedConsumer();
        consumers.add(first);
        consumers.add(second);

        follower.captureEndOffsets(WAIT);
        follower.start();
        await().atMost(WAIT).until(() -> first.assignment().size() == 2 && follower.following());
        first.addRecord(priceChange(P0, 5, "before-failure"));
        await().atMost(WAIT).until(() -> snapshot.price("before-failure").isPresent());
        assertThat(follower.lastChangeAt()).isNotNull();

        first.setPollException(new KafkaException("coordinator went away"));

        await().atMost(WAIT).until(() -> second.assignment().size() == 2);
        assertThat(first.closed()).as("the failed consumer is closed").isTrue();
        assertThat(second.position(P0)).as("after the last change applied").isEqualTo(6);
        assertThat(second.position(P1)).as("nothing applied there: the captured start").isEqualTo(3);
        second.addRecord(priceChange(P0, 6, "after-failure"));
        await().atMost(WAIT).until(() -> snapshot.price("after-failure").isPresent());
        assertThat(follower.following()).isTrue();
        assertThat(follower.lastFailure()).contains("coordinator went away");
    }

    @Test
    void shouldKeepRebuildingAndStayReadyWhenKafkaStaysDown() {
        PacedConsumer starter = new PacedConsumer();
        starter.updateEndOffsets(Map.of(P0, 0L, P1, 0L));
        starter.setPollException(new KafkaException("broker unreachable"));
        consumers.add(starter);
        fallback = BrokenConsumer::new;
        snapshot.loadWhole(WAIT);
        SnapshotHealthIndicator health = new SnapshotHealthIndicator(snapshot, follower,
                new SnapshotLoader(snapshot, follower));

        follower.captureEndOffsets(WAIT);
        follower.start();

        await().atMost(WAIT).until(() -> built.get() >= 4);
        assertThat(starter.closed()).isTrue();
        assertThat(follower.following()).isFalse();
        assertThat(health.health().getStatus().getCode()).as("readiness does not depend on Kafka").isEqualTo("UP");
        assertThat(health.health().getDetails())
                .containsEntry("changesFollowing", false)
                .containsKey("lastFollowFailure");
    }

    @Test
    void shouldShowFollowingAndLastPollInHealthWhenPolling() {
        PacedConsumer only = new PacedConsumer();
        only.updateEndOffsets(Map.of(P0, 0L, P1, 0L));
        consumers.add(only);
        SnapshotHealthIndicator health = new SnapshotHealthIndicator(snapshot, follower,
                new SnapshotLoader(snapshot, follower));

        follower.captureEndOffsets(WAIT);
        follower.start();

        await().atMost(WAIT).until(follower::following);
        assertThat(health.health().getDetails())
                .containsEntry("changesFollowing", true)
                .containsKey("lastPollAt")
                .doesNotContainKey("lastChangeAppliedAt");
    }

    /** A consumer that cannot reach Kafka to learn the topic's partitions: the outage at start. */
    private static final class UnreachableAtStartConsumer extends PacedConsumer {
        @Override
        public synchronized List<PartitionInfo> partitionsFor(String topic, Duration timeout) {
            throw new org.apache.kafka.common.errors.TimeoutException("Timeout expired while fetching topic metadata");
        }
    }

    @Test
    void shouldLoadWithoutOffsetsAndFollowFromBeginningWhenKafkaIsDownAtStart() {
        UnreachableAtStartConsumer unreachable = new UnreachableAtStartConsumer();
        PacedConsumer later = new PacedConsumer();
        later.updateBeginningOffsets(Map.of(P0, 0L, P1, 0L));
        consumers.add(unreachable);
        consumers.add(later);

        assertThat(follower.captureEndOffsets(Duration.ofMillis(100))).isFalse();
        assertThat(unreachable.closed()).as("the consumer that failed is not reused").isTrue();
        snapshot.loadWhole(WAIT);
        assertThat(snapshot.loaded()).as("ready without Kafka").isTrue();
        follower.start();

        await().atMost(WAIT).until(() -> later.assignment().size() == 2);
        assertThat(later.position(P0)).as("from the beginning").isZero();
        assertThat(later.position(P1)).isZero();
        later.addRecord(priceChange(P0, 0, "older-than-the-snapshot-maybe"));
        await().atMost(WAIT).until(() -> snapshot.price("older-than-the-snapshot-maybe").isPresent());
    }
}
