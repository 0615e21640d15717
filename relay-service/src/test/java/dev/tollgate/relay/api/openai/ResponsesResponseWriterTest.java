package dev.tollgate.relay.api.openai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.contracts.json.Json;
import dev.tollgate.contracts.money.TokenUsage;
import dev.tollgate.relay.chat.ChatResponse;
import dev.tollgate.relay.chat.Part;
import dev.tollgate.relay.chat.StopReason;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Translated answers → the Responses object (golden/openai-responses/write/*.json). */
class ResponsesResponseWriterTest {

    static final String HEX = "0123456789abcdef0123456789abcdef";
    static final long CREATED = 1_767_225_600L;

    private static JsonNode request(String json) {
        return Json.mapper().readTree(json);
    }

    @Test
    void shouldWriteAMessageItemAndResponsesUsageWhenTheAnswerIsText() {
        ChatResponse response = new ChatResponse("chatcmpl-1", "gpt-4o-mini-2024-07-18",
                List.of(Part.Text.of("Hello there.")), StopReason.END_TURN, null,
                new TokenUsage(30, 12, 0, 7, 0, 0, 0, 0));

        byte[] body = ResponsesResponseWriter.write(response, request("{\"model\":\"gpt-4o-mini\",\"input\":\"hi\"}"),
                "gpt-4o-mini", HEX, CREATED);

        ResponsesGolden.assertJson(body, "write/response-text.json");
    }

    @Test
    void shouldWriteReasoningAndFunctionCallItemsAndEchoTheSettingsWhenAToolIsCalled() {
        ChatResponse response = new ChatResponse("msg_01", "claude-sonnet-4-5", List.of(
                new Part.Thinking("The user wants weather.", "sig"),
                new Part.RedactedThinking("EmwK"),
                Part.Text.of("Let me check."),
                new Part.ToolUse("toolu_01", "get_weather", "{\"city\":\"Paris\"}", null)),
                StopReason.TOOL_USE, null, new TokenUsage(40, 0, 5, 20, 8, 0, 0, 0));
        JsonNode request = request("{\"model\":\"claude\",\"input\":\"weather?\",\"instructions\":\"Be brief.\","
                + "\"tools\":[{\"type\":\"function\",\"name\":\"get_weather\",\"parameters\":{\"type\":\"object\"}}],"
                + "\"tool_choice\":\"required\",\"temperature\":0.5,\"max_output_tokens\":100,"
                + "\"reasoning\":{\"effort\":\"low\"},\"user\":\"u-1\",\"metadata\":{\"k\":\"v\"}}");

        byte[] body = ResponsesResponseWriter.write(response, request, "claude", HEX, CREATED);

        ResponsesGolden.assertJson(body, "write/response-tool-call.json");
    }

    @Test
    void shouldSayIncompleteWithTheReasonWhenTheTokenLimitCutTheAnswer() {
        ChatResponse response = new ChatResponse("x", "m", List.of(Part.Text.of("Once upon")),
                StopReason.MAX_TOKENS, null, null);

        JsonNode body = Json.mapper().readTree(ResponsesResponseWriter.write(response,
                request("{\"model\":\"m\",\"input\":\"story\",\"max_output_tokens\":2}"), "m", HEX, CREATED));

        assertThat(body.path("status").asString()).isEqualTo("incomplete");
        assertThat(body.path("incomplete_details").path("reason").asString()).isEqualTo("max_output_tokens");
        assertThat(body.path("max_output_tokens").asLong()).isEqualTo(2);
        assertThat(body.path("usage").isNull()).as("no report: the relay counts, the client sees null").isTrue();
    }
}
