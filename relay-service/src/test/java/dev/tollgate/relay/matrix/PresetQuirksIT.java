package dev.tollgate.relay.matrix;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.contracts.events.UsageEvent;
import dev.tollgate.contracts.events.UsageStatus;
import dev.tollgate.contracts.json.Json;
import dev.tollgate.contracts.money.TokenUsage;
import dev.tollgate.contracts.secrets.CustomerKeys;
import dev.tollgate.relay.support.RelayFixture;
import dev.tollgate.simulator.RecordedRequest;
import dev.tollgate.simulator.Simulator;
import dev.tollgate.simulator.SimulatorConfig;
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
 * The OpenAI-compatible presets' quirks through the running relay, each channel's simulator answering in that
 * server's own shapes (the {@code x-sim-flavour} header, sent as the channel's extra header): DeepSeek's
 * reasoning reaches an Anthropic client as a thinking block and its cache hits are billed as cache reads; Groq's
 * {@code x_groq.usage} is billed exactly; Mistral gets {@code max_tokens}, no {@code stream_options} and 9-character
 * tool-call ids (its stand-in refuses others); a server that never reports stream usage is counted locally and the
 * event says so.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
class PresetQuirksIT {

    private static final Simulator SIM = Simulator.start(0);
    private static RelayFixture fixture;
    private static String key;

    private static final int PROMPT = 90;
    private static final int CACHED = 30;
    private static final int OUTPUT = 9;
    private static final int REASONING = 4;

    @Autowired
    WebTestClient client;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws Exception {
        prepare();
        fixture.register(registry, "relay-presets");
    }

    private static synchronized void prepare() throws Exception {
        if (fixture != null) {
            return;
        }
        fixture = new RelayFixture();
        long user = fixture.insertUser("presets", 1_000_000_000L);
        key = CustomerKeys.generate();
        fixture.insertKey(user, key);
        channel("deepseek", "deepseek", "deepseek-reasoner", "sk-deepseek");
        channel("groq", "groq", "llama-3.3-70b-versatile", "gsk-groq");
        channel("mistral", "mistral", "mistral-large-latest", "mistral-key");
        channel("no-stream-usage", "vllm", "qwen3-8b", null);
    }

    /** A preset's channel on the simulator, answering in that server's flavour, for the model {@code via-<name>}. */
    private static void channel(String flavour, String provider, String upstreamModel, String apiKey) throws Exception {
        String model = "via-" + provider;
        fixture.insertChannel(provider, provider, SIM.baseUrl(), apiKey, List.of(model), Map.of(model, upstreamModel),
                Map.of("headers", Map.of("x-sim-flavour", flavour)));
        fixture.insertPrice(model, 1_000_000, 2_000_000);
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
                .withChunks(3)
                .withPromptTokens(PROMPT)
                .withCompletionTokens(OUTPUT)
                .withCachedTokens(CACHED)
                .withReasoningTokens(REASONING));
        RelayFixture.awaitReady(client);
    }

    @Test
    void shouldGiveAnAnthropicClientDeepSeeksReasoningAsAThinkingBlockWhenWhole() {
        EntityExchangeResult<byte[]> result = anthropic("via-deepseek", false, HELLO);

        JsonNode message = Json.mapper().readTree(result.getResponseBody());
        assertThat(message.at("/content/0/type").asString()).isEqualTo("thinking");
        assertThat(message.at("/content/0/thinking").asString()).isEqualTo("sim thinking");
        assertThat(message.at("/content/1/text").asString()).startsWith("tok0");
        assertThat(message.at("/usage/cache_read_input_tokens").asInt()).isEqualTo(CACHED);
        assertDeepSeekBilled(fixture.usageOf(result));
    }

    @Test
    void shouldGiveAnAnthropicClientDeepSeeksReasoningAsAThinkingBlockWhenStreamed() {
        EntityExchangeResult<byte[]> result = anthropic("via-deepseek", true, HELLO);

        String sse = new String(result.getResponseBody());
        assertThat(sse).contains("\"content_block\":{\"type\":\"thinking\"")
                .contains("\"type\":\"thinking_delta\",\"thinking\":\"sim \"")
                .contains("\"type\":\"text_delta\",\"text\":\"tok0 \"")
                .contains("event: message_stop");
        assertThat(sse.indexOf("thinking_delta")).isLessThan(sse.indexOf("text_delta"));
        assertDeepSeekBilled(fixture.usageOf(result));
    }

    @Test
    void shouldPassDeepSeeksReasoningContentThroughWhenOpenAiClientStreams() {
        EntityExchangeResult<byte[]> result = openAi("via-deepseek", true, false);

        String sse = new String(result.getResponseBody());
        assertThat(sse).contains("\"reasoning_content\":\"sim \"").contains("\"reasoning_content\":\"thinking\"");
        assertThat(SIM.lastRequest().body().path("model").asString()).isEqualTo("deepseek-reasoner");
        assertThat(SIM.lastRequest().body().path("max_tokens").asInt()).as("DeepSeek's name for the limit")
                .isEqualTo(20);
        assertDeepSeekBilled(fixture.usageOf(result));
    }

    /** DeepSeek's prompt_cache_hit_tokens are cache reads; its reasoning is inside completion_tokens. */
    private static void assertDeepSeekBilled(UsageEvent event) {
        assertThat(event.status()).isEqualTo(UsageStatus.SUCCESS);
        assertThat(event.estimated()).isFalse();
        assertThat(event.tokens()).isEqualTo(new TokenUsage(PROMPT - CACHED, CACHED, 0, OUTPUT, REASONING, 1, 0, 0));
    }

    @Test
    void shouldBillGroqsXGroqUsageExactlyWhenItStreams() {
        for (boolean anthropicClient : List.of(false, true)) {
            EntityExchangeResult<byte[]> result = anthropicClient ? anthropic("via-groq", true, HELLO)
                    : openAi("via-groq", true, true);

            UsageEvent event = fixture.usageOf(result);
            assertThat(event.estimated()).isFalse();
            // Groq's usage has no cache figure: every prompt token is plain input.
            assertThat(event.tokens()).isEqualTo(new TokenUsage(PROMPT, 0, 0, OUTPUT, 0, 1, 0, 0));
        }
    }

    @Test
    void shouldSendMistralMaxTokensAndNoStreamOptionsAndBillItsLastChunk() {
        EntityExchangeResult<byte[]> result = client.post().uri("/v1/chat/completions")
                .header("Authorization", "Bearer " + key)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"model\":\"via-mistral\",\"stream\":true,\"max_completion_tokens\":20,"
                        + "\"stream_options\":{\"include_usage\":true},"
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                .exchange()
                .expectBody().returnResult();

        assertThat(result.getStatus().value()).isEqualTo(200);
        JsonNode sent = SIM.lastRequest().body();
        assertThat(sent.path("max_tokens").asInt()).isEqualTo(20);
        assertThat(sent.has("max_completion_tokens")).isFalse();
        assertThat(sent.has("stream_options")).isFalse();
        UsageEvent event = fixture.usageOf(result);
        assertThat(event.estimated()).isFalse();
        assertThat(event.tokens()).isEqualTo(new TokenUsage(PROMPT, 0, 0, OUTPUT, 0, 1, 0, 0));
    }

    @Test
    void shouldShortenAnthropicToolIdsSoMistralTakesTheToolRoundTrip() {
        String conversation = "[{\"role\":\"user\",\"content\":\"Weather in Paris?\"},"
                + "{\"role\":\"assistant\",\"content\":[{\"type\":\"tool_use\",\"id\":\"toolu_01A09q90qw90lq917835lq9\","
                + "\"name\":\"get_weather\",\"input\":{\"city\":\"Paris\"}}]},"
                + "{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":"
                + "\"toolu_01A09q90qw90lq917835lq9\",\"content\":\"sunny\"}]}]";

        for (boolean stream : List.of(false, true)) {
            EntityExchangeResult<byte[]> result = anthropic("via-mistral", stream, conversation);

            // Streamed word by word: "tool ", "said ", "sunny".
            assertThat(new String(result.getResponseBody())).contains("said").contains("sunny");
            RecordedRequest sent = SIM.lastRequest();
            String callId = sent.body().at("/messages/1/tool_calls/0/id").asString();
            assertThat(callId).matches("[A-Za-z0-9]{9}");
            assertThat(sent.body().at("/messages/2/tool_call_id").asString()).isEqualTo(callId);
            assertThat(sent.body().path("max_tokens").asInt()).isEqualTo(50);
        }
    }

    @Test
    void shouldCountLocallyAndMarkEstimatedWhenTheServerNeverReportsStreamUsage() {
        // Figures the server would report if it reported: the event must not carry them.
        SIM.config(SIM.config().withPromptTokens(5_000).withCompletionTokens(1_000));
        for (boolean anthropicClient : List.of(false, true)) {
            EntityExchangeResult<byte[]> result = anthropicClient ? anthropic("via-vllm", true, HELLO)
                    : openAi("via-vllm", true, true);

            assertThat(new String(result.getResponseBody())).contains("tok2");
            assertThat(SIM.lastRequest().authorization()).as("a local server without a key gets none").isFalse();
            UsageEvent event = fixture.usageOf(result);
            assertThat(event.status()).isEqualTo(UsageStatus.SUCCESS);
            assertThat(event.estimated()).isTrue();
            // Counted here: the prompt as admitted (the tool definition included), the three words generated.
            assertThat(event.inputTokens()).isBetween(1L, 1_000L);
            assertThat(event.outputTokens()).isBetween(3L, 12L);
        }
    }

    // ---- helpers ----

    private static final String HELLO = "[{\"role\":\"user\",\"content\":\"hi\"}]";

    private EntityExchangeResult<byte[]> openAi(String model, boolean stream, boolean includeUsage) {
        return client.post().uri("/v1/chat/completions")
                .header("Authorization", "Bearer " + key)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"model\":\"" + model + "\",\"stream\":" + stream + ",\"max_tokens\":20,"
                        + (includeUsage ? "\"stream_options\":{\"include_usage\":true}," : "")
                        + "\"messages\":" + HELLO + "}")
                .exchange()
                .expectStatus().isOk()
                .expectBody().returnResult();
    }

    private EntityExchangeResult<byte[]> anthropic(String model, boolean stream, String messages) {
        return client.post().uri("/v1/messages")
                .header("x-api-key", key)
                .header("anthropic-version", "2023-06-01")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"model\":\"" + model + "\",\"max_tokens\":50,\"stream\":" + stream
                        + ",\"tools\":[{\"name\":\"get_weather\",\"input_schema\":{\"type\":\"object\",\"properties\":"
                        + "{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}}],\"tool_choice\":{\"type\":\"none\"},"
                        + "\"messages\":" + messages + "}")
                .exchange()
                .expectStatus().isOk()
                .expectBody().returnResult();
    }
}
