package dev.tollgate.relay.provider.bedrock;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.contracts.money.TokenUsage;
import dev.tollgate.relay.chat.ChatResponse;
import dev.tollgate.relay.chat.Part;
import dev.tollgate.relay.chat.StopReason;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseResponse;

/** Recorded Converse answers (golden/bedrock/response-*.json) → the internal answer. */
class BedrockResponseMapperTest {

    private static final String MODEL = "us.anthropic.claude-sonnet-4-20250514-v1:0";

    @Test
    void shouldMapTextStopReasonAndCacheUsageWhenAnswerIsText() {
        ChatResponse response = map("response-text.json");

        assertThat(response.model()).isEqualTo(MODEL);
        assertThat(response.id()).startsWith("msg_bdrk_");
        assertThat(response.content()).containsExactly(Part.Text.of("Hello there."));
        assertThat(response.stopReason()).isEqualTo(StopReason.END_TURN);
        assertThat(response.stopSequence()).isNull();
        assertThat(response.usage()).isEqualTo(new TokenUsage(12, 100, 50, 3, 0, 0, 0, 0));
    }

    @Test
    void shouldMapReasoningTextAndToolUseWhenAnswerCallsTool() {
        ChatResponse response = map("response-tool-use.json");

        assertThat(response.content()).hasSize(4);
        assertThat(response.content().get(0)).isEqualTo(new Part.Thinking("The user wants weather.", "sig-abc"));
        assertThat(response.content().get(1)).isEqualTo(new Part.RedactedThinking("cmVkYWN0ZWQ="));
        assertThat(response.content().get(2)).isEqualTo(Part.Text.of("Let me check."));
        Part.ToolUse toolUse = (Part.ToolUse) response.content().get(3);
        assertThat(toolUse.id()).isEqualTo("tooluse_abc");
        assertThat(toolUse.name()).isEqualTo("get_weather");
        // The arguments keep the upstream's digits.
        assertThat(toolUse.argumentsJson())
                .isEqualTo("{\"city\":\"Paris\",\"days\":1.10,\"id\":12345678901234567890}");
        assertThat(response.stopReason()).isEqualTo(StopReason.TOOL_USE);
        assertThat(response.usage()).isEqualTo(TokenUsage.ofTokens(40, 25));
    }

    @Test
    void shouldReportMatchedStopSequenceWhenClaudeReturnsIt() {
        ChatResponse response = map("response-stop-sequence.json");

        assertThat(response.stopReason()).isEqualTo(StopReason.STOP_SEQUENCE);
        assertThat(response.stopSequence()).isEqualTo("three");
    }

    @Test
    void shouldReportNoUsageWhenAnswerHasNone() {
        ConverseResponse answer = ConverseJson.read(
                "{\"output\":{\"message\":{\"role\":\"assistant\",\"content\":[{\"text\":\"x\"}]}}}",
                ConverseResponse.builder());

        ChatResponse response = BedrockResponseMapper.toChatResponse(answer, MODEL);

        assertThat(response.usage()).isNull();
        assertThat(response.stopReason()).isEqualTo(StopReason.END_TURN);
    }

    @ParameterizedTest
    @CsvSource({"end_turn,END_TURN", "tool_use,TOOL_USE", "max_tokens,MAX_TOKENS", "stop_sequence,STOP_SEQUENCE",
            "guardrail_intervened,CONTENT_FILTERED", "content_filtered,CONTENT_FILTERED",
            "model_context_window_exceeded,MAX_TOKENS", "something_new,END_TURN"})
    void shouldMapStopReasonWhenBedrockNamesIt(String bedrock, StopReason expected) {
        assertThat(BedrockResponseMapper.toStopReason(bedrock)).isEqualTo(expected);
    }

    private static ChatResponse map(String golden) {
        ConverseResponse answer = ConverseJson.read(ConverseJson.golden(golden), ConverseResponse.builder());
        return BedrockResponseMapper.toChatResponse(answer, MODEL);
    }
}
