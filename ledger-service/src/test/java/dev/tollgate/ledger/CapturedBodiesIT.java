package dev.tollgate.ledger;

import static dev.tollgate.ledger.support.LedgerClient.usage;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tollgate.contracts.Topics;
import dev.tollgate.contracts.events.Capture;
import dev.tollgate.contracts.events.CapturedText;
import dev.tollgate.contracts.events.Change;
import dev.tollgate.contracts.events.Command;
import dev.tollgate.contracts.events.UsageEvent;
import dev.tollgate.contracts.json.Json;
import dev.tollgate.contracts.money.Price;
import dev.tollgate.contracts.money.TokenUsage;
import dev.tollgate.contracts.secrets.CustomerKeys;
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

/**
 * Captured request and response bodies against a real broker and MariaDB/MySQL: the key setting, one row per
 * captured request however often its event arrives, and retention by whole daily partitions like the request
 * log's. The scheduled partition job is off here, so the retention test drives {@link PartitionMaintenance}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "tollgate.log.job-enabled=false")
@DirtiesContext
class CapturedBodiesIT {

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
    void shouldStoreAndAnnounceTheCaptureSettingWhenAKeyIsCreatedAndUpdated() {
        long user = client.createUser();
        String key = CustomerKeys.generate();
        Change.CommandResult created = client.command(new Command.CreateKey(user, "capturing", CustomerKeys.hash(key),
                CustomerKeys.displayPrefix(key), null, null, null, null, null, true, null, null, null, true));
        long keyId = Long.parseLong(created.entityId());
        assertThat(captureBodies(keyId)).isTrue();

        Change.CommandResult renamed = client.command(new Command.UpdateKey(keyId, "renamed", null, null, null, null,
                null, null, null, null, null));
        assertThat(captureBodies(keyId)).as("an update that does not name it leaves it on").isTrue();
        Change.CommandResult off = client.command(new Command.UpdateKey(keyId, null, null, null, null, null, null,
                null, null, null, null, null, null, null, null, null, null, false));

        assertThat(renamed.ok()).isTrue();
        assertThat(off.ok()).isTrue();
        assertThat(captureBodies(keyId)).isFalse();
        await().atMost(DEADLINE).untilAsserted(() -> {
            List<Change.KeyChanged> changes = client.changes().changes(Change.KeyChanged.class).stream()
                    .filter(k -> k.id() == keyId)
                    .toList();
            assertThat(changes).anySatisfy(k -> {
                assertThat(k.version()).isEqualTo(renamed.version());
                assertThat(k.captureBodies()).isTrue();
            });
            assertThat(changes).anySatisfy(k -> {
                assertThat(k.version()).isEqualTo(off.version());
                assertThat(k.captureBodies()).isFalse();
            });
        });
    }

    @Test
    void shouldStoreCapturedBodiesOnceAndNothingForOtherEventsWhenDeliveredTwice() {
        long user = client.createUser();
        client.topUp(user, 5_000_000);
        String model = "model-" + UUID.randomUUID();
        long version = client.setPrice(model, Price.perMTok(1_000_000, 3_000_000));
        long key = client.createKey(user);
        Capture capture = new Capture(new CapturedText("{\"model\":\"" + model + "\",\"messages\":[\"Grüße 😀\"]}",
                false), new CapturedText("{\"choices\":[{\"message\":{\"content\":\"tok0", true), true);
        UsageEvent captured = usage(user, key, model, version, TokenUsage.ofTokens(100, 10)).relaySeq(1)
                .capture(capture).build();
        UsageEvent plain = usage(user, key, model, version, TokenUsage.ofTokens(100, 10)).relaySeq(2).build();

        // Twice in one batch, then again in a later batch behind a marker we can wait for.
        client.sendUsage(captured, captured, plain);
        await().atMost(DEADLINE).until(() -> logged(captured.requestId()) && logged(plain.requestId()));
        UsageEvent marker = usage(user, key, model, version, TokenUsage.ofTokens(1, 1)).relaySeq(3).build();
        client.sendUsage(captured, marker);
        await().atMost(DEADLINE).until(() -> logged(marker.requestId()));

        List<Map<String, Object>> rows = jdbc.queryForList("SELECT day, request_body, request_truncated, "
                + "response_body, response_truncated, streamed FROM request_bodies WHERE request_id = ?",
                captured.requestId());
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0))
                .containsEntry("request_body", capture.request().text())
                .containsEntry("request_truncated", false)
                .containsEntry("response_body", capture.response().text())
                .containsEntry("response_truncated", true)
                .containsEntry("streamed", true);
        assertThat(rows.get(0).get("day").toString()).isEqualTo(jdbc.queryForObject(
                "SELECT day FROM request_log WHERE request_id = ?", java.sql.Date.class, captured.requestId())
                .toString());
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM request_bodies WHERE request_id IN (?, ?)",
                Integer.class, plain.requestId(), marker.requestId())).isZero();
    }

    @Test
    void shouldDropCapturedBodiesWithTheirDailyPartitionWhenRetentionPasses() {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        // As if the job had last run five days ago, with the default retention.
        PartitionMaintenance.Result earlier = partitions.maintain(today.minusDays(5), 7, 90);
        assertThat(earlier.bodiesCreated()).contains(name(today.minusDays(3)), name(today.plusDays(2)));
        long user = client.createUser();
        client.topUp(user, 10_000_000);
        String model = "model-" + UUID.randomUUID();
        long version = client.setPrice(model, Price.perMTok(1_000_000, 2_000_000));
        long key = client.createKey(user);
        Capture capture = new Capture(new CapturedText("{\"old\":true}", false), null, false);
        UsageEvent old = usage(user, key, model, version, TokenUsage.ofTokens(100, 100))
                .finishedAt(Instant.now().minus(Duration.ofDays(3))).capture(capture).build();
        UsageEvent recent = usage(user, key, model, version, TokenUsage.ofTokens(200, 200)).relaySeq(2)
                .capture(capture).build();
        client.sendUsage(old, recent);
        await().atMost(DEADLINE).until(() -> logged(old.requestId()) && logged(recent.requestId()));
        assertThat(bodyPartitionOf(old.requestId())).isEqualTo(name(today.minusDays(3)));
        assertThat(jdbc.queryForObject("SELECT response_body FROM request_bodies WHERE request_id = ?", String.class,
                old.requestId())).as("no answer: null, not empty").isNull();

        PartitionMaintenance.Result now = partitions.maintain(today, 7, 1);

        assertThat(now.bodiesDropped()).contains(name(today.minusDays(3)), name(today.minusDays(2)))
                .doesNotContain(name(today.minusDays(1)), name(today));
        assertThat(now.bodiesDropped()).isEqualTo(now.dropped());
        assertThat(bodyPartitionOf(old.requestId())).as("dropped with its partition").isNull();
        assertThat(logged(old.requestId())).isFalse();
        assertThat(bodyPartitionOf(recent.requestId())).isEqualTo(name(today));
        List<String> names = partitions.bodyPartitions().stream().map(LogPartition::name).toList();
        for (int d = 0; d <= 7; d++) {
            assertThat(names).contains(name(today.plusDays(d)));
        }
        assertThat(names).last().isEqualTo("p_future");
        assertThat(partitions.maintain(today, 7, 1).bodiesDropped()).isEmpty();
    }

    // --- helpers --------------------------------------------------------------------------

    private static String name(LocalDate day) {
        return "p" + day.toString().replace("-", "");
    }

    private boolean captureBodies(long keyId) {
        return Boolean.TRUE.equals(jdbc.queryForObject("SELECT capture_bodies FROM api_keys WHERE id = ?",
                Boolean.class, keyId));
    }

    private String bodyPartitionOf(String requestId) {
        for (LogPartition p : partitions.bodyPartitions()) {
            Integer n = jdbc.queryForObject("SELECT COUNT(*) FROM request_bodies PARTITION (" + p.name()
                    + ") WHERE request_id = ?", Integer.class, requestId);
            if (n != null && n > 0) {
                return p.name();
            }
        }
        return null;
    }

    private boolean logged(String requestId) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM request_log WHERE request_id = ?", Integer.class,
                requestId) > 0;
    }

    private String readiness() {
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health/readiness"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            return Json.mapper().readTree(response.body()).path("status").asString("");
        } catch (Exception e) {
            return "DOWN";
        }
    }
}
