package dev.tollgate.relay.provider.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.relay.chat.ChatResponse;
import dev.tollgate.relay.chat.Part;
import dev.tollgate.relay.chat.StopReason;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Recorded chat.completion bodies (golden/openai-translate/translate/completion-*.json) → internal answers. */
class OpenAiResponseMapperTest {

    @ParameterizedTest
    @ValueSource(strings = {"text", "tool-calls", "reasoning", "refusal"})
    void shouldReadFirstChoiceAndUsageWhenRecordedAnswer(String name) {
        ChatResponse response = OpenAiResponseMapper.toChatResponse(
                TranslateGolden.bytes("translate/completion-" + name + ".json"));
        TranslateGolden.assertJson(TranslateGolden.chatTree(response), "translate/completion-" + name + ".chat.json");
    }

    @Test
    void shouldReadContentPartsAndRefusalPartWhenContentIsAnArray() {
        String body = "{\"id\":\"x\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":["
                + "{\"type\":\"text\",\"text\":\"a\"},{\"type\":\"refusal\",\"refusal\":\"no\"}]},\"finish_reason\":\"stop\"}]}";
        ChatResponse response = OpenAiResponseMapper.toChatResponse(body.getBytes(StandardCharsets.UTF_8));
        assertThat(response.content()).containsExactly(Part.Text.of("a"), Part.Text.of("no"));
        assertThat(response.stopReason()).isEqualTo(StopReason.REFUSAL);
        assertThat(response.usage()).isNull();
    }

    @Test
    void shouldUseFunctionNameAsIdWhenLegacyFunctionCall() {
        String body = "{\"choices\":[{\"message\":{\"content\":null,\"function_call\":{\"name\":\"f\",\"arguments\":\"{}\"}},"
                + "\"finish_reason\":\"function_call\"}]}";
        ChatResponse response = OpenAiResponseMapper.toChatResponse(body.getBytes(StandardCharsets.UTF_8));
        assertThat(response.content()).containsExactly(new Part.ToolUse("f", "f", "{}", null));
        assertThat(response.stopReason()).isEqualTo(StopReason.TOOL_USE);
    }

    @Test
    void shouldAnswerEmptyWhenUpstreamSentNoChoices() {
        ChatResponse response = OpenAiResponseMapper.toChatResponse("{\"id\":\"x\",\"choices\":[]}".getBytes());
        assertThat(response.content()).isEmpty();
        assertThat(response.stopReason()).isEqualTo(StopReason.END_TURN);
    }

    @Test
    void shouldFailWhenBodyIsNotJson() {
        assertThatThrownBy(() -> OpenAiResponseMapper.toChatResponse("<html>".getBytes()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @CsvSource({"stop, END_TURN", "length, MAX_TOKENS", "tool_calls, TOOL_USE", "function_call, TOOL_USE",
        "content_filter, CONTENT_FILTERED", "something_new, END_TURN"})
    void shouldMapFinishReasonWhenReadingAnswer(String finishReason, StopReason reason) {
        assertThat(OpenAiResponseMapper.stopReason(finishReason)).isEqualTo(reason);
    }
}
