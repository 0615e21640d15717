package dev.tollgate.relay.provider.anthropic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.contracts.json.Json;
import dev.tollgate.relay.chat.ChatRequest;
import dev.tollgate.relay.chat.Dialect;
import dev.tollgate.relay.chat.Message;
import dev.tollgate.relay.chat.Part;
import dev.tollgate.relay.chat.Reasoning;
import dev.tollgate.relay.chat.ResponseFormat;
import dev.tollgate.relay.chat.Tool;
import dev.tollgate.relay.chat.ToolChoice;
import dev.tollgate.relay.chat.Untranslatable;
import dev.tollgate.relay.provider.UpstreamCall;
import dev.tollgate.relay.snapshot.Channel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

class AnthropicRequestMapperTest {

    private static final String MODEL = "claude-sonnet-4-5-20250929";
    private static final long DEFAULT_MAX = 4096;

    // ---- translated: golden files ----

    @Test
    void shouldWriteSystemBlocksMergedTurnsAndCacheControlWhenTranslatingTextRequest() {
        ChatRequest chat = new ChatRequest("gpt-4o",
                List.of(new Part.Text("You are terse.", cc("{\"type\":\"ephemeral\"}")), Part.Text.of("Answer in English.")),
                List.of(user(Part.Text.of("Hi")), user(Part.Text.of("Are you there?")),
                        assistant(Part.Text.of("Yes.")),
                        user(new Part.Text("Summarise the document.", cc("{\"type\":\"ephemeral\",\"ttl\":\"1h\"}")))),
                null, null, 256L, 0.5, 0.9, 40, List.of("END"), true, 1, null, null, null, null, null, "user-42");

        assertMatchesGolden(AnthropicRequestMapper.createRequest(chat, MODEL, true, DEFAULT_MAX),
                "request-text-system-cache.json");
    }

    @Test
    void shouldWriteBase64AndUrlSourcesWithDefaultMaxTokensWhenTranslatingImages() {
        ChatRequest chat = request(List.of(user(
                Part.Text.of("What is in these images?"),
                new Part.Image("image/png",
                        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==",
                        null, null),
                new Part.Image(null, null,
                        "https://upload.wikimedia.org/wikipedia/commons/a/a7/Camponotus_flavomarginatus_ant.jpg",
                        cc("{\"type\":\"ephemeral\"}")))),
                List.of(), null, null, null);

        assertMatchesGolden(AnthropicRequestMapper.createRequest(chat, MODEL, false, DEFAULT_MAX), "request-images.json");
    }

    @Test
    void shouldWriteToolsChoiceCallsAndResultsWhenTranslatingToolRoundTrip() {
        Tool weather = new Tool("get_weather", "Get the current weather in a given location", Json.mapper().readTree("""
                {"type":"object","properties":{"location":{"type":"string","description":"The city"},
                 "unit":{"type":"string","enum":["celsius","fahrenheit"]}},"required":["location"]}"""), true, null);
        Tool time = new Tool("get_time", "The current time", null, null, cc("{\"type\":\"ephemeral\"}"));
        ChatRequest chat = request(List.of(
                        user(Part.Text.of("What is the weather in Paris, and the time?")),
                        assistant(Part.Text.of(""),
                                new Part.ToolUse("toolu_01", "get_weather", "{\"location\":\"Paris\",\"unit\":\"celsius\"}", null),
                                new Part.ToolUse("toolu_02", "get_time", "", null)),
                        user(new Part.ToolResult("toolu_01", List.of(Part.Text.of("18C and sunny")), false, null)),
                        user(new Part.ToolResult("toolu_02", List.of(Part.Text.of("clock unavailable"),
                                new Part.Image("image/jpeg", "/9j/4AAQ", null, null)), true, cc("{\"type\":\"ephemeral\"}")))),
                List.of(weather, time), new ToolChoice(ToolChoice.Mode.TOOL, "get_weather", true), 1024L, null);

        assertMatchesGolden(AnthropicRequestMapper.createRequest(chat, MODEL, false, DEFAULT_MAX), "request-tools.json");
    }

    @Test
    void shouldEnableThinkingAndRaiseMaxTokensAboveBudgetWhenReasoningAsked() {
        Tool calculator = new Tool("calculator", null,
                Json.mapper().readTree("{\"type\":\"object\",\"properties\":{\"expr\":{\"type\":\"string\"}}}"), null, null);
        ChatRequest chat = request(List.of(
                        user(Part.Text.of("Are there infinitely many primes?")),
                        assistant(new Part.Thinking("Euclid's argument applies.", "EqQBCgIYAhIM1gbcDa9G"),
                                new Part.RedactedThinking("EmwKAhgBEgy3va3pzix"),
                                new Part.Thinking("unsigned reasoning from an OpenAI-compatible server", null),
                                Part.Text.of("Yes.")),
                        user(Part.Text.of("Prove it."))),
                List.of(calculator), ToolChoice.auto(), 1000L, new Reasoning("high", null));

        assertMatchesGolden(AnthropicRequestMapper.createRequest(chat, MODEL, false, DEFAULT_MAX), "request-thinking.json");
    }

    @Test
    void shouldKeepAskedMaxTokensWhenItAlreadyExceedsThinkingBudget() {
        ChatRequest chat = request(List.of(user(Part.Text.of("Hi"))), List.of(), null, 20_000L,
                new Reasoning(null, 2_048L));

        JsonNode body = Json.mapper().readTree(AnthropicRequestMapper.createRequest(chat, MODEL, false, DEFAULT_MAX));

        assertThat(body.path("max_tokens").asLong()).isEqualTo(20_000);
        assertThat(body.path("thinking").path("budget_tokens").asLong()).isEqualTo(2_048);
    }

    @Test
    void shouldAnswerWithoutThinkingWhenToolLoopContinuesWithoutTheSignedThinkingAndWithItWhenKept() {
        Part.ToolUse call = new Part.ToolUse("toolu_01", "calc", "{}", null);
        Part.ToolResult result = new Part.ToolResult("toolu_01", List.of(Part.Text.of("4")), false, null);
        ChatRequest dropped = request(List.of(user(Part.Text.of("2+2?")), assistant(call), user(result)), List.of(),
                null, 1000L, new Reasoning("high", null));
        ChatRequest kept = request(List.of(user(Part.Text.of("2+2?")),
                        assistant(new Part.Thinking("Use the tool.", "sig-1"), call), user(result)), List.of(), null,
                1000L, new Reasoning("high", null));

        JsonNode without = Json.mapper().readTree(AnthropicRequestMapper.createRequest(dropped, MODEL, false, DEFAULT_MAX));
        JsonNode with = Json.mapper().readTree(AnthropicRequestMapper.createRequest(kept, MODEL, false, DEFAULT_MAX));

        assertThat(without.has("thinking")).as("Anthropic would refuse thinking here").isFalse();
        assertThat(without.path("max_tokens").asLong()).isEqualTo(1000);
        assertThat(with.path("thinking").path("type").asString()).isEqualTo("enabled");
        assertThat(with.at("/messages/1/content/0/signature").asString()).isEqualTo("sig-1");
    }

    @Test
    void shouldSendNoThinkingWhenEffortIsNone() {
        ChatRequest chat = request(List.of(user(Part.Text.of("Hi"))), List.of(), null, null, new Reasoning("none", null));

        JsonNode body = Json.mapper().readTree(AnthropicRequestMapper.createRequest(chat, MODEL, false, DEFAULT_MAX));

        assertThat(body.has("thinking")).isFalse();
        assertThat(body.path("max_tokens").asLong()).isEqualTo(DEFAULT_MAX);
    }

    @Test
    void shouldOmitToolChoiceWhenNoToolsAndChoiceIsNone() {
        ChatRequest chat = request(List.of(user(Part.Text.of("Hi"))), List.of(),
                new ToolChoice(ToolChoice.Mode.NONE, null, false), null, null);

        JsonNode body = Json.mapper().readTree(AnthropicRequestMapper.createRequest(chat, MODEL, false, DEFAULT_MAX));

        assertThat(body.has("tool_choice")).isFalse();
        assertThat(body.has("tools")).isFalse();
    }

    @Test
    void shouldWriteNoneAndAnyChoicesWhenToolsDeclared() {
        Tool tool = new Tool("f", null, Json.mapper().readTree("{\"type\":\"object\"}"), null, null);
        JsonNode none = Json.mapper().readTree(AnthropicRequestMapper.createRequest(request(List.of(user(Part.Text.of("x"))),
                List.of(tool), new ToolChoice(ToolChoice.Mode.NONE, null, true), null, null), MODEL, false, DEFAULT_MAX));
        JsonNode any = Json.mapper().readTree(AnthropicRequestMapper.createRequest(request(List.of(user(Part.Text.of("x"))),
                List.of(tool), new ToolChoice(ToolChoice.Mode.ANY, null, false), null, null), MODEL, false, DEFAULT_MAX));

        assertThat(none.path("tool_choice")).isEqualTo(Json.mapper().readTree("{\"type\":\"none\"}"));
        assertThat(any.path("tool_choice")).isEqualTo(Json.mapper().readTree("{\"type\":\"any\"}"));
    }

    // ---- translated: refusals ----

    @Test
    void shouldRefuseNWhenMoreThanOneChoiceAsked() {
        ChatRequest chat = withOptions(2, null, null, null, null, null);
        assertRefused(chat, "n");
    }

    @Test
    void shouldRefuseResponseFormatWhenJsonSchemaAsked() {
        ResponseFormat schema = new ResponseFormat(ResponseFormat.Kind.JSON_SCHEMA, "answer",
                Json.mapper().readTree("{\"type\":\"object\"}"), true);
        assertRefused(withOptions(1, null, schema, null, null, null), "response_format");
        assertRefused(withOptions(1, null, new ResponseFormat(ResponseFormat.Kind.JSON_OBJECT, null, null, null), null,
                null, null), "response_format");
    }

    @Test
    void shouldAcceptTextResponseFormatAndZeroPenaltiesWhenNeutral() {
        ChatRequest chat = withOptions(1, null, new ResponseFormat(ResponseFormat.Kind.TEXT, null, null, null), 0.0, 0.0,
                null);
        assertThat(AnthropicRequestMapper.createRequest(chat, MODEL, false, DEFAULT_MAX)).isNotEmpty();
    }

    @Test
    void shouldRefuseSeedAndPenaltiesAndHighTemperatureWhenGiven() {
        assertRefused(withOptions(1, 7L, null, null, null, null), "seed");
        assertRefused(withOptions(1, null, null, 0.5, null, null), "frequency_penalty");
        assertRefused(withOptions(1, null, null, null, -0.5, null), "presence_penalty");
        assertRefused(withOptions(1, null, null, null, null, 1.5), "temperature");
    }

    @Test
    void shouldRefuseToolCallWhenArgumentsAreNotAnObject() {
        ChatRequest chat = request(List.of(user(Part.Text.of("x")),
                assistant(new Part.ToolUse("toolu_1", "f", "[1,2]", null))), List.of(), null, null, null);
        assertRefused(chat, "messages[1].content[0]");
        ChatRequest broken = request(List.of(user(Part.Text.of("x")),
                assistant(new Part.ToolUse("toolu_1", "f", "{\"a\":", null))), List.of(), null, null, null);
        assertRefused(broken, "messages[1].content[0]");
    }

    // ---- pass-through ----

    @Test
    void shouldReuseClientBytesWhenModelAndStreamFlagUnchanged() {
        byte[] raw = "{\"model\":\"claude-x\",\"max_tokens\":5,\"messages\":[]}".getBytes(StandardCharsets.UTF_8);

        assertThat(AnthropicRequestMapper.createRequest(passThrough(raw, Map.of()), false)).isSameAs(raw);
    }

    @Test
    void shouldRewriteOnlyModelWhenChannelMapsIt() {
        String client = """
                {"model":"claude-x","max_tokens":5,"system":[{"type":"text","text":"s","cache_control":{"type":"ephemeral"}}],
                 "thinking":{"type":"enabled","budget_tokens":1024},"metadata":{"user_id":"u"},
                 "context_management":{"edits":[{"type":"clear_tool_uses_20250919"}]},
                 "messages":[{"role":"user","content":"hi"}]}""";
        byte[] raw = client.getBytes(StandardCharsets.UTF_8);

        byte[] sent = AnthropicRequestMapper.createRequest(passThrough(raw, Map.of("claude-x", "claude-y")), false);

        ObjectNode expected = (ObjectNode) Json.mapper().readTree(raw);
        expected.put("model", "claude-y");
        assertThat(Json.mapper().readTree(sent)).isEqualTo(expected);
    }

    @Test
    void shouldSetStreamFlagWhenStreamingAndClientBodyLacksIt() {
        byte[] raw = "{\"model\":\"claude-x\",\"max_tokens\":5,\"messages\":[]}".getBytes(StandardCharsets.UTF_8);

        JsonNode sent = Json.mapper().readTree(AnthropicRequestMapper.createRequest(passThrough(raw, Map.of()), true));

        assertThat(sent.path("stream").asBoolean()).isTrue();
        assertThat(sent.path("model").asString()).isEqualTo("claude-x");
    }

    // ---- helpers ----

    private static UpstreamCall passThrough(byte[] raw, Map<String, String> mapping) {
        Channel channel = new Channel(1, "a", "anthropic", "https://api.anthropic.com", "k", Map.of(),
                Set.of("claude-x"), mapping, Set.of("default"), 0, 1, true, false, false, 1);
        return new UpstreamCall(channel, Dialect.ANTHROPIC, (ObjectNode) Json.mapper().readTree(raw), raw, "claude-x",
                false);
    }

    private static void assertMatchesGolden(byte[] actual, String golden) {
        assertThat(Json.mapper().readTree(actual)).isEqualTo(Golden.json(golden));
    }

    private static void assertRefused(ChatRequest chat, String param) {
        assertThatThrownBy(() -> AnthropicRequestMapper.createRequest(chat, MODEL, false, DEFAULT_MAX))
                .isInstanceOfSatisfying(Untranslatable.class, e -> assertThat(e.param()).isEqualTo(param));
    }

    private static ChatRequest withOptions(int choices, Long seed, ResponseFormat format, Double frequency,
            Double presence, Double temperature) {
        return new ChatRequest("gpt-4o", List.of(), List.of(user(Part.Text.of("x"))), null, null, null, temperature,
                null, null, null, false, choices, seed, format, null, frequency, presence, null);
    }

    private static ChatRequest request(List<Message> messages, List<Tool> tools, ToolChoice choice, Long maxTokens,
            Reasoning reasoning) {
        return new ChatRequest("gpt-4o", List.of(), messages, tools, choice, maxTokens, null, null, null, null, false, 1,
                null, null, reasoning, null, null, null);
    }

    private static Message user(Part... parts) {
        return new Message(Message.Role.USER, List.of(parts));
    }

    private static Message assistant(Part... parts) {
        return new Message(Message.Role.ASSISTANT, List.of(parts));
    }

    private static JsonNode cc(String json) {
        return Json.mapper().readTree(json);
    }
}
