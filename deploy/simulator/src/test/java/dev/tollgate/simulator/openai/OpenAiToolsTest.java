package dev.tollgate.simulator.openai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.simulator.RecordedRequest;
import dev.tollgate.simulator.SimClient;
import dev.tollgate.simulator.Simulator;
import dev.tollgate.simulator.SimulatorConfig;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Tools, tool results and images in OpenAI's chat completions format. */
class OpenAiToolsTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String PATH = "/v1/chat/completions";
    private static final String TOOLS = "[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\","
            + "\"description\":\"Weather for a city\",\"parameters\":{\"type\":\"object\","
            + "\"properties\":{\"city\":{\"type\":\"string\"},\"days\":{\"type\":\"integer\"}},"
            + "\"required\":[\"city\",\"days\"]}}},"
            + "{\"type\":\"function\",\"function\":{\"name\":\"get_time\",\"parameters\":{\"type\":\"object\"}}}]";
    private static final String ASK = "{\"role\":\"user\",\"content\":\"Weather in Paris?\"}";

    private final Simulator sim = Simulator.start(0);
    private final SimClient client = new SimClient(sim);

    @AfterEach
    void stop() {
        sim.close();
    }

    @Test
    void shouldCallTheFirstToolWithArgumentsFromItsSchemaWhenToolsAreDeclared() throws Exception {
        HttpResponse<String> response = client.post(PATH, request(false, "\"auto\"", ASK));

        JsonNode choice = JSON.readTree(response.body()).at("/choices/0");
        assertThat(choice.path("finish_reason").asString()).isEqualTo("tool_calls");
        assertThat(choice.at("/message/content").isNull()).isTrue();
        JsonNode call = choice.at("/message/tool_calls/0");
        assertThat(call.path("id").asString()).startsWith("call_");
        assertThat(call.path("type").asString()).isEqualTo("function");
        assertThat(call.at("/function/name").asString()).isEqualTo("get_weather");
        assertThat(JSON.readTree(call.at("/function/arguments").asString()))
                .isEqualTo(JSON.readTree("{\"city\":\"sim\",\"days\":1}"));
    }

    @Test
    void shouldCallTheNamedToolWhenToolChoiceNamesAFunction() throws Exception {
        String choice = "{\"type\":\"function\",\"function\":{\"name\":\"get_time\"}}";

        JsonNode body = JSON.readTree(client.post(PATH, request(false, choice, ASK)).body());

        assertThat(body.at("/choices/0/message/tool_calls/0/function/name").asString()).isEqualTo("get_time");
        assertThat(body.at("/choices/0/message/tool_calls/0/function/arguments").asString()).isEqualTo("{}");
    }

    @Test
    void shouldAnswerTextWhenToolChoiceIsNone() throws Exception {
        JsonNode body = JSON.readTree(client.post(PATH, request(false, "\"none\"", ASK)).body());

        assertThat(body.at("/choices/0/finish_reason").asString()).isEqualTo("stop");
        assertThat(body.at("/choices/0/message/content").asString()).isEqualTo("tok0 tok1 tok2 tok3 tok4 ");
        assertThat(body.at("/choices/0/message").has("tool_calls")).isFalse();
    }

    @Test
    void shouldStreamTheToolCallAsNamedFirstChunkAndTwoArgumentPieces() throws Exception {
        List<String> events = SimClient.events(client.post(PATH, request(true, "\"required\"", ASK)).body());

        assertThat(events).hasSize(1 + 2 + 1 + 1).last().isEqualTo("[DONE]");
        List<JsonNode> chunks = events.subList(0, 4).stream().map(JSON::readTree).toList();
        JsonNode first = chunks.get(0).at("/choices/0/delta");
        assertThat(first.path("role").asString()).isEqualTo("assistant");
        assertThat(first.at("/tool_calls/0/index").asInt()).isZero();
        assertThat(first.at("/tool_calls/0/id").asString()).startsWith("call_");
        assertThat(first.at("/tool_calls/0/function/name").asString()).isEqualTo("get_weather");
        assertThat(first.at("/tool_calls/0/function/arguments").asString()).isEmpty();
        String arguments = chunks.get(1).at("/choices/0/delta/tool_calls/0/function/arguments").asString()
                + chunks.get(2).at("/choices/0/delta/tool_calls/0/function/arguments").asString();
        assertThat(JSON.readTree(arguments)).isEqualTo(JSON.readTree("{\"city\":\"sim\",\"days\":1}"));
        assertThat(chunks.get(1).at("/choices/0/delta/tool_calls/0/function/arguments").asString()).isNotEmpty();
        assertThat(chunks.get(3).at("/choices/0/finish_reason").asString()).isEqualTo("tool_calls");
        assertThat(sim.stats().completed()).isEqualTo(1);
    }

    @Test
    void shouldSayWhatTheToolSaidWhenTheLastMessageIsAToolResult() throws Exception {
        String messages = ASK + ",{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"call_1\","
                + "\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"arguments\":\"{}\"}}]},"
                + "{\"role\":\"tool\",\"tool_call_id\":\"call_1\",\"content\":\"sunny\"}";

        JsonNode plain = JSON.readTree(client.post(PATH, request(false, "\"auto\"", messages)).body());
        List<String> streamed = SimClient.events(client.post(PATH, request(true, "\"auto\"", messages)).body());

        assertThat(plain.at("/choices/0/message/content").asString()).isEqualTo("tool said sunny");
        assertThat(plain.at("/choices/0/finish_reason").asString()).isEqualTo("stop");
        assertThat(plain.at("/usage/completion_tokens").asInt()).isEqualTo(3);
        assertThat(streamed.subList(1, 4)).extracting(e -> JSON.readTree(e).at("/choices/0/delta/content").asString())
                .containsExactly("tool ", "said ", "sunny");
    }

    @Test
    void shouldCountImagesAndToolDefinitionsInThePromptEstimate() throws Exception {
        sim.config(SimulatorConfig.defaults().withImageTokens(100));
        // 8 characters of text → 2 tokens, plus 2 images.
        String withImages = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\","
                + "\"text\":\"Describe\"},{\"type\":\"image_url\",\"image_url\":{\"url\":\"data:image/png;base64,iVBO\"}},"
                + "{\"type\":\"image_url\",\"image_url\":{\"url\":\"https://example.com/a.png\"}}]}]}";
        String withTools = request(false, "\"none\"", ASK);

        JsonNode images = JSON.readTree(client.post(PATH, withImages).body());
        JsonNode tools = JSON.readTree(client.post(PATH, withTools).body());

        assertThat(images.at("/usage/prompt_tokens").asInt()).isEqualTo(2 + 200);
        // "Weather in Paris?" alone would be 5 tokens; the tool definitions add to it.
        assertThat(tools.at("/usage/prompt_tokens").asInt()).isGreaterThan(30);
    }

    @Test
    void shouldRecordTheRequestAsReceivedWithoutTheKey() throws Exception {
        String body = request(false, "\"auto\"", ASK);

        client.post(PATH, body, "Authorization", "Bearer sk-secret");

        RecordedRequest recorded = sim.lastRequest();
        assertThat(recorded.method()).isEqualTo("POST");
        assertThat(recorded.path()).isEqualTo(PATH);
        assertThat(recorded.authorization()).isTrue();
        assertThat(recorded.authScheme()).isEqualTo("Bearer");
        assertThat(recorded.body()).isEqualTo(JSON.readTree(body));
        assertThat(recorded.text()).isEqualTo(body);
        assertThat(recorded.header("Content-Type")).isEqualTo("application/json");
        assertThat(recorded.toString()).doesNotContain("sk-secret");
    }

    private static String request(boolean stream, String toolChoice, String messages) {
        return "{\"model\":\"gpt-4o\",\"stream\":" + stream + ",\"tools\":" + TOOLS + ",\"tool_choice\":" + toolChoice
                + ",\"messages\":[" + messages + "]}";
    }
}
