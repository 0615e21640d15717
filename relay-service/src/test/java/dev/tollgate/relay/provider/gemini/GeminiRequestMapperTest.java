package dev.tollgate.relay.provider.gemini;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.contracts.json.Json;
import dev.tollgate.relay.chat.ChatRequest;
import dev.tollgate.relay.chat.Message;
import dev.tollgate.relay.chat.Part;
import dev.tollgate.relay.chat.Reasoning;
import dev.tollgate.relay.chat.ResponseFormat;
import dev.tollgate.relay.chat.Tool;
import dev.tollgate.relay.chat.ToolChoice;
import dev.tollgate.relay.chat.Untranslatable;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class GeminiRequestMapperTest {

    private static final JsonNode SCHEMA = Json.mapper().readTree(
            "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}");

    @Test
    void shouldWriteTheRecordedBodyWhenAToolRoundTripIsTranslated() {
        byte[] body = GeminiRequestMapper.createRequest(roundTrip(), "gemini-2.5-flash");

        assertThat(Json.mapper().readTree(body)).isEqualTo(Golden.json("request-round-trip.json"));
    }

    @Test
    void shouldSignFunctionCallsWithGooglesStandInWhenTheModelIsGemini3() {
        JsonNode body = Json.mapper().readTree(GeminiRequestMapper.createRequest(roundTrip(), "gemini-3-pro-preview"));

        JsonNode call = body.path("contents").get(1).path("parts").get(0);
        assertThat(call.path("thoughtSignature").asString()).isEqualTo(GeminiRequestMapper.SKIP_SIGNATURE);
    }

    @Test
    void shouldSendGeminisOwnSignatureBackInsteadOfTheStandInWhenTheToolUseCarriesOne() {
        List<Message> messages = List.of(
                new Message(Message.Role.USER, List.of(Part.Text.of("Weather?"))),
                new Message(Message.Role.ASSISTANT, List.of(
                        new Part.ToolUse("call_1", "get_weather", "{}", null, "CiQB0e2K+sig/=="),
                        new Part.ToolUse("call_2", "get_time", "{}", null))),
                new Message(Message.Role.USER, List.of(
                        new Part.ToolResult("call_1", List.of(Part.Text.of("sunny")), false, null),
                        new Part.ToolResult("call_2", List.of(Part.Text.of("noon")), false, null))));
        ChatRequest chat = chat(messages, null, null, null);

        JsonNode gemini3 = Json.mapper().readTree(GeminiRequestMapper.createRequest(chat, "gemini-3-pro-preview"));
        JsonNode gemini25 = Json.mapper().readTree(GeminiRequestMapper.createRequest(chat, "gemini-2.5-pro"));

        JsonNode calls = gemini3.path("contents").get(1).path("parts");
        assertThat(calls.get(0).path("thoughtSignature").asString()).isEqualTo("CiQB0e2K+sig/==");
        // Gemini signs only the first of parallel calls; the others still need the stand-in on Gemini 3.
        assertThat(calls.get(1).path("thoughtSignature").asString()).isEqualTo(GeminiRequestMapper.SKIP_SIGNATURE);
        assertThat(gemini25.at("/contents/1/parts/0/thoughtSignature").asString()).isEqualTo("CiQB0e2K+sig/==");
        assertThat(gemini25.at("/contents/1/parts/1").has("thoughtSignature")).isFalse();
        assertThat(gemini3.at("/contents/2/parts/0/functionResponse/name").asString()).isEqualTo("get_weather");
    }

    @Test
    void shouldAskForJsonWithTheSchemaWhenResponseFormatIsJsonSchema() {
        ChatRequest chat = chat(List.of(user("hi")), null,
                new ResponseFormat(ResponseFormat.Kind.JSON_SCHEMA, "r", SCHEMA, true), null);

        JsonNode config = Json.mapper().readTree(GeminiRequestMapper.createRequest(chat, "m")).path("generationConfig");

        assertThat(config.path("responseMimeType").asString()).isEqualTo("application/json");
        assertThat(config.path("responseJsonSchema")).isEqualTo(SCHEMA);
    }

    @Test
    void shouldTurnThinkingOffWhenEffortIsNone() {
        ChatRequest chat = chat(List.of(user("hi")), null, null, new Reasoning("none", null));

        JsonNode thinking = Json.mapper().readTree(GeminiRequestMapper.createRequest(chat, "m"))
                .path("generationConfig").path("thinkingConfig");

        assertThat(thinking.path("thinkingBudget").asLong()).isZero();
        assertThat(thinking.has("includeThoughts")).isFalse();
    }

    @Test
    void shouldMergeConsecutiveTurnsAndSendNothingElseWhenTheRequestIsPlain() {
        ChatRequest chat = chat(List.of(user("a"), user("b")), null, null, null);

        JsonNode body = Json.mapper().readTree(GeminiRequestMapper.createRequest(chat, "m"));

        assertThat(body).isEqualTo(Json.mapper().readTree(
                "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"a\"},{\"text\":\"b\"}]}]}"));
    }

    @Test
    void shouldRefuseWhenAnImageIsOnlyAUrl() {
        ChatRequest chat = chat(List.of(new Message(Message.Role.USER,
                List.of(new Part.Image(null, null, "https://example.com/a.png", null)))), null, null, null);

        assertThatThrownBy(() -> GeminiRequestMapper.createRequest(chat, "m"))
                .isInstanceOfSatisfying(Untranslatable.class, e -> {
                    assertThat(e.param()).isEqualTo("messages[0].content[0]");
                    assertThat(e.getMessage()).contains("base64");
                });
    }

    @Test
    void shouldRefuseWhenMoreThanOneChoiceIsAsked() {
        ChatRequest chat = new ChatRequest("m", null, List.of(user("hi")), null, null, null, null, null, null, null,
                false, 2, null, null, null, null, null, null);

        assertThatThrownBy(() -> GeminiRequestMapper.createRequest(chat, "m"))
                .isInstanceOfSatisfying(Untranslatable.class, e -> assertThat(e.param()).isEqualTo("n"));
    }

    @Test
    void shouldRefuseWhenAToolResultAnswersNoCallOfTheConversation() {
        ChatRequest chat = chat(List.of(new Message(Message.Role.USER, List.of(
                new Part.ToolResult("call_unknown", List.of(Part.Text.of("x")), false, null)))), null, null, null);

        assertThatThrownBy(() -> GeminiRequestMapper.createRequest(chat, "m"))
                .isInstanceOf(Untranslatable.class)
                .hasMessageContaining("call_unknown");
    }

    private static ChatRequest roundTrip() {
        List<Message> messages = List.of(
                new Message(Message.Role.USER, List.of(Part.Text.of("Weather in Paris?"),
                        new Part.Image("image/png", "AAAA", null, null))),
                new Message(Message.Role.ASSISTANT, List.of(new Part.Thinking("hmm", "sig-from-anthropic"),
                        Part.Text.of(""), new Part.ToolUse("toolu_1", "get_weather", "{\"city\":\"Paris\"}", null))),
                new Message(Message.Role.USER, List.of(
                        new Part.ToolResult("toolu_1", List.of(Part.Text.of("sunny")), false, null),
                        Part.Text.of("And tomorrow?"))));
        return new ChatRequest("weather", List.of(Part.Text.of("Be brief.")), messages,
                List.of(new Tool("get_weather", "Weather by city", SCHEMA, true, null)),
                new ToolChoice(ToolChoice.Mode.TOOL, "get_weather", true), 256L, 0.5, 0.9, 40, List.of("END"), false, 1,
                7L, null, new Reasoning("high", null), null, null, "user-1");
    }

    private static ChatRequest chat(List<Message> messages, List<Tool> tools, ResponseFormat format,
            Reasoning reasoning) {
        return new ChatRequest("m", null, messages, tools, null, null, null, null, null, null, false, 1, null, format,
                reasoning, null, null, null);
    }

    private static Message user(String text) {
        return new Message(Message.Role.USER, List.of(Part.Text.of(text)));
    }
}
