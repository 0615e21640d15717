package dev.tollgate.relay.api.anthropic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.tollgate.contracts.json.Json;
import dev.tollgate.relay.metering.TokenCounter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

class AnthropicPromptCounterTest {

    private static long count(String json) {
        return AnthropicPromptCounter.count(Json.mapper().readTree(json));
    }

    private static String user(String content) {
        return "{\"model\":\"m\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":" + content + "}]}";
    }

    @Test
    void shouldCountMoreTokensWhenTheTextIsLonger() {
        long shortText = count(user("\"Hello there\""));
        long longText = count(user("\"Hello there, and tell me about the history of the Roman empire in detail\""));

        assertThat(shortText).isGreaterThanOrEqualTo(TokenCounter.count("Hello there"));
        assertThat(longText).isGreaterThan(shortText);
    }

    @Test
    void shouldCountTheSystemPromptWhetherStringOrBlocks() {
        long none = count(user("\"hi\""));
        String system = "You are a very careful assistant who answers in French.";
        long asString = count("{\"system\":\"" + system + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        long asBlocks = count("{\"system\":[{\"type\":\"text\",\"text\":\"" + system + "\",\"cache_control\":"
                + "{\"type\":\"ephemeral\"}}],\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

        assertThat(asString).isEqualTo(none + TokenCounter.count(system));
        assertThat(asBlocks).isEqualTo(asString);
    }

    @Test
    void shouldCountAFixedAmountPerImageWhenImagesAreSent() {
        long text = count(user("[{\"type\":\"text\",\"text\":\"what is this\"}]"));
        long twoImages = count(user("[{\"type\":\"text\",\"text\":\"what is this\"},"
                + "{\"type\":\"image\",\"source\":{\"type\":\"base64\",\"media_type\":\"image/png\",\"data\":\"AAAA\"}},"
                + "{\"type\":\"image\",\"source\":{\"type\":\"url\",\"url\":\"https://example.com/a.png\"}}]"));

        assertThat(twoImages - text).isEqualTo(2 * AnthropicPromptCounter.IMAGE_TOKENS);
    }

    @Test
    void shouldCountToolCallsResultsAndThinkingWhenTheConversationHoldsThem() {
        long base = count(user("\"hi\""));
        long withHistory = count("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"},"
                + "{\"role\":\"assistant\",\"content\":[{\"type\":\"thinking\",\"thinking\":\"ponder the weather\","
                + "\"signature\":\"s\"},{\"type\":\"tool_use\",\"id\":\"t\",\"name\":\"get_weather\",\"input\":{\"city\":\"Paris\"}}]},"
                + "{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"t\",\"content\":"
                + "[{\"type\":\"text\",\"text\":\"18 degrees\"},{\"type\":\"image\",\"source\":{\"type\":\"url\",\"url\":\"u\"}}]}]}]}");

        assertThat(withHistory - base).isGreaterThan(AnthropicPromptCounter.IMAGE_TOKENS
                + TokenCounter.count("ponder the weather") + TokenCounter.count("18 degrees"));
    }

    @Test
    void shouldCountToolDefinitionsWithThePreambleWhenToolsAreDeclared() {
        long base = count(user("\"hi\""));
        String tool = "{\"name\":\"get_weather\",\"description\":\"Current weather for a city\",\"input_schema\":"
                + "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}}";
        long oneTool = count("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"tools\":[" + tool + "]}");
        long twoTools = count("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"tools\":[" + tool + "," + tool + "]}");

        assertThat(oneTool - base).isGreaterThan(AnthropicPromptCounter.TOOL_USE_PREAMBLE
                + TokenCounter.count("Current weather for a city"));
        assertThat(twoTools - oneTool).isLessThan(oneTool - base).isPositive();
    }

    @ParameterizedTest
    @ValueSource(strings = {"{}", "[]", "\"text\"", "{\"messages\":5}", "{\"messages\":[5,\"x\",{\"content\":{}}]}",
            "{\"system\":{\"a\":1},\"tools\":[1,{\"type\":5}],\"messages\":[{\"content\":[1,{\"type\":[]},"
                    + "{\"type\":\"document\",\"source\":{\"type\":\"base64\",\"data\":\"x\"}},{\"type\":\"text\",\"text\":7}]}]}"})
    void shouldNeverThrowWhenTheShapeIsOdd(String json) {
        JsonNode tree = Json.mapper().readTree(json);

        assertThatCode(() -> AnthropicPromptCounter.count(tree)).doesNotThrowAnyException();
        assertThat(AnthropicPromptCounter.count(tree)).isNotNegative();
    }
}
