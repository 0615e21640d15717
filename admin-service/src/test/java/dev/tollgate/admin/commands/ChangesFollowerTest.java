package dev.tollgate.admin.commands;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tollgate.contracts.events.Change;
import dev.tollgate.contracts.events.ChangeEnvelope;
import dev.tollgate.contracts.events.EventCodec;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

class ChangesFollowerTest {

    private static final String TOPIC = "test.tollgate.changes.v1";
    private static final Duration DEADLINE = Duration.ofSeconds(10);
    private static final TopicPartition P0 = new TopicPartition(TOPIC, 0);
    private static final TopicPartition P1 = new TopicPartition(TOPIC, 1);

    private final List<PollingMockConsumer> built = new CopyOnWriteArrayList<>();
    private final List<Change> seen = new CopyOnWriteArrayList<>();

    @Test
    void shouldRebuildTheConsumerAtTheEndAndKeepDeliveringWhenPollThrows() {
        try (ChangesFollower follower = follower(this::newConsumer)) {
            follower.start();
            await().atMost(DEADLINE).until(follower::isPositioned);
            PollingMockConsumer first = built.get(0);
            first.addRecord(record(P0, first.endOffset(P0), "before"));
            await().atMost(DEADLINE).until(() -> seen.size() == 1);

            first.setPollException(new KafkaException("broker went away"));

            await().atMost(DEADLINE).until(() -> built.size() == 2 && follower.isPositioned());
            PollingMockConsumer second = built.get(1);
            assertThat(first.closed()).isTrue();
            assertThat(second.assignment()).containsExactlyInAnyOrder(P0, P1);
            assertThat(second.position(P0)).isEqualTo(second.endOffset(P0));
            assertThat(second.position(P1)).isEqualTo(second.endOffset(P1));
            second.addRecord(record(P1, second.endOffset(P1), "after"));
            await().atMost(DEADLINE).until(() -> seen.size() == 2);
            assertThat(seen).extracting(c -> ((Change.CommandResult) c).commandId()).containsExactly("before", "after");
            ChangesFollower.Status status = follower.status();
            assertThat(status.following()).isTrue();
            assertThat(status.restarts()).isEqualTo(1);
            assertThat(status.lastError()).contains("broker went away");
        }
        assertThat(built).allMatch(MockConsumer::closed);
    }

    @Test
    void shouldKeepTryingWhenBuildingTheConsumerFailsToo() {
        AtomicInteger builds = new AtomicInteger();
        Supplier<Consumer<String, byte[]>> flaky = () -> {
            int n = builds.incrementAndGet();
            if (n == 2 || n == 3) {
                throw new KafkaException("cannot reach the broker");
            }
            return newConsumer();
        };
        try (ChangesFollower follower = follower(flaky)) {
            follower.start();
            await().atMost(DEADLINE).until(follower::isPositioned);

            built.get(0).setPollException(new KafkaException("connection reset"));

            await().atMost(DEADLINE).until(() -> builds.get() == 4 && follower.isPositioned());
            assertThat(follower.status().restarts()).isEqualTo(3);
            built.get(1).addRecord(record(P0, built.get(1).endOffset(P0), "recovered"));
            await().atMost(DEADLINE).until(() -> seen.size() == 1);
        }
    }

    @Test
    void shouldTellTheListenerEachTimeAFreshConsumerIsPositionedSoItCanReloadWhatItMissed() {
        AtomicInteger positionings = new AtomicInteger();
        try (ChangesFollower follower = new ChangesFollower(this::newConsumer, TOPIC, seen::add,
                new Backoff(Duration.ofMillis(20), Duration.ofMillis(80)), positionings::incrementAndGet)) {
            follower.start();
            await().atMost(DEADLINE).until(() -> positionings.get() == 1);

            built.get(0).setPollException(new KafkaException("broker went away"));

            await().atMost(DEADLINE).until(() -> positionings.get() == 2 && follower.isPositioned());
            assertThat(built).hasSize(2);
        }
    }

    @Test
    void shouldReportDownWithDetailsWhenNotFollowing() {
        Health down = ChangesFollowerHealthIndicator.health(
                new ChangesFollower.Status(false, 2, "KafkaException: boom", Instant.parse("2030-01-01T00:00:00Z")));
        Health up = ChangesFollowerHealthIndicator.health(new ChangesFollower.Status(true, 0, null, null));

        assertThat(down.getStatus()).isEqualTo(Status.DOWN);
        assertThat(down.getDetails()).containsEntry("following", false).containsEntry("restarts", 2L)
                .containsEntry("lastError", "KafkaException: boom");
        assertThat(up.getStatus()).isEqualTo(Status.UP);
        assertThat(up.getDetails()).containsEntry("following", true).doesNotContainKey("lastError");
    }

    private ChangesFollower follower(Supplier<Consumer<String, byte[]>> consumers) {
        return new ChangesFollower(consumers, TOPIC, seen::add,
                new Backoff(Duration.ofMillis(20), Duration.ofMillis(80)));
    }

    /** Each consumer sees a topic that has grown since the last one: it must start at the new end. */
    private PollingMockConsumer newConsumer() {
        PollingMockConsumer consumer = new PollingMockConsumer();
        consumer.updatePartitions(TOPIC, List.of(partition(0), partition(1)));
        long grown = 10L * (built.size() + 1);
        consumer.updateEndOffsets(Map.of(P0, 100 + grown, P1, 50 + grown));
        built.add(consumer);
        return consumer;
    }

    private static PartitionInfo partition(int p) {
        return new PartitionInfo(TOPIC, p, null, null, null);
    }

    private static ConsumerRecord<String, byte[]> record(TopicPartition tp, long offset, String commandId) {
        Change.CommandResult result = Change.CommandResult.ok(commandId, "user", "1", 1);
        return new ConsumerRecord<>(tp.topic(), tp.partition(), offset, result.entityKey(),
                EventCodec.encode(ChangeEnvelope.of(result)));
    }

    /** A MockConsumer whose empty polls take a moment, as a real poll does, instead of spinning. */
    private static final class PollingMockConsumer extends MockConsumer<String, byte[]> {

        private final Map<TopicPartition, Long> ends = new java.util.concurrent.ConcurrentHashMap<>();

        PollingMockConsumer() {
            super("latest");
        }

        @Override
        public synchronized void updateEndOffsets(Map<TopicPartition, Long> newOffsets) {
            ends.putAll(newOffsets);
            super.updateEndOffsets(newOffsets);
        }

        long endOffset(TopicPartition tp) {
            return ends.get(tp);
        }

        @Override
        public ConsumerRecords<String, byte[]> poll(Duration timeout) {
            ConsumerRecords<String, byte[]> records = super.poll(timeout);
            if (records.isEmpty()) {
                LockSupport.parkNanos(Duration.ofMillis(5).toNanos());
            }
            return records;
        }
    }
}
