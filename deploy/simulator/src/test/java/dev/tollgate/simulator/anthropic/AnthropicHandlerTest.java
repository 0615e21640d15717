package dev.tollgate.simulator.anthropic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tollgate.simulator.RecordedRequest;
import dev.tollgate.simulator.SimClient;
import dev.tollgate.simulator.Simulator;
import dev.tollgate.simulator.SimulatorConfig;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class AnthropicHandlerTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String PATH = "/v1/messages";
    private static final String[] HEADERS = {"x-api-key", "sk-ant-secret", "anthropic-version", "2023-06-01"};
    // 44 characters of text → 11 estimated prompt tokens.
    private static final String PLAIN = "{\"model\":\"claude-x\",\"max_tokens\":100,\"system\":\"You are terse.\","
            + "\"messages\":[{\"role\":\"user\",\"content\":\"What is the capital of France?\"}]}";
    private static final String STREAM = PLAIN.replace("\"max_tokens\":100,", "\"max_tokens\":100,\"stream\":true,");
    private static final String TOOLS = "\"tools\":[{\"name\":\"get_weather\",\"description\":\"Weather\","
            + "\"input_schema\":{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"},"
            + "\"celsius\":{\"type\":\"boolean\"}},\"required\":[\"city\",\"celsius\"]}},"
            + "{\"name\":\"get_time\",\"input_schema\":{\"type\":\"object\"}}]";

    private final Simulator sim = Simulator.start(0);
    private final SimClient client = new SimClient(sim);

    record Sse(String event, JsonNode data) {
    }

    @AfterEach
    void stop() {
        sim.close();
    }

    @Test
    void shouldAnswerAMessageWithTextAndUsageWhenNotStreaming() throws Exception {
        HttpResponse<String> response = client.post(PATH, PLAIN, HEADERS);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("request-id")).hasValueSatisfying(id -> assertThat(id).startsWith("req_"));
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.path("id").asString()).startsWith("msg_");
        assertThat(body.path("type").asString()).isEqualTo("message");
        assertThat(body.path("role").asString()).isEqualTo("assistant");
        assertThat(body.path("model").asString()).isEqualTo("claude-x");
        assertThat(body.path("content")).hasSize(1);
        assertThat(body.at("/content/0/type").asString()).isEqualTo("text");
        assertThat(body.at("/content/0/text").asString()).isEqualTo("tok0 tok1 tok2 tok3 tok4 ");
        assertThat(body.path("stop_reason").asString()).isEqualTo("end_turn");
        assertThat(body.path("stop_sequence").isNull()).isTrue();
        assertThat(body.path("usage")).isEqualTo(JSON.readTree("{\"input_tokens\":11,"
                + "\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":0,\"output_tokens\":5}"));
        assertThat(sim.stats().completed()).isEqualTo(1);
    }

    @Test
    void shouldSplitCacheReadsAndWritesOutOfInputTokensWhenConfigured() throws Exception {
        sim.config(SimulatorConfig.defaults().withPromptTokens(1000).withCachedTokens(600)
                .withCacheWriteTokens(300).withCompletionTokens(7));

        JsonNode usage = JSON.readTree(client.post(PATH, PLAIN, HEADERS).body()).path("usage");
        List<Sse> events = sse(client.post(PATH, STREAM, HEADERS).body());

        assertThat(usage).isEqualTo(JSON.readTree("{\"input_tokens\":100,\"cache_creation_input_tokens\":300,"
                + "\"cache_read_input_tokens\":600,\"output_tokens\":7}"));
        assertThat(events.get(0).data().at("/message/usage")).isEqualTo(JSON.readTree("{\"input_tokens\":100,"
                + "\"cache_creation_input_tokens\":300,\"cache_read_input_tokens\":600,\"output_tokens\":1}"));
        assertThat(events.get(events.size() - 2).data().at("/usage/output_tokens").asInt()).isEqualTo(7);
    }

    @Test
    void shouldStreamTheRealEventSequenceWhenStreaming() throws Exception {
        sim.config(SimulatorConfig.defaults().withChunks(3));

        HttpResponse<String> response = client.post(PATH, STREAM, HEADERS);

        assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("text/event-stream"));
        List<Sse> events = sse(response.body());
        assertThat(events).extracting(Sse::event).containsExactly("message_start", "ping", "content_block_start",
                "content_block_delta", "content_block_delta", "content_block_delta", "content_block_stop",
                "message_delta", "message_stop");
        assertThat(events).allSatisfy(e -> assertThat(e.data().path("type").asString()).isEqualTo(e.event()));
        JsonNode message = events.get(0).data().path("message");
        assertThat(message.path("content")).isEmpty();
        assertThat(message.path("stop_reason").isNull()).isTrue();
        assertThat(events.get(2).data().path("content_block")).isEqualTo(JSON.readTree("{\"type\":\"text\",\"text\":\"\"}"));
        assertThat(events.subList(3, 6)).extracting(e -> e.data().at("/delta/text").asString())
                .containsExactly("tok0 ", "tok1 ", "tok2 ");
        assertThat(events.get(3).data().at("/delta/type").asString()).isEqualTo("text_delta");
        JsonNode delta = events.get(7).data();
        assertThat(delta.at("/delta/stop_reason").asString()).isEqualTo("end_turn");
        assertThat(delta.at("/delta/stop_sequence").isNull()).isTrue();
        assertThat(delta.at("/usage/output_tokens").asInt()).isEqualTo(3);
        assertThat(response.body()).startsWith("event: message_start\ndata: {").endsWith("}\n\n");
        assertThat(sim.stats().completed()).isEqualTo(1);
    }

    @Test
    void shouldCallAToolPlainAndStreamedWhenToolsAreDeclared() throws Exception {
        String plain = PLAIN.replace("\"system\"", TOOLS + ",\"tool_choice\":{\"type\":\"any\"},\"system\"");
        String stream = STREAM.replace("\"system\"", TOOLS + ",\"system\"");

        JsonNode body = JSON.readTree(client.post(PATH, plain, HEADERS).body());
        List<Sse> events = sse(client.post(PATH, stream, HEADERS).body());

        assertThat(body.path("stop_reason").asString()).isEqualTo("tool_use");
        JsonNode toolUse = body.at("/content/0");
        assertThat(toolUse.path("type").asString()).isEqualTo("tool_use");
        assertThat(toolUse.path("id").asString()).startsWith("toolu_");
        assertThat(toolUse.path("name").asString()).isEqualTo("get_weather");
        assertThat(toolUse.path("input")).isEqualTo(JSON.readTree("{\"city\":\"sim\",\"celsius\":true}"));

        assertThat(events).extracting(Sse::event).containsExactly("message_start", "ping", "content_block_start",
                "content_block_delta", "content_block_delta", "content_block_stop", "message_delta", "message_stop");
        JsonNode start = events.get(2).data().path("content_block");
        assertThat(start.path("type").asString()).isEqualTo("tool_use");
        assertThat(start.path("name").asString()).isEqualTo("get_weather");
        assertThat(start.path("input")).isEmpty();
        assertThat(events.get(3).data().at("/delta/type").asString()).isEqualTo("input_json_delta");
        String partial = events.get(3).data().at("/delta/partial_json").asString()
                + events.get(4).data().at("/delta/partial_json").asString();
        assertThat(JSON.readTree(partial)).isEqualTo(JSON.readTree("{\"city\":\"sim\",\"celsius\":true}"));
        assertThat(events.get(6).data().at("/delta/stop_reason").asString()).isEqualTo("tool_use");
    }

    @Test
    void shouldCallTheNamedToolOrNoneAsToolChoiceSays() throws Exception {
        String named = PLAIN.replace("\"system\"", TOOLS + ",\"tool_choice\":{\"type\":\"tool\",\"name\":\"get_time\"},\"system\"");
        String none = PLAIN.replace("\"system\"", TOOLS + ",\"tool_choice\":{\"type\":\"none\"},\"system\"");

        JsonNode namedBody = JSON.readTree(client.post(PATH, named, HEADERS).body());
        JsonNode noneBody = JSON.readTree(client.post(PATH, none, HEADERS).body());

        assertThat(namedBody.at("/content/0/name").asString()).isEqualTo("get_time");
        assertThat(noneBody.at("/content/0/type").asString()).isEqualTo("text");
        assertThat(noneBody.path("stop_reason").asString()).isEqualTo("end_turn");
    }

    @Test
    void shouldSayWhatTheToolSaidWhenTheLastUserTurnCarriesAToolResult() throws Exception {
        String body = "{\"model\":\"claude-x\",\"max_tokens\":100," + TOOLS + ",\"messages\":["
                + "{\"role\":\"user\",\"content\":\"Weather?\"},"
                + "{\"role\":\"assistant\",\"content\":[{\"type\":\"tool_use\",\"id\":\"toolu_1\",\"name\":\"get_weather\","
                + "\"input\":{\"city\":\"Paris\"}}]},"
                + "{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"toolu_1\","
                + "\"content\":[{\"type\":\"text\",\"text\":\"rainy\"}]}]}]}";

        JsonNode answer = JSON.readTree(client.post(PATH, body, HEADERS).body());

        assertThat(answer.at("/content/0/text").asString()).isEqualTo("tool said rainy");
        assertThat(answer.path("stop_reason").asString()).isEqualTo("end_turn");
    }

    @Test
    void shouldCountBase64AndUrlImagesInInputTokens() throws Exception {
        sim.config(SimulatorConfig.defaults().withImageTokens(50));
        // "Describe both" = 13 characters → 4 tokens, plus 2 images, plus one inside a tool result.
        String body = "{\"model\":\"claude-x\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":["
                + "{\"type\":\"image\",\"source\":{\"type\":\"base64\",\"media_type\":\"image/png\",\"data\":\"iVBORw0KGgo=\"}},"
                + "{\"type\":\"image\",\"source\":{\"type\":\"url\",\"url\":\"https://example.com/cat.png\"}},"
                + "{\"type\":\"text\",\"text\":\"Describe both\"},"
                + "{\"type\":\"tool_result\",\"tool_use_id\":\"t\",\"content\":[{\"type\":\"image\","
                + "\"source\":{\"type\":\"base64\",\"media_type\":\"image/png\",\"data\":\"AAAA\"}}]}]}]}";

        JsonNode usage = JSON.readTree(client.post(PATH, body, HEADERS).body()).path("usage");

        assertThat(usage.path("input_tokens").asInt()).isEqualTo(4 + 3 * 50);
        assertThat(sim.lastRequest().body().at("/messages/0/content/0/source/data").asString()).isEqualTo("iVBORw0KGgo=");
    }

    @Test
    void shouldPutAThinkingBlockFirstWhenThinkingIsEnabled() throws Exception {
        String plain = PLAIN.replace("\"system\"", "\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":1024},\"system\"");
        String stream = STREAM.replace("\"system\"", "\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":1024},\"system\"");
        sim.config(SimulatorConfig.defaults().withChunks(1));

        JsonNode body = JSON.readTree(client.post(PATH, plain, HEADERS).body());
        List<Sse> events = sse(client.post(PATH, stream, HEADERS).body());

        assertThat(body.path("content")).hasSize(2);
        assertThat(body.at("/content/0")).isEqualTo(JSON.readTree(
                "{\"type\":\"thinking\",\"thinking\":\"sim thinking\",\"signature\":\"sim-signature\"}"));
        assertThat(body.at("/content/1/type").asString()).isEqualTo("text");
        assertThat(events).extracting(Sse::event).containsExactly("message_start", "ping",
                "content_block_start", "content_block_delta", "content_block_delta", "content_block_stop",
                "content_block_start", "content_block_delta", "content_block_stop", "message_delta", "message_stop");
        assertThat(events.get(2).data().at("/content_block/type").asString()).isEqualTo("thinking");
        assertThat(events.get(3).data().path("delta")).isEqualTo(JSON.readTree(
                "{\"type\":\"thinking_delta\",\"thinking\":\"sim thinking\"}"));
        assertThat(events.get(4).data().path("delta")).isEqualTo(JSON.readTree(
                "{\"type\":\"signature_delta\",\"signature\":\"sim-signature\"}"));
        assertThat(events.get(6).data().path("index").asInt()).isEqualTo(1);
        assertThat(events.get(7).data().path("index").asInt()).isEqualTo(1);
    }

    @Test
    void shouldRefuseWithoutAKeyOrVersionInAnthropicsErrorShape() throws Exception {
        HttpResponse<String> noKey = client.post(PATH, PLAIN, "anthropic-version", "2023-06-01");
        HttpResponse<String> noVersion = client.post(PATH, PLAIN, "x-api-key", "k");
        HttpResponse<String> bearer = client.post(PATH, PLAIN, "Authorization", "Bearer k", "anthropic-version", "2023-06-01");

        assertThat(noKey.statusCode()).isEqualTo(401);
        assertThat(JSON.readTree(noKey.body())).isEqualTo(JSON.readTree("{\"type\":\"error\",\"error\":"
                + "{\"type\":\"authentication_error\",\"message\":\"x-api-key header is required\"}}"));
        assertThat(noVersion.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(noVersion.body()).at("/error/type").asString()).isEqualTo("invalid_request_error");
        assertThat(JSON.readTree(noVersion.body()).at("/error/message").asString()).contains("anthropic-version");
        assertThat(bearer.statusCode()).isEqualTo(200);
        assertThat(sim.stats().completed()).isEqualTo(1);
        assertThat(sim.stats().failed()).isZero();
    }

    @Test
    void shouldRefuseBodiesTheRealApiRefuses() throws Exception {
        HttpResponse<String> noMaxTokens = client.post(PATH, PLAIN.replace("\"max_tokens\":100,", ""), HEADERS);
        HttpResponse<String> noMessages = client.post(PATH, "{\"model\":\"m\",\"max_tokens\":1}", HEADERS);
        HttpResponse<String> noModel = client.post(PATH, PLAIN.replace("\"model\":\"claude-x\",", ""), HEADERS);
        HttpResponse<String> malformed = client.post(PATH, "{\"model\":", HEADERS);

        assertThat(List.of(noMaxTokens, noMessages, noModel, malformed)).allSatisfy(response -> {
            assertThat(response.statusCode()).isEqualTo(400);
            assertThat(JSON.readTree(response.body()).path("type").asString()).isEqualTo("error");
            assertThat(JSON.readTree(response.body()).at("/error/type").asString()).isEqualTo("invalid_request_error");
        });
        assertThat(JSON.readTree(noMaxTokens.body()).at("/error/message").asString()).startsWith("max_tokens");
        assertThat(JSON.readTree(noMessages.body()).at("/error/message").asString()).startsWith("messages");
        assertThat(JSON.readTree(noModel.body()).at("/error/message").asString()).startsWith("model");
        assertThat(sim.stats().requests()).isEqualTo(4);
        assertThat(sim.stats().inFlight()).isZero();
    }

    @Test
    void shouldFailWithTheMatchingErrorTypeForEachInjectedStatus() throws Exception {
        sim.config(SimulatorConfig.defaults().withFailure(429, 1));
        HttpResponse<String> limited = client.post(PATH, PLAIN, HEADERS);
        sim.config(SimulatorConfig.defaults().withFailure(529, 1));
        HttpResponse<String> overloaded = client.post(PATH, STREAM, HEADERS);
        sim.config(SimulatorConfig.defaults().withFailure(500, 1));
        HttpResponse<String> broken = client.post(PATH, PLAIN, HEADERS);
        HttpResponse<String> recovered = client.post(PATH, PLAIN, HEADERS);

        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.headers().firstValue("retry-after")).hasValue("1");
        assertThat(JSON.readTree(limited.body())).isEqualTo(JSON.readTree(
                "{\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\",\"message\":\"simulated failure\"}}"));
        assertThat(overloaded.statusCode()).isEqualTo(529);
        assertThat(JSON.readTree(overloaded.body()).at("/error/type").asString()).isEqualTo("overloaded_error");
        assertThat(broken.statusCode()).isEqualTo(500);
        assertThat(JSON.readTree(broken.body()).at("/error/type").asString()).isEqualTo("api_error");
        assertThat(recovered.statusCode()).isEqualTo(200);
        assertThat(sim.stats().failed()).isEqualTo(3);
        assertThat(AnthropicHandler.errorType(400)).isEqualTo("invalid_request_error");
        assertThat(AnthropicHandler.errorType(503)).isEqualTo("api_error");
    }

    @Test
    void shouldCountTokensWithoutAnsweringOrCountingAChatRequest() throws Exception {
        sim.config(SimulatorConfig.defaults().withImageTokens(10));
        String body = "{\"model\":\"claude-x\",\"system\":[{\"type\":\"text\",\"text\":\"You are terse.\"}],"
                + "\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"What is the capital of France?\"},"
                + "{\"type\":\"image\",\"source\":{\"type\":\"url\",\"url\":\"https://example.com/x.png\"}}]}]}";

        HttpResponse<String> counted = client.post(PATH + "/count_tokens", body, HEADERS);
        HttpResponse<String> unauthenticated = client.post(PATH + "/count_tokens", body);

        assertThat(counted.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(counted.body())).isEqualTo(JSON.readTree("{\"input_tokens\":21}"));
        assertThat(unauthenticated.statusCode()).isEqualTo(401);
        assertThat(sim.stats().requests()).isZero();
        assertThat(sim.requests()).extracting(RecordedRequest::path)
                .containsExactly(PATH + "/count_tokens", PATH + "/count_tokens");
    }

    @Test
    void shouldDropTheConnectionMidStreamWhenCutAfterChunks() throws Exception {
        sim.config(SimulatorConfig.defaults().withChunks(5).withCutAfterChunks(2));

        HttpResponse<InputStream> response = client.open(PATH, STREAM, HEADERS);
        List<Sse> events = readSse(response.body());

        assertThat(events).extracting(Sse::event).containsExactly("message_start", "ping", "content_block_start",
                "content_block_delta", "content_block_delta");
        await().atMost(Duration.ofSeconds(5)).until(() -> sim.stats().inFlight() == 0);
        assertThat(sim.stats().failed()).isEqualTo(1);
        assertThat(sim.stats().completed()).isZero();
    }

    @Test
    void shouldRecordTheHeadersThatMatterButNeverTheKey() throws Exception {
        client.post(PATH, PLAIN, "x-api-key", "sk-ant-secret", "anthropic-version", "2023-06-01",
                "anthropic-beta", "prompt-caching-2024-07-31");

        RecordedRequest recorded = sim.lastRequest();
        assertThat(recorded.apiKey()).isTrue();
        assertThat(recorded.authorization()).isFalse();
        assertThat(recorded.header("anthropic-version")).isEqualTo("2023-06-01");
        assertThat(recorded.header("anthropic-beta")).isEqualTo("prompt-caching-2024-07-31");
        assertThat(recorded.body().path("model").asString()).isEqualTo("claude-x");
        assertThat(recorded.toString()).doesNotContain("sk-ant-secret");
        assertThat(JSON.writeValueAsString(sim.requests())).doesNotContain("sk-ant-secret");
    }

    @Test
    void shouldListModelsInAnthropicsShapeOnlyWhenTheVersionHeaderIsSent() throws Exception {
        sim.config(SimulatorConfig.defaults().withModels(List.of("claude-a", "claude-b")));

        JsonNode anthropic = JSON.readTree(client.get("/v1/models", HEADERS).body());
        JsonNode openAi = JSON.readTree(client.get("/v1/models").body());

        assertThat(anthropic.path("data").findValuesAsString("id")).containsExactly("claude-a", "claude-b");
        assertThat(anthropic.at("/data/0/type").asString()).isEqualTo("model");
        assertThat(anthropic.path("has_more").booleanValue()).isFalse();
        assertThat(anthropic.path("last_id").asString()).isEqualTo("claude-b");
        assertThat(openAi.path("object").asString()).isEqualTo("list");
    }

    static List<Sse> sse(String body) {
        List<Sse> events = new ArrayList<>();
        for (String frame : body.split("\n\n")) {
            if (frame.isBlank()) {
                continue;
            }
            String[] lines = frame.split("\n");
            assertThat(lines).hasSize(2);
            assertThat(lines[0]).startsWith("event: ");
            assertThat(lines[1]).startsWith("data: ");
            events.add(new Sse(lines[0].substring(7), JSON.readTree(lines[1].substring(6))));
        }
        return events;
    }

    private static List<Sse> readSse(InputStream body) {
        List<Sse> events = new ArrayList<>();
        String event = null;
        try (BufferedReader reader = SimClient.reader(body)) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.startsWith("event: ")) {
                    event = line.substring(7);
                } else if (line.startsWith("data: ")) {
                    events.add(new Sse(event, JSON.readTree(line.substring(6))));
                }
            }
        } catch (IOException e) {
            // a cut stream ends in an exception; the events read so far are the result
        }
        return events;
    }
}
