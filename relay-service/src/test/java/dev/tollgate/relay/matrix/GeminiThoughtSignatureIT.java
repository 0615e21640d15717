package dev.tollgate.relay.matrix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tollgate.contracts.json.Json;
import dev.tollgate.contracts.secrets.CustomerKeys;
import dev.tollgate.relay.support.RelayFixture;
import dev.tollgate.simulator.Simulator;
import dev.tollgate.simulator.SimulatorConfig;
import dev.tollgate.simulator.gemini.GeminiHandler;
import java.nio.charset.StandardCharsets;
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
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Gemini 3's thought signature on a function call, through OpenAI and Anthropic clients and back: the simulator signs
 * its call and refuses a later turn whose call lost the signature (or carries a corrupted one), so a second turn it
 * answers proves the signature made the round trip inside the tool call's id.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
class GeminiThoughtSignatureIT {

    private static final Simulator SIM = Simulator.start(0);
    private static final String TOOLS_OPENAI = "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":"
            + "\"get_weather\",\"parameters\":{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}}}]";
    private static final String TOOLS_ANTHROPIC = "\"tools\":[{\"name\":\"get_weather\",\"input_schema\":"
            + "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}}]";
    private static RelayFixture fixture;
    private static String key;

    @Autowired
    WebTestClient client;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws Exception {
        prepare();
        fixture.register(registry, "relay-thought-signature");
    }

    private static synchronized void prepare() throws Exception {
        if (fixture != null) {
            return;
        }
        fixture = new RelayFixture();
        long userId = fixture.insertUser("signatures", 1_000_000_000L);
        fixture.insertChannel("sim-gemini-3", "gemini", SIM.geminiBaseUrl(), "AIza-sim-gemini", List.of("to-gemini-3"),
                Map.of("to-gemini-3", "gemini-3-pro-preview"), null);
        fixture.insertPrice("to-gemini-3", 1_000_000, 2_000_000);
        key = CustomerKeys.generate();
        fixture.insertKey(userId, key);
    }

    @AfterAll
    static void tearDown() {
        fixture.close();
        SIM.close();
    }

    @BeforeEach
    void ready() {
        SIM.reset();
        SIM.config(SimulatorConfig.defaults().withChunks(2).withReasoningTokens(3));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> client.get().uri("/actuator/health/readiness")
                .exchange()
                .expectStatus().isOk());
    }

    @Test
    void shouldSendGeminisSignatureBackWhenAnOpenAiClientReturnsTheToolCallItWasGiven() {
        for (boolean stream : List.of(false, true)) {
            SIM.reset();
            String ask = "{\"model\":\"to-gemini-3\",\"reasoning_effort\":\"low\"," + TOOLS_OPENAI
                    + ",\"messages\":[{\"role\":\"user\",\"content\":\"weather in Paris?\"}]";
            String callId;
            String arguments;
            if (stream) {
                String sse = post("/v1/chat/completions", ask + ",\"stream\":true}");
                JsonNode call = firstStreamed(sse, "/choices/0/delta/tool_calls/0/id");
                callId = call.at("/choices/0/delta/tool_calls/0/id").asString();
                arguments = call.at("/choices/0/delta/tool_calls/0/function/arguments").asString();
            } else {
                JsonNode message = Json.mapper().readTree(post("/v1/chat/completions", ask + "}"))
                        .at("/choices/0/message");
                callId = message.at("/tool_calls/0/id").asString();
                arguments = message.at("/tool_calls/0/function/arguments").asString();
            }
            assertThat(callId).as("stream=" + stream).contains("__thought__").matches("^[a-zA-Z0-9_-]+$");

            ObjectNode assistant = Json.mapper().createObjectNode().put("role", "assistant");
            ObjectNode call = assistant.putArray("tool_calls").addObject().put("id", callId).put("type", "function");
            call.putObject("function").put("name", "get_weather").put("arguments", arguments);
            String answer = post("/v1/chat/completions", "{\"model\":\"to-gemini-3\",\"reasoning_effort\":\"low\","
                    + TOOLS_OPENAI + ",\"messages\":[{\"role\":\"user\",\"content\":\"weather in Paris?\"},"
                    + assistant + ",{\"role\":\"tool\",\"tool_call_id\":\"" + callId + "\",\"content\":\"18C\"}]}");

            assertSignatureReachedGemini();
            assertThat(Json.mapper().readTree(answer).at("/choices/0/finish_reason").asString()).isEqualTo("stop");
        }
    }

    @Test
    void shouldSendGeminisSignatureBackWhenAnAnthropicClientReturnsTheToolUseItWasGiven() {
        for (boolean stream : List.of(false, true)) {
            SIM.reset();
            String ask = "{\"model\":\"to-gemini-3\",\"max_tokens\":2000,\"thinking\":{\"type\":\"enabled\","
                    + "\"budget_tokens\":1024}," + TOOLS_ANTHROPIC
                    + ",\"messages\":[{\"role\":\"user\",\"content\":\"weather in Paris?\"}]";
            String id;
            if (stream) {
                String sse = post("/v1/messages", ask + ",\"stream\":true}");
                id = firstStreamed(sse, "/content_block/id").at("/content_block/id").asString();
            } else {
                JsonNode content = Json.mapper().readTree(post("/v1/messages", ask + "}")).path("content");
                id = content.get(content.size() - 1).path("id").asString();
            }
            assertThat(id).as("stream=" + stream).contains("__thought__").matches("^[a-zA-Z0-9_-]+$");

            String answer = post("/v1/messages", "{\"model\":\"to-gemini-3\",\"max_tokens\":2000," + TOOLS_ANTHROPIC
                    + ",\"messages\":[{\"role\":\"user\",\"content\":\"weather in Paris?\"},{\"role\":\"assistant\","
                    + "\"content\":[{\"type\":\"tool_use\",\"id\":\"" + id + "\",\"name\":\"get_weather\","
                    + "\"input\":{\"city\":\"Paris\"}}]},{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\","
                    + "\"tool_use_id\":\"" + id + "\",\"content\":\"18C\"}]}]}");

            assertSignatureReachedGemini();
            assertThat(Json.mapper().readTree(answer).path("stop_reason").asString()).isEqualTo("end_turn");
        }
    }

    @Test
    void shouldSendTheStandInWhenTheClientMadeItsOwnCallId() {
        post("/v1/chat/completions", "{\"model\":\"to-gemini-3\"," + TOOLS_OPENAI + ",\"messages\":["
                + "{\"role\":\"user\",\"content\":\"weather in Paris?\"},{\"role\":\"assistant\",\"tool_calls\":["
                + "{\"id\":\"call_mine\",\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"arguments\":"
                + "\"{}\"}}]},{\"role\":\"tool\",\"tool_call_id\":\"call_mine\",\"content\":\"18C\"}]}");

        JsonNode sent = SIM.lastRequest().body();
        assertThat(sent.at("/contents/1/parts/0/thoughtSignature").asString())
                .isEqualTo(GeminiHandler.SKIP_SIGNATURE);
    }

    /** The second turn reached Gemini with its own signature on the call, and the result named the call. */
    private static void assertSignatureReachedGemini() {
        JsonNode sent = SIM.lastRequest().body();
        JsonNode call = sent.at("/contents/1/parts/0");
        assertThat(call.at("/functionCall/name").asString()).as(sent.toString()).isEqualTo("get_weather");
        assertThat(call.path("thoughtSignature").asString()).isEqualTo(GeminiHandler.CALL_SIGNATURE);
        assertThat(sent.at("/contents/2/parts/0/functionResponse/name").asString()).isEqualTo("get_weather");
        assertThat(sent.toString()).doesNotContain("__thought__");
    }

    private String post(String path, String body) {
        byte[] answer = client.post().uri(path)
                .header("Authorization", "Bearer " + key)
                .header("x-api-key", key)
                .header("anthropic-version", "2023-06-01")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body)
                .exchange()
                .expectStatus().isOk()
                .expectBody().returnResult().getResponseBody();
        return new String(answer, StandardCharsets.UTF_8);
    }

    /** The first SSE data frame that has a value at {@code pointer}. */
    private static JsonNode firstStreamed(String sse, String pointer) {
        for (String line : sse.split("\n")) {
            if (line.startsWith("data:") && !line.contains("[DONE]")) {
                JsonNode frame = Json.mapper().readTree(line.substring(5).trim());
                if (!frame.at(pointer).isMissingNode() && !frame.at(pointer).isNull()) {
                    return frame;
                }
            }
        }
        throw new AssertionError("no frame with " + pointer + " in " + sse);
    }
}
