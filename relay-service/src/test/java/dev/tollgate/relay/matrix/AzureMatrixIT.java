package dev.tollgate.relay.matrix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tollgate.contracts.events.Attempt;
import dev.tollgate.contracts.events.Command;
import dev.tollgate.contracts.events.UsageEvent;
import dev.tollgate.contracts.events.UsageStatus;
import dev.tollgate.contracts.json.Json;
import dev.tollgate.contracts.money.TokenUsage;
import dev.tollgate.relay.support.CellKeys;
import dev.tollgate.relay.support.RelayCalls;
import dev.tollgate.relay.support.RelayFixture;
import dev.tollgate.simulator.RecordedRequest;
import dev.tollgate.simulator.Simulator;
import dev.tollgate.simulator.SimulatorConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;

/**
 * Azure OpenAI channels through the running relay, with the official SDKs as customers and the simulator's Azure
 * paths as the upstream: {OpenAI, Anthropic} in × {dated api-version, v1 API} × {plain, streamed} × {text, tool
 * round trip}, each with the usage event equal to what Azure reported; then Azure's refusals: a key the gateway
 * refuses (401) is reported for disabling, a missing deployment (404) fails over to the next channel, a 429
 * cools the channel down for its Retry-After, and the content filter reaches each dialect in its own words.
 */
// Refusals are the subject here, not breakers (FailoverIT's): none opens.
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"tollgate.relay.routing.breaker.sliding-window=1000",
                "tollgate.relay.routing.breaker.minimum-calls=1000"})
@AutoConfigureWebTestClient
class AzureMatrixIT {

    private static final Simulator SIM = Simulator.start(0);
    private static RelayFixture fixture;
    private static long userId;
    private static CellKeys keys;
    private static final Map<String, Long> CHANNELS = new LinkedHashMap<>();

    /** The customer-facing model of each Azure surface, and the deployment its channel maps it to. */
    private static final Map<String, String> MODELS = Map.of("dated", "to-azure", "v1", "to-azure-v1");
    private static final Map<String, String> DEPLOYMENTS = Map.of("dated", "mini-prod", "v1", "mini-v1");

    private static final int PROMPT = 120;
    private static final int CACHED = 20;
    private static final int OUTPUT = 7;

    @Autowired
    WebTestClient client;

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws Exception {
        prepare();
        fixture.register(registry, "relay-azure");
    }

    private static synchronized void prepare() throws Exception {
        if (fixture != null) {
            return;
        }
        fixture = new RelayFixture();
        fixture.createCommandsTopic();
        userId = fixture.insertUser("azure", 1_000_000_000L);
        keys = new CellKeys(fixture, userId);
        CHANNELS.put("dated", fixture.insertChannel("azure-dated", "azure", SIM.azureBaseUrl(), "azure-key-1",
                List.of("to-azure"), Map.of("to-azure", "gpt-4o-mini"),
                Map.of("apiVersion", "2024-10-21", "deployments", Map.of("gpt-4o-mini", "mini-prod"))));
        CHANNELS.put("v1", fixture.insertChannel("azure-v1", "azure", SIM.azureBaseUrl() + "/openai/v1", "azure-key-2",
                List.of("to-azure-v1"), Map.of(), Map.of("deployments", Map.of("to-azure-v1", "mini-v1"))));
        // A channel whose gateway refuses its key, one whose deployment is missing (tried first), and their backups.
        CHANNELS.put("bad-key", fixture.insertChannel("azure-bad-key", "azure", SIM.azureBaseUrl(), "revoked",
                List.of("az-bad-key"), Map.of(), Map.of("headers", Map.of("x-sim-fail", "401"))));
        CHANNELS.put("missing", fixture.insertChannel("azure-missing", "azure", SIM.azureBaseUrl(), "azure-key-3",
                List.of("az-failover"), Map.of(), Map.of("headers", Map.of("x-sim-fail", "404"),
                        "deployments", Map.of("az-failover", "gone")), 10, 1));
        CHANNELS.put("backup", fixture.insertChannel("azure-backup", "azure", SIM.azureBaseUrl(), "azure-key-4",
                List.of("az-failover", "az-cool"), Map.of(), Map.of("deployments",
                        Map.of("az-failover", "backup", "az-cool", "backup")), 0, 1));
        CHANNELS.put("busy", fixture.insertChannel("azure-busy", "azure", SIM.azureBaseUrl(), "azure-key-5",
                List.of("az-cool"), Map.of(), Map.of("headers", Map.of("x-sim-fail", "429"),
                        "deployments", Map.of("az-cool", "busy")), 10, 1));
        for (String model : List.of("to-azure", "to-azure-v1", "az-bad-key", "az-failover", "az-cool")) {
            fixture.insertPrice(model, 1_000_000, 2_000_000);
        }
    }

    @AfterAll
    static void tearDown() {
        fixture.close();
        SIM.close();
    }

    @BeforeEach
    void ready() {
        SIM.reset();
        SIM.config(SimulatorConfig.defaults()
                .withChunks(4)
                .withPromptTokens(PROMPT)
                .withCompletionTokens(OUTPUT)
                .withCachedTokens(CACHED));
        RelayFixture.awaitReady(client);
    }

    static Stream<Arguments> cells() {
        List<Arguments> cells = new ArrayList<>();
        for (String in : List.of("openai", "anthropic", "gemini")) {
            for (String surface : List.of("dated", "v1")) {
                for (boolean stream : List.of(false, true)) {
                    for (String scenario : List.of("text", "tool")) {
                        cells.add(Arguments.of(in, surface, stream, scenario));
                    }
                }
            }
        }
        return cells.stream();
    }

    @ParameterizedTest(name = "{0} in, Azure {1}, stream={2}, {3}")
    @MethodSource("cells")
    void shouldServeCellWithAzuresOwnUsageWhenClientsCallAnAzureChannel(String in, String surface, boolean stream,
            String scenario) throws Exception {
        String cell = in + "-" + surface + "-" + stream + "-" + scenario;
        Customer customer = customer(in, keys.key(cell));
        String model = MODELS.get(surface);
        int calls;
        if (scenario.equals("text")) {
            Answer answer = customer.text(model, stream);
            assertThat(answer.text().strip()).isEqualTo("tok0 tok1 tok2 tok3");
            assertThat(answer.stopReason()).isIn("stop", "end_turn", "STOP");
            assertThat(answer.promptTokens()).isEqualTo(PROMPT);
            assertThat(answer.outputTokens()).isEqualTo(OUTPUT);
            calls = 1;
        } else {
            Answer first = customer.toolCall(model, stream);
            assertThat(first.toolCalls()).singleElement().satisfies(call -> {
                assertThat(call.name()).isEqualTo(Customer.TOOL);
                assertThat(Json.mapper().readTree(call.argumentsJson()))
                        .isEqualTo(Json.mapper().readTree("{\"city\":\"sim\"}"));
            });
            assertThat(first.stopReason()).isIn("tool_calls", "tool_use", "STOP");
            Answer second = customer.toolResult(model, stream, first.toolCalls().get(0));
            assertThat(second.text()).contains("tool said").contains(Customer.TOOL_RESULT);
            calls = 2;
        }
        assertAzureWasCalled(surface);
        List<UsageEvent> events = fixture.awaitUsage(e -> e.keyId() == keys.id(cell), calls);
        assertThat(events).hasSize(calls).allSatisfy(event -> {
            assertThat(event.status()).isEqualTo(UsageStatus.SUCCESS);
            assertThat(event.dialect()).isEqualTo(in);
            assertThat(event.provider()).isEqualTo("azure");
            assertThat(event.channelId()).isEqualTo(CHANNELS.get(surface));
            assertThat(event.estimated()).isFalse();
            assertThat(event.tokens()).isEqualTo(new TokenUsage(PROMPT - CACHED, CACHED, 0, OUTPUT, 0, 1, 0, 0));
        });
    }

    /** Azure's path for the surface, its key header, and the deployment where each surface names it. */
    private static void assertAzureWasCalled(String surface) {
        RecordedRequest sent = SIM.lastRequest();
        assertThat(sent.header("api-key")).isEqualTo("(present)");
        assertThat(sent.authorization()).isFalse();
        if (surface.equals("dated")) {
            assertThat(sent.path()).isEqualTo("/openai/deployments/" + DEPLOYMENTS.get(surface) + "/chat/completions");
            assertThat(sent.query()).isEqualTo("api-version=2024-10-21");
        } else {
            assertThat(sent.path()).isEqualTo("/openai/v1/chat/completions");
            assertThat(sent.body().path("model").asString()).isEqualTo(DEPLOYMENTS.get(surface));
        }
    }

    @Test
    void shouldReportTheChannelForDisablingWhenAzuresGatewayRefusesTheKey() throws Exception {
        EntityExchangeResult<byte[]> result = openAi(keys.key("bad-key"), "az-bad-key", false);

        assertThat(result.getStatus().value()).isEqualTo(502);
        assertThat(new String(result.getResponseBody())).doesNotContain("Unauthorized. Access token");
        UsageEvent event = fixture.usageOf(result);
        assertThat(event.attempts()).extracting(Attempt::outcome).containsExactly("auth_rejected");
        Command.AutoDisableChannel command = fixture.awaitDisableCommand(CHANNELS.get("bad-key"));
        assertThat(command.reason()).isEqualTo("auth_rejected: 401");
    }

    @Test
    void shouldFailOverToTheNextChannelWhenTheDeploymentIsMissing() throws Exception {
        for (boolean stream : List.of(false, true)) {
            EntityExchangeResult<byte[]> result = openAi(keys.key("failover"), "az-failover", stream);

            assertThat(result.getStatus().value()).isEqualTo(200);
            assertThat(new String(result.getResponseBody())).contains("tok0");
            UsageEvent event = fixture.usageOf(result);
            assertThat(event.status()).isEqualTo(UsageStatus.SUCCESS);
            assertThat(event.channelId()).isEqualTo(CHANNELS.get("backup"));
            assertThat(event.attempts()).extracting(Attempt::channelId)
                    .containsExactly(CHANNELS.get("missing"), CHANNELS.get("backup"));
            assertThat(event.attempts()).extracting(Attempt::outcome).containsExactly("server_error", "succeeded");
            assertThat(event.tokens()).isEqualTo(new TokenUsage(PROMPT - CACHED, CACHED, 0, OUTPUT, 0, 1, 0, 0));
        }
        assertThat(SIM.requests()).extracting(RecordedRequest::path)
                .contains("/openai/deployments/gone/chat/completions", "/openai/deployments/backup/chat/completions");
    }

    @Test
    void shouldCoolTheChannelDownWhenAzureRateLimitsWithRetryAfter() throws Exception {
        assertThat(openAi(keys.key("cool"), "az-cool", false).getStatus().value()).isEqualTo(200);
        assertThat(openAi(keys.key("cool"), "az-cool", false).getStatus().value()).isEqualTo(200);

        // Azure said retry-after 1 (and retry-after-ms 1000): the second request did not knock on the busy door.
        assertThat(callsTo("busy")).isEqualTo(1);
        assertThat(callsTo("backup")).isEqualTo(2);
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            assertThat(openAi(keys.key("cool"), "az-cool", false).getStatus().value()).isEqualTo(200);
            assertThat(callsTo("busy")).isEqualTo(2);
        });
    }

    @Test
    void shouldTellEachDialectInItsOwnWordsWhenAzureFiltersThePrompt() throws Exception {
        SIM.config(SIM.config().withContentFilter("prompt"));

        EntityExchangeResult<byte[]> openAi = openAi(keys.key("filter"), "to-azure", false);
        assertThat(openAi.getStatus().value()).isEqualTo(400);
        assertThat(Json.mapper().readTree(openAi.getResponseBody()).at("/error/code").asString())
                .isEqualTo("content_filter");

        JsonNode anthropic = anthropic(keys.key("filter"), "to-azure", false, 400);
        assertThat(anthropic.at("/error/type").asString()).isEqualTo("invalid_request_error");
        assertThat(anthropic.at("/error/message").asString()).contains("content management policy");
    }

    @Test
    void shouldStopAnAnthropicAnswerAsRefusedWhenAzureFiltersTheCompletion() throws Exception {
        SIM.config(SIM.config().withContentFilter("completion"));

        JsonNode plain = anthropic(keys.key("filtered"), "to-azure", false, 200);
        assertThat(plain.path("stop_reason").asString()).isEqualTo("refusal");

        String streamed = new String(anthropicRaw(keys.key("filtered"), "to-azure", true, 200));
        assertThat(streamed).contains("\"stop_reason\":\"refusal\"").contains("event: message_stop");
    }

    // ---- helpers ----

    private EntityExchangeResult<byte[]> openAi(String key, String model, boolean stream) {
        return RelayCalls.chat(client, key, model, stream);
    }

    private JsonNode anthropic(String key, String model, boolean stream, int status) {
        return Json.mapper().readTree(anthropicRaw(key, model, stream, status));
    }

    private byte[] anthropicRaw(String key, String model, boolean stream, int status) {
        return client.post().uri("/v1/messages")
                .header("x-api-key", key)
                .header("anthropic-version", "2023-06-01")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"model\":\"" + model + "\",\"max_tokens\":50,\"stream\":" + stream + ",\"messages\":"
                        + "[{\"role\":\"user\",\"content\":\"hi\"}]}")
                .exchange()
                .expectStatus().isEqualTo(status)
                .expectBody().returnResult().getResponseBody();
    }

    private static long callsTo(String deployment) {
        return SIM.requests().stream()
                .filter(r -> r.path().equals("/openai/deployments/" + deployment + "/chat/completions"))
                .count();
    }

    private Customer customer(String dialect, String key) {
        String base = "http://127.0.0.1:" + port;
        return switch (dialect) {
            case "openai" -> new OpenAiCustomer(base, key);
            case "gemini" -> new GeminiCustomer(base, key);
            default -> new AnthropicCustomer(base, key);
        };
    }
}
