package dev.tollgate.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tollgate.contracts.Topics;
import dev.tollgate.contracts.json.Json;
import dev.tollgate.simulator.Simulator;
import dev.tollgate.simulator.SimulatorConfig;
import dev.tollgate.testsupport.TestDatabase;
import dev.tollgate.testsupport.TestKafka;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
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
 * "Test channel" and "fetch models" against a simulator upstream, with {@link LedgerStandIn} playing the
 * ledger: admin only, the key never in an answer, and the auto-disable state shown on channel reads.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ChannelProbeApiIT {

    private static final String ADMIN_PASSWORD = "admin-password-for-tests";
    private static final String UPSTREAM_KEY = "sk-upstream-Secret0123456789";
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    static final TestDatabase db = AdminTestStack.migratedDatabase();
    static final Topics topics = new Topics(TestKafka.uniquePrefix());
    static final LedgerStandIn ledger;
    static final Simulator sim = Simulator.start(0);

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
        sim.reset();
        sim.config(SimulatorConfig.defaults().withModels(List.of("gpt-4o-mini", "gpt-4o")));
    }

    @AfterAll
    static void cleanUp() {
        ledger.close();
        db.close();
        sim.close();
    }

    @Test
    void shouldAnswerOkWithStatusAndLatencyWhenTheUpstreamAnswers() {
        String admin = login("admin", ADMIN_PASSWORD);
        long channel = createChannel(admin, sim.baseUrl());

        String body = post(admin, "/api/channels/" + channel + "/test").expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();

        JsonNode result = json(body);
        assertThat(result.path("ok").asBoolean()).as(body).isTrue();
        assertThat(result.path("status").asInt()).isEqualTo(200);
        assertThat(result.path("latencyMs").isNumber()).isTrue();
        assertThat(result.path("message").asString()).isNotBlank();
        assertThat(sim.lastRequest().decodedPath()).isEqualTo("/v1/chat/completions");
        assertThat(sim.lastRequest().body().path("model").asString()).isEqualTo("gpt-4o-mini");
        assertThat(sim.lastRequest().authScheme()).isEqualTo("Bearer");
    }

    @Test
    void shouldAnswerNotOkWithoutTheKeyWhenTheUpstreamRefusesIt() {
        String admin = login("admin", ADMIN_PASSWORD);
        long channel = createChannel(admin, sim.baseUrl());
        sim.config(SimulatorConfig.defaults().withFailure(401, 0));

        String body = post(admin, "/api/channels/" + channel + "/test").expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();

        JsonNode result = json(body);
        assertThat(result.path("ok").asBoolean()).isFalse();
        assertThat(result.path("status").asInt()).isEqualTo(401);
        assertThat(result.path("message").asString()).contains("401");
        assertThat(body).doesNotContain(UPSTREAM_KEY).doesNotContain("v1.").doesNotContain("v2.");
    }

    @Test
    void shouldListTheUpstreamsModelsWhenAnAdminAsks() {
        String admin = login("admin", ADMIN_PASSWORD);
        long channel = createChannel(admin, sim.baseUrl());

        JsonNode result = json(get(admin, "/api/channels/" + channel + "/upstream-models").expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody());

        assertThat(result.path("models").valueStream().map(JsonNode::asString).toList())
                .containsExactly("gpt-4o-mini", "gpt-4o");
        assertThat(sim.lastRequest().decodedPath()).isEqualTo("/v1/models");
    }

    @Test
    void shouldAnswer502WhenTheUpstreamCannotListModels() {
        String admin = login("admin", ADMIN_PASSWORD);
        long channel = createChannel(admin, "http://127.0.0.1:" + sim.port() + "/nowhere");

        expectError(get(admin, "/api/channels/" + channel + "/upstream-models"), 502, "upstream_failed");
        expectError(post(admin, "/api/channels/999999/test"), 404, "not_found");
    }

    @Test
    void shouldRefuseCustomersWhenTheyTestOrListAChannel() {
        String admin = login("admin", ADMIN_PASSWORD);
        long channel = createChannel(admin, sim.baseUrl());
        String username = "cust-" + UUID.randomUUID().toString().substring(0, 8);
        http.post().uri("/api/users").header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("username", username, "password", username + "-password"))
                .exchange().expectStatus().isCreated();
        String customer = login(username, username + "-password");

        expectError(post(customer, "/api/channels/" + channel + "/test"), 403, "forbidden");
        expectError(get(customer, "/api/channels/" + channel + "/upstream-models"), 403, "forbidden");
        assertThat(sim.requests()).isEmpty();
    }

    @Test
    void shouldShowTheAutoDisableWhenTheLedgerSwitchedTheChannelOff() throws Exception {
        String admin = login("admin", ADMIN_PASSWORD);
        long channel = createChannel(admin, sim.baseUrl());
        get(admin, "/api/channels/" + channel).expectStatus().isOk().expectBody()
                .jsonPath("$.autoDisabled").isEqualTo(false);
        // What the ledger writes on a relay's AutoDisableChannel.
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement("UPDATE channels SET "
                + "enabled = FALSE, auto_disabled = TRUE, disabled_reason = 'auth_rejected: 401', "
                + "disabled_at = CURRENT_TIMESTAMP(3), version = version + 1 WHERE id = ?")) {
            ps.setLong(1, channel);
            ps.executeUpdate();
        }

        get(admin, "/api/channels/" + channel).expectStatus().isOk().expectBody()
                .jsonPath("$.enabled").isEqualTo(false)
                .jsonPath("$.autoDisabled").isEqualTo(true)
                .jsonPath("$.disabledReason").isEqualTo("auth_rejected: 401");
    }

    @Test
    void shouldTestAVertexChannelWithItsServiceAccountKeyWhenAnAdminCreatedOne() {
        String admin = login("admin", ADMIN_PASSWORD);
        String serviceAccount = sim.vertex().newServiceAccount("admin-test@probe-proj.iam.gserviceaccount.com");
        String created = http.post().uri("/api/channels").header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", "vertex-" + UUID.randomUUID(), "provider", "gemini",
                        "baseUrl", sim.vertexBaseUrl(), "apiKey", serviceAccount,
                        "config", Map.of("project", "probe-proj", "location", "us-central1"),
                        "models", List.of("gemini-2.5-flash")))
                .exchange().expectStatus().isCreated().expectBody(String.class).returnResult().getResponseBody();
        assertThat(created).doesNotContain("PRIVATE KEY").doesNotContain("client_email");
        long channel = json(created).path("id").asLong();

        String body = post(admin, "/api/channels/" + channel + "/test").expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();

        assertThat(json(body).path("ok").asBoolean()).as(body).isTrue();
        assertThat(sim.vertex().tokensIssued()).isEqualTo(1);
        assertThat(sim.lastRequest().decodedPath()).isEqualTo("/v1/projects/probe-proj/locations/us-central1"
                + "/publishers/google/models/gemini-2.5-flash:generateContent");
        assertThat(sim.lastRequest().authScheme()).isEqualTo("Bearer");
    }

    @Test
    void shouldRefuseAVertexChannelWhoseJsonKeyIsNoServiceAccount() {
        String admin = login("admin", ADMIN_PASSWORD);

        expectError(http.post().uri("/api/channels").header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", "vertex-bad", "provider", "gemini", "baseUrl", "",
                        "apiKey", "{\"type\":\"service_account\",\"client_email\":\"a@b\"}",
                        "config", Map.of("project", "p1"), "models", List.of("gemini-2.5-flash")))
                .exchange(), 400, "invalid_request");
    }

    // --- helpers

    private long createChannel(String admin, String baseUrl) {
        String body = http.post().uri("/api/channels").header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", "sim-" + UUID.randomUUID(), "provider", "openai", "baseUrl", baseUrl,
                        "apiKey", UPSTREAM_KEY, "models", List.of("gpt-4o-mini")))
                .exchange().expectStatus().isCreated().expectBody(String.class).returnResult().getResponseBody();
        return json(body).path("id").asLong();
    }

    private String login(String username, String password) {
        return json(http.post().uri("/api/auth/login").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("username", username, "password", password))
                .exchange().expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody())
                .path("token").asString();
    }

    private WebTestClient.ResponseSpec get(String token, String uri) {
        return http.get().uri(uri).header(HttpHeaders.AUTHORIZATION, "Bearer " + token).exchange();
    }

    private WebTestClient.ResponseSpec post(String token, String uri) {
        return http.post().uri(uri).header(HttpHeaders.AUTHORIZATION, "Bearer " + token).exchange();
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
