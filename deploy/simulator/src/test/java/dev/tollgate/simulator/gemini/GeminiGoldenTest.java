package dev.tollgate.simulator.gemini;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.simulator.Golden;
import dev.tollgate.simulator.SimClient;
import dev.tollgate.simulator.Simulator;
import dev.tollgate.simulator.SimulatorConfig;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** The Gemini wire answers for a fixed config, pinned so format drift shows up as a diff (response ids blanked). */
class GeminiGoldenTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String[] KEY = {"x-goog-api-key", "AIza-sim"};
    private static final String TOOL_REQUEST = "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"Weather?\"}]}],"
            + "\"tools\":[{\"functionDeclarations\":[{\"name\":\"get_weather\",\"parametersJsonSchema\":{\"type\":"
            + "\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}}]}],"
            + "\"generationConfig\":{\"thinkingConfig\":{\"includeThoughts\":true}}}";
    private static final String TEXT_REQUEST = "{\"contents\":[{\"parts\":[{\"text\":\"Say two words.\"}]}]}";

    private final Simulator sim = Simulator.start(0);

    @AfterEach
    void stop() {
        sim.close();
    }

    @Test
    void shouldAnswerTheRecordedResponseWhenThoughtsAndAFunctionAreAsked() throws Exception {
        sim.config(SimulatorConfig.defaults().withPromptTokens(40).withCachedTokens(10).withReasoningTokens(3));

        String body = new SimClient(sim).post("/v1beta/models/gemini-2.5-flash:generateContent", TOOL_REQUEST, KEY)
                .body();

        assertThat(normalise(JSON.readTree(body))).isEqualTo(JSON.readTree(Golden.read("gemini/generate-thinking-tool.json")));
    }

    @Test
    void shouldStreamTheRecordedChunksWhenAnsweringText() throws Exception {
        sim.config(SimulatorConfig.defaults().withChunks(2).withPromptTokens(12));

        String body = new SimClient(sim).post("/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse",
                TEXT_REQUEST, KEY).body();

        List<JsonNode> actual = SimClient.events(body).stream().map(JSON::readTree).map(GeminiGoldenTest::normalise)
                .toList();
        List<JsonNode> expected = SimClient.events(Golden.read("gemini/stream-text.sse")).stream().map(JSON::readTree)
                .toList();
        assertThat(actual).isEqualTo(expected);
    }

    private static JsonNode normalise(JsonNode response) {
        ((ObjectNode) response).put("responseId", "ID");
        return response;
    }
}
