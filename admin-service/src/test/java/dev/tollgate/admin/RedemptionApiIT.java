package dev.tollgate.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tollgate.contracts.Topics;
import dev.tollgate.contracts.events.Command;
import dev.tollgate.contracts.events.CommandEnvelope;
import dev.tollgate.contracts.events.EventCodec;
import dev.tollgate.contracts.json.Json;
import dev.tollgate.contracts.secrets.CustomerKeys;
import dev.tollgate.testsupport.TestDatabase;
import dev.tollgate.testsupport.TestKafka;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;

/**
 * The redemption API's HTTP contract against a real broker and MariaDB/MySQL, with {@link LedgerStandIn}
 * playing the ledger: codes appear only in the create answer, hashes never, a customer redeems only for
 * themself, and the ledger's refusals map to 404/409/410.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class RedemptionApiIT {

    private static final String ADMIN_PASSWORD = "admin-password-for-tests";
    private static final String CUSTOMER_PASSWORD = "customer-password";
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    static final TestDatabase db = AdminTestStack.migratedDatabase();
    static final Topics topics = new Topics(TestKafka.uniquePrefix());
    static final LedgerStandIn ledger;

    static {
        ledger = LedgerStandIn.start(TestKafka.bootstrapServers(), topics, db);
        ledger.answering(true);
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        AdminTestStack.register(registry, db, topics, ADMIN_PASSWORD, "10s");
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
        await().atMost(DEADLINE).untilAsserted(() -> http.get().uri("/actuator/health/readiness").exchange()
                .expectStatus().isOk());
    }

    @AfterAll
    static void cleanUp() {
        ledger.close();
        db.close();
    }

    @Test
    void shouldShowCodesOnlyInTheCreateAnswerAndNeverAHashWhenAnAdminCreatesAndListsABatch() {
        String admin = login("admin", ADMIN_PASSWORD);
        String name = "spring-" + UUID.randomUUID();
        String key = "create-" + UUID.randomUUID();
        Instant expiresAt = Instant.now().plus(30, ChronoUnit.DAYS).truncatedTo(ChronoUnit.MILLIS);

        JsonNode created = json(post(admin, "/api/redemptions", key,
                Map.of("name", name, "amountMicros", 5_000_000, "count", 3, "expiresAt", expiresAt.toString()))
                .expectStatus().isCreated().expectBody(String.class).returnResult().getResponseBody());

        assertThat(created.path("name").asString()).isEqualTo(name);
        assertThat(created.path("amountMicros").asLong()).isEqualTo(5_000_000);
        assertThat(created.path("count").asInt()).isEqualTo(3);
        assertThat(Instant.parse(created.path("expiresAt").asString())).isEqualTo(expiresAt);
        List<String> codes = strings(created.path("codes"));
        assertThat(codes).hasSize(3).doesNotHaveDuplicates()
                .allSatisfy(c -> assertThat(c).matches("tgr-[0-9A-Za-z]{24}"));
        List<String> hashes = codes.stream().map(CustomerKeys::hash).toList();
        // Only hashes and display prefixes travel to the ledger.
        CommandEnvelope sent = ledger.receivedEnvelopesOfType(Command.CreateRedemptionCodes.class).stream()
                .filter(e -> ((Command.CreateRedemptionCodes) e.payload()).batchName().equals(name))
                .findFirst().orElseThrow();
        Command.CreateRedemptionCodes command = (Command.CreateRedemptionCodes) sent.payload();
        assertThat(command.codeHashes()).containsExactlyElementsOf(hashes);
        assertThat(command.prefixes()).containsExactlyElementsOf(codes.stream().map(c -> c.substring(0, 8)).toList());
        String onTheWire = new String(EventCodec.encode(sent), StandardCharsets.UTF_8);
        assertThat(codes).allSatisfy(c -> assertThat(onTheWire).doesNotContain(c));

        String list = body(get(admin, "/api/redemptions?page=0&size=50"));
        String page = body(get(admin, "/api/redemptions/" + name + "/codes?page=0&size=2"));
        JsonNode batch = find(json(list).path("items"), "name", name);
        assertThat(batch.path("total").asLong()).isEqualTo(3);
        assertThat(batch.path("redeemed").asLong()).isZero();
        assertThat(batch.path("amountMicros").asLong()).isEqualTo(5_000_000);
        assertThat(json(page).path("total").asLong()).isEqualTo(3);
        assertThat(json(page).path("size").asInt()).isEqualTo(2);
        assertThat(json(page).path("items")).hasSize(2);
        assertThat(strings(json(page).path("items"), "prefix")).containsExactlyElementsOf(
                codes.subList(0, 2).stream().map(c -> c.substring(0, 8)).toList());
        for (String answer : List.of(list, page)) {
            assertThat(answer).doesNotContain("hash");
            hashes.forEach(h -> assertThat(answer).doesNotContain(h));
            codes.forEach(c -> assertThat(answer).doesNotContain(c));
        }

        // A retry under the same key cannot show the codes again (they were new ones): 409, not fake codes.
        expectError(post(admin, "/api/redemptions", key,
                Map.of("name", name, "amountMicros", 5_000_000, "count", 3, "expiresAt", expiresAt.toString())),
                409, "conflict");
        expectError(post(admin, "/api/redemptions", null, Map.of("name", name, "amountMicros", 1, "count", 1)),
                409, "conflict");
        expectError(post(admin, "/api/redemptions", null, Map.of("name", "n-" + UUID.randomUUID(),
                "amountMicros", 1, "count", 10_001)), 400, "invalid_request");
        expectError(post(admin, "/api/redemptions", null, Map.of("name", "n-" + UUID.randomUUID(),
                "amountMicros", 1, "count", 1, "expiresAt", "2001-01-01T00:00:00Z")), 400, "invalid_request");
        expectError(get(admin, "/api/redemptions/no-such-batch/codes"), 404, "not_found");
    }

    @Test
    void shouldCreditOnlyTheCallerWhenACustomerRedeemsAndMapRefusalsToTheirOwnErrors() throws Exception {
        String admin = login("admin", ADMIN_PASSWORD);
        String aliceName = "alice-" + UUID.randomUUID().toString().substring(0, 8);
        long alice = createCustomer(admin, aliceName);
        long bob = createCustomer(admin, "bob-" + UUID.randomUUID().toString().substring(0, 8));
        String aliceToken = login(aliceName, CUSTOMER_PASSWORD);
        String name = "promo-" + UUID.randomUUID();
        List<String> codes = strings(json(post(admin, "/api/redemptions", null,
                Map.of("name", name, "amountMicros", 2_000_000, "count", 3))
                .expectStatus().isCreated().expectBody(String.class).returnResult().getResponseBody()).path("codes"));

        String idempotencyKey = "redeem-" + UUID.randomUUID();
        JsonNode redeemed = json(body(post(aliceToken, "/api/redemptions/redeem", idempotencyKey,
                Map.of("code", codes.get(0)))));
        JsonNode retried = json(body(post(aliceToken, "/api/redemptions/redeem", idempotencyKey,
                Map.of("code", codes.get(0)))));

        assertThat(redeemed.path("amountMicros").asLong()).isEqualTo(2_000_000);
        assertThat(redeemed.path("balanceAfterMicros").asLong()).isEqualTo(2_000_000);
        assertThat(redeemed.path("journalId").asLong()).isPositive();
        assertThat(retried).as("a retry under the same Idempotency-Key answers the same credit").isEqualTo(redeemed);
        assertThat(json(body(get(aliceToken, "/api/me"))).path("balanceMicros").asLong()).isEqualTo(2_000_000);
        assertThat(ledger.receivedOfType(Command.RedeemCode.class)).anySatisfy(r -> {
            assertThat(r.codeHash()).isEqualTo(CustomerKeys.hash(codes.get(0)));
            assertThat(r.userId()).isEqualTo(alice);
        });
        assertThat(ledger.received().stream().map(e -> new String(EventCodec.encode(e), StandardCharsets.UTF_8)))
                .as("a code never travels on Kafka")
                .allSatisfy(wire -> codes.forEach(c -> assertThat(wire).doesNotContain(c)));

        // A customer cannot credit someone else; an admin can.
        expectError(post(aliceToken, "/api/redemptions/redeem", null, Map.of("code", codes.get(1), "userId", bob)),
                403, "forbidden");
        JsonNode forBob = json(body(post(admin, "/api/redemptions/redeem", null,
                Map.of("code", codes.get(1), "userId", bob))));
        assertThat(forBob.path("balanceAfterMicros").asLong()).isEqualTo(2_000_000);
        assertThat(json(body(get(admin, "/api/users/" + bob))).path("balanceMicros").asLong()).isEqualTo(2_000_000);

        expectError(post(aliceToken, "/api/redemptions/redeem", null, Map.of("code", codes.get(0))), 409,
                "code_already_redeemed");
        expectError(post(aliceToken, "/api/redemptions/redeem", null,
                Map.of("code", "tgr-" + "x".repeat(24))), 404, "code_not_found");
        expectError(post(aliceToken, "/api/redemptions/redeem", null, Map.of("code", "not a code")), 404,
                "code_not_found");
        String expired = insertExpiredCode();
        expectError(post(aliceToken, "/api/redemptions/redeem", null, Map.of("code", expired)), 410, "code_expired");
        expectError(post(admin, "/api/redemptions/redeem", null, Map.of("code", codes.get(2), "userId", 987_654_321)),
                404, "not_found");
        expectError(get(aliceToken, "/api/redemptions"), 403, "forbidden");
        expectError(get(aliceToken, "/api/redemptions/" + name + "/codes"), 403, "forbidden");
        expectError(post(aliceToken, "/api/redemptions", null, Map.of("name", "mine", "amountMicros", 1, "count", 1)),
                403, "forbidden");

        assertThat(journalRows(alice, "redemption")).isEqualTo(1);
        JsonNode batch = find(json(body(get(admin, "/api/redemptions?size=200"))).path("items"), "name", name);
        assertThat(batch.path("redeemed").asLong()).isEqualTo(2);
        JsonNode first = json(body(get(admin, "/api/redemptions/" + name + "/codes"))).path("items").get(0);
        assertThat(first.path("redeemedBy").asLong()).isEqualTo(alice);
        assertThat(first.path("redeemedAt").asString()).isNotBlank();
    }

    private String insertExpiredCode() throws Exception {
        String code = "tgr-" + CustomerKeys.generate().substring(3, 27);
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement("INSERT INTO redemption_codes "
                + "(batch_name, code_hash, prefix, amount_micros, expires_at) VALUES (?, ?, ?, 1000, "
                + "'2001-01-01 00:00:00')")) {
            ps.setString(1, "old-" + UUID.randomUUID());
            ps.setString(2, CustomerKeys.hash(code));
            ps.setString(3, code.substring(0, 8));
            ps.executeUpdate();
        }
        return code;
    }

    private static int journalRows(long userId, String kind) throws Exception {
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement(
                "SELECT COUNT(*) FROM journal WHERE user_id = ? AND kind = ?")) {
            ps.setLong(1, userId);
            ps.setString(2, kind);
            try (var rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private long createCustomer(String adminToken, String username) {
        return json(body(post(adminToken, "/api/users", null,
                Map.of("username", username, "password", CUSTOMER_PASSWORD)), 201)).path("id").asLong();
    }

    private String login(String username, String password) {
        return json(http.post().uri("/api/auth/login").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("username", username, "password", password))
                .exchange().expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody())
                .path("token").asString();
    }

    private WebTestClient.ResponseSpec post(String token, String uri, String idempotencyKey, Object body) {
        WebTestClient.RequestBodySpec request = http.post().uri(uri)
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + token);
        if (idempotencyKey != null) {
            request = request.header("Idempotency-Key", idempotencyKey);
        }
        return request.contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
    }

    private WebTestClient.ResponseSpec get(String token, String uri) {
        return http.get().uri(uri).header(HttpHeaders.AUTHORIZATION, "Bearer " + token).exchange();
    }

    private static String body(WebTestClient.ResponseSpec response) {
        return body(response, 200);
    }

    private static String body(WebTestClient.ResponseSpec response, int status) {
        return response.expectStatus().isEqualTo(status).expectBody(String.class).returnResult().getResponseBody();
    }

    private static void expectError(WebTestClient.ResponseSpec response, int status, String code) {
        String body = response.expectStatus().isEqualTo(status).expectBody(String.class).returnResult()
                .getResponseBody();
        JsonNode error = json(body).path("error");
        assertThat(error.path("code").asString()).as(body).isEqualTo(code);
        assertThat(error.path("message").asString()).isNotBlank();
    }

    private static JsonNode find(JsonNode items, String field, String value) {
        for (JsonNode item : items) {
            if (value.equals(item.path(field).asString())) {
                return item;
            }
        }
        throw new AssertionError("no item with " + field + " = " + value + " in " + items);
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asString()));
        return out;
    }

    private static List<String> strings(JsonNode items, String field) {
        List<String> out = new ArrayList<>();
        items.forEach(n -> out.add(n.path(field).asString()));
        return out;
    }

    private static JsonNode json(String body) {
        return Json.mapper().readTree(body);
    }
}
