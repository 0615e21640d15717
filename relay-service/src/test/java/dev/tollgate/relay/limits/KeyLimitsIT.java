package dev.tollgate.relay.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tollgate.contracts.events.UsageEvent;
import dev.tollgate.contracts.json.Json;
import dev.tollgate.contracts.secrets.CustomerKeys;
import dev.tollgate.relay.support.RelayFixture;
import dev.tollgate.simulator.Simulator;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;

/**
 * A key's limits and routing through the running relay: requests per minute answered 429 in the caller's dialect
 * with OpenAI's rate-limit headers, the key's fallback group, a channel pinned by an admin's key only, and
 * keep-alive frames on a stream whose upstream is slow.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "tollgate.relay.routing.heartbeat=200ms")
@AutoConfigureWebTestClient
class KeyLimitsIT {

    private static final Simulator SIM = Simulator.start(0);
    private static RelayFixture fixture;
    private static final String LIMITED = CustomerKeys.generate();
    private static final String FALLBACK = CustomerKeys.generate();
    private static final String ADMIN = CustomerKeys.generate();
    private static final String CUSTOMER = CustomerKeys.generate();
    private static long pinnedChannel;

    @Autowired
    WebTestClient client;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws Exception {
        prepare();
        fixture.register(registry, "relay-limits");
    }

    private static synchronized void prepare() throws Exception {
        if (fixture != null) {
            return;
        }
        fixture = new RelayFixture();
        long user = fixture.insertUser("limits", 1_000_000_000L);
        long admin = fixture.insertUser("root", 1_000_000_000L);
        long limitedKey = fixture.insertKey(user, LIMITED);
        long fallbackKey = fixture.insertKey(user, FALLBACK);
        fixture.insertKey(admin, ADMIN);
        fixture.insertKey(user, CUSTOMER);
        try (Connection c = fixture.connect(); Statement st = c.createStatement()) {
            st.executeUpdate("UPDATE users SET role = 'admin' WHERE id = " + admin);
            st.executeUpdate("UPDATE api_keys SET rpm_limit = 3 WHERE id = " + limitedKey);
            st.executeUpdate("INSERT INTO user_groups (name, multiplier_bp) VALUES ('vip', 10000)");
            st.executeUpdate("UPDATE api_keys SET group_name = 'vip', fallback_group = 'default' WHERE id = "
                    + fallbackKey);
        }
        fixture.insertChannel("main", "openai", SIM.baseUrl(), "sk", List.of("lim-model"), Map.of(), null, 10, 1);
        pinnedChannel = fixture.insertChannel("backup", "openai", SIM.baseUrl(), "sk", List.of("lim-model"),
                Map.of(), null, 0, 1);
        fixture.insertPrice("lim-model", 1_000_000, 2_000_000);
    }

    @AfterAll
    static void tearDown() {
        fixture.close();
        SIM.close();
    }

    @BeforeEach
    void ready() {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> client.get().uri("/actuator/health/readiness")
                .exchange()
                .expectStatus().isOk());
    }

    private EntityExchangeResult<byte[]> openAi(String key, String pin) {
        WebTestClient.RequestBodySpec spec = client.post().uri("/v1/chat/completions")
                .header("Authorization", "Bearer " + key)
                .contentType(MediaType.APPLICATION_JSON);
        if (pin != null) {
            spec = spec.header("x-tollgate-channel", pin);
        }
        return spec.bodyValue("{\"model\":\"lim-model\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\","
                        + "\"content\":\"hi\"}]}")
                .exchange()
                .expectBody().returnResult();
    }

    private static UsageEvent usageOf(EntityExchangeResult<byte[]> result) {
        String requestId = result.getResponseHeaders().getFirst("x-request-id");
        return fixture.awaitUsage(e -> e.requestId().equals(requestId));
    }

    @Test
    void shouldAnswer429WithRateLimitHeadersInEachDialectWhenKeyExceedsItsRequestsPerMinute() {
        for (int i = 0; i < 3; i++) {
            assertThat(openAi(LIMITED, null).getStatus().value()).isEqualTo(200);
        }

        EntityExchangeResult<byte[]> refused = openAi(LIMITED, null);

        assertThat(refused.getStatus().value()).isEqualTo(429);
        JsonNode error = Json.mapper().readTree(refused.getResponseBody()).path("error");
        assertThat(error.path("code").asString()).isEqualTo("rate_limit_exceeded");
        assertThat(refused.getResponseHeaders().getFirst("x-ratelimit-limit-requests")).isEqualTo("3");
        assertThat(refused.getResponseHeaders().getFirst("x-ratelimit-remaining-requests")).isEqualTo("0");
        assertThat(refused.getResponseHeaders().getFirst("retry-after")).matches("\\d+");

        byte[] anthropic = client.post().uri("/v1/messages")
                .header("x-api-key", LIMITED)
                .header("anthropic-version", "2023-06-01")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"model\":\"lim-model\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\","
                        + "\"content\":\"hi\"}]}")
                .exchange()
                .expectStatus().isEqualTo(429)
                .expectHeader().exists("x-ratelimit-reset-requests")
                .expectBody().returnResult().getResponseBody();
        assertThat(Json.mapper().readTree(anthropic).path("error").path("type").asString())
                .isEqualTo("rate_limit_error");
    }

    @Test
    void shouldServeFromFallbackGroupWhenKeysOwnGroupHasNoChannelForTheModel() {
        assertThat(openAi(FALLBACK, null).getStatus().value()).isEqualTo(200);
    }

    @Test
    void shouldPinTheChannelOnlyWhenTheKeyBelongsToAnAdmin() {
        EntityExchangeResult<byte[]> pinned = openAi(ADMIN, String.valueOf(pinnedChannel));
        EntityExchangeResult<byte[]> ignored = openAi(CUSTOMER, String.valueOf(pinnedChannel));

        assertThat(pinned.getStatus().value()).isEqualTo(200);
        assertThat(usageOf(pinned).channelId()).isEqualTo(pinnedChannel);
        assertThat(ignored.getStatus().value()).isEqualTo(200);
        // Without the pin the higher-priority channel answers.
        assertThat(usageOf(ignored).channelId()).isNotEqualTo(pinnedChannel);
    }

    @Test
    void shouldSendKeepAliveFramesInEachDialectWhileASlowUpstreamStreams() {
        SIM.config(dev.tollgate.simulator.SimulatorConfig.defaults().withChunks(2).withChunkDelayMs(700));
        try {
            String openAi = client.post().uri("/v1/chat/completions")
                    .header("Authorization", "Bearer " + CUSTOMER)
                    .contentType(MediaType.APPLICATION_JSON)
                    .bodyValue("{\"model\":\"lim-model\",\"stream\":true,\"messages\":[{\"role\":\"user\","
                            + "\"content\":\"hi\"}]}")
                    .exchange()
                    .expectStatus().isOk()
                    .expectBody(String.class).returnResult().getResponseBody();
            String anthropic = client.post().uri("/v1/messages")
                    .header("x-api-key", CUSTOMER)
                    .header("anthropic-version", "2023-06-01")
                    .contentType(MediaType.APPLICATION_JSON)
                    .bodyValue("{\"model\":\"lim-model\",\"max_tokens\":10,\"stream\":true,\"messages\":"
                            + "[{\"role\":\"user\",\"content\":\"hi\"}]}")
                    .exchange()
                    .expectStatus().isOk()
                    .expectBody(String.class).returnResult().getResponseBody();

            assertThat(openAi).contains(": keep-alive").contains("tok1").endsWith("data: [DONE]\n\n");
            // One ping follows message_start in every Anthropic stream; the rest are the keep-alives.
            assertThat(anthropic.split("event: ping", -1).length - 1).isGreaterThanOrEqualTo(3);
            assertThat(anthropic).contains("tok1").contains("event: message_stop");
        } finally {
            SIM.reset();
        }
    }
}
