package dev.tollgate.relay.api.anthropic;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.contracts.money.TokenUsage;
import dev.tollgate.relay.chat.ChatResponse;
import dev.tollgate.relay.chat.Part;
import dev.tollgate.relay.chat.StopReason;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

class AnthropicResponseWriterTest {

    private static JsonNode write(ChatResponse response, String model) {
        return Golden.parse(AnthropicResponseWriter.write(response, model));
    }

    @Test
    void shouldWriteAMessageWhenTheAnswerIsText() {
        ChatResponse response = new ChatResponse("msg_01XFDUDYJgAACzvnptvVoYEL", "gpt-4o",
                List.of(Part.Text.of("Hello!")), StopReason.END_TURN, null, TokenUsage.ofTokens(12, 6));

        assertThat(write(response, "claude-sonnet-4-5")).isEqualTo(Golden.json("response-text.json"));
    }

    @Test
    void shouldWriteToolUseInputAsObjectsAndZeroUsageWhenUsageIsMissing() {
        ChatResponse response = new ChatResponse("chatcmpl-abc123", "gpt-4o", List.of(
                Part.Text.of("Let me check."),
                new Part.ToolUse("call_1", "get_weather", "{\"city\":\"Paris\"}", null),
                new Part.ToolUse("call_2", "get_time", "", null),
                new Part.ToolUse("call_3", "broken", "{\"city\":", null)), StopReason.TOOL_USE, null, null);

        assertThat(write(response, "claude-sonnet-4-5")).isEqualTo(Golden.json("response-tool-use.json"));
    }

    @Test
    void shouldWriteThinkingAndCacheUsageWhenTheAnswerReasoned() {
        ChatResponse response = new ChatResponse("msg_02", "claude-opus-4-1", List.of(
                new Part.Thinking("Six times seven.", "EqQBCgIYAhIM"),
                new Part.RedactedThinking("EmwKAhgBEgy3va3p"),
                new Part.Thinking("Check again.", null),
                Part.Text.of("42")), StopReason.STOP_SEQUENCE, "###",
                new TokenUsage(20, 100, 50, 30, 12, 1, 0, 0));

        assertThat(write(response, null)).isEqualTo(Golden.json("response-thinking.json"));
    }

    @Test
    void shouldGenerateAMessageIdWhenTheUpstreamGaveNone() {
        JsonNode message = write(new ChatResponse(null, "m", List.of(), StopReason.END_TURN, null, null), "m");

        assertThat(message.get("id").stringValue()).startsWith("msg_").hasSizeGreaterThan(20);
        assertThat(message.get("content").isEmpty()).isTrue();
    }

    @Test
    void shouldGenerateAToolUseIdWhenTheCallHasNone() {
        JsonNode message = write(new ChatResponse("msg_1", "m", List.of(new Part.ToolUse(null, "f", "{}", null)),
                StopReason.TOOL_USE, null, null), "m");

        assertThat(message.at("/content/0/id").stringValue()).startsWith("toolu_");
    }

    @ParameterizedTest
    @CsvSource({"END_TURN,end_turn", "MAX_TOKENS,max_tokens", "STOP_SEQUENCE,stop_sequence", "TOOL_USE,tool_use",
            "CONTENT_FILTERED,refusal", "REFUSAL,refusal", "PAUSE_TURN,pause_turn"})
    void shouldNameTheStopReasonInAnthropicWordsWhenTranslating(StopReason reason, String expected) {
        JsonNode message = write(new ChatResponse("msg_1", "m", List.of(Part.Text.of("x")), reason, null, null), "m");

        assertThat(message.get("stop_reason").stringValue()).isEqualTo(expected);
    }

    @Test
    void shouldSayEndTurnWhenTheStopReasonIsUnknown() {
        JsonNode message = write(new ChatResponse("msg_1", "m", List.of(Part.Text.of("x")), null, null, null), "m");

        assertThat(message.get("stop_reason").stringValue()).isEqualTo("end_turn");
    }
}
