package dev.tollgate.simulator.gemini;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.simulator.RecordedRequest;
import dev.tollgate.simulator.SimClient;
import dev.tollgate.simulator.Simulator;
import dev.tollgate.simulator.SimulatorConfig;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class GeminiHandlerTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String[] KEY = {"x-goog-api-key", "AIza-sim"};
    private static final String TEXT = "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"Say hi.\"}]}]}";
    private static final String TOOLS = "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"Weather?\"}]}],"
            + "\"tools\":[{\"functionDeclarations\":[{\"name\":\"get_weather\",\"parameters\":{\"type\":\"OBJECT\","
            + "\"properties\":{\"city\":{\"type\":\"STRING\"},\"days\":{\"type\":\"INTEGER\"}},"
            + "\"required\":[\"city\",\"days\"]}}]}]}";

    private final Simulator sim = Simulator.start(0);
    private final SimClient client = new SimClient(sim);

    @AfterEach
    void stop() {
        sim.close();
    }

    @Test
    void shouldAnswerTextWithGeminiUsageWhenGenerateContentIsCalled() throws Exception {
        sim.config(SimulatorConfig.defaults().withChunks(3).withPromptTokens(50).withCachedTokens(20)
                .withCompletionTokens(9).withReasoningTokens(4));

        HttpResponse<String> response = client.post("/v1beta/models/gemini-2.5-flash:generateContent", TEXT, KEY);

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = JSON.readTree(response.body());
        JsonNode candidate = body.path("candidates").get(0);
        assertThat(candidate.path("content").path("role").asString()).isEqualTo("model");
        assertThat(candidate.path("content").path("parts").get(0).path("text").asString()).isEqualTo("tok0 tok1 tok2 ");
        assertThat(candidate.path("finishReason").asString()).isEqualTo("STOP");
        JsonNode usage = body.path("usageMetadata");
        assertThat(usage.path("promptTokenCount").asLong()).isEqualTo(50);
        assertThat(usage.path("cachedContentTokenCount").asLong()).isEqualTo(20);
        assertThat(usage.path("candidatesTokenCount").asLong()).isEqualTo(5);
        assertThat(usage.path("thoughtsTokenCount").asLong()).isEqualTo(4);
        assertThat(usage.path("totalTokenCount").asLong()).isEqualTo(59);
        assertThat(body.path("modelVersion").asString()).isEqualTo("gemini-2.5-flash");
        RecordedRequest recorded = sim.lastRequest();
        assertThat(recorded.googApiKey()).isTrue();
        assertThat(recorded.decodedPath()).isEqualTo("/v1beta/models/gemini-2.5-flash:generateContent");
    }

    @Test
    void shouldCallTheDeclaredFunctionWithUpperCaseSchemaTypesWhenToolsAreGiven() throws Exception {
        HttpResponse<String> response = client.post("/v1beta/models/m:generateContent", TOOLS, KEY);

        JsonNode part = JSON.readTree(response.body()).path("candidates").get(0).path("content").path("parts").get(0);
        assertThat(part.path("functionCall").path("name").asString()).isEqualTo("get_weather");
        assertThat(part.path("functionCall").path("args")).isEqualTo(JSON.readTree("{\"city\":\"sim\",\"days\":1}"));
    }

    @Test
    void shouldAnswerFromTheFunctionResponseWhenTheLastTurnCarriesOne() throws Exception {
        String body = "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"Weather?\"}]},{\"role\":\"model\","
                + "\"parts\":[{\"functionCall\":{\"name\":\"get_weather\",\"args\":{\"city\":\"Paris\"}}}]},"
                + "{\"role\":\"user\",\"parts\":[{\"functionResponse\":{\"name\":\"get_weather\",\"response\":"
                + "{\"output\":\"sunny\"}}}]}]}";

        HttpResponse<String> response = client.post("/v1beta/models/m:generateContent", body, KEY);

        JsonNode part = JSON.readTree(response.body()).path("candidates").get(0).path("content").path("parts").get(0);
        assertThat(part.path("text").asString()).isEqualTo("tool said sunny");
    }

    @Test
    void shouldStreamSseChunksWithCrlfAndUsageOnTheLastWhenAltIsSse() throws Exception {
        sim.config(SimulatorConfig.defaults().withChunks(2).withPromptTokens(10));

        HttpResponse<String> response = client.post("/v1beta/models/m:streamGenerateContent?alt=sse", TEXT, KEY);

        assertThat(response.headers().firstValue("content-type").orElse("")).startsWith("text/event-stream");
        assertThat(response.body()).contains("\r\n\r\n");
        List<JsonNode> chunks = SimClient.events(response.body()).stream().map(JSON::readTree).toList();
        assertThat(chunks).hasSize(3);
        assertThat(chunks.get(0).path("candidates").get(0).path("content").path("parts").get(0).path("text").asString())
                .isEqualTo("tok0 ");
        JsonNode last = chunks.get(2);
        assertThat(last.path("candidates").get(0).path("finishReason").asString()).isEqualTo("STOP");
        assertThat(last.path("usageMetadata").path("candidatesTokenCount").asLong()).isEqualTo(2);
        assertThat(chunks.get(0).path("usageMetadata").has("candidatesTokenCount")).isFalse();
    }

    @Test
    void shouldStreamOneJsonArrayWhenAltIsNotSse() throws Exception {
        sim.config(SimulatorConfig.defaults().withChunks(2));

        HttpResponse<String> response = client.post("/v1beta/models/m:streamGenerateContent", TEXT, KEY);

        assertThat(response.headers().firstValue("content-type").orElse("")).startsWith("application/json");
        JsonNode array = JSON.readTree(response.body());
        assertThat(array.isArray()).isTrue();
        assertThat(array).hasSize(3);
        assertThat(array.get(2).path("candidates").get(0).path("finishReason").asString()).isEqualTo("STOP");
    }

    @Test
    void shouldSendThoughtsFirstWhenIncludeThoughtsIsAsked() throws Exception {
        String body = "{\"contents\":[{\"parts\":[{\"text\":\"think\"}]}],"
                + "\"generation_config\":{\"thinking_config\":{\"include_thoughts\":true}}}";

        HttpResponse<String> response = client.post("/v1beta/models/m:generateContent", body, KEY);

        JsonNode parts = JSON.readTree(response.body()).path("candidates").get(0).path("content").path("parts");
        assertThat(parts.get(0).path("thought").asBoolean()).isTrue();
        assertThat(parts.get(0).path("text").asString()).isEqualTo("sim thinking");
        assertThat(parts.get(0).path("thoughtSignature").asString()).isEqualTo("sim-signature");
    }

    @Test
    void shouldCutTheConnectionWithoutTheLastChunkWhenCutAfterChunksIsSet() throws Exception {
        sim.config(SimulatorConfig.defaults().withChunks(5).withCutAfterChunks(2));

        HttpResponse<InputStream> response = client.open("/v1beta/models/m:streamGenerateContent?alt=sse", TEXT, KEY);
        List<String> events = SimClient.readEvents(response.body());

        assertThat(events).hasSize(2);
        assertThat(events).noneMatch(event -> event.contains("finishReason"));
    }

    @Test
    void shouldCountImagesAndTextWhenCountTokensIsCalled() throws Exception {
        sim.config(SimulatorConfig.defaults().withImageTokens(100));
        String body = "{\"contents\":[{\"parts\":[{\"text\":\"12345678\"},{\"inlineData\":{\"mimeType\":"
                + "\"image/png\",\"data\":\"AAAA\"}}]}]}";

        HttpResponse<String> response = client.post("/v1beta/models/m:countTokens", body, KEY);

        assertThat(JSON.readTree(response.body()).path("totalTokens").asLong()).isEqualTo(102);
        assertThat(sim.stats().requests()).isZero();
    }

    @Test
    void shouldListModelsWithTheModelsPrefixWhenAsked() throws Exception {
        JsonNode list = JSON.readTree(client.get("/v1beta/models?key=AIza-sim").body());
        HttpResponse<String> one = client.get("/v1beta/models/gpt-4o", KEY);
        HttpResponse<String> missing = client.get("/v1beta/models/none", KEY);

        assertThat(list.path("models").get(0).path("name").asString()).isEqualTo("models/gpt-4o-mini");
        assertThat(JSON.readTree(one.body()).path("name").asString()).isEqualTo("models/gpt-4o");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(missing.body()).path("error").path("status").asString()).isEqualTo("NOT_FOUND");
    }

    @Test
    void shouldRefuseUnregisteredCallersWith403WhenNoKeyIsGiven() throws Exception {
        HttpResponse<String> response = client.post("/v1beta/models/m:generateContent", TEXT);

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(JSON.readTree(response.body()).path("error").path("status").asString())
                .isEqualTo("PERMISSION_DENIED");
    }

    @Test
    void shouldAnswerApiKeyInvalidAs400WhenA401IsInjected() throws Exception {
        sim.config(SimulatorConfig.defaults().withFailure(401, 1));

        HttpResponse<String> response = client.post("/v1beta/models/m:generateContent", TEXT, KEY);

        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode error = JSON.readTree(response.body()).path("error");
        assertThat(error.path("status").asString()).isEqualTo("INVALID_ARGUMENT");
        assertThat(error.path("details").get(0).path("reason").asString()).isEqualTo("API_KEY_INVALID");
    }

    @Test
    void shouldSayWhenToRetryInTheBodyWhenRateLimited() throws Exception {
        sim.config(SimulatorConfig.defaults().withFailure(429, 1));

        HttpResponse<String> response = client.post("/v1beta/models/m:streamGenerateContent?alt=sse", TEXT, KEY);

        assertThat(response.statusCode()).isEqualTo(429);
        JsonNode error = JSON.readTree(response.body()).path("error");
        assertThat(error.path("status").asString()).isEqualTo("RESOURCE_EXHAUSTED");
        assertThat(error.path("details").get(0).path("retryDelay").asString()).isEqualTo("1s");
        assertThat(sim.stats().failed()).isEqualTo(1);
    }

    @Test
    void shouldAnswerGoogles404WhenTheMethodIsUnknown() throws Exception {
        HttpResponse<String> response = client.post("/v1beta/models/m:embedEverything", TEXT, KEY);
        HttpResponse<String> other = client.get("/v1beta/files", KEY);

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(other.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(other.body()).path("error").path("code").asInt()).isEqualTo(404);
    }

    @Test
    void shouldRefuseMissingContentsWithInvalidArgument() throws Exception {
        HttpResponse<String> response = client.post("/v1beta/models/m:generateContent", "{}", KEY);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(response.body()).path("error").path("message").asString()).contains("contents");
    }

    @Test
    void shouldSignFunctionCallWhenThinkingIsOn() throws Exception {
        String thinkingTools = TOOLS.substring(0, TOOLS.length() - 1)
                + ",\"generationConfig\":{\"thinkingConfig\":{\"thinkingBudget\":1024,\"includeThoughts\":true}}}";

        JsonNode signed = JSON.readTree(client.post("/v1beta/models/gemini-3-pro-preview:generateContent",
                thinkingTools, KEY).body());
        JsonNode plain = JSON.readTree(client.post("/v1beta/models/gemini-3-pro-preview:generateContent",
                TOOLS, KEY).body());

        JsonNode parts = signed.path("candidates").get(0).path("content").path("parts");
        JsonNode call = parts.get(parts.size() - 1);
        assertThat(call.has("functionCall")).as(parts.toString()).isTrue();
        assertThat(call.path("thoughtSignature").asString()).isEqualTo(GeminiHandler.CALL_SIGNATURE);
        assertThat(plain.path("candidates").get(0).path("content").path("parts").get(0).has("thoughtSignature"))
                .isFalse();
    }

    @Test
    void shouldRefuseGemini3HistoryWhenFunctionCallIsUnsignedOrSignedByOthers() throws Exception {
        String model = "/v1beta/models/gemini-3-pro-preview:generateContent";

        HttpResponse<String> unsigned = client.post(model, history(null), KEY);
        HttpResponse<String> forged = client.post(model, history("\"bm90IGdlbWluaQ==\""), KEY);
        HttpResponse<String> standIn = client.post(model, history("\"" + GeminiHandler.SKIP_SIGNATURE + "\""), KEY);
        HttpResponse<String> own = client.post(model, history("\"" + GeminiHandler.CALL_SIGNATURE + "\""), KEY);
        HttpResponse<String> older = client.post("/v1beta/models/gemini-2.5-flash:generateContent", history(null),
                KEY);

        assertThat(unsigned.statusCode()).isEqualTo(400);
        JsonNode error = JSON.readTree(unsigned.body()).path("error");
        assertThat(error.path("status").asString()).isEqualTo("INVALID_ARGUMENT");
        assertThat(error.path("message").asString()).contains("missing a thought_signature", "get_weather");
        assertThat(forged.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(forged.body()).path("error").path("message").asString())
                .isEqualTo("Corrupted thought signature.");
        assertThat(standIn.statusCode()).isEqualTo(200);
        assertThat(own.statusCode()).isEqualTo(200);
        assertThat(older.statusCode()).isEqualTo(200);
    }

    /** A tool loop's second turn, the model's function call signed with {@code signature} (JSON), or unsigned. */
    private static String history(String signature) {
        String signed = signature == null ? "" : ",\"thoughtSignature\":" + signature;
        return "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"Weather?\"}]},"
                + "{\"role\":\"model\",\"parts\":[{\"functionCall\":{\"name\":\"get_weather\",\"args\":{\"city\":"
                + "\"Paris\"}}" + signed + "}]},"
                + "{\"role\":\"user\",\"parts\":[{\"functionResponse\":{\"name\":\"get_weather\",\"response\":"
                + "{\"output\":\"18C\"}}}]}]}";
    }
}
