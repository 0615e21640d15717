package dev.tollgate.relay.api.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.contracts.json.Json;
import dev.tollgate.relay.api.Rejection;
import dev.tollgate.relay.chat.ChatRequest;
import dev.tollgate.relay.chat.ToolChoice;
import dev.tollgate.relay.chat.Untranslatable;
import dev.tollgate.relay.provider.openai.TranslateGolden;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.node.ObjectNode;

/** OpenAI requests (golden/openai-translate/parse/*.request.json) → the internal model (*.chat.json). */
class OpenAiRequestParserTest {

    private static ChatRequest parse(String golden) {
        return OpenAiRequestParser.toChat((ObjectNode) TranslateGolden.tree("parse/" + golden + ".request.json"));
    }

    private static ChatRequest parseJson(String json) {
        return OpenAiRequestParser.toChat((ObjectNode) Json.mapper().readTree(json));
    }

    private static void assertParsesToGolden(String golden) {
        TranslateGolden.assertJson(TranslateGolden.chatTree(parse(golden)), "parse/" + golden + ".chat.json");
    }

    @Test
    void shouldCarryEverySamplingSettingAndIgnoreStorageHintsWhenTextRequest() {
        assertParsesToGolden("text");
    }

    @Test
    void shouldCollectSystemAndDeveloperMessagesInOrderWhenAnywhereInConversation() {
        assertParsesToGolden("system-developer");
    }

    @Test
    void shouldReadInlineAndLinkedImagesWhenUserSendsImageParts() {
        assertParsesToGolden("images");
    }

    @Test
    void shouldReadToolsNamedChoiceAndParallelOffWhenToolsDeclared() {
        assertParsesToGolden("tools");
    }

    @Test
    void shouldMergeToolResultsAndFollowingUserTextIntoOneTurnWhenToolRoundTrip() {
        assertParsesToGolden("tool-round-trip");
    }

    @Test
    void shouldMapFunctionsAndFunctionCallsToToolsWhenLegacyForm() {
        assertParsesToGolden("legacy-functions");
    }

    @Test
    void shouldReadJsonSchemaWhenResponseFormatIsJsonSchema() {
        assertParsesToGolden("response-format");
    }

    @ParameterizedTest
    @CsvSource({"none, NONE", "auto, AUTO", "required, ANY"})
    void shouldReadToolChoiceModeWhenGivenAsString(String wire, ToolChoice.Mode mode) {
        ChatRequest chat = parseJson("{\"model\":\"m\",\"messages\":[],\"tool_choice\":\"" + wire + "\"}");
        assertThat(chat.toolChoice()).isEqualTo(new ToolChoice(mode, null, false));
    }

    @Test
    void shouldDisableParallelCallsWhenOnlyParallelToolCallsFalseGiven() {
        ChatRequest chat = parseJson("{\"model\":\"m\",\"messages\":[],\"parallel_tool_calls\":false}");
        assertThat(chat.toolChoice()).isEqualTo(new ToolChoice(ToolChoice.Mode.AUTO, null, true));
        assertThat(parseJson("{\"model\":\"m\",\"messages\":[],\"parallel_tool_calls\":true}").toolChoice()).isNull();
    }

    @Test
    void shouldKeepSignedThinkingBlocksInsteadOfReasoningContentWhenAssistantTurnCarriesThem() {
        ChatRequest chat = parseJson("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"},"
                + "{\"role\":\"assistant\",\"content\":null,\"reasoning_content\":\"Think.\",\"thinking_blocks\":["
                + "{\"type\":\"thinking\",\"thinking\":\"Think.\",\"signature\":\"sig-1\"},"
                + "{\"type\":\"redacted_thinking\",\"data\":\"b3BhcXVl\"}],\"tool_calls\":[{\"id\":\"t1\","
                + "\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":\"{}\"}}]},"
                + "{\"role\":\"tool\",\"tool_call_id\":\"t1\",\"content\":\"ok\"}]}");

        assertThat(chat.messages().get(1).parts()).hasSize(3);
        assertThat(chat.messages().get(1).parts().get(0))
                .isEqualTo(new dev.tollgate.relay.chat.Part.Thinking("Think.", "sig-1"));
        assertThat(chat.messages().get(1).parts().get(1))
                .isEqualTo(new dev.tollgate.relay.chat.Part.RedactedThinking("b3BhcXVl"));
        assertThatThrownBy(() -> parseJson("{\"model\":\"m\",\"messages\":[{\"role\":\"assistant\","
                + "\"content\":\"x\",\"thinking_blocks\":[{\"type\":\"secret\"}]}]}"))
                .isInstanceOfSatisfying(Rejection.class,
                        r -> assertThat(r.param()).isEqualTo("messages[0].thinking_blocks[0]"));
    }

    @Test
    void shouldAskNoReasoningWhenReasoningEffortIsNone() {
        assertThat(parseJson("{\"model\":\"m\",\"messages\":[],\"reasoning_effort\":\"none\"}").reasoning()).isNull();
    }

    @Test
    void shouldReadJsonObjectAndTextWhenResponseFormatGiven() {
        assertThat(parseJson("{\"model\":\"m\",\"messages\":[],\"response_format\":{\"type\":\"json_object\"}}")
                .responseFormat().kind()).hasToString("JSON_OBJECT");
        assertThat(parseJson("{\"model\":\"m\",\"messages\":[],\"response_format\":{\"type\":\"text\"}}")
                .responseFormat().kind()).hasToString("TEXT");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "\"logprobs\":true | logprobs",
        "\"top_logprobs\":3 | top_logprobs",
        "\"logit_bias\":{\"50256\":-100} | logit_bias",
        "\"audio\":{\"voice\":\"alloy\",\"format\":\"wav\"} | audio",
        "\"modalities\":[\"text\",\"audio\"] | modalities",
        "\"prediction\":{\"type\":\"content\",\"content\":\"x\"} | prediction",
        "\"web_search_options\":{} | web_search_options",
        "\"tools\":[{\"type\":\"custom\",\"custom\":{\"name\":\"x\"}}] | tools[0].type",
        "\"tool_choice\":{\"type\":\"allowed_tools\",\"allowed_tools\":{\"mode\":\"auto\",\"tools\":[]}} | tool_choice"
    })
    void shouldRefuseWhenRequestUsesOpenAiOnlySetting(String field, String param) {
        String json = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]," + field + "}";
        assertThatThrownBy(() -> parseJson(json))
                .isInstanceOfSatisfying(Untranslatable.class, e -> assertThat(e.param()).isEqualTo(param));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"type\":\"input_audio\",\"input_audio\":{\"data\":\"AAAA\",\"format\":\"wav\"}}",
        "{\"type\":\"file\",\"file\":{\"file_id\":\"file-1\"}}"
    })
    void shouldRefuseWhenUserSendsAudioOrFilePart(String part) {
        String json = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"hi\"},"
                + part + "]}]}";
        assertThatThrownBy(() -> parseJson(json))
                .isInstanceOfSatisfying(Untranslatable.class,
                        e -> assertThat(e.param()).isEqualTo("messages[0].content[1]"));
    }

    @Test
    void shouldRefuseWhenAssistantHistoryCarriesAudio() {
        String json = "{\"model\":\"m\",\"messages\":[{\"role\":\"assistant\",\"audio\":{\"id\":\"audio_1\"}}]}";
        assertThatThrownBy(() -> parseJson(json))
                .isInstanceOfSatisfying(Untranslatable.class, e -> assertThat(e.param()).isEqualTo("messages[0].audio"));
    }

    @Test
    void shouldRejectWhenImageUrlIsNeitherHttpNorDataUrl() {
        String json = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"image_url\","
                + "\"image_url\":{\"url\":\"ftp://x/y.png\"}}]}]}";
        assertThatThrownBy(() -> parseJson(json))
                .isInstanceOfSatisfying(Rejection.class,
                        e -> assertThat(e.param()).isEqualTo("messages[0].content[0].image_url.url"));
    }

    @Test
    void shouldRejectWhenRoleIsUnknown() {
        assertThatThrownBy(() -> parseJson("{\"model\":\"m\",\"messages\":[{\"role\":\"robot\",\"content\":\"x\"}]}"))
                .isInstanceOfSatisfying(Rejection.class, e -> assertThat(e.param()).isEqualTo("messages[0].role"));
    }

    @Test
    void shouldKeepArgumentsAsJsonTextWhenClientEchoesThemAsObject() {
        ChatRequest chat = parseJson("{\"model\":\"m\",\"messages\":[{\"role\":\"assistant\",\"tool_calls\":[{\"id\":\"c\","
                + "\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":{\"a\":1}}}]}]}");
        assertThat(chat.messages().get(0).parts().get(0))
                .hasFieldOrPropertyWithValue("argumentsJson", "{\"a\":1}");
    }
}
