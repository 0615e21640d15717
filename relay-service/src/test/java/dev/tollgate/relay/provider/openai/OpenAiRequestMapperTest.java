package dev.tollgate.relay.provider.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.contracts.json.Json;
import dev.tollgate.relay.chat.ChatRequest;
import dev.tollgate.relay.chat.Dialect;
import dev.tollgate.relay.chat.Message;
import dev.tollgate.relay.chat.Part;
import dev.tollgate.relay.chat.Tool;
import dev.tollgate.relay.chat.ToolChoice;
import dev.tollgate.relay.chat.Untranslatable;
import dev.tollgate.relay.provider.UpstreamCall;
import dev.tollgate.relay.snapshot.Channel;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

class OpenAiRequestMapperTest {

    private static Channel channel(Map<String, String> mapping) {
        return new Channel(1, "c", "openai", "http://u/v1", "sk-x", Map.of(), Set.of("gpt-4o-mini"), mapping, Set.of("default"),
                0, 1, true, false, false, 1);
    }

    private static UpstreamCall call(String golden, Map<String, String> mapping, boolean wantsUsage) {
        byte[] raw = Golden.bytes(golden);
        ObjectNode tree = (ObjectNode) Json.mapper().readTree(raw);
        return new UpstreamCall(channel(mapping), Dialect.OPENAI, tree, raw, tree.get("model").asString(), wantsUsage);
    }

    @Test
    void shouldSendClientBytesUnchangedWhenNonStreamingAndUnmapped() {
        UpstreamCall call = call("chat-request.json", Map.of(), false);
        assertThat(OpenAiRequestMapper.createRequest(call, false)).isSameAs(call.rawBody());
    }

    @Test
    void shouldRenameModelWhenChannelMapsIt() {
        UpstreamCall call = call("chat-request.json", Map.of("gpt-4o-mini", "deployment-7"), false);
        JsonNode sent = Json.mapper().readTree(OpenAiRequestMapper.createRequest(call, false));
        assertThat(sent.get("model").asString()).isEqualTo("deployment-7");
        assertThat(sent.get("max_tokens").asInt()).isEqualTo(50);
        assertThat(sent.get("messages").size()).isEqualTo(2);
        assertThat(call.request().get("model").asString()).as("client tree untouched").isEqualTo("gpt-4o-mini");
    }

    @Test
    void shouldForceIncludeUsageAndKeepOtherStreamOptionsWhenStreaming() {
        UpstreamCall call = call("chat-request-stream.json", Map.of(), false);
        JsonNode sent = Json.mapper().readTree(OpenAiRequestMapper.createRequest(call, true));
        assertThat(sent.path("stream_options").path("include_usage").booleanValue()).isTrue();
        assertThat(sent.path("stream_options").path("include_obfuscation").isBoolean()).isTrue();
        assertThat(sent.path("stream").booleanValue()).isTrue();
        assertThat(call.request().path("stream_options").has("include_usage")).isFalse();
    }

    @Test
    void shouldAddStreamOptionsWhenClientSentNone() {
        byte[] raw = "{\"model\":\"gpt-4o-mini\",\"messages\":[],\"stream\":true}".getBytes();
        ObjectNode tree = (ObjectNode) Json.mapper().readTree(raw);
        UpstreamCall call = new UpstreamCall(channel(Map.of()), Dialect.OPENAI, tree, raw, "gpt-4o-mini", false);
        JsonNode sent = Json.mapper().readTree(OpenAiRequestMapper.createRequest(call, true));
        assertThat(sent.path("stream_options").path("include_usage").booleanValue()).isTrue();
    }

    @Test
    void shouldJoinBaseUrlAndPathWhenBaseUrlEndsWithSlash() {
        assertThat(OpenAiAdapter.chatUrl("http://h/v1/")).isEqualTo("http://h/v1/chat/completions");
        assertThat(OpenAiAdapter.chatUrl("http://h/v1")).isEqualTo("http://h/v1/chat/completions");
    }

    @Test
    void shouldServeOpenAiPresetsWhenProviderIsCompatible() {
        OpenAiAdapter adapter = new OpenAiAdapter(null);
        assertThat(adapter.supports("deepseek")).isTrue();
        assertThat(adapter.supports("vllm")).isTrue();
        assertThat(adapter.supports("openai")).isTrue();
        assertThat(adapter.supports("anthropic")).isFalse();
    }

    // --- translation: internal request → OpenAI (golden/openai-translate/map) ---

    /** The parser's golden outputs mapped back: the mirror of each parse case. */
    @ParameterizedTest
    @ValueSource(strings = {"text", "system-developer", "images", "tools", "tool-round-trip", "legacy-functions",
        "response-format"})
    void shouldWriteOpenAiRequestWhenTranslatingParsedRequestBack(String name) {
        ChatRequest chat = TranslateGolden.chatRequest("parse/" + name + ".chat.json");
        byte[] body = OpenAiRequestMapper.createRequest(chat, "up-" + chat.model(), chat.stream());
        TranslateGolden.assertJson(body, "map/" + name + ".openai.json");
    }

    @Test
    void shouldPlaceToolResultsFirstDropReasoningAndConvertBudgetWhenAnthropicStyleRequest() {
        ChatRequest chat = TranslateGolden.chatRequest("map/anthropic-style.chat.json");
        TranslateGolden.assertJson(OpenAiRequestMapper.createRequest(chat, "gpt-4o", true),
                "map/anthropic-style.openai.json");
    }

    private static ChatRequest request(List<Message> messages, List<Tool> tools, ToolChoice choice, Integer topK) {
        return new ChatRequest("m", null, messages, tools, choice, null, null, null, topK, null, false, 1, null, null,
                null, null, null, null);
    }

    private static final List<Message> HI = List.of(new Message(Message.Role.USER, List.of(Part.Text.of("hi"))));

    @Test
    void shouldRefuseWhenTopKGiven() {
        assertThatThrownBy(() -> OpenAiRequestMapper.createRequest(request(HI, null, null, 40), "m", false))
                .isInstanceOfSatisfying(Untranslatable.class, e -> assertThat(e.param()).isEqualTo("top_k"));
    }

    @Test
    void shouldRefuseWhenToolResultCarriesImage() {
        Part.Image image = new Part.Image("image/png", "AAAA", null, null);
        List<Message> messages = List.of(new Message(Message.Role.USER, List.of(Part.Text.of("x"),
                new Part.ToolResult("toolu_1", List.of(Part.Text.of("see"), image), false, null))));
        assertThatThrownBy(() -> OpenAiRequestMapper.createRequest(request(messages, null, null, null), "m", false))
                .isInstanceOfSatisfying(Untranslatable.class,
                        e -> assertThat(e.param()).isEqualTo("messages[0].content[1]"));
    }

    @Test
    void shouldOmitToolChoiceAndParallelWhenNoToolsDeclared() {
        ChatRequest chat = request(HI, null, new ToolChoice(ToolChoice.Mode.NONE, null, true), null);
        JsonNode sent = Json.mapper().readTree(OpenAiRequestMapper.createRequest(chat, "m", false));
        assertThat(sent.has("tool_choice")).isFalse();
        assertThat(sent.has("parallel_tool_calls")).isFalse();
        assertThat(sent.has("stream")).isFalse();
        assertThat(sent.has("n")).isFalse();
    }

    @Test
    void shouldSendNoneAndAutoWhenToolChoiceSaysSo() {
        Tool tool = new Tool("f", null, Json.mapper().readTree("{\"type\":\"object\"}"), null, null);
        for (ToolChoice.Mode mode : new ToolChoice.Mode[] {ToolChoice.Mode.NONE, ToolChoice.Mode.AUTO}) {
            ChatRequest chat = request(HI, List.of(tool), new ToolChoice(mode, null, false), null);
            JsonNode sent = Json.mapper().readTree(OpenAiRequestMapper.createRequest(chat, "m", false));
            assertThat(sent.path("tool_choice").asString()).isEqualTo(mode.name().toLowerCase(java.util.Locale.ROOT));
            assertThat(sent.has("parallel_tool_calls")).isFalse();
        }
    }
}
