package dev.tollgate.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tollgate.admin.auth.Role;
import dev.tollgate.admin.auth.SessionTokens;
import dev.tollgate.contracts.Topics;
import dev.tollgate.contracts.json.Json;
import dev.tollgate.testsupport.TestDatabase;
import dev.tollgate.testsupport.TestKafka;
import static java.nio.charset.StandardCharsets.UTF_8;

import java.net.URLEncoder;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.springframework.http.HttpMethod;
import java.util.Map;
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
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Flux;
import tools.jackson.databind.JsonNode;

/** Sign-in limits, the end of sessions and the audit trail, against a real broker and MariaDB with {@link LedgerStandIn}. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SecurityApiIT {

    private static final String ADMIN_PASSWORD = "admin-password-for-tests";
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final int ATTEMPTS_PER_IP = 60;

    static final TestDatabase db = AdminTestStack.migratedDatabase();
    static final Topics topics = new Topics(TestKafka.uniquePrefix());
    static final LedgerStandIn ledger;

    static {
        ledger = LedgerStandIn.start(TestKafka.bootstrapServers(), topics, db);
        ledger.answering(true);
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        AdminTestStack.register(registry, db, topics, ADMIN_PASSWORD, "5s");
        registry.add("tollgate.admin.login.attempts-per-ip", () -> ATTEMPTS_PER_IP);
        registry.add("tollgate.admin.login.ip-window", () -> "1h");
        registry.add("tollgate.admin.login.failures-before-lockout", () -> 3);
        registry.add("tollgate.admin.login.lockout", () -> "5s");
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
    void shouldLockUsernameAfterConsecutiveFailuresAlikeForKnownAndUnknownUsers() {
        String admin = login("admin", ADMIN_PASSWORD);
        createCustomer(admin, "carol");

        for (String name : new String[] {"carol", "nobody-at-all"}) {
            for (int i = 0; i < 3; i++) {
                expectError(loginAttempt(name, "wrong-password"), 401, "invalid_credentials");
            }
        }
        // Even the right password waits out the lockout; both answers are the same, so existence does not leak.
        EntityExchangeResult<String> known = loginAttempt("carol", "carol-password").expectStatus().isEqualTo(429)
                .expectBody(String.class).returnResult();
        EntityExchangeResult<String> unknown = loginAttempt("nobody-at-all", "whatever").expectStatus()
                .isEqualTo(429).expectBody(String.class).returnResult();
        assertThat(known.getResponseBody()).isEqualTo(unknown.getResponseBody());
        assertThat(json(known.getResponseBody()).path("error").path("code").asString()).isEqualTo("too_many_requests");
        assertThat(Long.parseLong(known.getResponseHeaders().getFirst(HttpHeaders.RETRY_AFTER))).isBetween(1L, 5L);
        expectError(loginAttempt("admin", "wrong-password"), 401, "invalid_credentials");

        await().atMost(DEADLINE).pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> loginAttempt("carol", "carol-password").expectStatus().isOk());

        // a success resets the count: two more failures do not lock
        expectError(loginAttempt("carol", "wrong-password"), 401, "invalid_credentials");
        expectError(loginAttempt("carol", "wrong-password"), 401, "invalid_credentials");
        loginAttempt("carol", "carol-password").expectStatus().isOk();
    }

    @Test
    @Order(2)
    void shouldRefuseTokenWhenItsSessionWasSignedOut() {
        String admin = login("admin", ADMIN_PASSWORD);
        createCustomer(admin, "dave");
        String laptop = login("dave", "dave-password");
        String phone = login("dave", "dave-password");
        get(laptop, "/api/me").expectStatus().isOk();

        http.post().uri("/api/auth/logout").header(HttpHeaders.AUTHORIZATION, "Bearer " + laptop).exchange()
                .expectStatus().isNoContent();

        expectError(get(laptop, "/api/me"), 401, "unauthorized");
        get(phone, "/api/me").expectStatus().isOk();
        expectError(http.post().uri("/api/auth/logout").exchange(), 401, "unauthorized");
    }

    @Test
    @Order(3)
    void shouldRefuseEarlierTokensWhenPasswordChangesAndAllWhenUserIsDisabled() {
        String admin = login("admin", ADMIN_PASSWORD);
        long erin = createCustomer(admin, "erin");
        String before = login("erin", "erin-password");
        get(before, "/api/me").expectStatus().isOk();

        patchUser(admin, erin, Map.of("password", "erin-new-password")).expectStatus().isOk();

        expectError(get(before, "/api/me"), 401, "unauthorized");
        String after = login("erin", "erin-new-password");
        get(after, "/api/me").expectStatus().isOk();

        patchUser(admin, erin, Map.of("enabled", false)).expectStatus().isOk();

        expectError(get(after, "/api/me"), 401, "unauthorized");
        expectError(loginAttempt("erin", "erin-new-password"), 401, "invalid_credentials");
    }

    @Test
    @Order(4)
    void shouldListAuditTrailFilteredAndPagedForAdminsOnly() throws Exception {
        String admin = login("admin", ADMIN_PASSWORD);
        createCustomer(admin, "frank");
        String frank = login("frank", "frank-password");
        // What the ledger writes (AuditTrailIT covers the writing); the stand-in keeps no trail of its own.
        insertAudit("c-topup", "user.topup", "user:1", "user:9", true, null,
                "{\"userId\":9,\"amountMicros\":2000000,\"note\":\"invoice\"}", "2030-01-01T10:00:00");
        insertAudit("c-key", "key.create", "user:9", "key:4", true, null,
                "{\"userId\":9,\"name\":\"laptop\",\"keyHash\":\"[redacted]\"}", "2030-01-01T11:00:00");
        insertAudit("c-channel", "channel.update", "user:1", "channel:3", false, "not_found",
                "{\"channelId\":3,\"apiKeyCiphertext\":\"[redacted]\"}", "2030-01-01T12:00:00");

        JsonNode all = audit(admin, "/api/audit");
        assertThat(all.path("total").asLong()).isEqualTo(3);
        assertThat(all.path("items").get(0).path("commandId").asString()).isEqualTo("c-channel");
        assertThat(all.path("items").get(0).path("ok").asBoolean()).isFalse();
        assertThat(all.path("items").get(0).path("body").path("apiKeyCiphertext").asString()).isEqualTo("[redacted]");
        assertThat(all.path("items").get(2).path("body").path("amountMicros").asLong()).isEqualTo(2_000_000);
        assertThat(all.path("items").get(2).path("at").asString()).isEqualTo("2030-01-01T10:00:00Z");
        assertThat(audit(admin, "/api/audit?actor=user:1").path("total").asLong()).isEqualTo(2);
        assertThat(audit(admin, "/api/audit?type=key.create").path("items").get(0).path("actor").asString())
                .isEqualTo("user:9");
        assertThat(audit(admin, "/api/audit?target=channel:3").path("total").asLong()).isEqualTo(1);
        assertThat(audit(admin, "/api/audit?from=2030-01-01T10:30:00Z&to=2030-01-01T12:00:00Z").path("total")
                .asLong()).isEqualTo(1);
        JsonNode paged = audit(admin, "/api/audit?page=1&size=1");
        assertThat(paged.path("items").size()).isEqualTo(1);
        assertThat(paged.path("items").get(0).path("commandId").asString()).isEqualTo("c-key");
        assertThat(paged.path("total").asLong()).isEqualTo(3);
        assertThat(audit(admin, "/api/audit?actor=user:1' OR '1'='1").path("total").asLong()).isZero();

        expectError(get(admin, "/api/audit?from=yesterday"), 400, "invalid_request");
        expectError(get(frank, "/api/audit"), 403, "forbidden");
        expectError(http.get().uri("/api/audit").exchange(), 401, "unauthorized");
    }

    @Test
    @Order(5)
    void shouldRefuseOversizedBodiesAndForeignSitesAndHardenEveryAnswer() {
        String admin = login("admin", ADMIN_PASSWORD);
        int commandsBefore = ledger.received().size();
        String huge = "{\"username\":\"" + "x".repeat(1024 * 1024) + "\",\"password\":\"long-enough-1\"}";

        expectError(http.post().uri("/api/users").header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(huge).exchange(), 413, "payload_too_large");
        // without a Content-Length (chunked), the codecs' limit stops it
        expectError(http.post().uri("/api/users").header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)
                .contentType(MediaType.APPLICATION_JSON)
                .body(Flux.just(huge.substring(0, 600_000), huge.substring(600_000)), String.class).exchange(),
                413, "payload_too_large");
        assertThat(ledger.received()).hasSize(commandsBefore);

        expectError(http.get().uri("/api/me").header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)
                .header("Sec-Fetch-Site", "cross-site").header(HttpHeaders.ORIGIN, "https://evil.example").exchange(),
                403, "forbidden_origin");
        expectError(http.options().uri("/api/users").header("Sec-Fetch-Site", "cross-site")
                .header(HttpHeaders.ORIGIN, "https://evil.example")
                .header(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD, "POST").exchange(), 403, "forbidden_origin");
        http.get().uri("/api/me").header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)
                .header("Sec-Fetch-Site", "same-origin").exchange()
                .expectStatus().isOk()
                .expectHeader().doesNotExist(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN);
        http.get().uri("/api/me").header(HttpHeaders.AUTHORIZATION, "Bearer " + "h".repeat(20_000)).exchange()
                .expectStatus().isEqualTo(431);

        for (String uri : new String[] {"/", "/api/me"}) {
            http.get().uri(uri).exchange()
                    .expectHeader().valueEquals("X-Content-Type-Options", "nosniff")
                    .expectHeader().valueEquals("X-Frame-Options", "DENY")
                    .expectHeader().valueEquals("Referrer-Policy", "no-referrer")
                    .expectHeader().value("Content-Security-Policy", csp -> assertThat(csp)
                            .contains("script-src 'self'").contains("frame-ancestors 'none'")
                            .doesNotContain("unsafe-inline"));
        }
    }

    /** Hostile input against the admin API: each gets a clean 4xx in the error JSON (or an empty 200 for a
     * text filter that simply matches nothing), never a stack trace, and nothing is written. */
    @TestFactory
    @Order(6)
    Stream<DynamicTest> shouldAnswerHostileInputCleanlyAndWriteNothing() throws Exception {
        String admin = login("admin", ADMIN_PASSWORD);
        createCustomer(admin, "grace");
        String grace = login("grace", "grace-password");
        String expired = new SessionTokens(AdminTestStack.SESSION_SECRET, Duration.ofHours(1),
                Clock.fixed(Instant.parse("2020-01-01T00:00:00Z"), ZoneOffset.UTC))
                .issue(1, Role.ADMIN, "$2a$10$whatever");
        String nested = "[".repeat(5000) + "]".repeat(5000);
        byte[] invalidUtf8 = {'{', '"', 'u', 's', 'e', 'r', 'n', 'a', 'm', 'e', '"', ':', '"', (byte) 0xC3, (byte) 0x28,
            (byte) 0xFF, '"', ',', '"', 'p', 'a', 's', 's', 'w', 'o', 'r', 'd', '"', ':', '"', 'p', 'a', 's', 's',
            'w', 'o', 'r', 'd', '1', '2', '3', '"', '}'};
        String sql = URLEncoder.encode("' OR '1'='1' -- ", UTF_8);
        List<Hostile> cases = new ArrayList<>();
        cases.add(new Hostile("deeply nested JSON", admin, "POST", "/api/users", nested.getBytes(UTF_8)));
        cases.add(new Hostile("invalid UTF-8", admin, "POST", "/api/users", invalidUtf8));
        cases.add(new Hostile("JSON of the wrong shape", admin, "POST", "/api/users", "[1,2,3]".getBytes(UTF_8)));
        cases.add(new Hostile("huge number", admin, "POST", "/api/users/2/topups",
                "{\"amountMicros\": 1e400}".getBytes(UTF_8)));
        for (String filter : new String[] {"userId", "keyId", "model", "channelId", "from", "to", "status"}) {
            cases.add(new Hostile("SQL in logs " + filter, admin, "GET", "/api/logs?" + filter + "=" + sql, null));
        }
        for (String filter : new String[] {"userId", "page", "size"}) {
            cases.add(new Hostile("SQL in keys " + filter, admin, "GET", "/api/keys?" + filter + "=" + sql, null));
        }
        for (String filter : new String[] {"page", "size"}) {
            cases.add(new Hostile("SQL in users " + filter, admin, "GET", "/api/users?" + filter + "=" + sql, null));
        }
        for (String filter : new String[] {"actor", "type", "target", "from"}) {
            cases.add(new Hostile("SQL in audit " + filter, admin, "GET", "/api/audit?" + filter + "=" + sql, null));
        }
        cases.add(new Hostile("path traversal id", admin, "GET", "/api/users/..%2F..%2Fetc%2Fpasswd", null));
        cases.add(new Hostile("non-numeric key id", admin, "GET", "/api/keys/1%20OR%201=1", null));
        cases.add(new Hostile("negative page", admin, "GET", "/api/users?page=-1", null));
        cases.add(new Hostile("huge id", admin, "PATCH", "/api/keys/99999999999999999999999",
                "{\"name\":\"x\"}".getBytes(UTF_8)));
        cases.add(new Hostile("forged token", "eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIiwicm9sZSI6ImFkbWluIn0.", "GET",
                "/api/users", null));
        cases.add(new Hostile("expired token", expired, "GET", "/api/users", null));
        cases.add(new Hostile("another tenant's user", grace, "GET", "/api/users/1", null));
        cases.add(new Hostile("another tenant's journal", grace, "GET", "/api/users/1/journal", null));
        cases.add(new Hostile("another tenant's key", grace, "PATCH", "/api/keys/1",
                "{\"enabled\":false}".getBytes(UTF_8)));
        cases.add(new Hostile("customer topping up", grace, "POST", "/api/users/1/topups",
                "{\"amountMicros\":1000000}".getBytes(UTF_8)));
        cases.add(new Hostile("customer making a channel", grace, "POST", "/api/channels",
                "{\"name\":\"x\"}".getBytes(UTF_8)));
        cases.add(new Hostile("rotating another tenant's key", grace, "POST", "/api/keys/1/rotate",
                "{}".getBytes(UTF_8)));
        cases.add(new Hostile("non-numeric key id to rotate", admin, "POST", "/api/keys/1%20OR%201=1/rotate",
                "{}".getBytes(UTF_8)));
        cases.add(new Hostile("a grace beyond 30 days", admin, "POST", "/api/keys/1/rotate",
                "{\"graceSeconds\":2592001}".getBytes(UTF_8)));
        cases.add(new Hostile("customer re-encrypting secrets", grace, "POST", "/api/admin/reencrypt-secrets",
                "{}".getBytes(UTF_8)));
        cases.add(new Hostile("SQL as a TOTP code", grace, "POST", "/api/auth/totp/disable",
                "{\"code\":\"' OR '1'='1\"}".getBytes(UTF_8)));

        int commandsBefore = ledger.received().size();
        long usersBefore = count("users");
        return Stream.concat(cases.stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> c.check(http, "http://127.0.0.1:" + port))),
                Stream.of(DynamicTest.dynamicTest("nothing written", () -> {
                    assertThat(ledger.received()).hasSize(commandsBefore);
                    assertThat(count("users")).isEqualTo(usersBefore);
                })));
    }

    record Hostile(String name, String token, String method, String uri, byte[] body) {

        /** The URI goes as written: its %-escapes are part of the attack. */
        void check(WebTestClient http, String base) {
            WebTestClient.RequestBodySpec request = http.method(HttpMethod.valueOf(method))
                    .uri(java.net.URI.create(base + uri))
                    .header(HttpHeaders.AUTHORIZATION, "Bearer " + token);
            EntityExchangeResult<String> r = (body == null ? request.exchange()
                    : request.contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange())
                    .expectBody(String.class).returnResult();
            int status = r.getStatus().value();
            String text = r.getResponseBody() == null ? "" : r.getResponseBody();
            assertThat(text).doesNotContain("Exception").doesNotContain("at dev.tollgate").doesNotContain("SQL");
            if (status == 200) {
                assertThat(json(text).path("total").asLong()).as("a filter that matches nothing: %s", text).isZero();
                return;
            }
            assertThat(status).as(text).isBetween(400, 499);
            assertThat(json(text).path("error").path("code").asString()).as(text).isNotBlank();
        }
    }

    private static long count(String table) throws Exception {
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM " + table);
                java.sql.ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    @Order(7)
    void shouldAnswer429WithRetryAfterWhenOneAddressTriesTooOften() {
        int answered = 0;
        EntityExchangeResult<String> refused = null;
        for (int i = 0; i < ATTEMPTS_PER_IP + 1 && refused == null; i++) {
            EntityExchangeResult<String> r = loginAttempt("spray-" + i, "guess-" + i).expectBody(String.class)
                    .returnResult();
            if (r.getStatus().value() == 429) {
                refused = r;
            } else {
                assertThat(r.getStatus().value()).isEqualTo(401);
                answered++;
            }
        }

        assertThat(refused).as("refused within the allowance + 1").isNotNull();
        assertThat(answered).isLessThan(ATTEMPTS_PER_IP);
        assertThat(json(refused.getResponseBody()).path("error").path("code").asString())
                .isEqualTo("too_many_requests");
        assertThat(Long.parseLong(refused.getResponseHeaders().getFirst(HttpHeaders.RETRY_AFTER))).isPositive();
        // sign-up counts against the same address allowance
        expectError(http.post().uri("/api/auth/register").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("username", "newcomer", "password", "newcomer-password")).exchange(), 429,
                "too_many_requests");
    }

    private JsonNode audit(String token, String uri) {
        return json(get(token, uri).expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody());
    }

    private static void insertAudit(String commandId, String type, String actor, String target, boolean ok,
            String code, String body, String at) throws Exception {
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement("INSERT INTO audit_log "
                + "(command_id, type, actor, target, ok, code, body, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, commandId);
            ps.setString(2, type);
            ps.setString(3, actor);
            ps.setString(4, target);
            ps.setBoolean(5, ok);
            ps.setString(6, code);
            ps.setString(7, body);
            ps.setTimestamp(8, Timestamp.valueOf(LocalDateTime.parse(at)));
            ps.executeUpdate();
        }
    }

    private WebTestClient.ResponseSpec loginAttempt(String username, String password) {
        return http.post().uri("/api/auth/login").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("username", username, "password", password)).exchange();
    }

    private String login(String username, String password) {
        await().atMost(DEADLINE).untilAsserted(() -> http.get().uri("/actuator/health/readiness").exchange()
                .expectStatus().isOk());
        return json(loginAttempt(username, password).expectStatus().isOk().expectBody(String.class).returnResult()
                .getResponseBody()).path("token").asString();
    }

    private long createCustomer(String adminToken, String username) {
        return json(http.post().uri("/api/users").header(HttpHeaders.AUTHORIZATION, "Bearer " + adminToken)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("username", username, "password", username + "-password"))
                .exchange().expectStatus().isCreated().expectBody(String.class).returnResult().getResponseBody())
                .path("id").asLong();
    }

    private WebTestClient.ResponseSpec patchUser(String adminToken, long userId, Map<String, Object> body) {
        return http.patch().uri("/api/users/" + userId).header(HttpHeaders.AUTHORIZATION, "Bearer " + adminToken)
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
        assertThat(body).doesNotContain("Exception").doesNotContain("at dev.tollgate");
    }

    private static JsonNode json(String body) {
        return Json.mapper().readTree(body);
    }
}
