package dev.tollgate.relay.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.contracts.events.Command;
import dev.tollgate.contracts.events.CommandEnvelope;
import dev.tollgate.contracts.events.EventCodec;
import dev.tollgate.relay.snapshot.Channel;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class ChannelDisablerTest {

    private static final String TOPIC = "t.tollgate.commands.v1";
    private static final AttemptOutcome AUTH = new AttemptOutcome(AttemptOutcome.Kind.AUTH_REJECTED, 401, null,
            "Incorrect API key provided: sk-abc");

    private final MockProducer<String, byte[]> producer =
            new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer());
    private final ChannelDisabler disabler = new ChannelDisabler(() -> producer, TOPIC, "relay-a", Runnable::run);

    @Test
    void shouldSendOneCommandPerChannelVersionWhenTheSameChannelFailsRepeatedly() {
        disabler.report(channel(7, 3), AUTH);
        disabler.report(channel(7, 3), AUTH);
        disabler.report(channel(7, 3), new AttemptOutcome(AttemptOutcome.Kind.ACCOUNT_PROBLEM, 402, null, null));

        assertThat(producer.history()).hasSize(1);
        ProducerRecord<String, byte[]> sent = producer.history().get(0);
        assertThat(sent.topic()).isEqualTo(TOPIC);
        assertThat(sent.key()).isEqualTo("channel:7");
        CommandEnvelope envelope = EventCodec.decodeCommand(sent.value());
        assertThat(envelope.id()).isEqualTo("auto-disable:relay-a:7:3");
        assertThat(envelope.actor()).isEqualTo("relay:relay-a");
        assertThat(envelope.payload()).isEqualTo(new Command.AutoDisableChannel(7, 3, "auth_rejected: 401", "relay-a"));
        assertThat(new String(sent.value())).doesNotContain("sk-abc");
    }

    @Test
    void shouldReportAgainWhenTheChannelComesBackAtANewerVersion() {
        disabler.report(channel(7, 3), AUTH);
        disabler.report(channel(7, 5), AUTH);
        disabler.report(channel(7, 4), AUTH);
        disabler.report(channel(8, 1), AUTH);

        assertThat(producer.history()).extracting(r -> EventCodec.decodeCommand(r.value()).id())
                .containsExactly("auto-disable:relay-a:7:3", "auto-disable:relay-a:7:5", "auto-disable:relay-a:8:1");
    }

    @Test
    void shouldSendNothingWhenTheOutcomeDoesNotDisableTheChannel() {
        for (AttemptOutcome.Kind kind : AttemptOutcome.Kind.values()) {
            if (!kind.disablesChannel()) {
                disabler.report(channel(7, 3), new AttemptOutcome(kind, 500, null, null));
            }
        }

        assertThat(producer.history()).isEmpty();
        assertThat(disabler.reported(7, 3)).isFalse();
    }

    @Test
    void shouldReportAgainWhenTheSendFailed() {
        MockProducer<String, byte[]> failing =
                new MockProducer<>(false, null, new StringSerializer(), new ByteArraySerializer());
        ChannelDisabler withFailingKafka = new ChannelDisabler(() -> failing, TOPIC, "relay-a", Runnable::run);

        withFailingKafka.report(channel(7, 3), AUTH);
        assertThat(withFailingKafka.reported(7, 3)).isTrue();
        failing.errorNext(new org.apache.kafka.common.errors.TimeoutException("broker away"));
        assertThat(withFailingKafka.reported(7, 3)).isFalse();
        withFailingKafka.report(channel(7, 3), AUTH);

        assertThat(failing.history()).hasSize(2);
    }

    private static Channel channel(long id, long version) {
        return new Channel(id, "c" + id, "openai", "http://x/v1", "sk-abc", Map.of(), Set.of("m"), Map.of(),
                Set.of("default"), 0, 1, true, false, false, version);
    }
}
