package dev.tollgate.relay.provider.bedrock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.contracts.json.Json;
import dev.tollgate.relay.chat.ChatRequest;
import dev.tollgate.relay.chat.Part;
import dev.tollgate.relay.chat.Reasoning;
import dev.tollgate.relay.chat.ResponseFormat;
import dev.tollgate.relay.chat.Tool;
import dev.tollgate.relay.chat.ToolChoice;
import dev.tollgate.relay.chat.Untranslatable;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Internal requests → the Converse JSON they become (golden files under golden/bedrock/request-*.json). */
class BedrockRequestMapperTest {

    private static final String CLAUDE = "us.anthropic.claude-sonnet-4-20250514-v1:0";
    private static final String LLAMA = "us.meta.llama3-3-70b-instruct-v1:0";
    private static final String PNG_BASE64 = "iVBORw0KGgo=";
    private static final JsonNode WEATHER_SCHEMA = TestChat.json("""
            {"type":"object","properties":{"city":{"type":"string"},"days":{"type":"integer"}},"required":["city"]}""");

    @Test
    void shouldMapSystemTextAndCacheMarkersWhenClaudeIsAsked() {
        TestChat chat = new TestChat();
        chat.system.add(new Part.Text("You are terse.", TestChat.json("{\"type\":\"ephemeral\"}")));
        chat.system.add(Part.Text.of("Answer in English."));
        chat.user(new Part.Text("Hello", TestChat.json("{\"type\":\"ephemeral\",\"ttl\":\"1h\"}")));
        chat.assistant(Part.Text.of("Hi."));
        chat.user(Part.Text.of("Tell me more."));
        chat.user(Part.Text.of("Briefly."));
        chat.maxTokens = 256L;
        chat.temperature = 0.5;
        chat.topP = 0.9;
        chat.stop.add("END");
        chat.user = "user-42";

        assertGolden("request-text-system-cache.json", chat.build(), CLAUDE);
    }

    @Test
    void shouldSendImageBytesWhenImageIsInline() {
        TestChat chat = TestChat.asking("What is this?");
        chat.user(new Part.Image("image/png", PNG_BASE64, null, null));

        assertGolden("request-image.json", chat.build(), "amazon.nova-pro-v1:0");
    }

    @Test
    void shouldSendImageBytesWhenImageIsDataUrl() {
        TestChat chat = TestChat.asking("What is this?");
        chat.user(new Part.Image(null, null, "data:image/png;base64," + PNG_BASE64, null));

        assertGolden("request-image.json", chat.build(), "amazon.nova-pro-v1:0");
    }

    @Test
    void shouldRefuseWhenImageIsOnlyUrl() {
        TestChat chat = TestChat.asking("What is this?");
        chat.user(new Part.Image(null, null, "https://example.com/cat.png", null));

        assertThatThrownBy(() -> BedrockRequestMapper.createConverseRequest(chat.build(), CLAUDE))
                .isInstanceOfSatisfying(Untranslatable.class, e -> {
                    assertThat(e.param()).isEqualTo("messages[1].content[0]");
                    assertThat(e.getMessage()).isEqualTo("Bedrock needs image bytes: send the image base64-encoded");
                });
    }

    @Test
    void shouldRefuseWhenImageTypeIsNotOneBedrockTakes() {
        TestChat chat = TestChat.asking("What is this?");
        chat.user(new Part.Image("image/tiff", PNG_BASE64, null, null));

        assertThatThrownBy(() -> BedrockRequestMapper.createConverseRequest(chat.build(), CLAUDE))
                .isInstanceOf(Untranslatable.class)
                .hasMessageContaining("image/tiff");
    }

    @Test
    void shouldMapToolsCallsAndResultsWhenConversationUsesTools() {
        TestChat chat = TestChat.asking("Weather in Paris and Rome?");
        chat.tools.add(new Tool("get_weather", "Current weather for a city", WEATHER_SCHEMA, null,
                TestChat.json("{\"type\":\"ephemeral\"}")));
        chat.toolChoice = new ToolChoice(ToolChoice.Mode.TOOL, "get_weather", false);
        chat.assistant(Part.Text.of(""),
                new Part.ToolUse("tooluse_1", "get_weather", "{\"city\":\"Paris\",\"days\":1.10}", null),
                new Part.ToolUse("tooluse_2", "get_weather", "{\"city\":\"Rome\"}", null));
        chat.user(new Part.ToolResult("tooluse_1", List.of(Part.Text.of("18C, sunny")), false, null),
                new Part.ToolResult("tooluse_2", List.of(Part.Text.of("no such city")), true, null));

        assertGolden("request-tools.json", chat.build(), CLAUDE);
    }

    @Test
    void shouldKeepToolsWithoutChoiceWhenChoiceIsNoneButHistoryHasToolBlocks() {
        TestChat chat = TestChat.asking("Weather in Paris?");
        chat.tools.add(new Tool("get_weather", null, WEATHER_SCHEMA, null, null));
        chat.toolChoice = new ToolChoice(ToolChoice.Mode.NONE, null, false);
        chat.assistant(new Part.ToolUse("tooluse_1", "get_weather", "{\"city\":\"Paris\"}", null));
        chat.user(new Part.ToolResult("tooluse_1", List.of(Part.Text.of("18C")), false, null));

        JsonNode request = converse(chat.build(), CLAUDE);

        assertThat(request.at("/toolConfig/tools/0/toolSpec/name").asString()).isEqualTo("get_weather");
        assertThat(request.at("/toolConfig/toolChoice").isMissingNode()).isTrue();
    }

    @Test
    void shouldOfferNoToolsWhenChoiceIsNoneAndHistoryHasNoToolBlocks() {
        TestChat chat = TestChat.asking("Weather in Paris?");
        chat.tools.add(new Tool("get_weather", null, WEATHER_SCHEMA, null, null));
        chat.toolChoice = new ToolChoice(ToolChoice.Mode.NONE, null, false);

        assertThat(converse(chat.build(), CLAUDE).has("toolConfig")).isFalse();
    }

    @Test
    void shouldDeclareHistoryToolsWhenRequestDeclaresNone() {
        TestChat chat = TestChat.asking("Weather in Paris?");
        chat.assistant(new Part.ToolUse("tooluse_1", "get_weather", "{\"city\":\"Paris\"}", null));
        chat.user(new Part.ToolResult("tooluse_1", List.of(Part.Text.of("18C")), false, null));

        JsonNode request = converse(chat.build(), CLAUDE);

        assertThat(request.at("/toolConfig/tools/0/toolSpec/name").asString()).isEqualTo("get_weather");
        assertThat(request.at("/toolConfig/tools/0/toolSpec/inputSchema/json/type").asString()).isEqualTo("object");
    }

    @Test
    void shouldAskForAnyToolWhenChoiceIsAny() {
        TestChat chat = TestChat.asking("Weather in Paris?");
        chat.tools.add(new Tool("get_weather", null, WEATHER_SCHEMA, null, null));
        chat.toolChoice = new ToolChoice(ToolChoice.Mode.ANY, null, false);

        assertThat(converse(chat.build(), CLAUDE).at("/toolConfig/toolChoice"))
                .isEqualTo(TestChat.json("{\"any\":{}}"));
    }

    @Test
    void shouldSendThinkingBudgetTopKAndSignedReasoningWhenClaudeIsAsked() {
        TestChat chat = TestChat.asking("Prove it.");
        chat.assistant(new Part.Thinking("Let me think.", "sig-1"), new Part.RedactedThinking("cmVkYWN0ZWQ="),
                new Part.Thinking("unsigned, from elsewhere", null), Part.Text.of("Done."));
        chat.user(Part.Text.of("Again."));
        chat.reasoning = new Reasoning("high", null);
        chat.topK = 40;
        chat.maxTokens = 32_000L;

        assertGolden("request-thinking.json", chat.build(), CLAUDE);
    }

    @Test
    void shouldLeaveThinkingOutWhenToolLoopContinuesWithoutSignedReasoningOrEffortIsNone() {
        TestChat dropped = TestChat.asking("2+2?");
        dropped.assistant(new Part.ToolUse("t1", "calc", "{}", null));
        dropped.user(new Part.ToolResult("t1", List.of(Part.Text.of("4")), false, null));
        dropped.reasoning = new Reasoning("high", null);
        TestChat kept = TestChat.asking("2+2?");
        kept.assistant(new Part.Thinking("Use the tool.", "sig-1"), new Part.ToolUse("t1", "calc", "{}", null));
        kept.user(new Part.ToolResult("t1", List.of(Part.Text.of("4")), false, null));
        kept.reasoning = new Reasoning("high", null);
        TestChat none = TestChat.asking("Hi");
        none.reasoning = new Reasoning("none", null);

        assertThat(converse(dropped.build(), CLAUDE).at("/additionalModelRequestFields/thinking").isMissingNode())
                .isTrue();
        assertThat(converse(kept.build(), CLAUDE).at("/additionalModelRequestFields/thinking/type").asString())
                .isEqualTo("enabled");
        assertThat(converse(none.build(), CLAUDE).at("/additionalModelRequestFields/thinking").isMissingNode())
                .isTrue();
    }

    @Test
    void shouldRefuseTopKWhenModelIsNotAnthropic() {
        TestChat chat = TestChat.asking("Hello");
        chat.topK = 40;

        assertThatThrownBy(() -> BedrockRequestMapper.createConverseRequest(chat.build(), LLAMA))
                .isInstanceOfSatisfying(Untranslatable.class, e -> assertThat(e.param()).isEqualTo("top_k"));
    }

    @Test
    void shouldRefuseReasoningWhenModelIsNotAnthropic() {
        TestChat chat = TestChat.asking("Hello");
        chat.reasoning = new Reasoning("low", null);

        assertThatThrownBy(() -> BedrockRequestMapper.createConverseRequest(chat.build(), LLAMA))
                .isInstanceOfSatisfying(Untranslatable.class,
                        e -> assertThat(e.param()).isEqualTo("reasoning_effort"));
    }

    @ParameterizedTest
    @ValueSource(strings = {LLAMA, "mistral.mistral-large-2407-v1:0", "amazon.nova-pro-v1:0",
            "eu.amazon.nova-lite-v1:0"})
    void shouldSendPlainConverseWhenModelIsNotAnthropic(String modelId) {
        TestChat chat = TestChat.asking("Hello");
        chat.system.add(Part.Text.of("Be brief."));
        chat.maxTokens = 100L;
        chat.temperature = 0.2;
        chat.stop.add("END");

        ObjectNode request = (ObjectNode) converse(chat.build(), modelId);

        assertThat(request.remove("modelId").asString()).isEqualTo(modelId);
        assertThat(normalized(request)).isEqualTo(normalized(ConverseJson.goldenJson("request-plain.json")));
    }

    static Stream<Arguments> inexpressible() {
        return Stream.<Arguments>of(
                Arguments.of("n", (Consumer<TestChat>) chat -> chat.choices = 2),
                Arguments.of("seed", (Consumer<TestChat>) chat -> chat.seed = 7L),
                Arguments.of("response_format", (Consumer<TestChat>) chat -> chat.responseFormat =
                        new ResponseFormat(ResponseFormat.Kind.JSON_OBJECT, null, null, null)),
                Arguments.of("frequency_penalty", (Consumer<TestChat>) chat -> chat.frequencyPenalty = 0.5),
                Arguments.of("presence_penalty", (Consumer<TestChat>) chat -> chat.presencePenalty = -0.5));
    }

    @ParameterizedTest
    @MethodSource("inexpressible")
    void shouldRefuseWhenConverseCannotExpressSetting(String param, Consumer<TestChat> setting) {
        TestChat chat = TestChat.asking("Hello");
        setting.accept(chat);

        assertThatThrownBy(() -> BedrockRequestMapper.createConverseStreamRequest(chat.build(), CLAUDE))
                .isInstanceOfSatisfying(Untranslatable.class, e -> assertThat(e.param()).isEqualTo(param));
    }

    @Test
    void shouldAcceptNeutralValuesWhenSettingsAreGivenAsDefaults() {
        TestChat chat = TestChat.asking("Hello");
        chat.frequencyPenalty = 0.0;
        chat.presencePenalty = 0.0;
        chat.responseFormat = new ResponseFormat(ResponseFormat.Kind.TEXT, null, null, null);

        assertThat(converse(chat.build(), LLAMA).has("additionalModelRequestFields")).isFalse();
    }

    @Test
    void shouldBuildSameConverseJsonWhenStreaming() {
        TestChat chat = TestChat.asking("Hello");
        chat.tools.add(new Tool("get_weather", "Weather", WEATHER_SCHEMA, null, null));
        chat.maxTokens = 10L;
        ChatRequest request = chat.build();

        assertThat(ConverseJson.write(BedrockRequestMapper.createConverseStreamRequest(request, CLAUDE)))
                .isEqualTo(ConverseJson.write(BedrockRequestMapper.createConverseRequest(request, CLAUDE)));
    }

    @Test
    void shouldLeaveUserOutWhenBedrockWouldRefuseItAsMetadata() {
        TestChat chat = TestChat.asking("Hello");
        chat.user = "naïve <user>";

        assertThat(converse(chat.build(), CLAUDE).has("requestMetadata")).isFalse();
    }

    private static JsonNode converse(ChatRequest request, String modelId) {
        return ConverseJson.write(BedrockRequestMapper.createConverseRequest(request, modelId));
    }

    private static void assertGolden(String golden, ChatRequest request, String modelId) {
        JsonNode actual = converse(request, modelId);
        assertThat(normalized(actual))
                .as("Converse JSON of %s:%n%s", golden, actual.toPrettyString())
                .isEqualTo(normalized(ConverseJson.goldenJson(golden)));
    }

    /** Both sides through the same parser, so 1.10 and 1.1 compare as the same number. */
    private static JsonNode normalized(JsonNode node) {
        return Json.mapper().readTree(Json.mapper().writeValueAsString(node));
    }
}
