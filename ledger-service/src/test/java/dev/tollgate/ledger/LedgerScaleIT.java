package dev.tollgate.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static dev.tollgate.ledger.support.LedgerClient.usage;
import static org.awaitility.Awaitility.await;

import dev.tollgate.contracts.Topics;
import dev.tollgate.contracts.events.UsageEvent;
import dev.tollgate.contracts.events.UsageStatus;
import dev.tollgate.contracts.json.Json;
import dev.tollgate.contracts.money.Cost;
import dev.tollgate.contracts.money.Price;
import dev.tollgate.contracts.money.TokenUsage;
import dev.tollgate.ledger.journal.ReconciliationQuery;
import dev.tollgate.ledger.retention.LogPartition;
import dev.tollgate.ledger.retention.PartitionMaintenance;
import dev.tollgate.ledger.support.LedgerClient;
import dev.tollgate.testsupport.TestDatabase;
import dev.tollgate.testsupport.TestKafka;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The request log at scale against a real broker and MariaDB/MySQL: daily partitions and retention,
 * hourly rollups, the reconciliation endpoint, the default price. The scheduled partition job is off
 * here, so each test drives {@link PartitionMaintenance} with the dates it needs.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "tollgate.log.job-enabled=false")
@DirtiesContext
class LedgerScaleIT {

    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final TestDatabase db = TestDatabase.create();
    private static final String PREFIX = TestKafka.uniquePrefix();
    private static final Topics topics = new Topics(PREFIX);
    private static LedgerClient client;

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    ReconciliationQuery reconciliation;

    @Autowired
    PartitionMaintenance partitions;

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
        }
        await().atMost(DEADLINE).until(() -> "UP".equals(readiness()));
    }

    /** Retention included: dropped partitions must not make the journal and the log disagree. */
    @AfterEach
    void ledgerStaysReconciled() {
        assertThat(reconciliation.run().consistent()).as("reconciliation: %s", reconciliation.run()).isTrue();
    }

    @AfterAll
    static void stopClients() {
        if (client != null) {
            client.close();
        }
    }

    @TestConfiguration
    static class DropDatabaseOnClose {
        @Bean
        DisposableBean dropTestDatabase() {
            return db::close;
        }
    }

    @Test
    void shouldDropWholeOldPartitionsAndKeepDaysAheadWhenRetentionPasses() {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        // As if the job had last run five days ago, with the default retention.
        PartitionMaintenance.Result earlier = partitions.maintain(today.minusDays(5), 7, 90);
        assertThat(earlier.ran()).isTrue();
        assertThat(earlier.created()).contains(name(today.minusDays(3)), name(today.plusDays(2)));
        assertThat(earlier.dropped()).as("p_start: before 2026-01-01, far past 90 days").containsExactly("p_start");
        long user = client.createUser();
        client.topUp(user, 10_000_000);
        String model = "model-" + UUID.randomUUID();
        Price price = Price.perMTok(1_000_000, 2_000_000);
        long version = client.setPrice(model, price);
        long key = client.createKey(user);
        UsageEvent old = usage(user, key, model, version, TokenUsage.ofTokens(100, 100))
                .finishedAt(Instant.now().minus(Duration.ofDays(3))).build();
        UsageEvent recent = usage(user, key, model, version, TokenUsage.ofTokens(200, 200)).relaySeq(2).build();
        client.sendUsage(old, recent);
        await().atMost(DEADLINE).until(() -> logged(old.requestId()) && logged(recent.requestId()));
        assertThat(partitionOf(old.requestId())).isEqualTo(name(today.minusDays(3)));

        PartitionMaintenance.Result now = partitions.maintain(today, 7, 1);

        assertThat(now.ran()).isTrue();
        assertThat(now.dropped()).contains(name(today.minusDays(6)), name(today.minusDays(3)), name(today.minusDays(2)))
                .doesNotContain(name(today.minusDays(1)), name(today));
        assertThat(logged(old.requestId())).as("row of 3 days ago, dropped with its partition").isFalse();
        assertThat(logged(recent.requestId())).as("today's row").isTrue();
        List<String> names = partitions.partitions().stream().map(LogPartition::name).toList();
        for (int d = 0; d <= 7; d++) {
            assertThat(names).contains(name(today.plusDays(d)));
        }
        assertThat(names).last().isEqualTo("p_future");
        // Charges of the dropped rows are kept for reconciliation; the balance is untouched by retention.
        assertThat(jdbc.queryForObject("SELECT SUM(charged_micros) FROM request_log_dropped WHERE user_id = ?",
                Long.class, user)).isEqualTo(Cost.micros(old.tokens(), price, 10_000));
        assertThat(balance(user)).isEqualTo(10_000_000 - Cost.micros(old.tokens(), price, 10_000)
                - Cost.micros(recent.tokens(), price, 10_000));
        PartitionMaintenance.Result again = partitions.maintain(today, 7, 1);
        assertThat(again.created()).isEmpty();
        assertThat(again.dropped()).isEmpty();
    }

    @Test
    void shouldSkipPartitionWorkWhenAnotherLedgerHoldsTheLock() throws Exception {
        try (var con = jdbc.getDataSource().getConnection();
             var ps = con.prepareStatement("SELECT GET_LOCK('tollgate_partitions', 0)")) {
            try (var rs = ps.executeQuery()) {
                assertThat(rs.next() && rs.getInt(1) == 1).isTrue();
            }
            assertThat(partitions.maintain(LocalDate.now(ZoneOffset.UTC), 7, 90).ran()).isFalse();
            try (var release = con.prepareStatement("SELECT RELEASE_LOCK('tollgate_partitions')")) {
                release.executeQuery().close();
            }
        }
    }

    @Test
    void shouldKeepHourlyRollupsEqualToRequestLogWhenEventsSpanHoursAndModels() {
        long user = client.createUser();
        client.topUp(user, 50_000_000);
        String modelA = "model-a-" + UUID.randomUUID();
        String modelB = "model-b-" + UUID.randomUUID();
        Price priceA = Price.perMTok(1_000_000, 4_000_000);
        Price priceB = new Price(3_000_000, 9_000_000, 500_000, 0, 7, 0, 0, 0);
        long versionA = client.setPrice(modelA, priceA);
        long versionB = client.setPrice(modelB, priceB);
        long key = client.createKey(user);
        Instant hour1 = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(2)).plusSeconds(61);
        Instant hour2 = Instant.now().truncatedTo(ChronoUnit.HOURS).plusMillis(1);
        List<UsageEvent> events = new ArrayList<>();
        int seq = 0;
        for (Instant at : List.of(hour1, hour2)) {
            for (int i = 0; i < 3; i++) {
                events.add(usage(user, key, modelA, versionA, new TokenUsage(100 + i, 0, 0, 50 + i, 0, 1, 0, 0))
                        .relaySeq(++seq).finishedAt(at.plusSeconds(i)).build());
                events.add(usage(user, key, modelB, versionB, new TokenUsage(1_000, 200, 0, 300, 40 + i, 1, 0, 0))
                        .relaySeq(++seq).finishedAt(at.plusSeconds(i))
                        .status(i == 0 ? UsageStatus.UPSTREAM_ERROR : UsageStatus.SUCCESS).build());
            }
        }
        client.sendUsage(events.toArray(UsageEvent[]::new));
        await().atMost(DEADLINE).until(() -> events.stream().allMatch(e -> logged(e.requestId())));

        List<Map<String, Object>> rollups = jdbc.queryForList("SELECT `hour`, model, channel_id, requests, input_tokens, "
                + "cache_read_tokens, output_tokens, reasoning_tokens, cost_micros, errors FROM usage_hourly "
                + "WHERE user_id = ? ORDER BY `hour`, model", user);
        List<Map<String, Object>> fromLog = jdbc.queryForList("SELECT CAST(DATE_FORMAT(at, '%Y-%m-%d %H:00:00') AS "
                + "DATETIME) AS `hour`, model, channel_id, COUNT(*) AS requests, SUM(input_tokens) AS input_tokens, "
                + "SUM(cache_read_tokens) AS cache_read_tokens, SUM(output_tokens) AS output_tokens, "
                + "SUM(reasoning_tokens) AS reasoning_tokens, SUM(cost_micros) AS cost_micros, "
                + "SUM(CASE WHEN status = 'upstream_error' THEN 1 ELSE 0 END) AS errors FROM request_log "
                + "WHERE user_id = ? GROUP BY 1, model, channel_id ORDER BY 1, model", user);
        assertThat(rollups).hasSize(4);
        assertThat(rollups.toString()).isEqualTo(fromLog.toString());
        long costA = events.stream().filter(e -> e.modelAsked().equals(modelA))
                .mapToLong(e -> Cost.micros(e.tokens(), priceA, 10_000)).sum();
        assertThat(jdbc.queryForObject("SELECT SUM(cost_micros) FROM usage_hourly WHERE user_id = ? AND model = ?",
                Long.class, user, modelA)).isEqualTo(costA);
        assertThat(jdbc.queryForObject("SELECT SUM(errors) FROM usage_hourly WHERE user_id = ? AND model = ?",
                Long.class, user, modelB)).isEqualTo(2);
        assertThat(reconciliation.hourlyDifferences()).isEmpty();
    }

    @Test
    void shouldReportEachDifferenceOverHttpWhenReconciliationEndpointCalled() throws Exception {
        long user = client.createUser();
        client.topUp(user, 3_000_000);
        String model = "model-" + UUID.randomUUID();
        long version = client.setPrice(model, Price.perMTok(1_000_000, 1_000_000));
        long key = client.createKey(user);
        UsageEvent event = usage(user, key, model, version, TokenUsage.ofTokens(1_000, 1_000)).build();
        client.sendUsage(event);
        await().atMost(DEADLINE).until(() -> logged(event.requestId()));

        JsonNode clean = reconcileOverHttp();
        assertThat(clean.path("checkedAt").asString()).isNotBlank();
        assertThat(clean.path("users").asLong()).isGreaterThanOrEqualTo(1);
        assertThat(clean.path("keys").asLong()).isGreaterThanOrEqualTo(1);
        assertThat(clean.path("differences").size()).isZero();

        long balance = balance(user);
        jdbc.update("UPDATE users SET balance_micros = balance_micros + 7 WHERE id = ?", user);
        jdbc.update("UPDATE usage_hourly SET requests = requests + 1 WHERE user_id = ?", user);
        try {
            JsonNode broken = reconcileOverHttp();
            assertThat(broken.path("differences").size()).isEqualTo(2);
            assertThat(broken.path("differences")).anySatisfy(d -> {
                assertThat(d.path("kind").asString()).isEqualTo("balance");
                assertThat(d.path("id").asString()).isEqualTo(Long.toString(user));
                assertThat(d.path("expected").asLong()).isEqualTo(balance);
                assertThat(d.path("actual").asLong()).isEqualTo(balance + 7);
            });
            assertThat(broken.path("differences")).anySatisfy(d -> {
                assertThat(d.path("kind").asString()).isEqualTo("hourly.requests");
                assertThat(d.path("id").asString()).contains("/" + user + "/" + key + "/" + model + "/1");
                assertThat(d.path("expected").asLong()).isEqualTo(1);
                assertThat(d.path("actual").asLong()).isEqualTo(2);
            });
        } finally {
            jdbc.update("UPDATE users SET balance_micros = balance_micros - 7 WHERE id = ?", user);
            jdbc.update("UPDATE usage_hourly SET requests = requests - 1 WHERE user_id = ?", user);
        }
    }

    @Test
    void shouldChargeLatestDefaultPriceWhenModelHasNoPrice() {
        long user = client.createUser();
        client.topUp(user, 20_000_000);
        long key = client.createKey(user);
        TokenUsage tokens = TokenUsage.ofTokens(10_000, 2_000);
        // Neither a price nor a default price: logged, charged 0.
        UsageEvent free = usage(user, key, "unpriced-" + UUID.randomUUID(), 0, tokens).relaySeq(1).build();
        client.sendUsage(free);
        await().atMost(DEADLINE).until(() -> logged(free.requestId()));
        assertThat(cost(free.requestId())).isZero();
        assertThat(balance(user)).isEqualTo(20_000_000);

        client.setPrice("*", Price.perMTok(100_000, 100_000));
        Price latestDefault = Price.perMTok(2_000_000, 8_000_000);
        client.setPrice("*", latestDefault);
        String priced = "priced-" + UUID.randomUUID();
        Price own = Price.perMTok(1, 1);
        long ownVersion = client.setPrice(priced, own);
        UsageEvent unpriced = usage(user, key, "unpriced-" + UUID.randomUUID(), 0, tokens).relaySeq(2).build();
        UsageEvent withPrice = usage(user, key, priced, ownVersion, tokens).relaySeq(3).build();
        client.sendUsage(unpriced, withPrice);
        await().atMost(DEADLINE).until(() -> logged(unpriced.requestId()) && logged(withPrice.requestId()));

        long defaultCost = Cost.micros(tokens, latestDefault, 10_000);
        assertThat(defaultCost).isEqualTo(36_000);
        assertThat(cost(unpriced.requestId())).isEqualTo(defaultCost);
        assertThat(cost(withPrice.requestId())).as("a priced model keeps its own price")
                .isEqualTo(Cost.micros(tokens, own, 10_000));
        assertThat(balance(user)).isEqualTo(20_000_000 - defaultCost - Cost.micros(tokens, own, 10_000));
    }

    // --- helpers --------------------------------------------------------------------------

    private static String name(LocalDate day) {
        return "p" + day.toString().replace("-", "");
    }

    private String partitionOf(String requestId) {
        for (LogPartition p : partitions.partitions()) {
            String pname = p.name();
            Integer n = jdbc.queryForObject("SELECT COUNT(*) FROM request_log PARTITION (" + pname
                    + ") WHERE request_id = ?", Integer.class, requestId);
            if (n != null && n > 0) {
                return pname;
            }
        }
        return null;
    }

    private long balance(long user) {
        return jdbc.queryForObject("SELECT balance_micros FROM users WHERE id = ?", Long.class, user);
    }

    private long cost(String requestId) {
        return jdbc.queryForObject("SELECT cost_micros FROM request_log WHERE request_id = ?", Long.class, requestId);
    }

    private boolean logged(String requestId) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM request_log WHERE request_id = ?", Integer.class,
                requestId) > 0;
    }

    private JsonNode reconcileOverHttp() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/reconciliation")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return Json.mapper().readTree(response.body());
    }

    private String readiness() {
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
