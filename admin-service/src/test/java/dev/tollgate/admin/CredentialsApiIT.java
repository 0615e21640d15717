package dev.tollgate.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tollgate.admin.auth.Totp;
import dev.tollgate.contracts.Topics;
import dev.tollgate.contracts.events.Command;
import dev.tollgate.contracts.events.CommandEnvelope;
import dev.tollgate.contracts.json.Json;
import dev.tollgate.contracts.secrets.CustomerKeys;
import dev.tollgate.testsupport.TestDatabase;
import dev.tollgate.testsupport.TestKafka;
import java.time.Duration;
import java.time.Instant;
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
 * Customer-key rotation and sign-in TOTP through admin → commands topic → {@link LedgerStandIn} → changes topic, on
 * real Kafka and MariaDB.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class CredentialsApiIT {

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
        AdminTestStack.register(registry, db, topics, ADMIN_PASSWORD, "5s");
        registry.add("tollgate.admin.login.failures-before-lockout", () -> 5);
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
    void shouldIssueANewKeyWithTheSameSettingsAndKeepTheOldOneForTheGraceWhenACustomerRotatesTheirKey() {
        String admin = login("admin", ADMIN_PASSWORD);
        createCustomer(admin, "rita");
        String rita = login("rita", "rita-password");
        JsonNode old = created(post(rita, "/api/keys", Map.of("name", "deploy", "quotaMicros", 7_000_000,
                "models", List.of("gpt-4o"), "captureBodies", true)));
        long oldId = old.path("id").asLong();
        Instant before = Instant.now();

        JsonNode rotated = created(post(rita, "/api/keys/" + oldId + "/rotate", Map.of("graceSeconds", 3600)));

        String newKey = rotated.path("key").asString();
        assertThat(CustomerKeys.looksValid(newKey)).isTrue();
        assertThat(newKey).isNotEqualTo(old.path("key").asString());
        assertThat(rotated.path("prefix").asString()).isEqualTo(CustomerKeys.displayPrefix(newKey));
        assertThat(rotated.path("name").asString()).isEqualTo("deploy");
        assertThat(rotated.path("quotaMicros").asLong()).isEqualTo(7_000_000);
        assertThat(rotated.path("models").toString()).isEqualTo("[\"gpt-4o\"]");
        assertThat(rotated.path("captureBodies").asBoolean()).isTrue();
        assertThat(rotated.path("rotatedFrom").asLong()).isEqualTo(oldId);
        // Only the hash travels, as with a created key.
        List<CommandEnvelope> sent = ledger.receivedEnvelopesOfType(Command.RotateKey.class);
        assertThat(sent).hasSize(1);
        assertThat(sent.get(0).payload()).isInstanceOfSatisfying(Command.RotateKey.class, c -> {
            assertThat(c.keyId()).isEqualTo(oldId);
            assertThat(c.keyHash()).isEqualTo(CustomerKeys.hash(newKey));
            assertThat(c.graceSeconds()).isEqualTo(3600);
        });
        assertThat(new String(Json.mapper().writeValueAsBytes(sent.get(0)))).doesNotContain(newKey);

        JsonNode list = json(get(rita, "/api/keys").expectStatus().isOk().expectBody(String.class).returnResult()
                .getResponseBody());
        JsonNode oldRow = row(list, oldId);
        JsonNode newRow = row(list, rotated.path("id").asLong());
        assertThat(oldRow.path("rotatedTo").asLong()).isEqualTo(rotated.path("id").asLong());
        assertThat(Instant.parse(oldRow.path("expiresAt").asString()))
                .isBetween(before.plusSeconds(3590), Instant.now().plusSeconds(3610));
        assertThat(newRow.path("rotatedFrom").asLong()).isEqualTo(oldId);
        assertThat(newRow.path("expiresAt").isNull()).isTrue();
        assertThat(newRow.has("key")).as("a list never shows a key").isFalse();

        expectError(post(rita, "/api/keys/" + oldId + "/rotate", Map.of()), 409, "conflict");
    }

    @Test
    void shouldLetAnAdminRotateAnyKeyWithTheDefaultGraceButNotACustomerAnothersKey() {
        String admin = login("admin", ADMIN_PASSWORD);
        long sam = createCustomer(admin, "sam");
        createCustomer(admin, "tina");
        String samToken = login("sam", "sam-password");
        String tina = login("tina", "tina-password");
        long key = created(post(samToken, "/api/keys", Map.of("name", "laptop"))).path("id").asLong();

        expectError(post(tina, "/api/keys/" + key + "/rotate", Map.of()), 404, "not_found");
        expectError(post(admin, "/api/keys/" + key + "/rotate", Map.of("graceSeconds", 31 * 86_400)), 400,
                "invalid_request");
        expectError(post(admin, "/api/keys/" + key + "/rotate", Map.of("graceSeconds", -1)), 400, "invalid_request");
        Instant before = Instant.now();
        JsonNode rotated = created(http.post().uri("/api/keys/" + key + "/rotate")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + admin).exchange());

        assertThat(rotated.path("userId").asLong()).isEqualTo(sam);
        JsonNode old = json(get(samToken, "/api/keys/" + key).expectStatus().isOk().expectBody(String.class)
                .returnResult().getResponseBody());
        assertThat(Instant.parse(old.path("expiresAt").asString()))
                .isBetween(before.plusSeconds(86_390), Instant.now().plusSeconds(86_410));
    }

    @Test
    void shouldDemandTheCodeAtSignInOnceTotpIsEnabledAndRefuseWrongOrReplayedCodesAlike() {
        String admin = login("admin", ADMIN_PASSWORD);
        createCustomer(admin, "tom");
        String tom = login("tom", "tom-password");
        assertThat(totpStatus(tom).path("enabled").asBoolean()).isFalse();

        JsonNode setup = json(post(tom, "/api/auth/totp/setup", Map.of()).expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody());
        byte[] secret = Totp.fromBase32(setup.path("secret").asString());
        assertThat(setup.path("otpauthUri").asString()).startsWith("otpauth://totp/Tollgate:tom?secret="
                + setup.path("secret").asString());
        assertThat(totpStatus(tom).path("pending").asBoolean()).isTrue();
        String stored = storedTotpSecret("tom");
        assertThat(stored).startsWith("v2.k1.").doesNotContain(setup.path("secret").asString());
        login("tom", "tom-password"); // not demanded before it is enabled

        expectError(post(tom, "/api/auth/totp/enable", Map.of("code", wrong(code(secret, 0)))), 400,
                "invalid_request");
        String earlier = tom;
        tom = json(post(tom, "/api/auth/totp/enable", Map.of("code", code(secret, 0))).expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody()).path("token").asString();
        assertThat(totpStatus(tom).path("enabled").asBoolean()).isTrue();
        expectError(get(earlier, "/api/auth/totp"), 401, "unauthorized");

        String missing = signIn(Map.of("username", "tom", "password", "tom-password")).expectStatus()
                .isUnauthorized().expectBody(String.class).returnResult().getResponseBody();
        String wrongCode = signIn(Map.of("username", "tom", "password", "tom-password", "totp",
                wrong(code(secret, 1)))).expectStatus().isUnauthorized().expectBody(String.class).returnResult()
                .getResponseBody();
        String wrongPassword = signIn(Map.of("username", "tom", "password", "not-his", "totp", code(secret, 1)))
                .expectStatus().isUnauthorized().expectBody(String.class).returnResult().getResponseBody();
        assertThat(missing).as("no hint which part was wrong").isEqualTo(wrongCode).isEqualTo(wrongPassword);
        assertThat(json(missing).path("error").path("code").asString()).isEqualTo("invalid_credentials");

        signIn(Map.of("username", "tom", "password", "tom-password", "totp", code(secret, 1))).expectStatus().isOk();
        expectError(signIn(Map.of("username", "tom", "password", "tom-password", "totp", code(secret, 1))), 401,
                "invalid_credentials");

        // Wrong codes count toward the lockout as wrong passwords do (5 in a row, the replay above being the first).
        for (int i = 0; i < 4; i++) {
            signIn(Map.of("username", "tom", "password", "tom-password", "totp", wrong(code(secret, 1))))
                    .expectStatus().isUnauthorized();
        }
        signIn(Map.of("username", "tom", "password", "tom-password", "totp", code(secret, -1)))
                .expectStatus().isEqualTo(429);
    }

    @Test
    void shouldSwitchTotpOffOnlyWithAValidCode() {
        String admin = login("admin", ADMIN_PASSWORD);
        createCustomer(admin, "uma");
        String uma = login("uma", "uma-password");
        byte[] secret = Totp.fromBase32(json(post(uma, "/api/auth/totp/setup", Map.of()).expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody()).path("secret").asString());
        uma = json(post(uma, "/api/auth/totp/enable", Map.of("code", code(secret, 0))).expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody()).path("token").asString();
        expectError(post(uma, "/api/auth/totp/setup", Map.of()), 409, "conflict");

        expectError(post(uma, "/api/auth/totp/disable", Map.of("code", wrong(code(secret, 1)))), 400,
                "invalid_request");
        uma = json(post(uma, "/api/auth/totp/disable", Map.of("code", code(secret, 1))).expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody()).path("token").asString();

        assertThat(totpStatus(uma).path("enabled").asBoolean()).isFalse();
        assertThat(storedTotpSecret("uma")).isNull();
        login("uma", "uma-password");
    }

    @Test
    void shouldAskTheLedgerToReencryptUnderAdminsKeyIdForAdminsOnly() {
        String admin = login("admin", ADMIN_PASSWORD);
        createCustomer(admin, "vic");
        String vic = login("vic", "vic-password");

        expectError(post(vic, "/api/admin/reencrypt-secrets", Map.of()), 403, "forbidden");
        JsonNode answer = json(post(admin, "/api/admin/reencrypt-secrets", Map.of()).expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody());

        assertThat(answer.path("keyId").asString()).isEqualTo("k1");
        assertThat(answer.path("reencrypted").asLong()).isZero();
        List<CommandEnvelope> sent = ledger.receivedEnvelopesOfType(Command.ReencryptSecrets.class);
        assertThat(sent).hasSize(1);
        assertThat(((Command.ReencryptSecrets) sent.get(0).payload()).keyId()).isEqualTo("k1");
    }

    // --- helpers

    /** The code of the step {@code offset} steps from now, as the user's authenticator app shows it. */
    private static String code(byte[] secret, int offset) {
        return Totp.code(secret, Totp.step(Instant.now()) + offset, 6, "HmacSHA1");
    }

    private static String wrong(String code) {
        return String.format("%06d", (Integer.parseInt(code) + 1) % 1_000_000);
    }

    private JsonNode totpStatus(String token) {
        return json(get(token, "/api/auth/totp").expectStatus().isOk().expectBody(String.class).returnResult()
                .getResponseBody());
    }

    private WebTestClient.ResponseSpec signIn(Map<String, String> body) {
        return http.post().uri("/api/auth/login").contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
    }

    private static String storedTotpSecret(String username) {
        try (var c = db.connect(); var st = c.prepareStatement("SELECT totp_secret_enc FROM users WHERE username = ?")) {
            st.setString(1, username);
            try (var rs = st.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode row(JsonNode page, long id) {
        for (JsonNode item : page.path("items")) {
            if (item.path("id").asLong() == id) {
                return item;
            }
        }
        throw new AssertionError("no key " + id + " in " + page);
    }

    private String login(String username, String password) {
        await().atMost(DEADLINE).untilAsserted(() -> http.get().uri("/actuator/health/readiness").exchange()
                .expectStatus().isOk());
        return json(http.post().uri("/api/auth/login").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("username", username, "password", password))
                .exchange().expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody())
                .path("token").asString();
    }

    private long createCustomer(String adminToken, String username) {
        return created(post(adminToken, "/api/users", Map.of("username", username, "password",
                username + "-password"))).path("id").asLong();
    }

    private WebTestClient.ResponseSpec post(String token, String uri, Object body) {
        return http.post().uri(uri).header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                .header("Idempotency-Key", UUID.randomUUID().toString())
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
    }

    private WebTestClient.ResponseSpec get(String token, String uri) {
        return http.get().uri(uri).header(HttpHeaders.AUTHORIZATION, "Bearer " + token).exchange();
    }

    private static JsonNode created(WebTestClient.ResponseSpec response) {
        return json(response.expectStatus().isCreated().expectBody(String.class).returnResult().getResponseBody());
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
}
