package dev.tollgate.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tollgate.contracts.Ids;
import dev.tollgate.contracts.Topics;
import dev.tollgate.contracts.events.EventCodec;
import dev.tollgate.contracts.events.UsageEvent;
import dev.tollgate.contracts.events.UsageStatus;
import dev.tollgate.contracts.money.Price;
import dev.tollgate.contracts.money.TokenUsage;
import dev.tollgate.simulator.Simulator;
import dev.tollgate.testsupport.TestDatabase;
import dev.tollgate.testsupport.TestKafka;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Poison on the usage topic (an unknown major version; impossible values) goes to the DLQ with a reason and does
 * not stop the partition: a valid request made afterwards, for the same user (same partition), is charged.
 */
class PoisonEventIT {

    private static final Price PRICE = Price.perMTok(150_000, 600_000);
    private static final int PROMPT = 1000;
    private static final int COMPLETION = 500;
    private static final long TOP_UP = 10_000_000;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static TestDatabase db;
    private static Simulator sim;
    private static Stack stack;
    private static Topics topics;

    @BeforeAll
    static void start() {
        db = TestDatabase.create();
        sim = Simulator.start(0);
        Stack.Settings settings = FaultFixture.settings("poison", db, TestKafka.bootstrapServers());
        topics = new Topics(settings.environment().get("TOLLGATE_TOPIC_PREFIX"));
        stack = Stack.start(settings);
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
        if (sim != null) {
            sim.close();
        }
        if (db != null) {
            db.close();
        }
    }

    @Test
    void shouldSendPoisonToTheDlqWithAReasonAndKeepChargingThePartition() {
        FaultFixture.answerWith(sim, PROMPT, COMPLETION);
        FaultFixture.Seeded seeded = FaultFixture.seed(stack, sim, PRICE, TOP_UP, "poison-ann");
        AdminApi.Customer ann = seeded.customer();

        String futureVersion = UUID.randomUUID().toString();
        String negativeTokens = UUID.randomUUID().toString();
        ObjectNode v2 = validEvent(ann, futureVersion);
        v2.put("v", 2);
        ObjectNode impossible = validEvent(ann, negativeTokens);
        impossible.put("inputTokens", -5_000_000_000L); // applied, it would credit the user
        try (KafkaProducer<String, String> producer = producer()) {
            String key = Long.toString(ann.userId());
            producer.send(new ProducerRecord<>(topics.usage(), key, JSON.writeValueAsString(v2)));
            producer.send(new ProducerRecord<>(topics.usage(), key, JSON.writeValueAsString(impossible)));
            producer.flush();
        }

        Map<String, JsonNode> dead = new HashMap<>();
        try (KafkaConsumer<String, String> consumer = consumer()) {
            consumer.subscribe(List.of(topics.usageDlq()));
            await("both poison events on " + topics.usageDlq()).atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> {
                        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                            dead.put(r.key(), JSON.readTree(r.value()));
                        }
                        return dead.containsKey(futureVersion) && dead.containsKey(negativeTokens);
                    });
        }
        System.out.println("poison: DLQ reasons: v2 → " + dead.get(futureVersion).path("reason").asString()
                + "; negative tokens → " + dead.get(negativeTokens).path("reason").asString());
        assertThat(dead.get(futureVersion).path("reason").asString()).isNotBlank();
        assertThat(dead.get(futureVersion).path("raw").asString()).contains(futureVersion);
        assertThat(dead.get(negativeTokens).path("reason").asString()).isNotBlank();
        assertThat(dead.get(negativeTokens).path("raw").asString()).contains(negativeTokens);

        RelayCalls.Answer after = RelayCalls.chat(stack.relayUrl(), ann.key(), FaultFixture.MODEL, COMPLETION);
        assertThat(after.status()).as(after.body()).isEqualTo(200);
        List<RelayCalls.Answer> answers = new java.util.ArrayList<>(seeded.warmUp());
        answers.add(after);
        LedgerRows.assertEveryOkChargedOnce(db, ann.userId(), TOP_UP, answers,
                FaultFixture.cost(PROMPT, COMPLETION, PRICE), Duration.ofSeconds(60));
        assertThat(LedgerRows.requestLog(db, ann.userId())).doesNotContainKeys(futureVersion, negativeTokens);
        Reconciliation.Report report = Reconciliation.run(stack.ledgerUrl(), db);
        assertThat(report.differences()).as("reconciliation differences (" + report.source() + ")").isEmpty();
    }

    /** A well-formed usage event for the customer, as a relay would publish it. */
    private static ObjectNode validEvent(AdminApi.Customer c, String requestId) {
        Instant now = Instant.now();
        UsageEvent e = UsageEvent.builder().requestId(requestId).relayId("poison-test").relaySeq(1)
                .keyId(c.keyId()).userId(c.userId()).group("default").modelAsked(FaultFixture.MODEL)
                .modelServed(FaultFixture.MODEL).dialect("openai").provider("openai")
                .tokens(TokenUsage.ofTokens(10, 10)).status(UsageStatus.SUCCESS).httpStatus(200)
                .startedAt(now).finishedAt(now).build();
        return (ObjectNode) JSON.readTree(EventCodec.encode(e));
    }

    private static KafkaProducer<String, String> producer() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers());
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(p);
    }

    private static KafkaConsumer<String, String> consumer() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "poison-it-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        return new KafkaConsumer<>(p);
    }
}
