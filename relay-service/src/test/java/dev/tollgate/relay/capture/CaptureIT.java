package dev.tollgate.relay.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tollgate.contracts.events.Capture;
import dev.tollgate.contracts.events.EventCodec;
import dev.tollgate.contracts.events.UsageEvent;
import dev.tollgate.contracts.json.Json;
import dev.tollgate.contracts.secrets.CustomerKeys;
import dev.tollgate.relay.support.RelayFixture;
import dev.tollgate.simulator.Simulator;
import dev.tollgate.simulator.SimulatorConfig;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
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
 * Body capture through the running relay, with the simulator upstream and the usage events read from the real
 * broker: the bodies ride on the usage event of a capturing key's requests only, whole answers as the client got
 * them, streams reassembled in the client's dialect, each cut to the cap.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
class CaptureIT {

    private static final int CAP = 2_048;
    private static final Simulator SIM = Simulator.start(0);
    private static final String KEY_CAPTURING = CustomerKeys.generate();
    private static final String KEY_PLAIN = CustomerKeys.generate();
    private static RelayFixture fixture;

    @Autowired
    WebTestClient client;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws Exception {
        prepare();
        fixture.register(registry, "relay-capture-it");
        registry.add("tollgate.relay.capture.max-bytes", () -> CAP);
    }

    private static synchronized void prepare() throws Exception {
        if (fixture != null) {
            return;
        }
        fixture = new RelayFixture();
        long user = fixture.insertUser("capturer", 10_000_000);
        long capturing = fixture.insertKey(user, KEY_CAPTURING);
        fixture.insertKey(user, KEY_PLAIN);
        try (Connection c = fixture.connect();
                PreparedStatement st = c.prepareStatement("UPDATE api_keys SET capture_bodies = TRUE WHERE id = ?")) {
            st.setLong(1, capturing);
            st.executeUpdate();
        }
        fixture.insertChannel("sim-openai", "openai", SIM.baseUrl(), "sk-sim", List.of("gpt-4o-mini"), Map.of(),
                null);
        fixture.insertChannel("sim-anthropic", "anthropic", SIM.anthropicBaseUrl(), "sk-ant-sim",
                List.of("claude-sonnet-4"), Map.of(), null);
        fixture.insertPrice("gpt-4o-mini", 150_000, 600_000);
        fixture.insertPrice("claude-sonnet-4", 3_000_000, 15_000_000);
    }

    @AfterAll
    static void tearDown() {
        SIM.close();
        fixture.close();
    }

    @BeforeEach
    void ready() {
        SIM.reset();
        SIM.config(SimulatorConfig.defaults().withChunks(4));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> client.get().uri("/actuator/health/readiness")
                .exchange()
                .expectStatus().isOk());
    }

    @Test
    void shouldPutTheRequestAndTheAnswerAsTheClientGotThemOnTheEventOfACapturingKeyOnly() {
        String body = openAiBody(false, "Say hello to the relay, s'il vous plaît.");

        EntityExchangeResult<byte[]> captured = openAi(KEY_CAPTURING, body);
        EntityExchangeResult<byte[]> plain = openAi(KEY_PLAIN, body);

        Capture capture = usageOf(captured).capture();
        assertThat(capture).isNotNull();
        assertThat(capture.request().text()).isEqualTo(body);
        assertThat(capture.request().truncated()).isFalse();
        assertThat(capture.response().text()).isEqualTo(new String(captured.getResponseBody(), StandardCharsets.UTF_8));
        assertThat(capture.response().truncated()).isFalse();
        assertThat(capture.streamed()).isFalse();
        UsageEvent plainEvent = usageOf(plain);
        assertThat(plainEvent.capture()).as("a key without capture").isNull();
        assertThat(new String(EventCodec.encode(plainEvent), StandardCharsets.UTF_8)).doesNotContain("\"capture\"");
    }

    @Test
    void shouldKeepAStreamReassembledAsTheWholeAnswerTheClientGotWhenItPassesThrough() {
        String body = openAiBody(true, "Stream to me.");

        EntityExchangeResult<byte[]> result = openAi(KEY_CAPTURING, body);
        String received = new String(result.getResponseBody(), StandardCharsets.UTF_8).lines()
                .filter(line -> line.startsWith("data: {"))
                .map(line -> Json.mapper().readTree(line.substring(6)).path("choices").path(0).path("delta")
                        .path("content").asString(""))
                .collect(Collectors.joining());

        Capture capture = usageOf(result).capture();
        assertThat(received).isEqualTo("tok0 tok1 tok2 tok3 ");
        assertThat(capture.streamed()).isTrue();
        assertThat(capture.request().text()).isEqualTo(body);
        JsonNode answer = Json.mapper().readTree(capture.response().text());
        assertThat(answer.path("object").asString()).isEqualTo("chat.completion");
        assertThat(answer.path("choices").get(0).path("message").path("content").asString()).isEqualTo(received);
        assertThat(answer.path("choices").get(0).path("finish_reason").asString()).isEqualTo("stop");
        assertThat(capture.response().text()).doesNotContain("data:", "[DONE]");
    }

    @Test
    void shouldKeepATranslatedStreamInTheClientsDialectWithItsToolCall() {
        String body = "{\"model\":\"gpt-4o-mini\",\"max_tokens\":100,\"stream\":true,\"messages\":[{\"role\":\"user\","
                + "\"content\":\"Weather in Paris?\"}],\"tools\":[{\"name\":\"get_weather\",\"input_schema\":{"
                + "\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}}]}";

        EntityExchangeResult<byte[]> result = anthropic(KEY_CAPTURING, body);

        Capture capture = usageOf(result).capture();
        assertThat(capture.streamed()).isTrue();
        JsonNode message = Json.mapper().readTree(capture.response().text());
        assertThat(message.path("type").asString()).isEqualTo("message");
        assertThat(message.path("model").asString()).isEqualTo("gpt-4o-mini");
        JsonNode toolUse = message.path("content").get(0);
        assertThat(toolUse.path("type").asString()).isEqualTo("tool_use");
        assertThat(toolUse.path("name").asString()).isEqualTo("get_weather");
        assertThat(toolUse.path("input").path("city").asString()).isEqualTo("sim");
        assertThat(message.path("stop_reason").asString()).isEqualTo("tool_use");
    }

    @Test
    void shouldKeepAnAnthropicStreamThatPassesThroughAsAMessage() {
        String body = "{\"model\":\"claude-sonnet-4\",\"max_tokens\":100,\"stream\":true,\"messages\":[{\"role\":"
                + "\"user\",\"content\":\"Hi\"}]}";

        EntityExchangeResult<byte[]> result = anthropic(KEY_CAPTURING, body);

        Capture capture = usageOf(result).capture();
        JsonNode message = Json.mapper().readTree(capture.response().text());
        assertThat(message.path("content").get(0).path("text").asString()).isEqualTo("tok0 tok1 tok2 tok3 ");
        assertThat(message.path("usage").path("output_tokens").asLong()).isEqualTo(4);
    }

    @Test
    void shouldCutARequestLongerThanTheCapOnACharacterBoundary() {
        String body = openAiBody(false, "é".repeat(3 * CAP));

        Capture capture = usageOf(openAi(KEY_CAPTURING, body)).capture();

        byte[] kept = capture.request().text().getBytes(StandardCharsets.UTF_8);
        assertThat(capture.request().truncated()).isTrue();
        assertThat(kept.length).isBetween(CAP - 1, CAP);
        assertThat(body).startsWith(capture.request().text());
        assertThat(capture.response().truncated()).isFalse();
    }

    // ---- helpers ----

    private static String openAiBody(boolean stream, String content) {
        return "{\"model\":\"gpt-4o-mini\",\"max_tokens\":100,\"stream\":" + stream + ",\"messages\":[{\"role\":"
                + "\"user\",\"content\":\"" + content + "\"}]}";
    }

    private EntityExchangeResult<byte[]> openAi(String key, String body) {
        return client.post().uri("/v1/chat/completions")
                .header("Authorization", "Bearer " + key)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body)
                .exchange()
                .expectStatus().isOk()
                .expectBody().returnResult();
    }

    private EntityExchangeResult<byte[]> anthropic(String key, String body) {
        return client.post().uri("/v1/messages")
                .header("x-api-key", key)
                .header("anthropic-version", "2023-06-01")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body)
                .exchange()
                .expectStatus().isOk()
                .expectBody().returnResult();
    }

    private static UsageEvent usageOf(EntityExchangeResult<byte[]> result) {
        String requestId = result.getResponseHeaders().getFirst("x-request-id");
        assertThat(requestId).isNotBlank();
        return fixture.awaitUsage(e -> e.requestId().equals(requestId));
    }
}
