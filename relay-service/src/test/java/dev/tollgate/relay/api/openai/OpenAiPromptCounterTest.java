package dev.tollgate.relay.api.openai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.contracts.json.Json;
import dev.tollgate.relay.metering.TokenCounter;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class OpenAiPromptCounterTest {

    private static final String ASK = "{\"role\":\"user\",\"content\":\"What is the weather in Paris?\"}";
    private static final String TOOLS = "[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\","
            + "\"description\":\"Current weather for a city, with temperature, wind and a short forecast.\","
            + "\"parameters\":{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},"
            + "\"required\":[\"city\"]}}}]";

    private static long count(String json) {
        return OpenAiPromptCounter.count(Json.mapper().readTree(json));
    }

    @Test
    void shouldCountToolDefinitionsAsTheirJsonTextWhenToolsAreGiven() {
        long without = count("{\"messages\":[" + ASK + "]}");
        long with = count("{\"messages\":[" + ASK + "],\"tools\":" + TOOLS + "}");

        assertThat(with - without).isEqualTo(TokenCounter.count(Json.mapper().writeValueAsString(
                Json.mapper().readTree(TOOLS)))).isGreaterThan(30);
    }

    @Test
    void shouldCountLegacyFunctionDefinitionsWhenFunctionsAreGiven() {
        String functions = "[{\"name\":\"get_weather\",\"parameters\":{\"type\":\"object\"}}]";
        assertThat(count("{\"messages\":[" + ASK + "],\"functions\":" + functions + "}"))
                .isGreaterThan(count("{\"messages\":[" + ASK + "]}"));
    }

    @Test
    void shouldCountEachImagePartAsFixedEstimateWhenContentHasImages() {
        String image = "{\"type\":\"image_url\",\"image_url\":{\"url\":\"data:image/png;base64,iVBORw0KGgo=\"}}";
        long oneImage = count("{\"messages\":[{\"role\":\"user\",\"content\":[" + image + "]}]}");
        long twoImages = count("{\"messages\":[{\"role\":\"user\",\"content\":[" + image + "," + image + "]}]}");

        assertThat(twoImages - oneImage).isEqualTo(OpenAiPromptCounter.IMAGE_TOKENS);
        assertThat(oneImage).isGreaterThan(OpenAiPromptCounter.IMAGE_TOKENS);
    }

    @Test
    void shouldCountTextPartsLikeStringContentWhenContentIsAnArray() {
        JsonNode parts = Json.mapper().readTree("[{\"type\":\"text\",\"text\":\"Describe this picture \"},"
                + "{\"type\":\"text\",\"text\":\"in one short sentence.\"}]");

        assertThat(OpenAiPromptCounter.content(parts)).isEqualTo(TokenCounter.count("Describe this picture ")
                + TokenCounter.count("in one short sentence.")).isGreaterThan(6);
    }

    @Test
    void shouldCountToolCallsOfEarlierAssistantTurnsWhenHistoryHasThem() {
        String call = "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"call_1\",\"type\":"
                + "\"function\",\"function\":{\"name\":\"get_weather\",\"arguments\":\"{\\\"city\\\":\\\"Paris\\\"}\"}}]}";
        String result = "{\"role\":\"tool\",\"tool_call_id\":\"call_1\",\"content\":\"18 degrees and sunny\"}";

        assertThat(count("{\"messages\":[" + ASK + "," + call + "," + result + "]}"))
                .isGreaterThan(count("{\"messages\":[" + ASK + "," + result + "]}") + 10);
    }
}
