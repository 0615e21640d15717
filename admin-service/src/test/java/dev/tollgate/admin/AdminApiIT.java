package dev.tollgate.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tollgate.admin.commands.IdempotencyKeys;
import dev.tollgate.admin.logs.LogPage;
import dev.tollgate.contracts.Topics;
import dev.tollgate.contracts.events.Command;
import dev.tollgate.contracts.events.CommandEnvelope;
import dev.tollgate.contracts.json.Json;
import dev.tollgate.contracts.secrets.CustomerKeys;
import dev.tollgate.testsupport.PrometheusScrape;
import dev.tollgate.testsupport.TestDatabase;
import dev.tollgate.testsupport.TestKafka;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;

/**
 * The admin API against a real broker and a real MariaDB/MySQL, with {@link LedgerStandIn} playing
 * the ledger's side of Kafka.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AdminApiIT {

    private static final String ADMIN_PASSWORD = "admin-password-for-tests";
    private static final String MASTER_KEY = AdminTestStack.MASTER_KEY;
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(1);
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    static final TestDatabase db = AdminTestStack.migratedDatabase();
    static final Topics topics = new Topics(TestKafka.uniquePrefix());
    static final LedgerStandIn ledger;

    static {
        ledger = LedgerStandIn.start(TestKafka.bootstrapServers(), topics, db);
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        AdminTestStack.register(registry, db, topics, ADMIN_PASSWORD, COMMAND_TIMEOUT.toMillis() + "ms");
    }

    @LocalServerPort
    int port;

    WebTestClient http;

    @BeforeEach
    void client() {
        http = WebTestClient.bindToServer()
                .baseUrl("http://127.0.0.1:" + port)
                .responseTimeout(Duration.ofSeconds(20))
                .build();
    }

    @AfterAll
    static void cleanUp() {
        ledger.close();
        db.close();
    }

    @Test
    @Order(1)
    void shouldBecomeReadyOnlyAfterLedgerCreatesBootstrapAdmin() {
        await().atMost(DEADLINE).until(() -> !ledger.receivedWithId("bootstrap-admin").isEmpty());
        http.get().uri("/actuator/health/readiness").exchange().expectStatus().isEqualTo(503);

        ledger.answering(true);

        await().atMost(DEADLINE).untilAsserted(() -> http.get().uri("/actuator/health/readiness").exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.status").isEqualTo("UP"));
        CommandEnvelope sent = ledger.receivedWithId("bootstrap-admin").get(0);
        assertThat(sent.payload()).isInstanceOfSatisfying(Command.CreateUser.class, u -> {
            assertThat(u.username()).isEqualTo("admin");
            assertThat(u.role()).isEqualTo("admin");
            assertThat(u.passwordHash()).startsWith("$2").doesNotContain(ADMIN_PASSWORD);
        });
    }

    @Test
    @Order(2)
    void shouldIssueTokenWhenPasswordIsRightAndRefuseWhenWrong() {
        awaitReady();
        JsonNode ok = json(http.post().uri("/api/auth/login").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("username", "admin", "password", ADMIN_PASSWORD))
                .exchange().expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody());
        assertThat(ok.path("role").asString()).isEqualTo("admin");
        assertThat(ok.path("token").asString()).isNotBlank();
        assertThat(ok.path("userId").asLong()).isPositive();

        expectError(http.post().uri("/api/auth/login").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("username", "admin", "password", "wrong-password")).exchange(), 401,
                "invalid_credentials");
        expectError(http.post().uri("/api/auth/login").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("username", "nobody", "password", "whatever1")).exchange(), 401,
                "invalid_credentials");
        expectError(http.get().uri("/api/users").exchange(), 401, "unauthorized");
        expectError(http.get().uri("/api/users").header(HttpHeaders.AUTHORIZATION, "Bearer forged.token.here")
                .exchange(), 401, "unauthorized");
    }

    @Test
    @Order(3)
    void shouldKeepCustomersApartWhenTheyReadEachOthersData() throws Exception {
        String admin = login("admin", ADMIN_PASSWORD);
        long alice = createCustomer(admin, "alice");
        long bob = createCustomer(admin, "bob");
        String aliceToken = login("alice", "alice-password");
        String bobToken = login("bob", "bob-password");

        JsonNode key = json(http.post().uri("/api/keys").header(HttpHeaders.AUTHORIZATION, "Bearer " + aliceToken)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("name", "laptop"))
                .exchange().expectStatus().isCreated().expectBody(String.class).returnResult().getResponseBody());
        String plainKey = key.path("key").asString();
        long keyId = key.path("id").asLong();
        assertThat(CustomerKeys.looksValid(plainKey)).isTrue();
        assertThat(key.path("userId").asLong()).isEqualTo(alice);
        assertThat(key.path("prefix").asString()).isEqualTo(plainKey.substring(0, 8));
        Command.CreateKey sent = ledger.receivedOfType(Command.CreateKey.class).get(0);
        assertThat(sent.keyHash()).matches("[0-9a-f]{64}").isEqualTo(CustomerKeys.hash(plainKey));
        assertThat(ledger.received().toString()).doesNotContain(plainKey);

        // alice sees her key, without the key itself; bob sees nothing of hers
        String aliceList = get(aliceToken, "/api/keys").expectStatus().isOk().expectBody(String.class).returnResult()
                .getResponseBody();
        assertThat(json(aliceList).path("total").asLong()).isEqualTo(1);
        assertThat(aliceList).doesNotContain(plainKey).doesNotContain(sent.keyHash());
        assertThat(json(get(bobToken, "/api/keys?userId=" + alice).expectStatus().isOk().expectBody(String.class)
                .returnResult().getResponseBody()).path("total").asLong()).isZero();
        expectError(get(bobToken, "/api/keys/" + keyId), 404, "not_found");
        expectError(get(bobToken, "/api/users/" + alice), 404, "not_found");
        expectError(get(bobToken, "/api/users/" + alice + "/journal"), 404, "not_found");
        get(bobToken, "/api/users/" + bob).expectStatus().isOk();
        get(aliceToken, "/api/me").expectStatus().isOk().expectBody().jsonPath("$.username").isEqualTo("alice");
        expectError(http.post().uri("/api/keys").header(HttpHeaders.AUTHORIZATION, "Bearer " + bobToken)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("name", "x", "userId", alice)).exchange(),
                404, "not_found");

        // admin-only calls
        expectError(get(bobToken, "/api/users"), 403, "forbidden");
        expectError(get(bobToken, "/api/channels"), 403, "forbidden");
        expectError(http.post().uri("/api/users/" + bob + "/topups")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + bobToken).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("amountMicros", 1_000_000)).exchange(), 403, "forbidden");
        expectError(http.put().uri("/api/prices/gpt-4o").header(HttpHeaders.AUTHORIZATION, "Bearer " + bobToken)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("inputMicrosPerMTok", 1)).exchange(),
                403, "forbidden");

        // logs: bob asking for alice's gets only his own
        insertLog(alice, keyId, "gpt-4o", "success", Instant.parse("2030-01-01T10:00:00Z"));
        insertLog(bob, 99, "gpt-4o", "success", Instant.parse("2030-01-01T11:00:00Z"));
        JsonNode bobLogs = json(get(bobToken, "/api/logs?userId=" + alice).expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody());
        assertThat(bobLogs.path("total").asLong()).isEqualTo(1);
        assertThat(bobLogs.path("items").get(0).path("userId").asLong()).isEqualTo(bob);

        // a key owner may change and delete it; an explicit null quota clears it
        http.patch().uri("/api/keys/" + keyId).header(HttpHeaders.AUTHORIZATION, "Bearer " + aliceToken)
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"quotaMicros\": null, \"name\": \"desk\"}")
                .exchange().expectStatus().isOk().expectBody().jsonPath("$.name").isEqualTo("desk");
        Command.UpdateKey update = ledger.receivedOfType(Command.UpdateKey.class).get(0);
        assertThat(update.clearQuota()).isTrue();
        assertThat(update.quotaMicros()).isNull();
        expectError(http.delete().uri("/api/keys/" + keyId).header(HttpHeaders.AUTHORIZATION, "Bearer " + bobToken)
                .exchange(), 404, "not_found");
        http.delete().uri("/api/keys/" + keyId).header(HttpHeaders.AUTHORIZATION, "Bearer " + aliceToken)
                .exchange().expectStatus().isNoContent();
        expectError(get(aliceToken, "/api/keys/" + keyId), 404, "not_found");
    }

    @Test
    @Order(4)
    void shouldAnswer503WhenLedgerDoesNotConfirmInTime() {
        String admin = login("admin", ADMIN_PASSWORD);
        long carol = createCustomer(admin, "carol");
        ledger.answering(false);
        try {
            long started = System.nanoTime();
            expectError(http.post().uri("/api/users/" + carol + "/topups")
                    .header(HttpHeaders.AUTHORIZATION, "Bearer " + admin).header("Idempotency-Key", "lost-topup")
                    .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("amountMicros", 5_000_000)).exchange(),
                    503, "ledger_unavailable");
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            assertThat(took).isGreaterThanOrEqualTo(COMMAND_TIMEOUT).isLessThan(Duration.ofSeconds(5));
            assertThat(ledger.receivedWithId(topUpCommandId(adminActor(), "lost-topup"))).hasSize(1);
        } finally {
            ledger.answering(true);
        }
    }

    @Test
    @Order(5)
    void shouldSendTheSameCommandIdWhenIdempotencyKeyRepeats() {
        String admin = login("admin", ADMIN_PASSWORD);
        long dave = createCustomer(admin, "dave");
        String idempotencyKey = "topup-" + UUID.randomUUID();

        long first = topUp(admin, dave, idempotencyKey, 7_000_000);
        long second = topUp(admin, dave, idempotencyKey, 7_000_000);

        assertThat(second).isEqualTo(first);
        assertThat(ledger.receivedWithId(idempotencyKey)).as("the header is never the command id as given").isEmpty();
        List<CommandEnvelope> sent = ledger.receivedWithId(topUpCommandId(adminActor(), idempotencyKey));
        assertThat(sent).hasSize(2).allSatisfy(c -> {
            assertThat(c.payload()).isEqualTo(sent.get(0).payload());
            assertThat(c.fingerprint()).matches("[0-9a-f]{64}").isEqualTo(sent.get(0).fingerprint());
        });
        get(admin, "/api/users/" + dave).expectStatus().isOk().expectBody()
                .jsonPath("$.balanceMicros").isEqualTo(7_000_000);
        JsonNode journal = json(get(admin, "/api/users/" + dave + "/journal").expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody());
        assertThat(journal.path("total").asLong()).isEqualTo(1);
        assertThat(journal.path("items").get(0).path("balanceAfterMicros").asLong()).isEqualTo(7_000_000);
    }

    @Test
    @Order(6)
    void shouldFilterAndPageLogsWhenRowsExist() throws Exception {
        String admin = login("admin", ADMIN_PASSWORD);
        long erin = createCustomer(admin, "erin");
        Instant t0 = Instant.parse("2031-03-01T00:00:00Z");
        for (int i = 0; i < 5; i++) {
            insertLog(erin, 7, i % 2 == 0 ? "gpt-4o" : "claude-sonnet", i == 4 ? "upstream_error" : "success",
                    t0.plus(Duration.ofMinutes(i)));
        }

        JsonNode page0 = logs(admin, "/api/logs?userId=" + erin + "&size=2&page=0");
        assertThat(page0.path("total").asLong()).isEqualTo(5);
        assertThat(page0.path("size").asInt()).isEqualTo(2);
        assertThat(page0.path("items").size()).isEqualTo(2);
        assertThat(page0.path("items").get(0).path("at").asString()).isEqualTo("2031-03-01T00:04:00Z");
        assertThat(page0.path("items").get(1).path("at").asString()).isEqualTo("2031-03-01T00:03:00Z");
        JsonNode page2 = logs(admin, "/api/logs?userId=" + erin + "&size=2&page=2");
        assertThat(page2.path("items").size()).isEqualTo(1);
        assertThat(page2.path("items").get(0).path("at").asString()).isEqualTo("2031-03-01T00:00:00Z");

        assertThat(logs(admin, "/api/logs?userId=" + erin + "&model=claude-sonnet").path("total").asLong())
                .isEqualTo(2);
        assertThat(logs(admin, "/api/logs?userId=" + erin + "&status=upstream_error").path("total").asLong())
                .isEqualTo(1);
        assertThat(logs(admin, "/api/logs?userId=" + erin + "&from=2031-03-01T00:01:00Z&to=2031-03-01T00:03:00Z")
                .path("total").asLong()).isEqualTo(2);
        expectError(get(admin, "/api/logs?size=500"), 400, "invalid_request");
    }

    @Test
    @Order(7)
    void shouldAnswer400ErrorJsonWhenBodyIsMalformed() {
        String admin = login("admin", ADMIN_PASSWORD);
        String body = http.post().uri("/api/users").header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"username\": \"x\", ")
                .exchange().expectStatus().isBadRequest()
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat(json(body).path("error").path("code").asString()).isEqualTo("invalid_request");
        assertThat(body).doesNotContain("Exception").doesNotContain("trace");

        expectError(http.post().uri("/api/auth/login").contentType(MediaType.APPLICATION_JSON).bodyValue("not json")
                .exchange(), 400, "invalid_request");
        String typed = http.post().uri("/api/users/1/topups").header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"amountMicros\": \"lots\"}")
                .exchange().expectStatus().isBadRequest().expectBody(String.class).returnResult().getResponseBody();
        assertThat(json(typed).path("error").path("message").asString()).contains("amountMicros");
        expectError(http.post().uri("/api/users").header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("username", "frank", "password", "short"))
                .exchange(), 400, "invalid_request");
        expectError(get(admin, "/api/no-such-thing"), 404, "not_found");
        expectError(get(admin, "/api/users/not-a-number"), 400, "invalid_request");
    }

    @Test
    @Order(8)
    void shouldSendOnlyCiphertextAndNeverAnswerTheKeyWhenChannelIsCreated() {
        String admin = login("admin", ADMIN_PASSWORD);
        String upstreamKey = "sk-upstream-" + UUID.randomUUID();
        String created = http.post().uri("/api/channels").header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", "sim", "provider", "openai", "baseUrl", "http://127.0.0.1:8090/v1",
                        "apiKey", upstreamKey, "models", List.of("gpt-4o")))
                .exchange().expectStatus().isCreated().expectBody(String.class).returnResult().getResponseBody();
        Command.CreateChannel sent = ledger.receivedOfType(Command.CreateChannel.class).get(0);
        assertThat(sent.apiKeyCiphertext()).startsWith("v2.k1.").doesNotContain(upstreamKey);
        assertThat(ledger.received().toString()).doesNotContain(upstreamKey);
        JsonNode channel = json(created);
        assertThat(channel.path("hasApiKey").asBoolean()).isTrue();
        assertThat(channel.path("groups").get(0).asString()).isEqualTo("default");
        assertThat(created).doesNotContain(upstreamKey).doesNotContain(sent.apiKeyCiphertext());
        String listed = get(admin, "/api/channels").expectStatus().isOk().expectBody(String.class).returnResult()
                .getResponseBody();
        assertThat(json(listed).path("total").asLong()).isEqualTo(1);
        assertThat(listed).doesNotContain(sent.apiKeyCiphertext());

        expectError(http.post().uri("/api/channels").header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", "bad", "provider", "openia", "baseUrl", "https://x/v1", "models",
                        List.of("m"))).exchange(), 400, "invalid_request");
    }

    @Test
    @Order(9)
    void shouldSetPriceWhenModelNameHasSlashAndColon() {
        String admin = login("admin", ADMIN_PASSWORD);
        http.put().uri(raw("/api/prices/openai%2Fgpt-4o%3Afree")).header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("inputMicrosPerMTok", 2_500_000, "outputMicrosPerMTok", 10_000_000,
                        "reasoningMicrosPerMTok", 40_000_000))
                .exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.model").isEqualTo("openai/gpt-4o:free")
                .jsonPath("$.version").isEqualTo(1)
                .jsonPath("$.perRequestMicros").isEqualTo(0)
                .jsonPath("$.reasoningMicrosPerMTok").isEqualTo(40_000_000);
        assertThat(ledger.receivedOfType(Command.SetPrice.class))
                .anySatisfy(c -> assertThat(c.reasoningMicrosPerMTok()).isEqualTo(40_000_000));
        http.put().uri(raw("/api/prices/openai%2Fgpt-4o%3Afree")).header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("inputMicrosPerMTok", 3_000_000))
                .exchange().expectStatus().isOk().expectBody().jsonPath("$.version").isEqualTo(2)
                .jsonPath("$.reasoningMicrosPerMTok").isEqualTo(0);

        String customer = login("alice", "alice-password");
        http.get().uri(raw("/api/prices/openai%2Fgpt-4o%3Afree"))
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + customer).exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.version").isEqualTo(2)
                .jsonPath("$.inputMicrosPerMTok").isEqualTo(3_000_000)
                .jsonPath("$.reasoningMicrosPerMTok").isEqualTo(0);
        JsonNode all = json(get(customer, "/api/prices").expectStatus().isOk().expectBody(String.class)
                .returnResult().getResponseBody());
        assertThat(all.path("total").asLong()).isEqualTo(1);
        expectError(http.put().uri("/api/prices/gpt-4o").header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("outputMicrosPerMTok", -1)).exchange(),
                400, "invalid_request");
        expectError(http.put().uri("/api/prices/gpt-4o").header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("reasoningMicrosPerMTok", -1)).exchange(),
                400, "invalid_request");
    }

    @Test
    @Order(10)
    void shouldAnswer422AndCreditNothingWhenIdempotencyKeyIsReusedForAnotherUser() {
        String admin = login("admin", ADMIN_PASSWORD);
        long gina = createCustomer(admin, "gina");
        long hank = createCustomer(admin, "hank");
        String idempotencyKey = "topup-" + UUID.randomUUID();

        long ginaEntry = topUp(admin, gina, idempotencyKey, 3_000_000);
        expectError(postTopUp(admin, hank, idempotencyKey, 3_000_000), 422, "idempotency_key_reused");
        expectError(postTopUp(admin, gina, idempotencyKey, 4_000_000), 422, "idempotency_key_reused");
        assertThat(topUp(admin, gina, idempotencyKey, 3_000_000)).isEqualTo(ginaEntry);

        List<CommandEnvelope> sent = ledger.receivedWithId(topUpCommandId(adminActor(), idempotencyKey));
        assertThat(sent).hasSize(4);
        assertThat(sent.get(1).fingerprint()).isNotEqualTo(sent.get(0).fingerprint());
        assertThat(sent.get(3).fingerprint()).isEqualTo(sent.get(0).fingerprint());
        get(admin, "/api/users/" + hank).expectStatus().isOk().expectBody().jsonPath("$.balanceMicros").isEqualTo(0);
        assertThat(json(get(admin, "/api/users/" + hank + "/journal").expectStatus().isOk().expectBody(String.class)
                .returnResult().getResponseBody()).path("total").asLong()).isZero();
        get(admin, "/api/users/" + gina).expectStatus().isOk().expectBody()
                .jsonPath("$.balanceMicros").isEqualTo(3_000_000);
    }

    @Test
    @Order(11)
    void shouldKeepCommandsApartWhenTwoActorsSendTheSameIdempotencyKey() {
        String alice = login("alice", "alice-password");
        String bob = login("bob", "bob-password");
        String idempotencyKey = "key-1";

        JsonNode aliceKey = created(createKey(alice, idempotencyKey, Map.of("name", "same-header")));
        JsonNode bobKey = created(createKey(bob, idempotencyKey, Map.of("name", "same-header")));

        assertThat(bobKey.path("id").asLong()).isNotEqualTo(aliceKey.path("id").asLong());
        assertThat(bobKey.path("userId").asLong()).isNotEqualTo(aliceKey.path("userId").asLong());
        List<String> ids = ledger.receivedEnvelopesOfType(Command.CreateKey.class).stream()
                .filter(c -> ((Command.CreateKey) c.payload()).name().equals("same-header"))
                .map(CommandEnvelope::id)
                .toList();
        assertThat(ids).hasSize(2).doesNotHaveDuplicates().allSatisfy(id -> assertThat(id).startsWith("idem:"));
    }

    @Test
    @Order(12)
    void shouldSendTheSameFingerprintWhenAWriteWithSecretsIsRetried() {
        String admin = login("admin", ADMIN_PASSWORD);
        String userKey = "user-" + UUID.randomUUID();
        Map<String, Object> user = Map.of("username", "ivy", "password", "ivy-password");
        long first = json(postJson(admin, "/api/users", userKey, user).expectStatus().isCreated()
                .expectBody(String.class).returnResult().getResponseBody()).path("id").asLong();
        long again = json(postJson(admin, "/api/users", userKey, user).expectStatus().isCreated()
                .expectBody(String.class).returnResult().getResponseBody()).path("id").asLong();
        assertThat(again).isEqualTo(first);
        List<CommandEnvelope> users = ledger.receivedEnvelopesOfType(Command.CreateUser.class).stream()
                .filter(c -> ((Command.CreateUser) c.payload()).username().equals("ivy"))
                .toList();
        assertThat(users).hasSize(2);
        assertThat(((Command.CreateUser) users.get(1).payload()).passwordHash())
                .isNotEqualTo(((Command.CreateUser) users.get(0).payload()).passwordHash());
        assertThat(users.get(1).fingerprint()).isEqualTo(users.get(0).fingerprint());

        // a retried key create gets another key, but the same fingerprint: the ledger's answer is the
        // first key, whose secret cannot be shown again
        String ivy = login("ivy", "ivy-password");
        String keyKey = "key-" + UUID.randomUUID();
        createKey(ivy, keyKey, Map.of("name", "retried")).expectStatus().isCreated();
        expectError(createKey(ivy, keyKey, Map.of("name", "retried")), 409, "conflict");
        List<CommandEnvelope> keys = ledger.receivedEnvelopesOfType(Command.CreateKey.class).stream()
                .filter(c -> ((Command.CreateKey) c.payload()).name().equals("retried"))
                .toList();
        assertThat(keys).hasSize(2);
        assertThat(keys.get(1).fingerprint()).isEqualTo(keys.get(0).fingerprint());
        expectError(createKey(ivy, keyKey, Map.of("name", "another")), 422, "idempotency_key_reused");
    }

    @Test
    @Order(13)
    void shouldAnswerTheNewStateWhenPatchedRowsAreReadBeforeTheyCommit() {
        String admin = login("admin", ADMIN_PASSWORD);
        String alice = login("alice", "alice-password");
        long jill = createCustomer(admin, "jill");
        JsonNode key = created(createKey(alice, null, Map.of("name", "before")));
        long channel = json(get(admin, "/api/channels").expectStatus().isOk().expectBody(String.class)
                .returnResult().getResponseBody()).path("items").get(0).path("id").asLong();
        ledger.commitLag(Duration.ofMillis(800));
        try {
            patchKey(alice, key.path("id").asLong(), Map.of("name", "after")).expectStatus().isOk().expectBody()
                    .jsonPath("$.name").isEqualTo("after")
                    .jsonPath("$.version").isEqualTo(key.path("version").asLong() + 1);
            http.patch().uri("/api/users/" + jill).header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)
                    .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("enabled", false))
                    .exchange().expectStatus().isOk().expectBody()
                    .jsonPath("$.enabled").isEqualTo(false)
                    .jsonPath("$.version").isEqualTo(2);
            http.patch().uri("/api/channels/" + channel).header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)
                    .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("priority", 7))
                    .exchange().expectStatus().isOk().expectBody()
                    .jsonPath("$.priority").isEqualTo(7);
        } finally {
            ledger.commitLag(Duration.ZERO);
        }
    }

    @Test
    @Order(14)
    void shouldLetCustomersNameOnlyTheirOwnGroupAndAdminsAnyExistingOne() {
        String admin = login("admin", ADMIN_PASSWORD);
        String alice = login("alice", "alice-password");
        long aliceId = json(get(alice, "/api/me").expectStatus().isOk().expectBody(String.class).returnResult()
                .getResponseBody()).path("id").asLong();
        http.put().uri("/api/groups/vip").header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("multiplierBp", 5_000))
                .exchange().expectStatus().isOk();

        // a customer: another group is refused, their own (or none) follows them
        expectError(createKey(alice, null, Map.of("name", "cheap", "group", "vip")), 403, "forbidden");
        assertThat(ledger.receivedOfType(Command.CreateKey.class)).noneMatch(k -> k.name().equals("cheap"));
        JsonNode own = created(createKey(alice, null, Map.of("name", "own-group", "group", "default")));
        assertThat(ledger.receivedOfType(Command.CreateKey.class)).filteredOn(k -> k.name().equals("own-group"))
                .singleElement().satisfies(k -> assertThat(k.group()).isNull());
        long ownId = own.path("id").asLong();
        expectError(patchKey(alice, ownId, Map.of("group", "vip")), 403, "forbidden");
        patchKey(alice, ownId, Map.of("group", "default")).expectStatus().isOk();

        // an admin: any existing group, never a missing one
        expectError(createKey(admin, null, Map.of("userId", aliceId, "name", "nowhere", "group", "no-such-group")),
                400, "invalid_request");
        createKey(admin, null, Map.of("userId", aliceId, "name", "vip-key", "group", "vip"))
                .expectStatus().isCreated().expectBody().jsonPath("$.group").isEqualTo("vip");
        patchKey(admin, ownId, Map.of("group", "vip")).expectStatus().isOk().expectBody()
                .jsonPath("$.group").isEqualTo("vip");
        expectError(patchKey(admin, ownId, Map.of("group", "no-such-group")), 400, "invalid_request");

        // the customer may move a key an admin put elsewhere back to their own group
        patchKey(alice, ownId, Map.of("group", "default")).expectStatus().isOk().expectBody()
                .jsonPath("$.group").isEqualTo("default");
    }

    @Test
    @Order(15)
    void shouldShowFollowingInHealthButNotInReadiness() {
        awaitReady();
        http.get().uri("/actuator/health").exchange().expectBody()
                .jsonPath("$.components.changesFollower.status").isEqualTo("UP")
                .jsonPath("$.components.changesFollower.details.following").isEqualTo(true);
        http.get().uri("/actuator/health/readiness").exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.components.changesFollower").doesNotExist();
    }

    @Test
    @Order(16)
    void shouldDeleteAChannelForAdminsOnlyAndNotListItAfterwards() {
        String admin = login("admin", ADMIN_PASSWORD);
        long customer = createCustomer(admin, "dora");
        String dora = login("dora", "dora-password");
        long channel = json(http.post().uri("/api/channels").header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", "to-delete", "provider", "openai", "baseUrl", "http://127.0.0.1:8090/v1",
                        "apiKey", "sk-delete-me", "models", List.of("gpt-4o")))
                .exchange().expectStatus().isCreated().expectBody(String.class).returnResult().getResponseBody())
                .path("id").asLong();
        assertThat(customer).isPositive();

        expectError(http.delete().uri("/api/channels/" + channel).header(HttpHeaders.AUTHORIZATION, "Bearer " + dora)
                .exchange(), 403, "forbidden");
        http.delete().uri("/api/channels/" + channel).header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)
                .exchange().expectStatus().isNoContent();

        assertThat(ledger.receivedOfType(Command.UpdateChannel.class))
                .anySatisfy(c -> assertThat(c.channelId() == channel && Boolean.TRUE.equals(c.deleted())).isTrue());
        expectError(get(admin, "/api/channels/" + channel), 404, "not_found");
        assertThat(get(admin, "/api/channels").expectStatus().isOk().expectBody(String.class).returnResult()
                .getResponseBody()).doesNotContain("to-delete");
        expectError(http.delete().uri("/api/channels/" + channel).header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)
                .exchange(), 404, "not_found");
    }

    @Test
    @Order(17)
    void shouldTimeCommandRoundTripsWhenWritesGoThroughTheLedger() {
        String admin = login("admin", ADMIN_PASSWORD);
        Map<String, String> createUserOk = Map.of("command", "CreateUser", "outcome", "ok");
        double before = scrape().sum("tollgate_admin_command_roundtrip_seconds_count", createUserOk);
        createCustomer(admin, "metered-" + java.util.UUID.randomUUID().toString().substring(0, 8));
        createCustomer(admin, "metered-" + java.util.UUID.randomUUID().toString().substring(0, 8));

        PrometheusScrape after = scrape();
        assertThat(after.sum("tollgate_admin_command_roundtrip_seconds_count", createUserOk)).isEqualTo(before + 2);
        assertThat(after.sum("tollgate_admin_command_roundtrip_seconds_sum", createUserOk)).isPositive();
        assertThat(after.samples("tollgate_admin_command_roundtrip_seconds_bucket", createUserOk)).isNotEmpty();
    }

    private PrometheusScrape scrape() {
        return PrometheusScrape.parse(http.get().uri("/actuator/prometheus").exchange()
                .expectStatus().isOk()
                .expectBody(String.class)
                .returnResult()
                .getResponseBody());
    }

    @Test
    @Order(18)
    void shouldStopCountingLogsAtTheCapAndSayItWhileNarrowFiltersCountExactly() throws Exception {
        String admin = login("admin", ADMIN_PASSWORD);
        long kate = createCustomer(admin, "kate");
        long liam = createCustomer(admin, "liam");
        String kateToken = login("kate", "kate-password");
        String liamToken = login("liam", "liam-password");
        long rows = LogPage.COUNT_CAP + 5;
        insertManyLogs(kate, rows, Instant.parse("2031-05-01T00:00:00Z"));
        insertLog(liam, 8, "gpt-4o", "success", Instant.parse("2031-05-02T00:00:00Z"));

        JsonNode capped = logs(admin, "/api/logs?userId=" + kate + "&size=50");
        assertThat(capped.path("total").asLong()).isEqualTo(LogPage.COUNT_CAP);
        assertThat(capped.path("totalCapped").asBoolean()).isTrue();
        assertThat(capped.path("items").size()).isEqualTo(50);
        assertThat(capped.path("items").get(0).path("at").asString()).as("newest first")
                .isEqualTo("2031-05-01T02:46:44Z");
        // The owner sees the same cap on their own log.
        JsonNode own = logs(kateToken, "/api/logs");
        assertThat(own.path("total").asLong()).isEqualTo(LogPage.COUNT_CAP);
        assertThat(own.path("totalCapped").asBoolean()).isTrue();

        // A filter that narrows below the cap is counted exactly; the indexed filters alone find the rare rows.
        JsonNode errors = logs(admin, "/api/logs?status=upstream_error&model=gpt-rare");
        assertThat(errors.path("total").asLong()).isEqualTo(5);
        assertThat(errors.path("totalCapped").asBoolean()).isFalse();
        assertThat(errors.path("items").findValues("userId")).extracting(JsonNode::asLong).containsOnly(kate);
        assertThat(logs(admin, "/api/logs?keyId=" + (LogPage.COUNT_CAP + 4)).path("total").asLong()).isEqualTo(1);

        // Another customer naming kate (or her key) in the filters still sees only their own request.
        JsonNode liamAsks = logs(liamToken, "/api/logs?userId=" + kate + "&status=success");
        assertThat(liamAsks.path("total").asLong()).isEqualTo(1);
        assertThat(liamAsks.path("totalCapped").asBoolean()).isFalse();
        assertThat(liamAsks.path("items").findValues("userId")).extracting(JsonNode::asLong).containsOnly(liam);
        assertThat(logs(liamToken, "/api/logs?keyId=" + (LogPage.COUNT_CAP + 4)).path("total").asLong()).isZero();
    }

    // --- helpers

    private void awaitReady() {
        ledger.answering(true);
        await().atMost(DEADLINE).untilAsserted(() -> http.get().uri("/actuator/health/readiness").exchange()
                .expectStatus().isOk());
    }

    private String login(String username, String password) {
        awaitReady();
        return json(http.post().uri("/api/auth/login").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("username", username, "password", password))
                .exchange().expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody())
                .path("token").asString();
    }

    private long createCustomer(String adminToken, String username) {
        JsonNode user = json(http.post().uri("/api/users").header(HttpHeaders.AUTHORIZATION, "Bearer " + adminToken)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("username", username, "password", username + "-password"))
                .exchange().expectStatus().isCreated().expectBody(String.class).returnResult().getResponseBody());
        assertThat(user.path("username").asString()).isEqualTo(username);
        assertThat(user.path("role").asString()).isEqualTo("customer");
        assertThat(user.path("group").asString()).isEqualTo("default");
        return user.path("id").asLong();
    }

    private long topUp(String adminToken, long userId, String idempotencyKey, long amount) {
        JsonNode entry = json(postTopUp(adminToken, userId, idempotencyKey, amount)
                .expectStatus().isCreated().expectBody(String.class).returnResult().getResponseBody());
        assertThat(entry.path("amountMicros").asLong()).isEqualTo(amount);
        assertThat(entry.path("kind").asString()).isEqualTo("topup");
        assertThat(entry.path("userId").asLong()).isEqualTo(userId);
        return entry.path("id").asLong();
    }

    private WebTestClient.ResponseSpec postTopUp(String adminToken, long userId, String idempotencyKey, long amount) {
        return postJson(adminToken, "/api/users/" + userId + "/topups", idempotencyKey,
                Map.of("amountMicros", amount, "note", "credit"));
    }

    private static JsonNode created(WebTestClient.ResponseSpec response) {
        return json(response.expectStatus().isCreated().expectBody(String.class).returnResult().getResponseBody());
    }

    private WebTestClient.ResponseSpec createKey(String token, String idempotencyKey, Map<String, Object> body) {
        return postJson(token, "/api/keys", idempotencyKey, body);
    }

    private WebTestClient.ResponseSpec patchKey(String token, long keyId, Map<String, Object> body) {
        return http.patch().uri("/api/keys/" + keyId).header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
    }

    private WebTestClient.ResponseSpec postJson(String token, String uri, String idempotencyKey, Object body) {
        WebTestClient.RequestBodySpec request = http.post().uri(uri)
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + token);
        if (idempotencyKey != null) {
            request = request.header("Idempotency-Key", idempotencyKey);
        }
        return request.contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
    }

    /** The command id a top-up sent by {@code actor} with this header gets. */
    private static String topUpCommandId(String actor, String idempotencyKey) {
        return IdempotencyKeys.scoped(actor, "POST", "/api/users/{id}/topups", idempotencyKey);
    }

    private String adminActor() {
        awaitReady();
        return "user:" + json(http.post().uri("/api/auth/login").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("username", "admin", "password", ADMIN_PASSWORD))
                .exchange().expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody())
                .path("userId").asLong();
    }

    private JsonNode logs(String token, String uri) {
        return json(get(token, uri).expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody());
    }

    /** A URI sent exactly as written: the template methods would encode its %-escapes a second time. */
    private java.net.URI raw(String pathAndQuery) {
        return java.net.URI.create("http://127.0.0.1:" + port + pathAndQuery);
    }

    private WebTestClient.ResponseSpec get(String token, String uri) {
        return http.get().uri(uri).header(HttpHeaders.AUTHORIZATION, "Bearer " + token).exchange();
    }

    private static void expectError(WebTestClient.ResponseSpec response, int status, String code) {
        String body = response.expectStatus().isEqualTo(status).expectBody(String.class).returnResult()
                .getResponseBody();
        JsonNode error = json(body).path("error");
        assertThat(error.path("code").asString()).as(body).isEqualTo(code);
        assertThat(error.path("message").asString()).isNotBlank();
    }

    private static JsonNode json(String body) {
        return Json.mapper().readTree(body);
    }

    private static void insertLog(long userId, long keyId, String model, String status, Instant at) throws Exception {
        LocalDateTime utc = LocalDateTime.ofInstant(at, ZoneOffset.UTC);
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement("INSERT INTO request_log "
                + "(day, request_id, user_id, key_id, model, status, http_status, cost_micros, latency_ms, at) "
                + "VALUES (?, ?, ?, ?, ?, ?, 200, 1000, 50, ?)")) {
            ps.setObject(1, utc.toLocalDate());
            ps.setString(2, UUID.randomUUID().toString());
            ps.setLong(3, userId);
            ps.setLong(4, keyId);
            ps.setString(5, model);
            ps.setString(6, status);
            ps.setTimestamp(7, Timestamp.valueOf(utc));
            ps.executeUpdate();
        }
    }

    /**
     * {@code rows} requests of one user, a second apart from {@code start}, each with its own key id (its index);
     * the last 5 are upstream errors of model gpt-rare. One INSERT … SELECT over a generated sequence: fast enough
     * for a count past the cap.
     */
    private static void insertManyLogs(long userId, long rows, Instant start) throws Exception {
        String digits = "(SELECT 0 AS d UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4 "
                + "UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9)";
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement("INSERT INTO request_log "
                + "(day, request_id, user_id, key_id, model, status, http_status, cost_micros, latency_ms, at) "
                + "SELECT DATE(t.at), CONCAT('many-', t.n), ?, t.n, IF(t.n >= ? - 5, 'gpt-rare', 'gpt-4o'), "
                + "IF(t.n >= ? - 5, 'upstream_error', 'success'), 200, 1, 5, t.at FROM (SELECT x.n, "
                + "? + INTERVAL x.n SECOND AS at FROM (SELECT a.d + 10 * b.d + 100 * c.d + 1000 * e.d + 10000 * f.d "
                + "AS n FROM " + digits + " a, " + digits + " b, " + digits + " c, " + digits + " e, " + digits
                + " f) x WHERE x.n < ?) t")) {
            ps.setLong(1, userId);
            ps.setLong(2, rows);
            ps.setLong(3, rows);
            ps.setTimestamp(4, Timestamp.valueOf(LocalDateTime.ofInstant(start, ZoneOffset.UTC)));
            ps.setLong(5, rows);
            ps.executeUpdate();
        }
    }
}
