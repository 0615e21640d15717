package dev.tollgate.relay.api.openai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.contracts.json.Json;
import dev.tollgate.relay.metering.TokenCounter;
import org.junit.jupiter.api.Test;

class ResponsesPromptCounterTest {

    @Test
    void shouldCountInstructionsItemsImagesAndToolsWhenConversationSent() {
        long plain = ResponsesPromptCounter.count(Json.mapper().readTree(
                "{\"input\":[{\"role\":\"user\",\"content\":\"What is the weather in Paris today?\"}]}"));
        long rich = ResponsesPromptCounter.count(Json.mapper().readTree("{\"instructions\":\"Be brief and exact.\","
                + "\"input\":[{\"role\":\"user\",\"content\":[{\"type\":\"input_text\",\"text\":\"What is the weather "
                + "in Paris today?\"},{\"type\":\"input_image\",\"image_url\":\"https://x/y.png\"}]},"
                + "{\"type\":\"function_call\",\"call_id\":\"c\",\"name\":\"get_weather\",\"arguments\":\"{}\"},"
                + "{\"type\":\"function_call_output\",\"call_id\":\"c\",\"output\":\"18C and cloudy\"}],"
                + "\"tools\":[{\"type\":\"function\",\"name\":\"get_weather\"}]}"));

        assertThat(plain).isGreaterThanOrEqualTo(TokenCounter.count("What is the weather in Paris today?"));
        assertThat(rich - plain).isGreaterThan(OpenAiPromptCounter.IMAGE_TOKENS
                + TokenCounter.count("Be brief and exact.") + TokenCounter.count("18C and cloudy"));
    }

    @Test
    void shouldCountAStringInput() {
        assertThat(ResponsesPromptCounter.count(Json.mapper().readTree("{\"input\":\"Say hello to everyone.\"}")))
                .isGreaterThanOrEqualTo(TokenCounter.count("Say hello to everyone."));
    }
}
