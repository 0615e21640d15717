package dev.tollgate.simulator.openai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.simulator.SimClient;
import dev.tollgate.simulator.Simulator;
import dev.tollgate.simulator.SimulatorConfig;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The OpenAI endpoint answering like DeepSeek, Groq, Mistral or a server without stream usage. */
class OpenAiFlavourTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Simulator SIM = Simulator.start(0);
    private static final SimClient CLIENT = new SimClient(SIM);
    private static final String PATH = "/v1/chat/completions";
    private static final String PLAIN = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    private static final String STREAM = "{\"model\":\"m\",\"stream\":true,\"stream_options\":{\"include_usage\":true},"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    @AfterAll
    static void stop() {
        SIM.close();
    }

    @BeforeEach
    void reset() {
        SIM.reset();
        SIM.config(SimulatorConfig.defaults().withChunks(2).withPromptTokens(30).withCompletionTokens(6)
                .withCachedTokens(10).withReasoningTokens(4));
    }

    @Test
    void shouldReasonFirstAndReportCacheHitsWhenDeepSeek() throws Exception {
        SIM.config(SIM.config().withFlavour("deepseek"));

        JsonNode plain = JSON.readTree(CLIENT.post(PATH, PLAIN).body());
        assertThat(plain.at("/choices/0/message/reasoning_content").asString()).isEqualTo("sim thinking");
        assertThat(plain.at("/usage/prompt_cache_hit_tokens").asInt()).isEqualTo(10);
        assertThat(plain.at("/usage/prompt_cache_miss_tokens").asInt()).isEqualTo(20);
        assertThat(plain.at("/usage/prompt_tokens_details").isMissingNode()).isTrue();

        List<JsonNode> chunks = chunks(CLIENT.post(PATH, STREAM).body());
        String reasoning = chunks.stream().map(c -> c.at("/choices/0/delta/reasoning_content").asString(""))
                .reduce("", String::concat);
        assertThat(reasoning).isEqualTo("sim thinking");
        JsonNode last = chunks.get(chunks.size() - 1);
        assertThat(last.at("/choices/0/finish_reason").asString()).isEqualTo("stop");
        assertThat(last.at("/usage/prompt_cache_hit_tokens").asInt()).isEqualTo(10);
    }

    @Test
    void shouldPutStreamUsageInXGroqWhenGroq() throws Exception {
        List<JsonNode> chunks = chunks(CLIENT.post(PATH, STREAM, "x-sim-flavour", "groq").body());

        assertThat(chunks).noneMatch(chunk -> chunk.has("usage"));
        JsonNode last = chunks.get(chunks.size() - 1);
        assertThat(last.at("/choices/0/finish_reason").asString()).isEqualTo("stop");
        assertThat(last.at("/x_groq/usage/prompt_tokens").asInt()).isEqualTo(30);
        assertThat(last.at("/x_groq/usage/completion_tokens").asInt()).isEqualTo(6);
        assertThat(SIM.lastRequest().header("x-sim-flavour")).isEqualTo("groq");
    }

    @Test
    void shouldReportUsageOnTheLastChunkAndRefuseLongToolIdsWhenMistral() throws Exception {
        SIM.config(SIM.config().withFlavour("mistral"));
        String stream = "{\"model\":\"m\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

        List<JsonNode> chunks = chunks(CLIENT.post(PATH, stream).body());
        assertThat(chunks.get(chunks.size() - 1).at("/usage/total_tokens").asInt()).isEqualTo(36);

        HttpResponse<String> refused = CLIENT.post(PATH, "{\"model\":\"m\",\"messages\":[{\"role\":\"assistant\","
                + "\"tool_calls\":[{\"id\":\"toolu_01abc\",\"type\":\"function\",\"function\":{\"name\":\"f\","
                + "\"arguments\":\"{}\"}}]},{\"role\":\"tool\",\"tool_call_id\":\"toolu_01abc\",\"content\":\"x\"}]}");
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(refused.body()).path("message").asString()).contains("length of 9");
    }

    @Test
    void shouldNeverReportStreamUsageWhenNoStreamUsage() throws Exception {
        SIM.config(SIM.config().withFlavour("no-stream-usage"));

        List<JsonNode> chunks = chunks(CLIENT.post(PATH, STREAM).body());

        assertThat(chunks).noneMatch(chunk -> chunk.has("usage"));
        assertThat(chunks.get(chunks.size() - 1).at("/choices/0/finish_reason").asString()).isEqualTo("stop");
    }

    @Test
    void shouldTakeTheFlavourFromTheControlEndpointWhenAnotherProcessSetsIt() throws Exception {
        assertThat(CLIENT.put("/_sim/config", "{\"flavour\":\"groq\"}").statusCode()).isEqualTo(200);
        assertThat(SIM.config().flavour()).isEqualTo("groq");
        assertThat(CLIENT.put("/_sim/config", "{\"flavour\":\"cohere\"}").statusCode()).isEqualTo(400);
    }

    private static List<JsonNode> chunks(String body) {
        return SimClient.events(body).stream()
                .filter(data -> !data.equals("[DONE]"))
                .map(JSON::readTree)
                .toList();
    }
}
