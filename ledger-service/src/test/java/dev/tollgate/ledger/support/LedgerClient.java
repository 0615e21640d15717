package dev.tollgate.ledger.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tollgate.contracts.Topics;
import dev.tollgate.contracts.events.Change;
import dev.tollgate.contracts.events.Command;
import dev.tollgate.contracts.events.CommandEnvelope;
import dev.tollgate.contracts.events.EventCodec;
import dev.tollgate.contracts.events.UsageEvent;
import dev.tollgate.contracts.money.Price;
import dev.tollgate.contracts.money.TokenUsage;
import dev.tollgate.contracts.secrets.CustomerKeys;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * What the ledger's integration tests do on Kafka, as the admin service and the relays would: send commands and
 * wait for their results on the changes topic, seed users, keys and prices, publish usage events.
 */
public final class LedgerClient implements AutoCloseable {

    public static final Duration DEADLINE = Duration.ofSeconds(30);

    private final Topics topics;
    private final KafkaProducer<String, byte[]> producer;
    private final TopicRecorder changes;

    public LedgerClient(String bootstrap, Topics topics) {
        this.topics = topics;
        this.producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
                // A batch of 10,000 redemption codes is one large command.
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 1_048_576));
        this.changes = new TopicRecorder(bootstrap, topics.changes());
    }

    /** Every change the ledger announced since the client started. */
    public TopicRecorder changes() {
        return changes;
    }

    /** A usage event as a relay would report it; tests adjust what they look at. */
    public static UsageEvent.Builder usage(long user, long key, String model, long priceVersion, TokenUsage tokens) {
        return UsageEvent.builder()
                .requestId(UUID.randomUUID().toString())
                .relayId("relay-it")
                .relaySeq(1)
                .keyId(key)
                .userId(user)
                .group("default")
                .channelId(1L)
                .modelAsked(model)
                .modelServed(model)
                .dialect("openai")
                .provider("openai")
                .priceVersion(priceVersion)
                .tokens(tokens)
                .latencyMs(120)
                .ttftMs(40L)
                .finishedAt(Instant.now());
    }

    public long createUser() {
        Change.CommandResult result = command(
                new Command.CreateUser("user-" + UUID.randomUUID(), "$2a$hash", "customer", "default", true));
        assertThat(result.ok()).as("create user: %s", result).isTrue();
        return Long.parseLong(result.entityId());
    }

    public void topUp(long user, long micros) {
        Change.CommandResult result = command(new Command.TopUp(user, micros, "test"));
        assertThat(result.ok()).as("top-up: %s", result).isTrue();
    }

    /** Returns the new price version. */
    public long setPrice(String model, Price p) {
        Change.CommandResult result = command(new Command.SetPrice(model, p.inputMicrosPerMTok(),
                p.outputMicrosPerMTok(), p.cachedInputMicrosPerMTok(), p.cacheWriteMicrosPerMTok(),
                p.perRequestMicros(), p.perImageMicros(), p.perAudioSecondMicros(), null, p.reasoningMicrosPerMTok()));
        assertThat(result.ok()).as("set price: %s", result).isTrue();
        return result.version();
    }

    public long createKey(long user) {
        String key = CustomerKeys.generate();
        Change.CommandResult result = command(new Command.CreateKey(user, "k", CustomerKeys.hash(key),
                CustomerKeys.displayPrefix(key), null, null, List.of(), List.of(), null, true));
        assertThat(result.ok()).as("create key: %s", result).isTrue();
        return Long.parseLong(result.entityId());
    }

    /** Sends a command under a fresh id and answers its result. */
    public Change.CommandResult command(Command command) {
        return command(UUID.randomUUID().toString(), command);
    }

    public Change.CommandResult command(String id, Command command) {
        sendCommand(id, null, command);
        await().atMost(DEADLINE).until(() -> !results(id).isEmpty());
        return results(id).get(0);
    }

    /** Sends a command id again and answers the result announced for the repeat. */
    public Change.CommandResult resend(String id, Command command) {
        int before = results(id).size();
        sendCommand(id, null, command);
        await().atMost(DEADLINE).until(() -> results(id).size() > before);
        return results(id).get(before);
    }

    public void sendCommand(String id, Command command) {
        sendCommand(id, null, command);
    }

    public void sendCommand(String id, String fingerprint, Command command) {
        send(topics.commands(), command.aggregateId(),
                EventCodec.encode(CommandEnvelope.of(id, "it", fingerprint, command)));
    }

    /** Every result announced for this command id, in order. */
    public List<Change.CommandResult> results(String commandId) {
        return changes.changes(Change.CommandResult.class).stream()
                .filter(r -> r.commandId().equals(commandId))
                .toList();
    }

    /** Each event keyed by its user, as relays publish them. */
    public void sendUsage(UsageEvent... events) {
        for (UsageEvent e : events) {
            producer.send(new ProducerRecord<>(topics.usage(), Long.toString(e.userId()), EventCodec.encode(e)));
        }
        producer.flush();
    }

    /** One event keyed by its user with these record headers (a relay's {@code traceparent}, say). */
    public void sendUsage(UsageEvent event, Map<String, String> headers) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topics.usage(), Long.toString(event.userId()),
                EventCodec.encode(event));
        headers.forEach((name, value) -> record.headers().add(name, value.getBytes(StandardCharsets.US_ASCII)));
        producer.send(record);
        producer.flush();
    }

    /** All on one partition, in this order, whoever the events' users are. */
    public void sendUsageOn(String partitionKey, UsageEvent... events) {
        for (UsageEvent e : events) {
            producer.send(new ProducerRecord<>(topics.usage(), partitionKey, EventCodec.encode(e)));
        }
        producer.flush();
    }

    /** One record, acknowledged before this returns. */
    public void send(String topic, String key, byte[] value) {
        try {
            producer.send(new ProducerRecord<>(topic, key, value)).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        producer.close();
        changes.close();
    }
}
