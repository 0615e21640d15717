package dev.tollgate.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tollgate.admin.auth.Totp;
import dev.tollgate.contracts.Topics;
import dev.tollgate.contracts.events.Command;
import dev.tollgate.contracts.events.CommandEnvelope;
import dev.tollgate.contracts.json.Json;
import dev.tollgate.testsupport.TestDatabase;
import dev.tollgate.testsupport.TestKafka;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;

/**
 * Two admin instances (two application contexts) against one ledger ({@link LedgerStandIn}), a real broker and
 * MariaDB: a session ended on one is refused on the other within moments, a TOTP code is used once between them,
 * a sign-out the ledger did not confirm is sent again until it does, and an instance started afresh still refuses
 * what was signed out before it started.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SessionsAcrossInstancesIT {

    private static final String ADMIN_PASSWORD = "admin-password-for-tests";
    /** What "reaches every instance within a second" gets here, with room for a loaded CI machine. */
    private static final Duration PROPAGATION = Duration.ofSeconds(3);
    private static final Duration STARTUP = Duration.ofSeconds(60);
    /** A resend every second at most here (revocation-retry below), plus the ledger's answer. */
    private static final Duration RESEND = Duration.ofSeconds(15);
    private static final Pattern PENDING_GAUGE =
            Pattern.compile("^tollgate_admin_sessions_revocations_pending(?:\\{[^}]*})? (\\S+)$", Pattern.MULTILINE);

    static final TestDatabase db = AdminTestStack.migratedDatabase();
    static final Topics topics = new Topics(TestKafka.uniquePrefix());
    static LedgerStandIn ledger;
    static ConfigurableApplicationContext first;
    static ConfigurableApplicationContext second;
    static WebTestClient one;
    static WebTestClient two;

    @BeforeAll
    static void startTwoInstances() {
        ledger = LedgerStandIn.start(TestKafka.bootstrapServers(), topics, db);
        ledger.answering(true);
        first = startInstance();
        second = startInstance();
        one = client(first);
        two = client(second);
    }

    @AfterAll
    static void stopAll() {
        if (first != null) {
            first.close();
        }
        if (second != null) {
            second.close();
        }
        ledger.close();
        db.close();
    }

    @Test
    @Order(1)
    void shouldRefuseOnTheOtherInstanceATokenSignedOutOnOne() {
        String admin = login(one, "admin", ADMIN_PASSWORD);
        createCustomer(admin, "dave");
        String laptop = login(one, "dave", "dave-password");
        String phone = login(two, "dave", "dave-password");
        me(two, laptop).expectStatus().isOk();

        one.post().uri("/api/auth/logout").header(HttpHeaders.AUTHORIZATION, "Bearer " + laptop).exchange()
                .expectStatus().isNoContent();

        expectError(me(one, laptop), 401, "unauthorized");
        await().atMost(PROPAGATION).untilAsserted(() -> expectError(me(two, laptop), 401, "unauthorized"));
        me(two, phone).expectStatus().isOk();
        me(one, phone).expectStatus().isOk();
    }

    @Test
    @Order(2)
    void shouldEndEverySessionOfTheCallerOnEveryInstanceWhenSigningOutEverywhere() {
        String admin = login(one, "admin", ADMIN_PASSWORD);
        createCustomer(admin, "erin");
        String onOne = login(one, "erin", "erin-password");
        String onTwo = login(two, "erin", "erin-password");

        two.post().uri("/api/auth/logout-all").header(HttpHeaders.AUTHORIZATION, "Bearer " + onTwo).exchange()
                .expectStatus().isNoContent();

        expectError(me(two, onTwo), 401, "unauthorized");
        await().atMost(PROPAGATION).untilAsserted(() -> {
            expectError(me(one, onOne), 401, "unauthorized");
            expectError(me(one, onTwo), 401, "unauthorized");
        });
        expectError(me(two, onOne), 401, "unauthorized");
        String later = login(one, "erin", "erin-password");
        me(two, later).expectStatus().isOk();
        me(one, admin).expectStatus().isOk();
    }

    @Test
    @Order(3)
    void shouldEndAUsersSessionsEverywhereWhenAnAdminRevokesThemAndRefuseCustomersDoingIt() {
        String admin = login(one, "admin", ADMIN_PASSWORD);
        long frank = createCustomer(admin, "frank");
        long grace = createCustomer(admin, "grace");
        String frankOnTwo = login(two, "frank", "frank-password");
        String graceOnTwo = login(two, "grace", "grace-password");

        expectError(revoke(two, frankOnTwo, grace), 403, "forbidden");
        me(one, graceOnTwo).expectStatus().isOk();

        revoke(one, admin, frank).expectStatus().isNoContent();

        await().atMost(PROPAGATION).untilAsserted(() -> expectError(me(two, frankOnTwo), 401, "unauthorized"));
        me(two, graceOnTwo).expectStatus().isOk();
        me(two, admin).expectStatus().isOk();
        expectError(revoke(one, admin, 987_654_321L), 404, "not_found");
    }

    @Test
    @Order(4)
    void shouldEndOlderSessionsWhenTotpIsEnabledAndAcceptACodeOnceAcrossInstances() {
        String admin = login(one, "admin", ADMIN_PASSWORD);
        createCustomer(admin, "heidi");
        String older = login(two, "heidi", "heidi-password");
        String current = login(one, "heidi", "heidi-password");
        byte[] secret = Totp.fromBase32(json(post(one, current, "/api/auth/totp/setup", Map.of()).expectStatus()
                .isOk().expectBody(String.class).returnResult().getResponseBody()).path("secret").asString());

        String renewed = json(post(one, current, "/api/auth/totp/enable", Map.of("code", code(secret, 0)))
                .expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody())
                .path("token").asString();

        assertThat(renewed).isNotBlank().isNotEqualTo(current);
        expectError(me(one, current), 401, "unauthorized");
        await().atMost(PROPAGATION).untilAsserted(() -> expectError(me(two, older), 401, "unauthorized"));
        me(two, renewed).expectStatus().isOk();

        Map<String, String> withCode = Map.of("username", "heidi", "password", "heidi-password",
                "totp", code(secret, 1));
        signIn(one, withCode).expectStatus().isOk();
        expectError(signIn(two, withCode), 401, "invalid_credentials");
    }

    @Test
    @Order(5)
    void shouldAcceptOneOfTwoSignInsWithTheSameCodeSentToBothInstancesAtOnce() throws Exception {
        String admin = login(one, "admin", ADMIN_PASSWORD);
        createCustomer(admin, "kim");
        String kim = login(one, "kim", "kim-password");
        byte[] secret = Totp.fromBase32(json(post(one, kim, "/api/auth/totp/setup", Map.of()).expectStatus()
                .isOk().expectBody(String.class).returnResult().getResponseBody()).path("secret").asString());
        post(one, kim, "/api/auth/totp/enable", Map.of("code", code(secret, 0))).expectStatus().isOk();
        Map<String, String> withCode = Map.of("username", "kim", "password", "kim-password", "totp", code(secret, 1));

        CompletableFuture<Integer> onOne = CompletableFuture.supplyAsync(() -> status(signIn(one, withCode)));
        CompletableFuture<Integer> onTwo = CompletableFuture.supplyAsync(() -> status(signIn(two, withCode)));

        assertThat(List.of(onOne.get(30, TimeUnit.SECONDS), onTwo.get(30, TimeUnit.SECONDS)))
                .containsExactlyInAnyOrder(200, 401);
    }

    /**
     * Was "ledger silent → logout answers 503": a sign-out now answers 204 whatever the ledger does, since it holds
     * here at once and is sent again in the background until the ledger has it, then holds everywhere.
     */
    @Test
    @Order(6)
    void shouldSignOutAtOnceWhenTheLedgerDoesNotAnswerAndEverywhereOnceItAnswersAgain() {
        String admin = login(one, "admin", ADMIN_PASSWORD);
        long judy = createCustomer(admin, "judy");
        String token = login(one, "judy", "judy-password");
        me(two, token).expectStatus().isOk();
        assertThat(pendingRevocations(one)).isZero();
        ledger.answering(false);
        try {
            one.post().uri("/api/auth/logout").header(HttpHeaders.AUTHORIZATION, "Bearer " + token).exchange()
                    .expectStatus().isNoContent();

            expectError(me(one, token), 401, "unauthorized");
            assertThat(pendingRevocations(one)).isEqualTo(1);
            // Not delivered yet: the other instance cannot know.
            me(two, token).expectStatus().isOk();
        } finally {
            ledger.answering(true);
        }

        await().atMost(RESEND).untilAsserted(() -> expectError(me(two, token), 401, "unauthorized"));
        await().atMost(RESEND).until(() -> pendingRevocations(one) == 0);
        // Sent again, under its first id: the ledger applies it once.
        List<CommandEnvelope> sent = ledger.receivedEnvelopesOfType(Command.RevokeSession.class).stream()
                .filter(c -> ((Command.RevokeSession) c.payload()).userId() == judy)
                .toList();
        assertThat(sent).hasSizeGreaterThanOrEqualTo(2);
        assertThat(sent).extracting(CommandEnvelope::id).containsOnly(sent.get(0).id());
    }

    @Test
    @Order(7)
    void shouldAnswer503ToSignOutEverywhereWhenTheLedgerIsSilentAndStillCompleteItOnceItAnswers() {
        String admin = login(one, "admin", ADMIN_PASSWORD);
        long mallory = createCustomer(admin, "mallory");
        String onOne = login(one, "mallory", "mallory-password");
        String onTwo = login(two, "mallory", "mallory-password");
        ledger.answering(false);
        try {
            expectError(one.post().uri("/api/auth/logout-all").header(HttpHeaders.AUTHORIZATION, "Bearer " + onOne)
                    .exchange(), 503, "ledger_unavailable");

            expectError(me(one, onOne), 401, "unauthorized");
            expectError(me(one, onTwo), 401, "unauthorized");
            me(two, onTwo).expectStatus().isOk();
            assertThat(pendingRevocations(one)).isEqualTo(1);
        } finally {
            ledger.answering(true);
        }

        await().atMost(RESEND).untilAsserted(() -> expectError(me(two, onTwo), 401, "unauthorized"));
        await().atMost(RESEND).until(() -> pendingRevocations(one) == 0);
        assertThat(ledger.receivedOfType(Command.RevokeSessions.class)).filteredOn(c -> c.userId() == mallory)
                .hasSizeGreaterThanOrEqualTo(2);
    }

    @Test
    @Order(8)
    void shouldStillRefuseASignedOutTokenAfterAnInstanceRestarts() {
        String admin = login(one, "admin", ADMIN_PASSWORD);
        createCustomer(admin, "ivan");
        String signedOut = login(two, "ivan", "ivan-password");
        String kept = login(two, "ivan", "ivan-password");
        one.post().uri("/api/auth/logout").header(HttpHeaders.AUTHORIZATION, "Bearer " + signedOut).exchange()
                .expectStatus().isNoContent();
        await().atMost(PROPAGATION).untilAsserted(() -> expectError(me(two, signedOut), 401, "unauthorized"));

        second.close();
        second = startInstance();
        two = client(second);

        expectError(me(two, signedOut), 401, "unauthorized");
        me(two, kept).expectStatus().isOk();
    }

    private static ConfigurableApplicationContext startInstance() {
        Map<String, Object> properties = new HashMap<>();
        properties.put("server.port", "0");
        properties.put("spring.r2dbc.url", db.r2dbcUrl());
        properties.put("spring.r2dbc.username", db.user());
        properties.put("spring.r2dbc.password", db.password());
        properties.put("tollgate.kafka.bootstrap", TestKafka.bootstrapServers());
        properties.put("tollgate.kafka.topic-prefix", topics.prefix());
        properties.put("tollgate.admin.command-timeout", "5s");
        properties.put("tollgate.admin.bootstrap-retry", "200ms");
        properties.put("tollgate.admin.revocation-retry.first", "200ms");
        properties.put("tollgate.admin.revocation-retry.max", "1s");
        properties.put("tollgate.admin.initial-password", ADMIN_PASSWORD);
        properties.put("tollgate.admin.session-secret", AdminTestStack.SESSION_SECRET);
        properties.put("tollgate.admin.master-key", AdminTestStack.MASTER_KEY);
        // As arguments: they outrank application.yml, as a test's dynamic properties do (defaults would not).
        String[] args = properties.entrySet().stream()
                .map(e -> "--" + e.getKey() + "=" + e.getValue())
                .toArray(String[]::new);
        ConfigurableApplicationContext context = new SpringApplicationBuilder(AdminApplication.class).run(args);
        WebTestClient client = client(context);
        await().atMost(STARTUP).untilAsserted(() -> client.get().uri("/actuator/health/readiness").exchange()
                .expectStatus().isOk());
        return context;
    }

    /** The gauge as Prometheus reads it. */
    private static double pendingRevocations(WebTestClient http) {
        String metrics = http.get().uri("/actuator/prometheus").exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        Matcher m = PENDING_GAUGE.matcher(metrics);
        assertThat(m.find()).as("the pending-revocations gauge is exported").isTrue();
        return Double.parseDouble(m.group(1));
    }

    private static WebTestClient client(ConfigurableApplicationContext context) {
        return WebTestClient.bindToServer()
                .baseUrl("http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port"))
                .responseTimeout(Duration.ofSeconds(20))
                .build();
    }

    private static String code(byte[] secret, int offset) {
        return Totp.code(secret, Totp.step(Instant.now()) + offset, 6, "HmacSHA1");
    }

    private static int status(WebTestClient.ResponseSpec response) {
        return response.returnResult(String.class).getStatus().value();
    }

    private static WebTestClient.ResponseSpec signIn(WebTestClient http, Map<String, String> body) {
        return http.post().uri("/api/auth/login").contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
    }

    private static String login(WebTestClient http, String username, String password) {
        // The admin account is seeded by whichever instance gets there first.
        await().atMost(STARTUP).untilAsserted(() -> signIn(http, Map.of("username", username, "password", password))
                .expectStatus().isOk());
        return json(signIn(http, Map.of("username", username, "password", password)).expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody()).path("token").asString();
    }

    private static long createCustomer(String adminToken, String username) {
        return json(post(one, adminToken, "/api/users", Map.of("username", username, "password",
                username + "-password")).expectStatus().isCreated().expectBody(String.class).returnResult()
                .getResponseBody()).path("id").asLong();
    }

    private static WebTestClient.ResponseSpec revoke(WebTestClient http, String token, long userId) {
        return post(http, token, "/api/users/" + userId + "/sessions/revoke", Map.of());
    }

    private static WebTestClient.ResponseSpec post(WebTestClient http, String token, String uri, Object body) {
        return http.post().uri(uri).header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
    }

    private static WebTestClient.ResponseSpec me(WebTestClient http, String token) {
        return http.get().uri("/api/me").header(HttpHeaders.AUTHORIZATION, "Bearer " + token).exchange();
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
