package dev.tollgate.relay.api.gemini;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.contracts.json.Json;
import dev.tollgate.contracts.money.TokenUsage;
import dev.tollgate.relay.chat.ChatResponse;
import dev.tollgate.relay.chat.Part;
import dev.tollgate.relay.chat.StopReason;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class GeminiResponseWriterTest {

    static final ChatResponse TOOL_ANSWER = new ChatResponse("msg_01ABC", "claude-sonnet-4-5", List.of(
            new Part.Thinking("Need the weather.", "EqQBCgIYAhIM"),
            Part.Text.of("Let me check."),
            new Part.ToolUse("toolu_01", "get_weather", "{\"city\":\"Paris\"}", null),
            new Part.RedactedThinking("opaque")),
            StopReason.TOOL_USE, null, new TokenUsage(90, 20, 10, 40, 12, 0, 0, 0));

    @Test
    void shouldWriteTheRecordedResponseWithGeminisUsageCountsWhenTranslatingAnAnswer() {
        JsonNode written = Json.mapper().readTree(GeminiResponseWriter.write(TOOL_ANSWER, "to-anthropic"));

        assertThat(written).isEqualTo(Golden.json("response-tool.json"));
    }

    @Test
    void shouldSayWhyWhenTheAnswerWasCutOrFiltered() {
        assertThat(GeminiResponseWriter.finishReason(StopReason.MAX_TOKENS)).isEqualTo("MAX_TOKENS");
        assertThat(GeminiResponseWriter.finishReason(StopReason.CONTENT_FILTERED)).isEqualTo("SAFETY");
        assertThat(GeminiResponseWriter.finishReason(StopReason.STOP_SEQUENCE)).isEqualTo("STOP");
        assertThat(GeminiResponseWriter.finishReason(null)).isEqualTo("STOP");
    }

    @Test
    void shouldWriteZeroUsageAndAFreshIdWhenTheUpstreamGaveNeither() {
        ChatResponse bare = new ChatResponse(null, "m", List.of(Part.Text.of("hi")), StopReason.END_TURN, null, null);

        JsonNode written = Json.mapper().readTree(GeminiResponseWriter.write(bare, null));

        assertThat(written.path("usageMetadata").path("totalTokenCount").asLong()).isZero();
        assertThat(written.path("responseId").asString()).hasSizeGreaterThan(16);
        assertThat(written.path("modelVersion").asString()).isEqualTo("m");
    }
}
