package dev.tollgate.relay.metering.spool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpoolSenderTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private final BlockingQueue<MockProducer<String, byte[]>> producers = new LinkedBlockingQueue<>();
    private UsageSpool spool;
    private SpoolSender sender;

    private static MockProducer<String, byte[]> producer(boolean autoComplete) {
        return new MockProducer<>(autoComplete, null, new StringSerializer(), new ByteArraySerializer());
    }

    /** While set, every new producer fails its sends: Kafka down for good. */
    private volatile boolean kafkaDown;

    private Producer<String, byte[]> next() {
        MockProducer<String, byte[]> p = producers.poll();
        if (p != null) {
            return p;
        }
        MockProducer<String, byte[]> fresh = producer(true);
        if (kafkaDown) {
            fresh.sendException = new TimeoutException("Topic usage not present in metadata after 3000 ms");
        }
        return fresh;
    }

    private void start() {
        spool = UsageSpool.open(dir, 1 << 20, 1 << 20);
        sender = new SpoolSender(spool, this::next, "usage", Duration.ofMillis(10), Duration.ofMillis(40));
        sender.start();
    }

    @AfterEach
    void stop() {
        if (sender != null) {
            sender.stop(Duration.ZERO);
            spool.close();
        }
    }

    private static List<String> payloads(MockProducer<String, byte[]> p) {
        return p.history().stream().map(r -> new String(r.value(), StandardCharsets.UTF_8)).toList();
    }

    @Test
    void shouldSendTheRequestsTraceparentAsARecordHeaderWhenTheEventWasTraced() {
        MockProducer<String, byte[]> only = producer(true);
        producers.add(only);
        start();
        String traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        spool.append(7, "{\"traced\":true}".getBytes(StandardCharsets.UTF_8), traceparent, false);
        spool.append(7, "{\"traced\":false}".getBytes(StandardCharsets.UTF_8), false);

        await().atMost(WAIT).until(() -> only.history().size() == 2);
        ProducerRecord<String, byte[]> traced = only.history().get(0);
        assertThat(new String(traced.headers().lastHeader("traceparent").value(), StandardCharsets.US_ASCII))
                .isEqualTo(traceparent);
        assertThat(payloads(only)).containsExactly("{\"traced\":true}", "{\"traced\":false}");
        assertThat(only.history().get(1).headers().lastHeader("traceparent")).isNull();
    }

    @Test
    void shouldSendInOrderKeyedByUserAndDrainSpoolWhenKafkaAcknowledges() {
        MockProducer<String, byte[]> only = producer(true);
        producers.add(only);
        start();
        for (int i = 0; i < 10; i++) {
            spool.append(40 + i % 2, ("e" + i).getBytes(StandardCharsets.UTF_8), false);
        }

        await().atMost(WAIT).until(() -> spool.spooledEvents() == 0);
        assertThat(payloads(only)).containsExactly("e0", "e1", "e2", "e3", "e4", "e5", "e6", "e7", "e8", "e9");
        assertThat(only.history()).extracting(ProducerRecord::key).startsWith("40", "41", "40");
        assertThat(sender.failing()).isFalse();
    }

    @Test
    void shouldRebuildProducerAndResendFromFirstUnacknowledgedWhenASendFails() {
        MockProducer<String, byte[]> failing = producer(false);
        MockProducer<String, byte[]> healthy = producer(true);
        producers.add(failing);
        producers.add(healthy);
        start();
        for (int i = 0; i < 4; i++) {
            spool.append(7, ("e" + i).getBytes(StandardCharsets.UTF_8), false);
        }
        await().atMost(WAIT).until(() -> failing.history().size() == 4);

        failing.completeNext(); // e0 acknowledged
        failing.errorNext(new TimeoutException("broker unreachable")); // e1 fails

        await().atMost(WAIT).until(() -> spool.spooledEvents() == 0);
        assertThat(failing.closed()).isTrue();
        assertThat(payloads(healthy)).as("resent in order from e1").containsExactly("e1", "e2", "e3");
        assertThat(sender.lastSendError()).contains("broker unreachable");
        assertThat(sender.failing()).isFalse();
    }

    @Test
    void shouldReplayUnacknowledgedEventsWhenStartedOnExistingSpool() {
        try (UsageSpool earlier = UsageSpool.open(dir, 1 << 20, 1 << 20)) {
            earlier.append(1, "left-behind-1".getBytes(StandardCharsets.UTF_8), false);
            earlier.append(1, "left-behind-2".getBytes(StandardCharsets.UTF_8), false);
        }
        MockProducer<String, byte[]> only = producer(true);
        producers.add(only);
        start();

        await().atMost(WAIT).until(() -> spool.spooledEvents() == 0);
        assertThat(payloads(only)).containsExactly("left-behind-1", "left-behind-2");
    }

    @Test
    void shouldShowFailingAndKeepEventsWhileKafkaIsDown() {
        kafkaDown = true;
        start();
        spool.append(1, "x".getBytes(StandardCharsets.UTF_8), false);

        await().atMost(WAIT).until(sender::failing);
        assertThat(spool.spooledEvents()).isEqualTo(1);
        assertThat(sender.lastSendError()).contains("not present in metadata");
        assertThat(sender.oldestUnackedAt()).isPositive();

        kafkaDown = false;
        await().atMost(WAIT).until(() -> spool.spooledEvents() == 0);
        assertThat(sender.failing()).isFalse();
    }

    @Test
    void shouldReportSpoolingWhenSendsHangWithoutFailing() {
        // A producer that takes the record but never hears back: a broker gone mid-request, before any timeout.
        producers.add(producer(false));
        start();
        spool.append(1, "x".getBytes(StandardCharsets.UTF_8), false);

        await().atMost(WAIT).until(() -> sender.oldestUnackedAt() > 0);
        long oldest = sender.oldestUnackedAt();
        assertThat(sender.failing()).isFalse();
        assertThat(sender.spooling(oldest + 100)).as("a fresh send is just publishing").isFalse();
        assertThat(sender.spooling(oldest + SpoolSender.STALLED_AFTER_MS + 1)).as("a stalled one is spooling").isTrue();
    }

    /** Fails its first send at once (as a metadata timeout does, through the callback) and accepts the rest. */
    private static final class FailsFirstSend extends MockProducer<String, byte[]> {
        private boolean failedOnce;

        FailsFirstSend() {
            super(true, null, new StringSerializer(), new ByteArraySerializer());
        }

        @Override
        public synchronized java.util.concurrent.Future<org.apache.kafka.clients.producer.RecordMetadata> send(
                ProducerRecord<String, byte[]> record, org.apache.kafka.clients.producer.Callback callback) {
            if (!failedOnce) {
                failedOnce = true;
                callback.onCompletion(null, new TimeoutException("Topic usage not present in metadata"));
                return java.util.concurrent.CompletableFuture.failedFuture(new TimeoutException("metadata"));
            }
            return super.send(record, callback);
        }
    }

    @Test
    void shouldNotLetLaterEventsOvertakeAFailedOneWhenASendFailsAtOnce() {
        FailsFirstSend flaky = new FailsFirstSend();
        MockProducer<String, byte[]> healthy = producer(true);
        producers.add(flaky);
        producers.add(healthy);
        spool = UsageSpool.open(dir, 1 << 20, 1 << 20);
        for (int i = 0; i < 4; i++) {
            spool.append(7, ("e" + i).getBytes(StandardCharsets.UTF_8), false);
        }
        sender = new SpoolSender(spool, this::next, "usage", Duration.ofMillis(10), Duration.ofMillis(40));
        sender.start();

        await().atMost(WAIT).until(() -> spool.spooledEvents() == 0);
        assertThat(flaky.history()).as("nothing sent after the failed e0 on that producer").isEmpty();
        assertThat(payloads(healthy)).containsExactly("e0", "e1", "e2", "e3");
    }
}
