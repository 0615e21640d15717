package dev.tollgate.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static dev.tollgate.ledger.support.LedgerClient.usage;
import static org.awaitility.Awaitility.await;

import dev.tollgate.contracts.Topics;
import dev.tollgate.contracts.events.Change;
import dev.tollgate.contracts.events.Command;
import dev.tollgate.contracts.events.EventCodec;
import dev.tollgate.contracts.events.UsageEvent;
import dev.tollgate.contracts.events.UsageStatus;
import dev.tollgate.contracts.json.Json;
import dev.tollgate.contracts.money.Cost;
import dev.tollgate.contracts.money.Price;
import dev.tollgate.contracts.money.TokenUsage;
import dev.tollgate.contracts.secrets.CustomerKeys;
import dev.tollgate.ledger.journal.ReconciliationQuery;
import dev.tollgate.ledger.support.LedgerClient;
import dev.tollgate.ledger.support.TopicRecorder;
import dev.tollgate.testsupport.PrometheusScrape;
import dev.tollgate.testsupport.TestDatabase;
import dev.tollgate.testsupport.TestKafka;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/** The ledger against a real broker and a real MariaDB/MySQL: usage in, balances and results out. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class UsageLedgerIT {

    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final TestDatabase db = TestDatabase.create();
    private static final String PREFIX = TestKafka.uniquePrefix();
    private static final Topics topics = new Topics(PREFIX);
    private static LedgerClient client;
    private static TopicRecorder dlq;

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    ReconciliationQuery reconciliation;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", db::jdbcUrl);
        registry.add("spring.datasource.username", db::user);
        registry.add("spring.datasource.password", db::password);
        registry.add("spring.kafka.bootstrap-servers", TestKafka::bootstrapServers);
        registry.add("tollgate.topic-prefix", () -> PREFIX);
    }

    @BeforeEach
    void startClients() {
        if (client == null) {
            client = new LedgerClient(TestKafka.bootstrapServers(), topics);
            dlq = new TopicRecorder(TestKafka.bootstrapServers(), topics.usageDlq());
        }
        await().atMost(DEADLINE).until(() -> readinessStatus().equals("UP"));
    }

    /** Whatever a test did, every balance is its journal and every key's spend its charged requests. */
    @AfterEach
    void ledgerStaysReconciled() {
        ReconciliationQuery.Report report = reconciliation.run();
        assertThat(report.balances()).as("balances vs journal").isEmpty();
        assertThat(report.usage()).as("usage journal vs request log").isEmpty();
        assertThat(report.keys()).as("key spend vs request log").isEmpty();
    }

    @AfterAll
    static void stopClients() {
        if (client != null) {
            client.close();
            dlq.close();
        }
    }

    /** Drops the database when the context closes, after the consumers and the outbox publisher stopped. */
    @TestConfiguration
    static class DropDatabaseOnClose {
        @Bean
        DisposableBean dropTestDatabase() {
            return db::close;
        }
    }

    @Test
    void shouldCreateDailyRequestLogPartitionsAheadWhenLedgerStarts() {
        java.time.LocalDate today = java.time.LocalDate.now(java.time.ZoneOffset.UTC);
        await().atMost(DEADLINE).untilAsserted(() -> {
            List<String> names = jdbc.queryForList("SELECT PARTITION_NAME FROM information_schema.PARTITIONS "
                    + "WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'request_log' AND PARTITION_NAME IS NOT NULL",
                    String.class);
            for (int d = 0; d <= 7; d++) {
                assertThat(names).contains("p" + today.plusDays(d).toString().replace("-", ""));
            }
        });
    }

    @Test
    void shouldDebitExactCostAndAnnounceBalanceWhenUsageEventApplied() {
        long user = client.createUser();
        client.topUp(user, 10_000_000);
        String model = "model-" + UUID.randomUUID();
        Price price = new Price(2_500_000, 10_000_000, 1_250_000, 0, 0, 0, 0, 0);
        long version = client.setPrice(model, price);
        long key = client.createKey(user);
        TokenUsage tokens = new TokenUsage(1_234, 300, 0, 567, 100, 0, 0, 0);
        UsageEvent event = usage(user, key, model, version, tokens).relaySeq(41).build();
        long cost = Cost.micros(tokens, price, 10_000);
        assertThat(cost).isPositive();

        client.sendUsage(event);

        await().atMost(DEADLINE).until(() -> balance(user) == 10_000_000 - cost);
        assertThat(jdbc.queryForList("SELECT amount_micros FROM journal WHERE user_id = ? AND kind = 'usage'",
                Long.class, user)).containsExactly(-cost);
        assertThat(jdbc.queryForObject("SELECT cost_micros FROM request_log WHERE request_id = ?", Long.class,
                event.requestId())).isEqualTo(cost);
        assertThat(jdbc.queryForObject("SELECT batch_ref FROM request_log WHERE request_id = ?", String.class,
                event.requestId())).isEqualTo(jdbc.queryForObject(
                "SELECT ref FROM journal WHERE user_id = ? AND kind = 'usage'", String.class, user));
        assertThat(jdbc.queryForObject("SELECT used_micros FROM api_keys WHERE id = ?", Long.class, key)).isEqualTo(cost);
        // Stored as UTC whatever the JVM's zone: the log's time is the event's own finish time.
        assertThat(jdbc.queryForObject("SELECT at FROM request_log WHERE request_id = ?", java.time.LocalDateTime.class,
                event.requestId())).isEqualTo(java.time.LocalDateTime.ofInstant(
                event.finishedAt().truncatedTo(java.time.temporal.ChronoUnit.MILLIS), java.time.ZoneOffset.UTC));
        await().atMost(DEADLINE).untilAsserted(() -> assertThat(client.changes().changes(Change.BalanceChanged.class))
                .anySatisfy(b -> {
                    assertThat(b.userId()).isEqualTo(user);
                    assertThat(b.balanceMicros()).isEqualTo(10_000_000 - cost);
                    assertThat(b.relaySeqs()).containsEntry("relay-it", 41L);
                    assertThat(b.keysUsed()).containsEntry(key, cost);
                }));
        assertJournalMatchesBalance(user);
    }

    @Test
    void shouldChargeReasoningAtItsOwnRateWhenThePriceHasOne() {
        long user = client.createUser();
        client.topUp(user, 10_000_000);
        String model = "reasoner-" + UUID.randomUUID();
        // $1/M input, $4/M output, $12/M reasoning
        Price price = Price.perMTok(1_000_000, 4_000_000).withReasoning(12_000_000);
        long version = client.setPrice(model, price);
        long key = client.createKey(user);
        // 1,000 input, 2,000 output of which 1,500 reasoning: 1,000·$1/M + 500·$4/M + 1,500·$12/M
        // = 1,000 + 2,000 + 18,000 = 21,000 micros (9,000 if reasoning were priced as output).
        TokenUsage tokens = new TokenUsage(1_000, 0, 0, 2_000, 1_500, 0, 0, 0);
        UsageEvent event = usage(user, key, model, version, tokens).build();

        client.sendUsage(event);

        await().atMost(DEADLINE).until(() -> requestLogged(event.requestId()));
        assertThat(jdbc.queryForObject("SELECT cost_micros FROM request_log WHERE request_id = ?", Long.class,
                event.requestId())).isEqualTo(21_000);
        assertThat(balance(user)).isEqualTo(10_000_000 - 21_000);
        assertThat(jdbc.queryForObject("SELECT reasoning_micros_per_mtok FROM prices WHERE model = ? AND version = ?",
                Long.class, model, version)).isEqualTo(12_000_000);
        await().atMost(DEADLINE).untilAsserted(() -> assertThat(client.changes().changes(Change.PriceChanged.class))
                .anySatisfy(p -> {
                    assertThat(p.model()).isEqualTo(model);
                    assertThat(p.price()).isEqualTo(price);
                }));
        assertJournalMatchesBalance(user);
    }

    @Test
    void shouldPriceReasoningAsOutputWhenAnOlderSetPriceHasNoReasoningRate() {
        long user = client.createUser();
        client.topUp(user, 10_000_000);
        String model = "plain-" + UUID.randomUUID();
        // An older producer's command: no reasoningMicrosPerMTok in the payload at all.
        String id = UUID.randomUUID().toString();
        client.send(topics.commands(), "price:" + model, ("{\"v\":1,\"type\":\"price.set\",\"id\":\"" + id
                + "\",\"at\":\"2026-01-01T00:00:00Z\",\"payload\":{\"model\":\"" + model
                + "\",\"inputMicrosPerMTok\":1000000,\"outputMicrosPerMTok\":4000000}}")
                .getBytes(StandardCharsets.UTF_8));
        await().atMost(DEADLINE).until(() -> !client.results(id).isEmpty());
        Change.CommandResult result = client.results(id).get(0);
        assertThat(result.ok()).as("set price: %s", result).isTrue();
        long key = client.createKey(user);
        UsageEvent event = usage(user, key, model, result.version(), new TokenUsage(1_000, 0, 0, 2_000, 1_500, 0, 0, 0))
                .build();

        client.sendUsage(event);

        await().atMost(DEADLINE).until(() -> requestLogged(event.requestId()));
        // 1,000·1 + 2,000·4 = 9,000 micros: the reasoning part is output.
        assertThat(jdbc.queryForObject("SELECT cost_micros FROM request_log WHERE request_id = ?", Long.class,
                event.requestId())).isEqualTo(9_000);
        assertThat(jdbc.queryForObject("SELECT reasoning_micros_per_mtok FROM prices WHERE model = ?", Long.class,
                model)).isZero();
    }

    @Test
    void shouldKeepTheWholeCommandIdAsJournalRefWhenItIsLongerThan64() {
        long user = client.createUser();
        // As the admin scopes an Idempotency-Key: "idem:" + 64 hex = 69 characters; and the longest id accepted.
        String scoped = "idem:" + UUID.randomUUID().toString().replace("-", "").repeat(2);
        String longest = "x".repeat(128 - 36) + UUID.randomUUID();

        Change.CommandResult first = client.command(scoped, new Command.TopUp(user, 1_000, "scoped"));
        Change.CommandResult second = client.command(longest, new Command.TopUp(user, 2_000, "longest"));

        assertThat(scoped).hasSize(69);
        assertThat(longest).hasSize(128);
        assertThat(first.ok()).as("%s", first).isTrue();
        assertThat(second.ok()).as("%s", second).isTrue();
        assertThat(jdbc.queryForObject("SELECT ref FROM journal WHERE id = ?", String.class,
                Long.parseLong(first.entityId()))).isEqualTo(scoped);
        assertThat(jdbc.queryForObject("SELECT ref FROM journal WHERE id = ?", String.class,
                Long.parseLong(second.entityId()))).isEqualTo(longest);
        assertJournalMatchesBalance(user);
    }

    @Test
    void shouldDebitOnceWhenSameUsageEventDeliveredTwice() {
        long user = client.createUser();
        client.topUp(user, 5_000_000);
        String model = "model-" + UUID.randomUUID();
        Price price = Price.perMTok(1_000_000, 3_000_000);
        long version = client.setPrice(model, price);
        long key = client.createKey(user);
        TokenUsage tokens = TokenUsage.ofTokens(1_000, 1_000);
        long cost = Cost.micros(tokens, price, 10_000);
        UsageEvent twice = usage(user, key, model, version, tokens).relaySeq(1).build();

        // Twice in one batch (same partition, sent back to back)...
        client.sendUsage(twice, twice);
        await().atMost(DEADLINE).until(() -> balance(user) == 5_000_000 - cost);
        // ...and again in a later batch, behind a marker event we can wait for.
        UsageEvent marker = usage(user, key, model, version, tokens).relaySeq(2).build();
        client.sendUsage(twice, marker);
        await().atMost(DEADLINE).until(() -> requestLogged(marker.requestId()));

        assertThat(balance(user)).isEqualTo(5_000_000 - 2 * cost);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM request_log WHERE request_id = ?", Integer.class,
                twice.requestId())).isEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT COALESCE(SUM(request_count), 0) FROM journal WHERE user_id = ? "
                + "AND kind = 'usage'", Integer.class, user)).isEqualTo(2);
        assertJournalMatchesBalance(user);
    }

    @Test
    void shouldDeadLetterUnreadableMessageAndKeepApplyingWhenGarbageArrives() {
        long user = client.createUser();
        client.topUp(user, 1_000_000);
        String model = "model-" + UUID.randomUUID();
        Price price = Price.perMTok(1_000_000, 1_000_000);
        long version = client.setPrice(model, price);
        long key = client.createKey(user);
        String garbage = "{this is not json " + UUID.randomUUID();
        UsageEvent noUser = usage(user, key, model, version, TokenUsage.ofTokens(1, 1)).userId(0).build();
        UsageEvent good = usage(user, key, model, version, TokenUsage.ofTokens(500, 500)).relaySeq(9).build();
        String partitionKey = Long.toString(user);

        client.send(topics.usage(), partitionKey, garbage.getBytes(StandardCharsets.UTF_8));
        client.send(topics.usage(), partitionKey, EventCodec.encode(noUser));
        client.send(topics.usage(), partitionKey, EventCodec.encode(good));

        await().atMost(DEADLINE).until(() -> balance(user) == 1_000_000 - Cost.micros(good.tokens(), price, 10_000));
        await().atMost(DEADLINE).untilAsserted(() -> {
            List<ConsumerRecord<String, byte[]>> letters = dlq.records();
            assertThat(letters).anySatisfy(r -> {
                JsonNode node = Json.mapper().readTree(r.value());
                assertThat(r.key()).isEqualTo("unknown");
                assertThat(node.path("type").asString()).isEqualTo("usage.rejected");
                assertThat(node.path("reason").asString()).contains("malformed JSON");
                assertThat(node.path("raw").asString()).isEqualTo(garbage);
            });
            assertThat(letters).anySatisfy(r -> {
                assertThat(r.key()).isEqualTo(noUser.requestId());
                assertThat(Json.mapper().readTree(r.value()).path("reason").asString()).contains("userId");
            });
        });
        assertThat(requestLogged(noUser.requestId())).isFalse();
        assertJournalMatchesBalance(user);
    }

    @Test
    void shouldExposeBatchDeadLetterAndLagMetricsWhenUsageIsApplied() {
        long user = client.createUser();
        client.topUp(user, 1_000_000);
        String model = "model-" + UUID.randomUUID();
        Price price = Price.perMTok(1_000_000, 1_000_000);
        long version = client.setPrice(model, price);
        long key = client.createKey(user);
        PrometheusScrape before = scrape();
        double lettersBefore = before.sum("tollgate_ledger_usage_dlq_total", Map.of());
        UsageEvent good = usage(user, key, model, version, TokenUsage.ofTokens(100, 100)).relaySeq(3).build();
        client.send(topics.usage(), Long.toString(user), ("{not json " + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8));
        client.sendUsage(good);

        await().atMost(DEADLINE).until(() -> balance(user) == 1_000_000 - Cost.micros(good.tokens(), price, 10_000));
        await().atMost(DEADLINE).untilAsserted(() -> {
            PrometheusScrape after = scrape();
            assertThat(after.sum("tollgate_ledger_usage_dlq_total", Map.of())).isGreaterThanOrEqualTo(lettersBefore + 1);
            assertThat(after.sum("tollgate_ledger_batch_apply_seconds_count", Map.of())).isPositive();
            assertThat(after.samples("tollgate_ledger_batch_apply_seconds_bucket")).isNotEmpty();
            assertThat(after.sum("tollgate_ledger_batch_size_events_sum", Map.of())).isGreaterThanOrEqualTo(2.0);
            assertThat(after.sum("tollgate_ledger_usage_records_total", Map.of("outcome", "applied")))
                    .isGreaterThanOrEqualTo(1.0);
            // Lag per partition of the usage topic, from the Kafka client's own metrics.
            assertThat(after.samples("kafka_consumer_fetch_manager_records_lag", Map.of("topic", topics.usage())))
                    .as("Kafka series: %s", after.names().stream().filter(n -> n.startsWith("kafka_consumer_f")).toList())
                    .isNotEmpty()
                    .allSatisfy(sample -> assertThat(sample.labels()).containsKey("partition"));
        });
    }

    private PrometheusScrape scrape() {
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/prometheus")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            return PrometheusScrape.parse(response.body());
        } catch (java.io.IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void shouldLogButNotChargeWhenUserIsUnknown() {
        long unknownUser = 9_000_000 + (System.nanoTime() & 0xFFFF);
        UsageEvent event = usage(unknownUser, 0, "some-model", 1, TokenUsage.ofTokens(10, 10)).build();

        client.sendUsage(event);

        await().atMost(DEADLINE).until(() -> requestLogged(event.requestId()));
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM journal WHERE user_id = ?", Integer.class, unknownUser))
                .isZero();
        assertThat(jdbc.queryForObject("SELECT batch_ref FROM request_log WHERE request_id = ?", String.class,
                event.requestId())).isNull();
    }

    @Test
    void shouldApplyOnceAndAnswerTwiceWithSameResultWhenCommandRepeated() {
        long user = client.createUser();
        String id = "topup-" + UUID.randomUUID();
        Command.TopUp topUp = new Command.TopUp(user, 750_000, "gift");

        client.sendCommand(id, topUp);
        client.sendCommand(id, topUp);

        await().atMost(DEADLINE).until(() -> client.results(id).size() == 2);
        List<Change.CommandResult> answers = client.results(id);
        assertThat(answers.get(0)).isEqualTo(answers.get(1));
        assertThat(answers.get(0).ok()).isTrue();
        assertThat(answers.get(0).entity()).isEqualTo("journal");
        assertThat(balance(user)).isEqualTo(750_000);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM journal WHERE ref = ?", Integer.class, id)).isEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT id FROM journal WHERE ref = ?", Long.class, id))
                .isEqualTo(Long.parseLong(answers.get(0).entityId()));
        assertJournalMatchesBalance(user);
    }

    @Test
    void shouldRejectWithConflictWhenUsernameTaken() {
        String username = "dup-" + UUID.randomUUID();
        Change.CommandResult first = client.command(new Command.CreateUser(username, "hash", "customer", "default", true));
        Change.CommandResult second = client.command(new Command.CreateUser(username, "hash", "customer", "default", true));

        assertThat(first.ok()).isTrue();
        assertThat(second.ok()).isFalse();
        assertThat(second.code()).isEqualTo("conflict");
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM users WHERE username = ?", Integer.class, username))
                .isEqualTo(1);
    }

    @Test
    void shouldRejectWithNotFoundWhenTopUpForUnknownUser() {
        Change.CommandResult result = client.command(new Command.TopUp(987_654_321L, 1_000, "nobody"));

        assertThat(result.ok()).isFalse();
        assertThat(result.code()).isEqualTo("not_found");
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM journal WHERE user_id = 987654321", Integer.class)).isZero();
    }

    @Test
    void shouldRejectWithInvalidWhenGroupUnknown() {
        Change.CommandResult result = client.command(
                new Command.CreateUser("g-" + UUID.randomUUID(), "hash", "customer", "no-such-group", true));

        assertThat(result.ok()).isFalse();
        assertThat(result.code()).isEqualTo("invalid");
    }

    @Test
    void shouldChargeGroupMultiplierWhenGroupSet() {
        String group = "vip-" + UUID.randomUUID().toString().substring(0, 8);
        Change.CommandResult groupResult = client.command(new Command.SetGroup(group, 15_000));
        assertThat(groupResult.ok()).isTrue();
        Change.CommandResult userResult = client.command(
                new Command.CreateUser("v-" + UUID.randomUUID(), "hash", "customer", group, true));
        long user = Long.parseLong(userResult.entityId());
        client.topUp(user, 1_000_000);
        String model = "model-" + UUID.randomUUID();
        Price price = Price.perMTok(1_000_000, 1_000_000);
        long version = client.setPrice(model, price);
        TokenUsage tokens = TokenUsage.ofTokens(333, 333);
        UsageEvent event = usage(user, 0, model, version, tokens).group(group).build();

        client.sendUsage(event);

        await().atMost(DEADLINE).until(() -> balance(user) == 1_000_000 - Cost.micros(tokens, price, 15_000));
        assertThat(client.changes().changes(Change.GroupChanged.class))
                .anySatisfy(g -> assertThat(g.name()).isEqualTo(group));
    }

    @Test
    void shouldAnnounceNewVersionAndClearQuotaWhenKeyUpdated() {
        long user = client.createUser();
        String key = CustomerKeys.generate();
        Change.CommandResult created = client.command(new Command.CreateKey(user, "k1", CustomerKeys.hash(key),
                CustomerKeys.displayPrefix(key), null, 5_000L, List.of("gpt-x"), List.of("10.0.0.0/8"), null, true));
        long keyId = Long.parseLong(created.entityId());

        Change.CommandResult updated = client.command(new Command.UpdateKey(keyId, "renamed", null, null, true, null, null,
                null, null, false, null));

        assertThat(updated.ok()).isTrue();
        assertThat(updated.version()).isEqualTo(created.version() + 1);
        await().atMost(DEADLINE).untilAsserted(() -> assertThat(client.changes().changes(Change.KeyChanged.class))
                .anySatisfy(k -> {
                    assertThat(k.id()).isEqualTo(keyId);
                    assertThat(k.version()).isEqualTo(updated.version());
                    assertThat(k.name()).isEqualTo("renamed");
                    assertThat(k.quotaMicros()).isNull();
                    assertThat(k.enabled()).isFalse();
                    assertThat(k.models()).containsExactly("gpt-x");
                    assertThat(k.allowedCidrs()).containsExactly("10.0.0.0/8");
                }));
        Change.CommandResult duplicate = client.command(new Command.CreateKey(user, "k2", CustomerKeys.hash(key),
                CustomerKeys.displayPrefix(key), null, null, null, null, null, null));
        assertThat(duplicate.code()).isEqualTo("conflict");
    }

    @Test
    void shouldStoreAndClearRateLimitsAndFallbackGroupWhenKeysUsersAndGroupsChange() {
        long user = client.createUser();
        String group = "rl-" + UUID.randomUUID().toString().substring(0, 8);
        Change.CommandResult setGroup = client.command(new Command.SetGroup(group, 10_000, 600, 1_000_000L));
        assertThat(setGroup.ok()).isTrue();
        String key = CustomerKeys.generate();
        Change.CommandResult created = client.command(new Command.CreateKey(user, "k1", CustomerKeys.hash(key),
                CustomerKeys.displayPrefix(key), null, null, null, null, null, true, 60, 100_000L, group));
        long keyId = Long.parseLong(created.entityId());
        assertThat(client.command(new Command.UpdateUser(user, null, null, null, 30, 9_000L, null, null)).ok()).isTrue();
        assertThat(jdbc.queryForMap("SELECT rpm_limit, tpm_limit, fallback_group FROM api_keys WHERE id = ?", keyId))
                .containsEntry("rpm_limit", 60).containsEntry("tpm_limit", 100_000L)
                .containsEntry("fallback_group", group);

        Change.CommandResult cleared = client.command(new Command.UpdateKey(keyId, null, null, null, null, null, null,
                null, null, null, null, null, true, 200_000L, null, null, true));
        Change.CommandResult badLimit = client.command(new Command.UpdateUser(user, null, null, null, 0, null, null,
                null));
        Change.CommandResult badFallback = client.command(new Command.CreateKey(user, "k2",
                CustomerKeys.hash(CustomerKeys.generate()), "tg-x", null, null, null, null, null, true, null, null,
                "no-such-group"));

        assertThat(cleared.ok()).isTrue();
        assertThat(badLimit.code()).isEqualTo("invalid");
        assertThat(badFallback.code()).isEqualTo("invalid");
        await().atMost(DEADLINE).untilAsserted(() -> {
            assertThat(client.changes().changes(Change.KeyChanged.class)).anySatisfy(k -> {
                assertThat(k.id()).isEqualTo(keyId);
                assertThat(k.version()).isEqualTo(cleared.version());
                assertThat(k.rpmLimit()).isNull();
                assertThat(k.tpmLimit()).isEqualTo(200_000L);
                assertThat(k.fallbackGroup()).isNull();
            });
            assertThat(client.changes().changes(Change.UserChanged.class)).anySatisfy(u -> {
                assertThat(u.id()).isEqualTo(user);
                assertThat(u.rpmLimit()).isEqualTo(30);
                assertThat(u.tpmLimit()).isEqualTo(9_000L);
            });
            assertThat(client.changes().changes(Change.GroupChanged.class)).anySatisfy(g -> {
                assertThat(g.name()).isEqualTo(group);
                assertThat(g.rpmLimit()).isEqualTo(600);
                assertThat(g.tpmLimit()).isEqualTo(1_000_000L);
            });
        });
    }

    @Test
    void shouldStoreGroupsAndRejectDuplicateNameWhenChannelCreated() {
        String name = "ch-" + UUID.randomUUID();
        Change.CommandResult created = client.command(new Command.CreateChannel(name, "openai", "http://127.0.0.1:1/v1",
                "v1.ciphertext", Map.of("region", "x"), List.of("gpt-x"), Map.of("gpt-x", "gpt-x-2"),
                List.of("default", "vip"), 5, 2, true));
        assertThat(created.ok()).isTrue();
        long channelId = Long.parseLong(created.entityId());
        assertThat(jdbc.queryForObject("SELECT groups_json FROM channels WHERE id = ?", String.class, channelId))
                .isEqualTo("[\"default\",\"vip\"]");
        await().atMost(DEADLINE).untilAsserted(() -> assertThat(client.changes().changes(Change.ChannelChanged.class))
                .anySatisfy(c -> {
                    assertThat(c.id()).isEqualTo(channelId);
                    assertThat(c.apiKeyCiphertext()).isEqualTo("v1.ciphertext");
                    assertThat(c.modelMapping()).containsEntry("gpt-x", "gpt-x-2");
                    assertThat(c.priority()).isEqualTo(5);
                }));

        Change.CommandResult again = client.command(new Command.CreateChannel(name, "openai", "http://x", null, null,
                List.of("m"), null, null, null, null, null));
        Change.CommandResult noModels = client.command(new Command.CreateChannel("other-" + name, "openai", "http://x", null,
                null, List.of(), null, null, null, null, null));

        assertThat(again.code()).isEqualTo("conflict");
        assertThat(noModels.code()).isEqualTo("invalid");
    }

    @Test
    void shouldKeepChannelTagsWhenOtherFieldsChangeAndReplaceThemWhenTagsAreSent() {
        String name = "tag-" + UUID.randomUUID();
        Change.CommandResult created = client.command(new Command.CreateChannel(name, "openai", "http://x/v1", null,
                null, List.of("m"), null, null, null, null, null, List.of("eu", "cheap")));
        assertThat(created.ok()).isTrue();
        long channelId = Long.parseLong(created.entityId());
        assertThat(jdbc.queryForObject("SELECT tags FROM channels WHERE id = ?", String.class, channelId))
                .isEqualTo("[\"eu\",\"cheap\"]");

        assertThat(client.command(new Command.UpdateChannel(channelId, null, null, null, null, null, null, null, null,
                7, null, null, null)).ok()).isTrue();
        assertThat(jdbc.queryForObject("SELECT tags FROM channels WHERE id = ?", String.class, channelId))
                .as("a change without tags leaves them").isEqualTo("[\"eu\",\"cheap\"]");
        assertThat(client.command(new Command.UpdateChannel(channelId, null, null, null, null, null, null, null, null,
                null, null, null, null, List.of("us"))).ok()).isTrue();
        await().atMost(DEADLINE).untilAsserted(() -> assertThat(client.changes().changes(Change.ChannelChanged.class))
                .anySatisfy(c -> {
                    assertThat(c.id()).isEqualTo(channelId);
                    assertThat(c.priority()).isEqualTo(7);
                    assertThat(c.tags()).containsExactly("us");
                }));
    }

    @Test
    void shouldChargeMultiplierSetByAnotherReplicaWhenGroupChangedOnlyInTheDatabase() {
        String group = "rep-" + UUID.randomUUID().toString().substring(0, 8);
        assertThat(client.command(new Command.SetGroup(group, 15_000)).ok()).isTrue();
        long user = Long.parseLong(client.command(
                new Command.CreateUser("r-" + UUID.randomUUID(), "hash", "customer", group, true)).entityId());
        client.topUp(user, 1_000_000);
        String model = "model-" + UUID.randomUUID();
        Price price = Price.perMTok(1_000_000, 1_000_000);
        long version = client.setPrice(model, price);
        // Another ledger replica applied a SetGroup: this instance never saw the command.
        jdbc.update("UPDATE user_groups SET multiplier_bp = 20000, version = version + 1 WHERE name = ?", group);
        TokenUsage tokens = TokenUsage.ofTokens(333, 333);

        client.sendUsage(usage(user, 0, model, version, tokens).group(group).build());

        await().atMost(DEADLINE).until(() -> balance(user) == 1_000_000 - Cost.micros(tokens, price, 20_000));
    }

    @Test
    void shouldChargePriceVersionAddedByAnotherReplicaWhenEventsNameItOrNoVersion() {
        long user = client.createUser();
        client.topUp(user, 10_000_000);
        String model = "model-" + UUID.randomUUID();
        Price first = Price.perMTok(1_000_000, 1_000_000);
        Price second = Price.perMTok(2_000_000, 3_000_000);
        long v1 = client.setPrice(model, first);
        TokenUsage tokens = TokenUsage.ofTokens(1_000, 1_000);
        long firstCost = Cost.micros(tokens, first, 10_000);
        long secondCost = Cost.micros(tokens, second, 10_000);
        // A version that does not exist yet: charged at the latest before it.
        client.sendUsage(usage(user, 0, model, v1 + 1, tokens).build());
        await().atMost(DEADLINE).until(() -> balance(user) == 10_000_000 - firstCost);
        // Another replica adds that version; events right after name it, or name no version at all.
        jdbc.update("INSERT INTO prices (model, version, input_micros_per_mtok, output_micros_per_mtok) "
                + "VALUES (?, ?, ?, ?)", model, v1 + 1, second.inputMicrosPerMTok(), second.outputMicrosPerMTok());

        client.sendUsage(usage(user, 0, model, v1 + 1, tokens).build(), usage(user, 0, model, 0, tokens).build());

        await().atMost(DEADLINE).until(() -> balance(user) == 10_000_000 - firstCost - 2 * secondCost);
    }

    @Test
    void shouldDeadLetterEventsThatCannotBeStoredOrPricedAndChargeTheNextInThePartition() {
        long user = client.createUser();
        client.topUp(user, 10_000_000);
        String model = "model-" + UUID.randomUUID();
        Price price = Price.perMTok(1_000_000, 1_000_000);
        long version = client.setPrice(model, price);
        String precious = "model-" + UUID.randomUUID();
        long preciousVersion = client.setPrice(precious, Price.perMTok(0, 1_000_000_000_000_000L));
        long key = client.createKey(user);
        UsageEvent in2040 = usage(user, key, model, version, TokenUsage.ofTokens(10, 10)).relaySeq(1)
                .finishedAt(Instant.parse("2040-06-01T00:00:00Z")).build();
        UsageEvent tooManyTokens = usage(user, key, model, version, TokenUsage.ofTokens(0, 2_000_000_000_000L))
                .relaySeq(2).build();
        UsageEvent costOverflows = usage(user, key, precious, preciousVersion,
                TokenUsage.ofTokens(0, 1_000_000_000_000L)).relaySeq(3).build();
        // Older than the request-log retention (90 days by default): its dedupe row may be gone with its partition.
        UsageEvent beyondRetention = usage(user, key, model, version, TokenUsage.ofTokens(10, 10)).relaySeq(4)
                .startedAt(Instant.now().minus(java.time.Duration.ofDays(200)))
                .finishedAt(Instant.now().minus(java.time.Duration.ofDays(200))).build();
        UsageEvent good = usage(user, key, model, version, TokenUsage.ofTokens(1_000, 1_000)).relaySeq(5).build();
        long goodCost = Cost.micros(good.tokens(), price, 10_000);

        client.sendUsage(in2040, tooManyTokens, costOverflows, beyondRetention, good);

        await().atMost(DEADLINE).until(() -> balance(user) == 10_000_000 - goodCost);
        await().atMost(DEADLINE).untilAsserted(() -> {
            assertThat(deadLetterReason(in2040.requestId())).startsWith("at 2040-06-01").contains("storable range");
            assertThat(deadLetterReason(tooManyTokens.requestId())).contains("outputTokens");
            assertThat(deadLetterReason(costOverflows.requestId())).startsWith("cost cannot be computed");
            assertThat(deadLetterReason(beyondRetention.requestId())).startsWith("older than the request-log retention");
        });
        assertThat(requestLogged(beyondRetention.requestId())).isFalse();
        assertThat(requestLogged(in2040.requestId())).isFalse();
        assertThat(requestLogged(tooManyTokens.requestId())).isFalse();
        assertThat(requestLogged(costOverflows.requestId())).isFalse();
        assertThat(jdbc.queryForObject("SELECT used_micros FROM api_keys WHERE id = ?", Long.class, key))
                .isEqualTo(goodCost);
    }

    @Test
    void shouldDeadLetterEventTheDatabaseRefusesAndApplyTheRestOfItsBatch() {
        // A balance the debit would take below the smallest BIGINT: MySQL refuses the update.
        long broke = client.createUser();
        client.topUp(broke, -Long.MAX_VALUE);
        long other = client.createUser();
        client.topUp(other, 1_000_000);
        String model = "model-" + UUID.randomUUID();
        Price price = Price.perMTok(1_000_000, 1_000_000);
        long version = client.setPrice(model, price);
        TokenUsage tokens = TokenUsage.ofTokens(1_000, 1_000);
        long cost = Cost.micros(tokens, price, 10_000);
        UsageEvent refused = usage(broke, 0, model, version, tokens).build();
        UsageEvent next = usage(other, 0, model, version, tokens).relaySeq(7).build();
        UsageEvent last = usage(other, 0, model, version, tokens).relaySeq(8).build();

        client.sendUsageOn(Long.toString(broke), refused, next, last);

        await().atMost(DEADLINE).until(() -> balance(other) == 1_000_000 - 2 * cost);
        await().atMost(DEADLINE).untilAsserted(() -> assertThat(deadLetterReason(refused.requestId()))
                .startsWith("cannot be applied: SQLSTATE 22003").contains("out of range"));
        assertThat(requestLogged(refused.requestId())).isFalse();
        assertThat(balance(broke)).isEqualTo(-Long.MAX_VALUE);
        assertThat(relaySeq(other)).isEqualTo(8);
    }

    @Test
    void shouldLogAndSequenceButNeitherJournalNorAnnounceWhenBatchChargesNothing() {
        long user = client.createUser();
        client.topUp(user, 1_000_000);
        long key = client.createKey(user);
        UsageEvent first = usage(user, key, "unpriced-" + UUID.randomUUID(), 0, TokenUsage.NONE).relaySeq(5)
                .status(UsageStatus.REJECTED).httpStatus(400).errorClass("invalid_request").build();
        UsageEvent second = usage(user, key, "unpriced-" + UUID.randomUUID(), 0, TokenUsage.NONE).relaySeq(6)
                .status(UsageStatus.REJECTED).httpStatus(429).errorClass("quota").build();

        client.sendUsage(first, second);

        await().atMost(DEADLINE).until(() -> requestLogged(first.requestId()) && requestLogged(second.requestId()));
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM journal WHERE user_id = ?", Integer.class, user))
                .isEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT balance_version FROM users WHERE id = ?", Long.class, user))
                .isEqualTo(1);
        assertThat(balance(user)).isEqualTo(1_000_000);
        assertThat(relaySeq(user)).isEqualTo(6);
        // A later change of the same user (same partition of the changes topic) proves nothing came between.
        client.topUp(user, 1);
        await().atMost(DEADLINE).untilAsserted(() -> assertThat(balanceChanges(user))
                .anySatisfy(b -> assertThat(b.balanceMicros()).isEqualTo(1_000_001)));
        assertThat(balanceChanges(user)).extracting(Change.BalanceChanged::version).containsExactly(0L, 1L, 2L);
    }

    @Test
    void shouldAnswerWithStoredResultWhenSameIdAndFingerprintRepeated() {
        long user = client.createUser();
        String id = "topup-" + UUID.randomUUID();
        Command.TopUp topUp = new Command.TopUp(user, 750_000, "gift");

        client.sendCommand(id, "fp-1", topUp);
        client.sendCommand(id, "fp-1", topUp);

        await().atMost(DEADLINE).until(() -> client.results(id).size() == 2);
        List<Change.CommandResult> answers = client.results(id);
        assertThat(answers.get(1)).isEqualTo(answers.get(0));
        assertThat(answers.get(0).ok()).isTrue();
        assertThat(balance(user)).isEqualTo(750_000);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM journal WHERE ref = ?", Integer.class, id)).isEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT fingerprint FROM processed_commands WHERE command_id = ?", String.class,
                id)).isEqualTo("fp-1");
    }

    @Test
    void shouldRefuseAndApplyNothingWhenIdReusedWithAnotherFingerprint() {
        long first = client.createUser();
        long second = client.createUser();
        String id = "topup-" + UUID.randomUUID();
        client.sendCommand(id, "fp-a", new Command.TopUp(first, 500_000, "a"));
        await().atMost(DEADLINE).until(() -> client.results(id).size() == 1);

        client.sendCommand(id, "fp-b", new Command.TopUp(second, 900_000, "b"));

        await().atMost(DEADLINE).until(() -> client.results(id).size() == 2);
        Change.CommandResult refused = client.results(id).get(1);
        assertThat(refused.ok()).isFalse();
        assertThat(refused.code()).isEqualTo("idempotency_key_reused");
        assertThat(refused.message()).isEqualTo("this Idempotency-Key was already used for a different request");
        assertThat(balance(second)).isZero();
        assertThat(balance(first)).isEqualTo(500_000);
        // The original's answer is kept: its own retry still gets it.
        client.sendCommand(id, "fp-a", new Command.TopUp(first, 500_000, "a"));
        await().atMost(DEADLINE).until(() -> client.results(id).size() == 3);
        assertThat(client.results(id).get(2)).isEqualTo(client.results(id).get(0));
        assertThat(client.results(id).get(0).ok()).isTrue();
        assertThat(jdbc.queryForObject("SELECT fingerprint FROM processed_commands WHERE command_id = ?", String.class,
                id)).isEqualTo("fp-a");
    }

    @Test
    void shouldRefuseWhenIdReusedForAnotherCommandType() {
        long user = client.createUser();
        String id = "reuse-" + UUID.randomUUID();
        client.sendCommand(id, null, new Command.TopUp(user, 1_000, "first"));
        await().atMost(DEADLINE).until(() -> client.results(id).size() == 1);
        String username = "never-" + UUID.randomUUID();

        client.sendCommand(id, null, new Command.CreateUser(username, "hash", "customer", "default", true));

        await().atMost(DEADLINE).until(() -> client.results(id).size() == 2);
        assertThat(client.results(id).get(1).code()).isEqualTo("idempotency_key_reused");
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM users WHERE username = ?", Integer.class, username))
                .isZero();
        assertThat(jdbc.queryForObject("SELECT type FROM processed_commands WHERE command_id = ?", String.class, id))
                .isEqualTo("user.topup");
    }

    @Test
    void shouldReportDifferencesWhenBalanceOrKeySpendDriftFromJournalAndRequestLog() {
        long user = client.createUser();
        client.topUp(user, 1_000_000);
        long key = client.createKey(user);
        String model = "model-" + UUID.randomUUID();
        long version = client.setPrice(model, Price.perMTok(1_000_000, 1_000_000));
        UsageEvent event = usage(user, key, model, version, TokenUsage.ofTokens(1_000, 1_000)).build();
        client.sendUsage(event);
        await().atMost(DEADLINE).until(() -> requestLogged(event.requestId()));
        long balance = balance(user);

        jdbc.update("UPDATE users SET balance_micros = balance_micros + 1 WHERE id = ?", user);
        jdbc.update("UPDATE api_keys SET used_micros = used_micros + 5 WHERE id = ?", key);
        ReconciliationQuery.Report drifted = reconciliation.run();
        jdbc.update("UPDATE users SET balance_micros = balance_micros - 1 WHERE id = ?", user);
        jdbc.update("UPDATE api_keys SET used_micros = used_micros - 5 WHERE id = ?", key);

        assertThat(drifted.consistent()).isFalse();
        assertThat(drifted.balances()).containsExactly(
                new ReconciliationQuery.BalanceDifference(user, balance + 1, balance, 2, 2));
        assertThat(drifted.keys()).containsExactly(new ReconciliationQuery.KeyDifference(key, 2_005, 2_000));
        assertThat(drifted.usage()).isEmpty();
    }

    // --- helpers --------------------------------------------------------------------------

    /** The reason of the dead letter keyed by this request id; null while there is none. */
    private String deadLetterReason(String requestId) {
        return dlq.records().stream()
                .filter(r -> requestId.equals(r.key()))
                .map(r -> Json.mapper().readTree(r.value()).path("reason").asString())
                .findFirst()
                .orElse(null);
    }

    private List<Change.BalanceChanged> balanceChanges(long user) {
        return client.changes().changes(Change.BalanceChanged.class).stream().filter(b -> b.userId() == user).toList();
    }

    private long relaySeq(long user) {
        return jdbc.queryForObject("SELECT seq FROM relay_seqs WHERE user_id = ? AND relay_id = 'relay-it'", Long.class,
                user);
    }

    private long balance(long user) {
        return jdbc.queryForObject("SELECT balance_micros FROM users WHERE id = ?", Long.class, user);
    }

    private boolean requestLogged(String requestId) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM request_log WHERE request_id = ?", Integer.class,
                requestId) > 0;
    }

    /** Invariant: a balance is the sum of its journal. */
    private void assertJournalMatchesBalance(long user) {
        Long sum = jdbc.queryForObject("SELECT COALESCE(SUM(amount_micros), 0) FROM journal WHERE user_id = ?",
                Long.class, user);
        assertThat(sum).isEqualTo(balance(user));
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM journal WHERE user_id = ?", Long.class, user))
                .isEqualTo(jdbc.queryForObject("SELECT balance_version FROM users WHERE id = ?", Long.class, user));
    }

    private String readinessStatus() {
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health/readiness")).build(),
                    HttpResponse.BodyHandlers.ofString());
            return Json.mapper().readTree(response.body()).path("status").asString("");
        } catch (Exception e) {
            return "DOWN";
        }
    }
}
