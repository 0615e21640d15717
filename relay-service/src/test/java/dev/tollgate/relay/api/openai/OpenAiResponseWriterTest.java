package dev.tollgate.relay.api.openai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.contracts.json.Json;
import dev.tollgate.relay.chat.ChatResponse;
import dev.tollgate.relay.chat.Part;
import dev.tollgate.relay.chat.StopReason;
import dev.tollgate.relay.provider.openai.TranslateGolden;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

/** Internal answers (golden/openai-translate/write/response-*.chat.json) → chat.completion bodies. */
class OpenAiResponseWriterTest {

    private static final long CREATED = 1_747_000_000L;

    private static void assertWritesGolden(String name) {
        ChatResponse response = TranslateGolden.chatResponse("write/response-" + name + ".chat.json");
        byte[] body = OpenAiResponseWriter.write(response, "claude-sonnet-4-5", CREATED);
        TranslateGolden.assertJson(body, "write/response-" + name + ".completion.json");
    }

    @Test
    void shouldJoinTextPartsAndOmitUsageWhenUpstreamReportedNone() {
        assertWritesGolden("text");
    }

    @Test
    void shouldWriteToolCallsWithNullContentWhenAnswerIsOnlyToolCalls() {
        assertWritesGolden("tool-calls");
    }

    @Test
    void shouldWriteReasoningContentAndCountCacheInPromptWhenThinkingAndCachedUsage() {
        assertWritesGolden("thinking");
    }

    @Test
    void shouldMakeIdAndStampNowWhenResponseHasNoId() {
        long before = Instant.now().getEpochSecond();
        ChatResponse response = new ChatResponse(null, "m", List.of(Part.Text.of("x")), StopReason.END_TURN, null,
                null);
        JsonNode body = Json.mapper().readTree(OpenAiResponseWriter.write(response, "asked"));
        assertThat(body.path("id").asString()).startsWith("chatcmpl-").hasSizeGreaterThan("chatcmpl-".length() + 8);
        assertThat(body.path("created").longValue()).isBetween(before, Instant.now().getEpochSecond());
        assertThat(body.path("model").asString()).isEqualTo("asked");
    }

    @ParameterizedTest
    @CsvSource({"END_TURN, stop", "STOP_SEQUENCE, stop", "PAUSE_TURN, stop", "MAX_TOKENS, length",
        "TOOL_USE, tool_calls", "CONTENT_FILTERED, content_filter", "REFUSAL, content_filter"})
    void shouldMapEveryStopReasonWhenWritingFinishReason(StopReason reason, String finishReason) {
        assertThat(OpenAiResponseWriter.finishReason(reason)).isEqualTo(finishReason);
    }
}
