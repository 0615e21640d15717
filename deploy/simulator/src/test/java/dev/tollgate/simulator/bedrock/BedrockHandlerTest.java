package dev.tollgate.simulator.bedrock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tollgate.simulator.RecordedRequest;
import dev.tollgate.simulator.SimClient;
import dev.tollgate.simulator.Simulator;
import dev.tollgate.simulator.SimulatorConfig;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.eventstream.Message;
import software.amazon.awssdk.eventstream.MessageDecoder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class BedrockHandlerTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    static final String MODEL = "us.anthropic.claude-3-5-haiku-20241022-v1:0";
    private static final String CONVERSE = "/model/us.anthropic.claude-3-5-haiku-20241022-v1%3A0/converse";
    private static final String STREAM = CONVERSE + "-stream";
    private static final String[] SIGNED = {"Authorization",
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20250101/us-east-1/bedrock/aws4_request, Signature=abc"};
    // 44 characters of text → 11 estimated prompt tokens.
    private static final String PLAIN = "{\"system\":[{\"text\":\"You are terse.\"},{\"cachePoint\":{\"type\":\"default\"}}],"
            + "\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"What is the capital of France?\"}]}],"
            + "\"inferenceConfig\":{\"maxTokens\":100,\"temperature\":0.5}}";
    private static final String TOOL_CONFIG = "\"toolConfig\":{\"tools\":[{\"toolSpec\":{\"name\":\"get_weather\","
            + "\"description\":\"Weather\",\"inputSchema\":{\"json\":{\"type\":\"object\",\"properties\":"
            + "{\"city\":{\"type\":\"string\"},\"days\":{\"type\":\"number\"}},\"required\":[\"city\",\"days\"]}}}},"
            + "{\"toolSpec\":{\"name\":\"get_time\",\"inputSchema\":{\"json\":{\"type\":\"object\"}}}}]";

    private final Simulator sim = Simulator.start(0);
    private final SimClient client = new SimClient(sim);

    record Event(String type, JsonNode payload) {
    }

    @AfterEach
    void stop() {
        sim.close();
    }

    @Test
    void shouldAnswerConverseWithTextUsageAndMetrics() throws Exception {
        HttpResponse<String> response = client.post(CONVERSE, PLAIN, SIGNED);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("x-amzn-RequestId")).isPresent();
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.at("/output/message/role").asString()).isEqualTo("assistant");
        assertThat(body.at("/output/message/content")).isEqualTo(JSON.readTree("[{\"text\":\"tok0 tok1 tok2 tok3 tok4 \"}]"));
        assertThat(body.path("stopReason").asString()).isEqualTo("end_turn");
        assertThat(body.path("usage")).isEqualTo(JSON.readTree("{\"inputTokens\":11,\"outputTokens\":5,"
                + "\"totalTokens\":16,\"cacheReadInputTokens\":0,\"cacheWriteInputTokens\":0}"));
        assertThat(body.at("/metrics/latencyMs").isNumber()).isTrue();
        assertThat(sim.stats().completed()).isEqualTo(1);
    }

    @Test
    void shouldRecordTheEncodedPathAndDecodeTheModelId() throws Exception {
        client.post(CONVERSE, PLAIN, SIGNED);

        RecordedRequest recorded = sim.lastRequest();
        assertThat(recorded.path()).isEqualTo(CONVERSE);
        assertThat(recorded.decodedPath()).isEqualTo("/model/" + MODEL + "/converse");
        assertThat(recorded.authScheme()).isEqualTo("AWS4-HMAC-SHA256");
        assertThat(recorded.toString()).doesNotContain("Signature=abc");
        assertThat(BedrockHandler.decode("arn%3Aaws%3Abedrock%3Aus-east-1%3A1%3Ainference-profile%2Fx"))
                .isEqualTo("arn:aws:bedrock:us-east-1:1:inference-profile/x");
    }

    @Test
    void shouldSplitCacheTokensOutOfInputTokens() throws Exception {
        sim.config(SimulatorConfig.defaults().withPromptTokens(1000).withCachedTokens(600).withCacheWriteTokens(300)
                .withCompletionTokens(9));

        JsonNode usage = JSON.readTree(client.post(CONVERSE, PLAIN, SIGNED).body()).path("usage");
        List<Event> events = decode(client.postForBytes(STREAM, PLAIN, SIGNED).body());

        JsonNode expected = JSON.readTree("{\"inputTokens\":100,\"outputTokens\":9,\"totalTokens\":1009,"
                + "\"cacheReadInputTokens\":600,\"cacheWriteInputTokens\":300}");
        assertThat(usage).isEqualTo(expected);
        assertThat(events.get(events.size() - 1).payload().path("usage")).isEqualTo(expected);
    }

    @Test
    void shouldStreamBinaryEventFramesInConverseStreamOrder() throws Exception {
        sim.config(SimulatorConfig.defaults().withChunks(3));

        HttpResponse<byte[]> response = client.postForBytes(STREAM, PLAIN, SIGNED);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValue("application/vnd.amazon.eventstream");
        List<Event> events = decode(response.body());
        assertThat(events).extracting(Event::type).containsExactly("messageStart", "contentBlockDelta",
                "contentBlockDelta", "contentBlockDelta", "contentBlockStop", "messageStop", "metadata");
        assertThat(events.get(0).payload()).isEqualTo(JSON.readTree("{\"role\":\"assistant\"}"));
        assertThat(events.subList(1, 4)).extracting(e -> e.payload().at("/delta/text").asString())
                .containsExactly("tok0 ", "tok1 ", "tok2 ");
        assertThat(events.get(1).payload().path("contentBlockIndex").asInt()).isZero();
        assertThat(events.get(4).payload()).isEqualTo(JSON.readTree("{\"contentBlockIndex\":0}"));
        assertThat(events.get(5).payload()).isEqualTo(JSON.readTree("{\"stopReason\":\"end_turn\"}"));
        assertThat(events.get(6).payload().at("/usage/outputTokens").asInt()).isEqualTo(3);
        assertThat(events.get(6).payload().at("/metrics/latencyMs").isNumber()).isTrue();
        assertThat(sim.stats().completed()).isEqualTo(1);
    }

    @Test
    void shouldCallAToolPlainAndStreamedWhenAToolConfigIsGiven() throws Exception {
        String withTools = PLAIN.replace("\"inferenceConfig\"", TOOL_CONFIG + ",\"toolChoice\":{\"any\":{}}},\"inferenceConfig\"");

        JsonNode body = JSON.readTree(client.post(CONVERSE, withTools, SIGNED).body());
        List<Event> events = decode(client.postForBytes(STREAM, withTools, SIGNED).body());

        assertThat(body.path("stopReason").asString()).isEqualTo("tool_use");
        JsonNode toolUse = body.at("/output/message/content/0/toolUse");
        assertThat(toolUse.path("toolUseId").asString()).startsWith("tooluse_");
        assertThat(toolUse.path("name").asString()).isEqualTo("get_weather");
        assertThat(toolUse.path("input")).isEqualTo(JSON.readTree("{\"city\":\"sim\",\"days\":1}"));

        assertThat(events).extracting(Event::type).containsExactly("messageStart", "contentBlockStart",
                "contentBlockDelta", "contentBlockDelta", "contentBlockStop", "messageStop", "metadata");
        JsonNode start = events.get(1).payload();
        assertThat(start.path("contentBlockIndex").asInt()).isZero();
        assertThat(start.at("/start/toolUse/name").asString()).isEqualTo("get_weather");
        assertThat(start.at("/start/toolUse/toolUseId").asString()).startsWith("tooluse_");
        String input = events.get(2).payload().at("/delta/toolUse/input").asString()
                + events.get(3).payload().at("/delta/toolUse/input").asString();
        assertThat(JSON.readTree(input)).isEqualTo(JSON.readTree("{\"city\":\"sim\",\"days\":1}"));
        assertThat(events.get(5).payload().path("stopReason").asString()).isEqualTo("tool_use");
    }

    @Test
    void shouldCallTheNamedToolWhenToolChoiceNamesOne() throws Exception {
        String named = PLAIN.replace("\"inferenceConfig\"",
                TOOL_CONFIG + ",\"toolChoice\":{\"tool\":{\"name\":\"get_time\"}}},\"inferenceConfig\"");

        JsonNode body = JSON.readTree(client.post(CONVERSE, named, SIGNED).body());

        assertThat(body.at("/output/message/content/0/toolUse/name").asString()).isEqualTo("get_time");
        assertThat(body.at("/output/message/content/0/toolUse/input")).isEmpty();
    }

    @Test
    void shouldSayWhatTheToolSaidWhenTheLastUserTurnCarriesAToolResult() throws Exception {
        String body = "{" + TOOL_CONFIG + "},\"messages\":["
                + "{\"role\":\"user\",\"content\":[{\"text\":\"Weather?\"}]},"
                + "{\"role\":\"assistant\",\"content\":[{\"toolUse\":{\"toolUseId\":\"t1\",\"name\":\"get_weather\","
                + "\"input\":{\"city\":\"Paris\"}}}]},"
                + "{\"role\":\"user\",\"content\":[{\"toolResult\":{\"toolUseId\":\"t1\",\"content\":[{\"text\":\"foggy\"}],"
                + "\"status\":\"success\"}}]}]}";

        JsonNode answer = JSON.readTree(client.post(CONVERSE, body, SIGNED).body());

        assertThat(answer.at("/output/message/content/0/text").asString()).isEqualTo("tool said foggy");
        assertThat(answer.path("stopReason").asString()).isEqualTo("end_turn");
    }

    @Test
    void shouldCountImagesAndKeepTheirBytesInTheRecording() throws Exception {
        sim.config(SimulatorConfig.defaults().withImageTokens(40));
        String bytes = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk";
        // "Describe" = 8 characters → 2 tokens, plus one image.
        String body = "{\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"Describe\"},"
                + "{\"image\":{\"format\":\"png\",\"source\":{\"bytes\":\"" + bytes + "\"}}}]}]}";

        JsonNode usage = JSON.readTree(client.post(CONVERSE, body, SIGNED).body()).path("usage");

        assertThat(usage.path("inputTokens").asInt()).isEqualTo(2 + 40);
        assertThat(sim.lastRequest().body().at("/messages/0/content/1/image/source/bytes").asString()).isEqualTo(bytes);
    }

    @Test
    void shouldPutAReasoningBlockFirstWhenThinkingIsAskedForInAdditionalFields() throws Exception {
        sim.config(SimulatorConfig.defaults().withChunks(1));
        String thinking = PLAIN.replace("\"inferenceConfig\"", "\"additionalModelRequestFields\":{\"thinking\":"
                + "{\"type\":\"enabled\",\"budget_tokens\":1024}},\"inferenceConfig\"");

        JsonNode body = JSON.readTree(client.post(CONVERSE, thinking, SIGNED).body());
        List<Event> events = decode(client.postForBytes(STREAM, thinking, SIGNED).body());

        assertThat(body.at("/output/message/content/0")).isEqualTo(JSON.readTree("{\"reasoningContent\":"
                + "{\"reasoningText\":{\"text\":\"sim thinking\",\"signature\":\"sim-signature\"}}}"));
        assertThat(body.at("/output/message/content/1/text").asString()).isEqualTo("tok0 ");
        assertThat(events).extracting(Event::type).containsExactly("messageStart", "contentBlockDelta",
                "contentBlockDelta", "contentBlockStop", "contentBlockDelta", "contentBlockStop", "messageStop",
                "metadata");
        assertThat(events.get(1).payload().at("/delta/reasoningContent/text").asString()).isEqualTo("sim thinking");
        assertThat(events.get(2).payload().at("/delta/reasoningContent/signature").asString()).isEqualTo("sim-signature");
        assertThat(events.get(4).payload().path("contentBlockIndex").asInt()).isEqualTo(1);
    }

    @Test
    void shouldRefuseUnsignedRequestsWithAccessDenied() throws Exception {
        HttpResponse<String> unsigned = client.post(CONVERSE, PLAIN);
        HttpResponse<String> bearer = client.post(CONVERSE, PLAIN, "Authorization", "Bearer x");

        assertThat(List.of(unsigned, bearer)).allSatisfy(response -> {
            assertThat(response.statusCode()).isEqualTo(403);
            assertThat(response.headers().firstValue("x-amzn-ErrorType")).hasValue("AccessDeniedException");
            assertThat(JSON.readTree(response.body()).path("message").asString()).isNotBlank();
        });
        assertThat(sim.stats().failed()).isZero();
        assertThat(sim.stats().inFlight()).isZero();
    }

    @Test
    void shouldFailBeforeTheStreamWithTheMatchingErrorType() throws Exception {
        sim.config(SimulatorConfig.defaults().withFailure(429, 1));
        HttpResponse<String> throttled = client.post(STREAM, PLAIN, SIGNED);
        sim.config(SimulatorConfig.defaults().withFailure(503, 1));
        HttpResponse<String> unavailable = client.post(CONVERSE, PLAIN, SIGNED);
        sim.config(SimulatorConfig.defaults().withFailure(500, 1));
        HttpResponse<String> internal = client.post(CONVERSE, PLAIN, SIGNED);
        HttpResponse<String> invalid = client.post(CONVERSE, "{\"messages\":[]}", SIGNED);
        HttpResponse<String> malformed = client.post(CONVERSE, "{", SIGNED);

        assertThat(throttled.statusCode()).isEqualTo(429);
        assertThat(throttled.headers().firstValue("x-amzn-ErrorType")).hasValue("ThrottlingException");
        assertThat(JSON.readTree(throttled.body())).isEqualTo(JSON.readTree("{\"message\":\"simulated failure\"}"));
        assertThat(unavailable.statusCode()).isEqualTo(503);
        assertThat(unavailable.headers().firstValue("x-amzn-ErrorType")).hasValue("ServiceUnavailableException");
        assertThat(internal.statusCode()).isEqualTo(500);
        assertThat(internal.headers().firstValue("x-amzn-ErrorType")).hasValue("InternalServerException");
        assertThat(List.of(invalid, malformed)).allSatisfy(response -> {
            assertThat(response.statusCode()).isEqualTo(400);
            assertThat(response.headers().firstValue("x-amzn-ErrorType")).hasValue("ValidationException");
        });
        assertThat(sim.stats().failed()).isEqualTo(3);
        assertThat(BedrockHandler.errorType(424)).isEqualTo("ModelErrorException");
        assertThat(BedrockHandler.errorType(408)).isEqualTo("ModelTimeoutException");
    }

    @Test
    void shouldDropTheConnectionMidStreamWhenCutAfterChunks() throws Exception {
        sim.config(SimulatorConfig.defaults().withChunks(5).withCutAfterChunks(2));

        HttpResponse<InputStream> response = client.open(STREAM, PLAIN, SIGNED);
        List<Event> events = decode(readUntilCut(response.body()));

        assertThat(events).extracting(Event::type).containsExactly("messageStart", "contentBlockDelta",
                "contentBlockDelta");
        await().atMost(Duration.ofSeconds(5)).until(() -> sim.stats().inFlight() == 0);
        assertThat(sim.stats().failed()).isEqualTo(1);
        assertThat(sim.stats().completed()).isZero();
    }

    static List<Event> decode(byte[] body) {
        List<Event> events = new ArrayList<>();
        MessageDecoder decoder = new MessageDecoder((Message message) -> {
            assertThat(message.getHeaders().get(":message-type").getString()).isEqualTo("event");
            assertThat(message.getHeaders().get(":content-type").getString()).isEqualTo("application/json");
            events.add(new Event(message.getHeaders().get(":event-type").getString(),
                    JSON.readTree(new String(message.getPayload(), StandardCharsets.UTF_8))));
        });
        decoder.feed(body);
        return events;
    }

    private static byte[] readUntilCut(InputStream body) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        try (body) {
            int read;
            while ((read = body.read(buffer)) >= 0) {
                out.write(buffer, 0, read);
            }
        } catch (IOException e) {
            // a cut stream ends in an exception; the bytes read so far are the result
        }
        return out.toByteArray();
    }
}
