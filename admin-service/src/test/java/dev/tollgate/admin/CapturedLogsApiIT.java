package dev.tollgate.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tollgate.contracts.Ids;
import dev.tollgate.contracts.Topics;
import dev.tollgate.contracts.events.Command;
import dev.tollgate.contracts.json.Json;
import dev.tollgate.testsupport.TestDatabase;
import dev.tollgate.testsupport.TestKafka;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
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
 * Captured bodies through the admin API against a real broker and MariaDB/MySQL, with {@link LedgerStandIn}
 * playing the ledger: the key's {@code captureBodies} setting round trip (a customer may switch it for their own
 * keys), {@code captured} in log lists without bodies, and the detail with its bodies for whoever may see it only.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class CapturedLogsApiIT {

    private static final String ADMIN_PASSWORD = "admin-password-for-tests";
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
    void shouldLetACustomerSwitchCaptureOnTheirOwnKeyAndShowItWhenKeysAreRead() {
        String admin = login("admin", ADMIN_PASSWORD);
        long carol = createCustomer(admin, "carol");
        String carolToken = login("carol", "carol-password");

        JsonNode created = json(http.post().uri("/api/keys").header(HttpHeaders.AUTHORIZATION, "Bearer " + carolToken)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("name", "debug", "captureBodies", true))
                .exchange().expectStatus().isCreated().expectBody(String.class).returnResult().getResponseBody());
        long keyId = created.path("id").asLong();
        JsonNode plain = json(http.post().uri("/api/keys").header(HttpHeaders.AUTHORIZATION, "Bearer " + carolToken)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("name", "prod"))
                .exchange().expectStatus().isCreated().expectBody(String.class).returnResult().getResponseBody());

        assertThat(created.path("captureBodies").asBoolean()).isTrue();
        assertThat(plain.path("captureBodies").isBoolean()).isTrue();
        assertThat(plain.path("captureBodies").asBoolean()).as("off unless asked").isFalse();
        assertThat(ledger.receivedOfType(Command.CreateKey.class)).anySatisfy(k -> {
            assertThat(k.userId()).isEqualTo(carol);
            assertThat(k.name()).isEqualTo("debug");
            assertThat(k.captureBodies()).isTrue();
        });
        JsonNode listed = json(get(carolToken, "/api/keys").expectStatus().isOk().expectBody(String.class)
                .returnResult().getResponseBody());
        assertThat(listed.path("items").findValues("captureBodies")).extracting(JsonNode::asBoolean)
                .containsExactlyInAnyOrder(true, false);

        JsonNode off = json(patchKey(carolToken, keyId, "{\"captureBodies\": false}").expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody());
        assertThat(off.path("captureBodies").asBoolean()).isFalse();
        assertThat(ledger.receivedOfType(Command.UpdateKey.class)).anySatisfy(k -> {
            assertThat(k.keyId()).isEqualTo(keyId);
            assertThat(k.captureBodies()).isFalse();
        });
        JsonNode renamed = json(patchKey(admin, keyId, "{\"name\": \"debug-2\"}").expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody());
        assertThat(renamed.path("captureBodies").asBoolean()).as("a patch without it leaves it").isFalse();
        JsonNode onAgain = json(patchKey(admin, keyId, "{\"captureBodies\": true}").expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody());
        assertThat(onAgain.path("captureBodies").asBoolean()).isTrue();
        expectError(patchKey(carolToken, keyId, "{\"captureBodies\": \"yes\"}"), 400, "invalid_request");
    }

    @Test
    void shouldShowCapturedBodiesToTheOwnerAndAdminsOnlyAndFlagThemInLists() throws Exception {
        String admin = login("admin", ADMIN_PASSWORD);
        long alice = createCustomer(admin, "alice");
        long bob = createCustomer(admin, "bob");
        String aliceToken = login("alice", "alice-password");
        String bobToken = login("bob", "bob-password");
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        String captured = Ids.uuidV7().toString();
        String uncaptured = Ids.uuidV7().toString();
        String bobs = Ids.uuidV7().toString();
        insertLog(alice, captured, now);
        insertBodies(captured, now, "{\"model\":\"gpt-4o\",\"messages\":[\"Grüße\"]}", false,
                "{\"object\":\"chat.completion\",\"choices\":[{\"message\":{\"content\":\"Hal", true, true);
        insertLog(alice, uncaptured, now.minusSeconds(1));
        insertLog(bob, bobs, now.minusSeconds(2));
        insertBodies(bobs, now.minusSeconds(2), "{\"secret\":\"bob's prompt\"}", false, null, false, false);

        // A list says which requests have bodies, and carries none.
        String list = get(aliceToken, "/api/logs").expectStatus().isOk().expectBody(String.class).returnResult()
                .getResponseBody();
        JsonNode items = json(list).path("items");
        assertThat(items).hasSize(2);
        assertThat(items.get(0).path("requestId").asString()).isEqualTo(captured);
        assertThat(items.get(0).path("captured").asBoolean()).isTrue();
        assertThat(items.get(1).path("captured").asBoolean()).isFalse();
        assertThat(list).doesNotContain("Grüße", "\"request\"", "\"response\"");

        // The owner reads the bodies.
        JsonNode detail = json(get(aliceToken, "/api/logs/" + captured).expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody());
        assertThat(detail.path("requestId").asString()).isEqualTo(captured);
        assertThat(detail.path("userId").asLong()).isEqualTo(alice);
        assertThat(detail.path("model").asString()).isEqualTo("gpt-4o");
        assertThat(detail.path("captured").asBoolean()).isTrue();
        assertThat(detail.path("request").path("body").asString()).isEqualTo(
                "{\"model\":\"gpt-4o\",\"messages\":[\"Grüße\"]}");
        assertThat(detail.path("request").path("truncated").asBoolean()).isFalse();
        assertThat(detail.path("response").path("body").asString()).endsWith("\"content\":\"Hal");
        assertThat(detail.path("response").path("truncated").asBoolean()).isTrue();
        assertThat(detail.path("response").path("streamed").asBoolean()).isTrue();
        // ...and sees a request without bodies as such.
        JsonNode bare = json(get(aliceToken, "/api/logs/" + uncaptured).expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody());
        assertThat(bare.path("captured").asBoolean()).isFalse();
        assertThat(bare.path("request").isNull()).isTrue();

        // Another customer gets 404 for alice's request, whatever id they try; bob's own answers, without an answer.
        expectError(get(bobToken, "/api/logs/" + captured), 404, "not_found");
        expectError(get(bobToken, "/api/logs/" + uncaptured), 404, "not_found");
        JsonNode own = json(get(bobToken, "/api/logs/" + bobs).expectStatus().isOk().expectBody(String.class)
                .returnResult().getResponseBody());
        assertThat(own.path("request").path("body").asString()).contains("bob's prompt");
        assertThat(own.path("response").isNull()).isTrue();
        expectError(get(aliceToken, "/api/logs/" + bobs), 404, "not_found");

        // An admin reads anyone's; an unknown id is 404 for everyone.
        assertThat(json(get(admin, "/api/logs/" + captured).expectStatus().isOk().expectBody(String.class)
                .returnResult().getResponseBody()).path("request").path("body").asString()).contains("Grüße");
        expectError(get(admin, "/api/logs/" + Ids.uuidV7()), 404, "not_found");
        expectError(get(aliceToken, "/api/logs/" + "x".repeat(41)), 404, "not_found");
        expectError(http.get().uri("/api/logs/" + captured).exchange(), 401, "unauthorized");
    }

    @Test
    void shouldFindARequestLoggedOnTheDayAfterItsIdWasMadeOrWithAnIdThatIsNoUuidV7() throws Exception {
        String admin = login("admin", ADMIN_PASSWORD);
        long dave = createCustomer(admin, "dave");
        // Made at 23:59:59.900 and finished after midnight: logged under the next day.
        Instant made = Instant.parse("2031-06-30T23:59:59.900Z");
        String acrossMidnight = new UUID((made.toEpochMilli() << 16) | 0x7000 | 0x123, 0x8000000000000001L).toString();
        Instant finished = Instant.parse("2031-07-01T00:00:03.000Z");
        insertLog(dave, acrossMidnight, finished);
        insertBodies(acrossMidnight, finished, "{\"late\":true}", false, "{}", false, false);
        String v4 = UUID.randomUUID().toString();
        insertLog(dave, v4, finished);
        insertBodies(v4, finished, "{\"v4\":true}", false, null, false, false);

        assertThat(json(get(admin, "/api/logs/" + acrossMidnight).expectStatus().isOk().expectBody(String.class)
                .returnResult().getResponseBody()).path("request").path("body").asString())
                .isEqualTo("{\"late\":true}");
        assertThat(json(get(admin, "/api/logs/" + v4).expectStatus().isOk().expectBody(String.class)
                .returnResult().getResponseBody()).path("request").path("body").asString()).isEqualTo("{\"v4\":true}");
    }

    // --- helpers

    private String login(String username, String password) {
        return json(http.post().uri("/api/auth/login").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("username", username, "password", password))
                .exchange().expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody())
                .path("token").asString();
    }

    private long createCustomer(String adminToken, String username) {
        return json(http.post().uri("/api/users").header(HttpHeaders.AUTHORIZATION, "Bearer " + adminToken)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("username", username, "password", username + "-password"))
                .exchange().expectStatus().isCreated().expectBody(String.class).returnResult().getResponseBody())
                .path("id").asLong();
    }

    private WebTestClient.ResponseSpec patchKey(String token, long keyId, String body) {
        return http.patch().uri("/api/keys/" + keyId).header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
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

    /** A request-log row as the ledger writes it: its day is the UTC date of {@code at}. */
    private static void insertLog(long userId, String requestId, Instant at) throws Exception {
        LocalDateTime utc = LocalDateTime.ofInstant(at, ZoneOffset.UTC);
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement("INSERT INTO request_log "
                + "(day, request_id, user_id, key_id, model, status, http_status, cost_micros, latency_ms, at) "
                + "VALUES (?, ?, ?, 1, 'gpt-4o', 'success', 200, 1000, 50, ?)")) {
            ps.setObject(1, utc.toLocalDate());
            ps.setString(2, requestId);
            ps.setLong(3, userId);
            ps.setTimestamp(4, Timestamp.valueOf(utc));
            ps.executeUpdate();
        }
    }

    private static void insertBodies(String requestId, Instant at, String request, boolean requestTruncated,
            String response, boolean responseTruncated, boolean streamed) throws Exception {
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement("INSERT INTO request_bodies "
                + "(day, request_id, request_body, request_truncated, response_body, response_truncated, streamed) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            ps.setObject(1, LocalDateTime.ofInstant(at, ZoneOffset.UTC).toLocalDate());
            ps.setString(2, requestId);
            ps.setString(3, request);
            ps.setBoolean(4, requestTruncated);
            ps.setString(5, response);
            ps.setBoolean(6, responseTruncated);
            ps.setBoolean(7, streamed);
            ps.executeUpdate();
        }
    }
}
