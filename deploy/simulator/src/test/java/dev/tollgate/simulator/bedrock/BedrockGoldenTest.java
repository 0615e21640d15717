package dev.tollgate.simulator.bedrock;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.simulator.Golden;
import dev.tollgate.simulator.SimClient;
import dev.tollgate.simulator.Simulator;
import dev.tollgate.simulator.SimulatorConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;

/** The Converse wire answers for a fixed config, pinned so format drift shows up as a diff (ids blanked). */
class BedrockGoldenTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String PATH = "/model/anthropic.claude-3-haiku-20240307-v1%3A0/converse";
    private static final String[] SIGNED = {"Authorization", "AWS4-HMAC-SHA256 Credential=AKID/x, Signature=y"};
    private static final String TOOL_REQUEST = "{\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"Weather?\"}]}],"
            + "\"toolConfig\":{\"tools\":[{\"toolSpec\":{\"name\":\"get_weather\",\"inputSchema\":{\"json\":"
            + "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}}}}]}}";
    private static final String TEXT_REQUEST = "{\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"Hi\"}]}]}";

    private final Simulator sim = Simulator.start(0);

    @AfterEach
    void stop() {
        sim.close();
    }

    @Test
    void shouldAnswerTheRecordedConverseBodyWhenAToolIsDeclared() throws Exception {
        sim.config(SimulatorConfig.defaults().withPromptTokens(40).withCachedTokens(10).withCacheWriteTokens(5));

        String body = new SimClient(sim).post(PATH, TOOL_REQUEST, SIGNED).body();

        assertThat(Golden.normalise(JSON.readTree(body)))
                .isEqualTo(JSON.readTree(Golden.read("bedrock/converse-tool.json")));
    }

    @Test
    void shouldStreamTheRecordedEventsWhenAnsweringText() throws Exception {
        sim.config(SimulatorConfig.defaults().withChunks(2).withPromptTokens(9));

        byte[] body = new SimClient(sim).postForBytes(PATH + "-stream", TEXT_REQUEST, SIGNED).body();

        ArrayNode events = JSON.createArrayNode();
        for (BedrockHandlerTest.Event event : BedrockHandlerTest.decode(body)) {
            events.addObject().put("event", event.type()).set("payload", event.payload());
        }
        JsonNode expected = JSON.readTree(Golden.read("bedrock/converse-stream-text.json"));
        assertThat(Golden.normalise(events)).isEqualTo(expected);
    }
}
