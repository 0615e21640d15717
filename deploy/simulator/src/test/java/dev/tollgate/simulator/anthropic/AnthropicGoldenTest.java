package dev.tollgate.simulator.anthropic;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.simulator.Golden;
import dev.tollgate.simulator.SimClient;
import dev.tollgate.simulator.Simulator;
import dev.tollgate.simulator.SimulatorConfig;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** The Anthropic wire answers for a fixed config, pinned so format drift shows up as a diff (ids blanked). */
class AnthropicGoldenTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String[] HEADERS = {"x-api-key", "k", "anthropic-version", "2023-06-01"};
    private static final String TOOL_REQUEST = "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":2048,"
            + "\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":1024},"
            + "\"tools\":[{\"name\":\"get_weather\",\"input_schema\":{\"type\":\"object\","
            + "\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}}],"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"Weather in Paris?\"}]}";
    private static final String TEXT_STREAM = "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":100,\"stream\":true,"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"Say two words.\"}]}";

    private final Simulator sim = Simulator.start(0);

    @AfterEach
    void stop() {
        sim.close();
    }

    @Test
    void shouldAnswerTheRecordedMessageWhenThinkingAndAToolAreAsked() throws Exception {
        sim.config(SimulatorConfig.defaults().withPromptTokens(40).withCachedTokens(10).withCacheWriteTokens(5));

        String body = new SimClient(sim).post("/v1/messages", TOOL_REQUEST, HEADERS).body();

        assertThat(Golden.normalise(JSON.readTree(body)))
                .isEqualTo(JSON.readTree(Golden.read("anthropic/message-thinking-tool.json")));
    }

    @Test
    void shouldStreamTheRecordedEventsWhenAnsweringText() throws Exception {
        sim.config(SimulatorConfig.defaults().withChunks(2).withCachedTokens(2));

        String body = new SimClient(sim).post("/v1/messages", TEXT_STREAM, HEADERS).body();

        List<AnthropicHandlerTest.Sse> actual = normalised(body);
        List<AnthropicHandlerTest.Sse> expected = normalised(Golden.read("anthropic/stream-text.sse"));
        assertThat(actual).isEqualTo(expected);
    }

    private static List<AnthropicHandlerTest.Sse> normalised(String sse) {
        return AnthropicHandlerTest.sse(sse).stream()
                .map(e -> new AnthropicHandlerTest.Sse(e.event(), Golden.normalise(e.data())))
                .toList();
    }
}
