package dev.tollgate.relay.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.contracts.json.Json;
import dev.tollgate.relay.api.anthropic.AnthropicRequestParser;
import dev.tollgate.relay.api.anthropic.AnthropicResponseWriter;
import dev.tollgate.relay.api.anthropic.AnthropicStreamWriter;
import dev.tollgate.relay.api.gemini.GeminiRequestParser;
import dev.tollgate.relay.api.gemini.GeminiResponseWriter;
import dev.tollgate.relay.api.openai.OpenAiRequestParser;
import dev.tollgate.relay.api.openai.OpenAiResponseWriter;
import dev.tollgate.relay.api.openai.OpenAiStreamWriter;
import dev.tollgate.relay.api.openai.ResponsesRequestParser;
import dev.tollgate.relay.api.openai.ResponsesResponseWriter;
import dev.tollgate.relay.chat.ChatEvent;
import dev.tollgate.relay.chat.ChatRequest;
import dev.tollgate.relay.chat.ChatResponse;
import dev.tollgate.relay.chat.Part;
import dev.tollgate.relay.chat.StopReason;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A Gemini function call's thought signature through OpenAI and Anthropic clients: written into the tool call's id,
 * read back out of it (on the call and on its result), and ids without one left alone.
 */
class ThoughtSignatureIdsTest {

    private static final String SIGNATURE = "CiQBjz1rX+sim/call/signature+Zm9vYmFy/w==";
    private static final String ENCODED = "call_r1_0__thought__Q2lRQmp6MXJYK3NpbS9jYWxsL3NpZ25hdHVyZStabTl2WW1GeS93PT0";
    private static final Part.ToolUse SIGNED = new Part.ToolUse("call_r1_0", "get_weather", "{\"city\":\"Paris\"}",
            null, SIGNATURE);

    @Test
    void shouldEncodeTheSignatureInTheOpenAiToolCallIdAndDecodeItOnCallAndResultWhenSentBack() {
        JsonNode answer = Json.mapper().readTree(OpenAiResponseWriter.write(response(SIGNED), "m"));
        JsonNode message = answer.path("choices").get(0).path("message");
        assertThat(message.at("/tool_calls/0/id").asString()).isEqualTo(ENCODED);

        ChatRequest next = OpenAiRequestParser.toChat(object("{\"model\":\"m\",\"messages\":["
                + "{\"role\":\"user\",\"content\":\"weather?\"}," + message + ","
                + "{\"role\":\"tool\",\"tool_call_id\":\"" + ENCODED + "\",\"content\":\"18C\"}]}"));

        assertThat(next.messages().get(1).parts()).containsExactly(SIGNED);
        assertThat(((Part.ToolResult) next.messages().get(2).parts().get(0)).toolUseId()).isEqualTo("call_r1_0");
    }

    @Test
    void shouldEncodeTheSignatureInTheAnthropicToolUseIdAndDecodeItOnUseAndResultWhenSentBack() {
        JsonNode answer = Json.mapper().readTree(AnthropicResponseWriter.write(response(SIGNED), "m"));
        JsonNode block = answer.path("content").get(0);
        assertThat(block.path("id").asString()).isEqualTo(ENCODED).matches("^[a-zA-Z0-9_-]+$");

        ChatRequest next = AnthropicRequestParser.toChat(object("{\"model\":\"m\",\"max_tokens\":10,\"messages\":["
                + "{\"role\":\"user\",\"content\":\"weather?\"},{\"role\":\"assistant\",\"content\":[" + block + "]},"
                + "{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"" + ENCODED + "\","
                + "\"content\":\"18C\"}]}]}"));

        assertThat(next.messages().get(1).parts()).containsExactly(SIGNED);
        assertThat(((Part.ToolResult) next.messages().get(2).parts().get(0)).toolUseId()).isEqualTo("call_r1_0");
    }

    @Test
    void shouldEncodeTheSignatureInTheResponsesCallIdAndDecodeItOnCallAndOutputWhenSentBack() {
        JsonNode answer = Json.mapper().readTree(ResponsesResponseWriter.write(response(SIGNED),
                object("{\"model\":\"m\",\"input\":\"weather?\"}"), "m"));
        JsonNode call = answer.path("output").get(0);
        assertThat(call.path("call_id").asString()).isEqualTo(ENCODED);

        ChatRequest next = ResponsesRequestParser.toChat(object("{\"model\":\"m\",\"input\":["
                + "{\"role\":\"user\",\"content\":\"weather?\"},{\"type\":\"function_call\",\"call_id\":\"" + ENCODED
                + "\",\"name\":\"get_weather\",\"arguments\":\"{\\\"city\\\":\\\"Paris\\\"}\"},"
                + "{\"type\":\"function_call_output\",\"call_id\":\"" + ENCODED + "\",\"output\":\"18C\"}]}"));

        assertThat(next.messages().get(1).parts()).containsExactly(SIGNED);
        assertThat(((Part.ToolResult) next.messages().get(2).parts().get(0)).toolUseId()).isEqualTo("call_r1_0");
    }

    @Test
    void shouldKeepTheSignatureInItsOwnFieldWhenTheClientSpeaksGemini() {
        JsonNode answer = Json.mapper().readTree(GeminiResponseWriter.write(response(SIGNED), "m"));
        JsonNode part = answer.at("/candidates/0/content/parts/0");
        assertThat(part.path("thoughtSignature").asString()).isEqualTo(SIGNATURE);
        assertThat(part.at("/functionCall/id").asString()).isEqualTo("call_r1_0");

        ChatRequest next = GeminiRequestParser.toChat(object("{\"contents\":[{\"role\":\"user\",\"parts\":"
                + "[{\"text\":\"weather?\"}]},{\"role\":\"model\",\"parts\":[" + part + "]}]}"), "m", false);

        assertThat(next.messages().get(1).parts()).containsExactly(SIGNED);
    }

    @Test
    void shouldEncodeTheSignatureInTheStreamedToolCallIdWhenTheBlockStartsSigned() {
        List<ChatEvent> events = List.of(new ChatEvent.Started("r1", "m"),
                new ChatEvent.BlockStarted(0, new Part.ToolUse("call_r1_0", "get_weather", "", null, SIGNATURE)),
                new ChatEvent.ToolInputDelta(0, "{}"),
                new ChatEvent.BlockStopped(0),
                new ChatEvent.Finished(StopReason.TOOL_USE, null),
                new ChatEvent.Ended());

        String openAi = render(new OpenAiStreamWriter("m", false), events);
        String anthropic = render(new AnthropicStreamWriter("m", 1), events);

        assertThat(openAi).contains("\"id\":\"" + ENCODED + "\"");
        assertThat(anthropic).contains("\"id\":\"" + ENCODED + "\"");
    }

    @Test
    void shouldKeepIdsAsTheyAreWhenTheCallIsUnsignedOrTheClientMadeTheId() {
        Part.ToolUse unsigned = new Part.ToolUse("toolu_01", "get_weather", "{}", null);
        assertThat(Json.mapper().readTree(OpenAiResponseWriter.write(response(unsigned), "m"))
                .at("/choices/0/message/tool_calls/0/id").asString()).isEqualTo("toolu_01");
        assertThat(Json.mapper().readTree(AnthropicResponseWriter.write(response(unsigned), "m"))
                .at("/content/0/id").asString()).isEqualTo("toolu_01");

        ChatRequest odd = OpenAiRequestParser.toChat(object("{\"model\":\"m\",\"messages\":["
                + "{\"role\":\"user\",\"content\":\"weather?\"},"
                + "{\"role\":\"assistant\",\"tool_calls\":[{\"id\":\"x__thought__%%%\",\"type\":\"function\","
                + "\"function\":{\"name\":\"f\",\"arguments\":\"{}\"}}]},"
                + "{\"role\":\"tool\",\"tool_call_id\":\"x__thought__%%%\",\"content\":\"ok\"}]}"));

        assertThat(odd.messages().get(1).parts()).containsExactly(
                new Part.ToolUse("x__thought__%%%", "f", "{}", null));
        assertThat(((Part.ToolResult) odd.messages().get(2).parts().get(0)).toolUseId()).isEqualTo("x__thought__%%%");
    }

    private static ChatResponse response(Part.ToolUse use) {
        return new ChatResponse("r1", "m", List.of(use), StopReason.TOOL_USE, null, null);
    }

    private static ObjectNode object(String json) {
        return (ObjectNode) Json.mapper().readTree(json);
    }

    private static String render(ChatStreamWriter writer, List<ChatEvent> events) {
        List<String> frames = new ArrayList<>();
        for (ChatEvent event : events) {
            writer.frames(event).forEach(frame -> frames.add(new String(frame, StandardCharsets.UTF_8)));
        }
        return String.join("", frames);
    }
}
