package dev.tollgate.relay.matrix;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.contracts.events.Attempt;
import dev.tollgate.contracts.events.UsageEvent;
import dev.tollgate.contracts.events.UsageStatus;
import dev.tollgate.contracts.json.Json;
import dev.tollgate.contracts.money.TokenUsage;
import dev.tollgate.relay.support.CellKeys;
import dev.tollgate.relay.support.RelayFixture;
import dev.tollgate.simulator.RecordedRequest;
import dev.tollgate.simulator.Simulator;
import dev.tollgate.simulator.SimulatorConfig;
import java.util.ArrayList;
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
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The translation matrix through the running relay, with the official SDKs as customers and the simulator as every
 * upstream: {OpenAI, Anthropic, Gemini} in × {OpenAI, Anthropic, Bedrock, Gemini} out × {plain, streamed} × {text,
 * tool-call round trip, image}. Every cell checks the answer the SDK read, what reached the upstream, and that the usage event
 * carries exactly the token counts the upstream reported (cache classes included).
 */
// Upstream failures are this class's subject, not breakers (FailoverIT's): none opens here.
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"tollgate.relay.routing.breaker.sliding-window=1000",
                "tollgate.relay.routing.breaker.minimum-calls=1000"})
@AutoConfigureWebTestClient
class CrossDialectIT {

    private static final Simulator SIM = Simulator.start(0);
    private static RelayFixture fixture;
    private static long userId;
    private static CellKeys keys;

    /** The customer-facing model of each upstream provider, and the name its channel maps it to. */
    private static final Map<String, String> MODELS = Map.of(
            "openai", "to-openai",
            "anthropic", "to-anthropic",
            "bedrock", "to-bedrock",
            "gemini", "to-gemini");

    private static final int PROMPT = 120;
    private static final int CACHED = 20;
    private static final int CACHE_WRITE = 10;
    private static final int OUTPUT = 7;

    @Autowired
    WebTestClient client;

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws Exception {
        prepare();
        fixture.register(registry, "relay-matrix");
    }

    private static synchronized void prepare() throws Exception {
        if (fixture != null) {
            return;
        }
        fixture = new RelayFixture();
        userId = fixture.insertUser("matrix", 1_000_000_000L);
        keys = new CellKeys(fixture, userId);
        fixture.insertChannel("sim-openai", "openai", SIM.baseUrl(), "sk-sim-openai", List.of("to-openai"),
                Map.of("to-openai", "gpt-4o-mini"), null);
        fixture.insertChannel("sim-anthropic", "anthropic", SIM.anthropicBaseUrl(), "sk-ant-sim", List.of("to-anthropic"),
                Map.of("to-anthropic", "claude-sonnet-4-5"), null);
        fixture.insertChannel("sim-bedrock", "bedrock", SIM.bedrockEndpoint(), "simSecretAccessKey",
                List.of("to-bedrock"), Map.of("to-bedrock", "us.anthropic.claude-sonnet-4-20250514-v1:0"),
                Map.of("region", "us-east-1", "accessKeyId", "AKIDSIMULATOR"));
        fixture.insertChannel("sim-gemini", "gemini", SIM.geminiBaseUrl(), "AIza-sim-gemini", List.of("to-gemini"),
                Map.of("to-gemini", "gemini-2.5-flash"), null);
        for (String model : MODELS.values()) {
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
                .withCachedTokens(CACHED)
                .withCacheWriteTokens(CACHE_WRITE));
        RelayFixture.awaitReady(client);
    }

    static Stream<Arguments> cells() {
        List<Arguments> cells = new ArrayList<>();
        for (String in : List.of("openai", "anthropic", "gemini")) {
            for (String out : List.of("openai", "anthropic", "bedrock", "gemini")) {
                for (boolean stream : List.of(false, true)) {
                    for (String scenario : List.of("text", "tool", "image")) {
                        cells.add(Arguments.of(in, out, stream, scenario));
                    }
                }
            }
        }
        return cells.stream();
    }

    @ParameterizedTest(name = "{0} in, {1} out, stream={2}, {3}")
    @MethodSource("cells")
    void shouldServeCellWithUpstreamsOwnUsageWhenDialectsAreCombined(String in, String out, boolean stream,
            String scenario) throws Exception {
        String cell = in + "-" + out + "-" + stream + "-" + scenario;
        Customer customer = customer(in, keys.key(cell));
        String model = MODELS.get(out);
        int calls;
        if (scenario.equals("text")) {
            Answer answer = customer.text(model, stream);
            assertThat(answer.text().strip()).isEqualTo("tok0 tok1 tok2 tok3");
            assertThat(answer.stopReason()).isIn("stop", "end_turn", "STOP");
            assertUsageSeen(answer);
            calls = 1;
        } else if (scenario.equals("image")) {
            Answer answer = customer.image(model, stream);
            assertThat(answer.text()).startsWith("tok0");
            assertUsageSeen(answer);
            assertThat(SIM.lastRequest().text()).contains(Customer.PNG);
            calls = 1;
        } else {
            Answer first = customer.toolCall(model, stream);
            assertThat(first.toolCalls()).hasSize(1);
            Answer.ToolCall call = first.toolCalls().get(0);
            assertThat(call.name()).isEqualTo(Customer.TOOL);
            assertThat(Json.mapper().readTree(call.argumentsJson())).isEqualTo(Json.mapper().readTree("{\"city\":\"sim\"}"));
            // Gemini says STOP after function calls too.
            assertThat(first.stopReason()).isIn("tool_calls", "tool_use", "STOP");
            assertUsageSeen(first);
            Answer second = customer.toolResult(model, stream, call);
            assertThat(second.text()).contains("tool said").contains(Customer.TOOL_RESULT);
            assertThat(second.toolCalls()).isEmpty();
            calls = 2;
        }
        List<UsageEvent> events = fixture.awaitUsage(e -> e.keyId() == keys.id(cell), calls);
        assertThat(events).hasSize(calls);
        for (UsageEvent event : events) {
            assertThat(event.status()).isEqualTo(UsageStatus.SUCCESS);
            assertThat(event.dialect()).isEqualTo(in);
            assertThat(event.provider()).isEqualTo(out);
            assertThat(event.modelAsked()).isEqualTo(model);
            assertThat(event.estimated()).isFalse();
            assertThat(event.tokens()).isEqualTo(expectedUsage(out));
        }
    }

    /** Every SDK reads the same totals whatever the upstream: the prompt (all input classes) and the output. */
    private static void assertUsageSeen(Answer answer) {
        assertThat(answer.promptTokens()).isEqualTo(PROMPT);
        assertThat(answer.outputTokens()).isEqualTo(OUTPUT);
    }

    /** What each upstream reported, in the event's disjoint classes (OpenAI and Gemini report no cache writes). */
    private static TokenUsage expectedUsage(String out) {
        if (out.equals("openai") || out.equals("gemini")) {
            return new TokenUsage(PROMPT - CACHED, CACHED, 0, OUTPUT, 0, 1, 0, 0);
        }
        return new TokenUsage(PROMPT - CACHED - CACHE_WRITE, CACHED, CACHE_WRITE, OUTPUT, 0, 1, 0, 0);
    }

    private Customer customer(String dialect, String key) {
        String base = "http://127.0.0.1:" + port;
        return switch (dialect) {
            case "openai" -> new OpenAiCustomer(base, key);
            case "gemini" -> new GeminiCustomer(base, key);
            default -> new AnthropicCustomer(base, key);
        };
    }

    // ---- each dialect's own errors and extras ----

    @Test
    void shouldAnswerAnthropicErrorWhenAnthropicRequestLacksMaxTokens() throws Exception {
        JsonNode error = anthropic(keys.key("errors"), "{\"model\":\"to-openai\",\"messages\":[{\"role\":\"user\","
                + "\"content\":\"hi\"}]}", 400);

        assertThat(error.path("type").asString()).isEqualTo("error");
        assertThat(error.path("error").path("type").asString()).isEqualTo("invalid_request_error");
        assertThat(error.path("error").path("message").asString()).contains("max_tokens");
    }

    @Test
    void shouldAnswerAnthropic401WhenKeyIsWrong() {
        JsonNode error = anthropic("tg-wrong", "{\"model\":\"to-openai\",\"max_tokens\":10,\"messages\":[]}", 401);

        assertThat(error.path("error").path("type").asString()).isEqualTo("authentication_error");
    }

    @Test
    void shouldRefuseInOpenAisWordsWhenAnthropicUpstreamCannotExpressN() throws Exception {
        byte[] body = client.post().uri("/v1/chat/completions")
                .header("Authorization", "Bearer " + keys.key("errors"))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"model\":\"to-anthropic\",\"n\":2,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                .exchange()
                .expectStatus().isEqualTo(400)
                .expectBody().returnResult().getResponseBody();
        JsonNode error = Json.mapper().readTree(body).path("error");

        assertThat(error.path("type").asString()).isEqualTo("invalid_request_error");
        assertThat(error.path("param").asString()).isEqualTo("n");
        assertThat(SIM.stats().requests()).isZero();
    }

    @Test
    void shouldRefuseInAnthropicsWordsWhenOpenAiUpstreamCannotTakeADocument() throws Exception {
        JsonNode error = anthropic(keys.key("errors"), "{\"model\":\"to-openai\",\"max_tokens\":10,\"messages\":[{\"role\":"
                + "\"user\",\"content\":[{\"type\":\"document\",\"source\":{\"type\":\"text\",\"media_type\":"
                + "\"text/plain\",\"data\":\"x\"}}]}]}", 400);

        assertThat(error.path("error").path("type").asString()).isEqualTo("invalid_request_error");
        assertThat(error.path("error").path("message").asString()).contains("document");
    }

    @Test
    void shouldCountTokensLocallyWhenAnthropicClientAsks() throws Exception {
        byte[] body = client.post().uri("/v1/messages/count_tokens")
                .header("x-api-key", keys.key("errors"))
                .header("anthropic-version", "2023-06-01")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"model\":\"to-bedrock\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello there, how"
                        + " are you today?\"}]}")
                .exchange()
                .expectStatus().isOk()
                .expectBody().returnResult().getResponseBody();

        assertThat(Json.mapper().readTree(body).path("input_tokens").asLong()).isBetween(5L, 40L);
    }

    @Test
    void shouldListModelsInAnthropicsShapeWhenAnthropicClientAsks() throws Exception {
        byte[] body = client.get().uri("/v1/models")
                .header("x-api-key", keys.key("errors"))
                .header("anthropic-version", "2023-06-01")
                .exchange()
                .expectStatus().isOk()
                .expectBody().returnResult().getResponseBody();
        JsonNode list = Json.mapper().readTree(body);

        assertThat(list.path("data").findValuesAsString("id")).contains("to-openai", "to-anthropic", "to-bedrock");
        assertThat(list.path("data").get(0).path("type").asString()).isEqualTo("model");
        assertThat(list.path("has_more").asBoolean()).isFalse();
    }

    @Test
    void shouldSendOnlyTheRenamedModelUpstreamWhenAnthropicCallerReachesAnthropic() throws Exception {
        String request = "{\"model\":\"to-anthropic\",\"max_tokens\":50,\"future_field\":{\"x\":1},"
                + "\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"hi\","
                + "\"cache_control\":{\"type\":\"ephemeral\"}}]}]}";
        anthropic(keys.key("passthrough"), request, 200);

        JsonNode sent = Json.mapper().readTree(SIM.lastRequest().text());
        JsonNode expected = Json.mapper().readTree(request.replace("to-anthropic", "claude-sonnet-4-5"));
        assertThat(sent).isEqualTo(expected);
    }

    @Test
    void shouldEndWithErrorEventAndChargeWhatWasGeneratedWhenAnthropicStreamIsCut() throws Exception {
        SIM.config(SIM.config().withChunks(6).withCutAfterChunks(3));
        String key = keys.key("cut");
        String body = client.post().uri("/v1/messages")
                .header("x-api-key", key)
                .header("anthropic-version", "2023-06-01")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"model\":\"to-anthropic\",\"max_tokens\":50,\"stream\":true,\"messages\":"
                        + "[{\"role\":\"user\",\"content\":\"hi\"}]}")
                .exchange()
                .expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();

        assertThat(body).contains("event: message_start").contains("tok2").contains("event: error")
                .doesNotContain("event: message_stop");
        UsageEvent event = fixture.awaitUsage(e -> e.keyId() == keys.id("cut"));
        assertThat(event.status()).isEqualTo(UsageStatus.UPSTREAM_ERROR);
        assertThat(event.estimated()).isTrue();
        // The input classes from message_start, the output counted from the text that reached the client.
        assertThat(event.inputTokens()).isEqualTo(PROMPT - CACHED - CACHE_WRITE);
        assertThat(event.cacheReadTokens()).isEqualTo(CACHED);
        assertThat(event.outputTokens()).isGreaterThanOrEqualTo(3);
    }

    @Test
    void shouldAnswerAnthropicRateLimitErrorWhenTranslatedUpstreamRateLimits() throws Exception {
        SIM.config(SIM.config().withFailure(429, 1));
        JsonNode error = anthropic(keys.key("limited"), "{\"model\":\"to-openai\",\"max_tokens\":10,\"messages\":"
                + "[{\"role\":\"user\",\"content\":\"hi\"}]}", 429);

        assertThat(error.path("error").path("type").asString()).isEqualTo("rate_limit_error");
        UsageEvent event = fixture.awaitUsage(e -> e.keyId() == keys.id("limited"));
        assertThat(event.status()).isEqualTo(UsageStatus.UPSTREAM_ERROR);
        assertThat(event.tokens().outputTokens()).isZero();
    }

    @Test
    void shouldAskAnthropicForThinkingWhenOpenAiCallerSetsReasoningEffort() throws Exception {
        byte[] answer = client.post().uri("/v1/chat/completions")
                .header("Authorization", "Bearer " + keys.key("thinking"))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"model\":\"to-anthropic\",\"reasoning_effort\":\"high\",\"max_tokens\":100,"
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"think\"}]}")
                .exchange()
                .expectStatus().isOk()
                .expectBody().returnResult().getResponseBody();

        JsonNode sent = Json.mapper().readTree(SIM.lastRequest().text());
        assertThat(sent.path("thinking").path("type").asString()).isEqualTo("enabled");
        assertThat(sent.path("thinking").path("budget_tokens").asLong()).isEqualTo(16_384);
        assertThat(sent.path("max_tokens").asLong()).isGreaterThan(16_384);
        JsonNode message = Json.mapper().readTree(answer).path("choices").get(0).path("message");
        assertThat(message.path("reasoning_content").asString()).isEqualTo("sim thinking");
        assertThat(message.path("content").asString()).startsWith("tok0");
    }

    @Test
    void shouldContinueAnthropicToolLoopWithThinkingWhenOpenAiCallerSendsBackThinkingBlocksAndWithoutWhenNot()
            throws Exception {
        String tools = "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\","
                + "\"parameters\":{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}}}]";
        JsonNode first = Json.mapper().readTree(chatCompletion("{\"model\":\"to-anthropic\",\"reasoning_effort\":"
                + "\"low\",\"max_tokens\":100," + tools + ",\"messages\":[{\"role\":\"user\",\"content\":"
                + "\"weather in Paris?\"}]}"));
        JsonNode message = first.path("choices").get(0).path("message");
        assertThat(message.path("tool_calls").size()).as(first.toString()).isPositive();
        assertThat(message.path("thinking_blocks").get(0).path("signature").asString()).isEqualTo("sim-signature");
        String callId = message.path("tool_calls").get(0).path("id").asString();
        String toolTurn = "{\"role\":\"tool\",\"tool_call_id\":\"" + callId + "\",\"content\":\"18C\"}";

        // The assistant turn as the client got it (thinking_blocks included): thinking stays on, signature sent back.
        chatCompletion("{\"model\":\"to-anthropic\",\"reasoning_effort\":\"low\",\"max_tokens\":100," + tools
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"weather in Paris?\"}," + message + ","
                + toolTurn + "]}");
        JsonNode kept = Json.mapper().readTree(SIM.lastRequest().text());
        assertThat(kept.path("thinking").path("type").asString()).isEqualTo("enabled");
        assertThat(kept.at("/messages/1/content/0/signature").asString()).isEqualTo("sim-signature");

        // A client that keeps only the OpenAI fields: Anthropic would refuse thinking here, so it is left out.
        ObjectNode plain = ((ObjectNode) message).deepCopy();
        plain.remove("thinking_blocks");
        plain.remove("reasoning_content");
        chatCompletion("{\"model\":\"to-anthropic\",\"reasoning_effort\":\"low\",\"max_tokens\":100," + tools
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"weather in Paris?\"}," + plain + ","
                + toolTurn + "]}");
        assertThat(Json.mapper().readTree(SIM.lastRequest().text()).has("thinking")).isFalse();
    }

    private byte[] chatCompletion(String body) throws Exception {
        return client.post().uri("/v1/chat/completions")
                .header("Authorization", "Bearer " + keys.key("thinking"))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body)
                .exchange()
                .expectStatus().isOk()
                .expectBody().returnResult().getResponseBody();
    }

    // ---- the Gemini dialect's own errors and extras ----

    private static final String GEMINI_HI = "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"hi\"}]}]}";

    @Test
    void shouldAnswerGeminiErrorAndCallNoUpstreamWhenContentsAreMissing() throws Exception {
        JsonNode error = gemini("/v1beta/models/to-openai:generateContent", keys.key("gemini-errors"), "{}", 400)
                .path("error");

        assertThat(error.path("code").asInt()).isEqualTo(400);
        assertThat(error.path("status").asString()).isEqualTo("INVALID_ARGUMENT");
        assertThat(error.path("message").asString()).contains("contents");
        assertThat(SIM.stats().requests()).isZero();
    }

    @Test
    void shouldAnswerGeminiErrorWhenGenerationConfigIsOutOfRange() throws Exception {
        JsonNode error = gemini("/v1beta/models/to-gemini:generateContent", keys.key("gemini-errors"),
                "{\"contents\":[{\"parts\":[{\"text\":\"hi\"}]}],\"generationConfig\":{\"temperature\":3}}", 400)
                .path("error");

        assertThat(error.path("status").asString()).isEqualTo("INVALID_ARGUMENT");
        assertThat(error.path("message").asString()).contains("generationConfig.temperature");
        assertThat(SIM.stats().requests()).isZero();
    }

    @Test
    void shouldAnswerGeminiUnauthenticatedWhenKeyIsWrong() {
        JsonNode error = gemini("/v1beta/models/to-gemini:generateContent", "tg-wrong", GEMINI_HI, 401).path("error");

        assertThat(error.path("status").asString()).isEqualTo("UNAUTHENTICATED");
        assertThat(SIM.stats().requests()).isZero();
    }

    @Test
    void shouldAcceptTheKeyInTheQueryWhenGeminiClientSendsItThere() throws Exception {
        byte[] body = client.post().uri("/v1beta/models/to-openai:generateContent?key=" + keys.key("gemini-query"))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(GEMINI_HI)
                .exchange()
                .expectStatus().isOk()
                .expectBody().returnResult().getResponseBody();

        JsonNode part = Json.mapper().readTree(body).path("candidates").get(0).path("content").path("parts").get(0);
        assertThat(part.path("text").asString()).startsWith("tok0");
    }

    @Test
    void shouldAnswerGeminiNotFoundWhenPathOrMethodIsUnknown() throws Exception {
        JsonNode method = gemini("/v1beta/models/to-openai:predict", keys.key("gemini-errors"), GEMINI_HI, 404);
        byte[] files = client.get().uri("/v1beta/files")
                .header("x-goog-api-key", keys.key("gemini-errors"))
                .exchange()
                .expectStatus().isEqualTo(404)
                .expectBody().returnResult().getResponseBody();

        assertThat(method.path("error").path("status").asString()).isEqualTo("NOT_FOUND");
        assertThat(Json.mapper().readTree(files).path("error").path("status").asString()).isEqualTo("NOT_FOUND");
    }

    @Test
    void shouldRefuseInGeminisWordsWhenOpenAiUpstreamCannotTakeAnUploadedFile() throws Exception {
        String request = "{\"contents\":[{\"parts\":[{\"fileData\":{\"mimeType\":\"application/pdf\","
                + "\"fileUri\":\"https://generativelanguage.googleapis.com/v1beta/files/abc\"}}]}]}";

        JsonNode error = gemini("/v1beta/models/to-openai:generateContent", keys.key("gemini-errors"), request, 400)
                .path("error");

        assertThat(error.path("status").asString()).isEqualTo("INVALID_ARGUMENT");
        assertThat(error.path("message").asString()).contains("fileData");
        assertThat(SIM.stats().requests()).isZero();
    }

    @Test
    void shouldListModelsInGeminisShapeWhenGeminiClientAsks() throws Exception {
        String key = keys.key("gemini-errors");
        byte[] list = client.get().uri("/v1beta/models?key=" + key)
                .exchange()
                .expectStatus().isOk()
                .expectBody().returnResult().getResponseBody();
        byte[] one = client.get().uri("/v1beta/models/to-gemini")
                .header("x-goog-api-key", key)
                .exchange()
                .expectStatus().isOk()
                .expectBody().returnResult().getResponseBody();
        client.get().uri("/v1beta/models/no-such-model")
                .header("x-goog-api-key", key)
                .exchange()
                .expectStatus().isEqualTo(404);

        assertThat(Json.mapper().readTree(list).path("models").findValuesAsString("name"))
                .contains("models/to-openai", "models/to-anthropic", "models/to-bedrock", "models/to-gemini");
        assertThat(Json.mapper().readTree(one).path("supportedGenerationMethods").toString())
                .contains("generateContent");
    }

    @Test
    void shouldCountTokensLocallyWhenGeminiClientAsks() throws Exception {
        JsonNode answer = gemini("/v1beta/models/to-bedrock:countTokens", keys.key("gemini-errors"),
                "{\"contents\":[{\"parts\":[{\"text\":\"Hello there, how are you today?\"}]}]}", 200);

        assertThat(answer.path("totalTokens").asLong()).isBetween(5L, 40L);
        assertThat(SIM.stats().requests()).isZero();
    }

    @Test
    void shouldSendTheBodyUnchangedWithTheModelOnlyInTheUrlWhenGeminiCallerReachesGemini() throws Exception {
        String request = "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"hi\"}]}],"
                + "\"safety_settings\":[{\"category\":\"HARM_CATEGORY_HARASSMENT\",\"threshold\":\"BLOCK_NONE\"}],"
                + "\"futureField\":{\"x\":1}}";
        client.post().uri("/v1beta/models/to-gemini:streamGenerateContent?alt=sse")
                .header("x-goog-api-key", keys.key("gemini-passthrough"))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(request)
                .exchange()
                .expectStatus().isOk()
                .expectBody(String.class).returnResult();

        RecordedRequest sent = SIM.lastRequest();
        assertThat(sent.text()).isEqualTo(request);
        assertThat(sent.decodedPath()).isEqualTo("/v1beta/models/gemini-2.5-flash:streamGenerateContent");
        assertThat(sent.query()).isEqualTo("alt=sse");
        assertThat(sent.googApiKey()).isTrue();
        assertThat(sent.authorization()).isFalse();
    }

    @Test
    void shouldAnswerAOneElementArrayWhenGeminiClientStreamsWithoutSse() throws Exception {
        JsonNode answer = gemini("/v1beta/models/to-anthropic:streamGenerateContent", keys.key("gemini-array"), GEMINI_HI,
                200);

        assertThat(answer.isArray()).isTrue();
        assertThat(answer).hasSize(1);
        assertThat(answer.get(0).path("candidates").get(0).path("finishReason").asString()).isEqualTo("STOP");
        assertThat(answer.get(0).path("usageMetadata").path("promptTokenCount").asLong()).isEqualTo(PROMPT);
    }

    @Test
    void shouldChargeThoughtsAsReasoningOutputWhenGeminiUpstreamThinks() throws Exception {
        SIM.config(SIM.config().withReasoningTokens(3));
        byte[] answer = client.post().uri("/v1/chat/completions")
                .header("Authorization", "Bearer " + keys.key("gemini-thoughts"))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"model\":\"to-gemini\",\"reasoning_effort\":\"low\",\"messages\":[{\"role\":"
                        + "\"user\",\"content\":\"think\"}]}")
                .exchange()
                .expectStatus().isOk()
                .expectBody().returnResult().getResponseBody();

        JsonNode sent = SIM.lastRequest().body();
        assertThat(sent.path("generationConfig").path("thinkingConfig").path("thinkingBudget").asLong())
                .isEqualTo(1_024);
        JsonNode message = Json.mapper().readTree(answer).path("choices").get(0).path("message");
        assertThat(message.path("reasoning_content").asString()).isEqualTo("sim thinking");
        UsageEvent event = fixture.awaitUsage(e -> e.keyId() == keys.id("gemini-thoughts"));
        assertThat(event.tokens()).isEqualTo(new TokenUsage(PROMPT - CACHED, CACHED, 0, OUTPUT, 3, 1, 0, 0));
    }

    @Test
    void shouldReportTheChannelsKeyAsRejectedWhenGoogleSaysItIsInvalid() throws Exception {
        SIM.config(SIM.config().withFailure(401, 1));

        JsonNode error = gemini("/v1beta/models/to-gemini:generateContent", keys.key("gemini-dead-key"), GEMINI_HI, 502)
                .path("error");

        // Google's 400 API_KEY_INVALID is the operator's problem: never shown to the client as its own mistake.
        assertThat(error.path("status").asString()).isEqualTo("UNAVAILABLE");
        assertThat(error.path("message").asString()).doesNotContain("API key not valid");
        UsageEvent event = fixture.awaitUsage(e -> e.keyId() == keys.id("gemini-dead-key"));
        assertThat(event.attempts()).extracting(Attempt::outcome).containsExactly("auth_rejected");
    }

    @Test
    void shouldEndWithGeminiErrorChunkAndChargeWhatWasGeneratedWhenTranslatedStreamIsCut() throws Exception {
        SIM.config(SIM.config().withChunks(6).withCutAfterChunks(3));

        String body = client.post().uri("/v1beta/models/to-anthropic:streamGenerateContent?alt=sse")
                .header("x-goog-api-key", keys.key("gemini-cut"))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(GEMINI_HI)
                .exchange()
                .expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();

        assertThat(body).contains("tok2").contains("\"status\":\"INTERNAL\"").doesNotContain("finishReason");
        UsageEvent event = fixture.awaitUsage(e -> e.keyId() == keys.id("gemini-cut"));
        assertThat(event.status()).isEqualTo(UsageStatus.UPSTREAM_ERROR);
        assertThat(event.estimated()).isTrue();
        assertThat(event.outputTokens()).isGreaterThanOrEqualTo(3);
    }

    private JsonNode gemini(String uri, String key, String body, int status) {
        byte[] answer = client.post().uri(uri)
                .header("x-goog-api-key", key)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body)
                .exchange()
                .expectStatus().isEqualTo(status)
                .expectBody().returnResult().getResponseBody();
        return Json.mapper().readTree(answer);
    }

    private JsonNode anthropic(String key, String body, int status) {
        byte[] answer = client.post().uri("/v1/messages")
                .header("x-api-key", key)
                .header("anthropic-version", "2023-06-01")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body)
                .exchange()
                .expectStatus().isEqualTo(status)
                .expectBody().returnResult().getResponseBody();
        return Json.mapper().readTree(answer);
    }
}
