package dev.tollgate.relay.api.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.contracts.json.Json;
import dev.tollgate.relay.api.Rejection;
import dev.tollgate.relay.chat.ChatRequest;
import dev.tollgate.relay.chat.Untranslatable;
import dev.tollgate.relay.provider.openai.TranslateGolden;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.node.ObjectNode;

/** Responses requests (golden/openai-responses/parse/*.request.json) → the internal model (*.chat.json). */
class ResponsesRequestParserTest {

    private static ChatRequest parseJson(String json) {
        return ResponsesRequestParser.toChat((ObjectNode) Json.mapper().readTree(json));
    }

    private static void assertParsesToGolden(String golden) {
        ChatRequest chat = ResponsesRequestParser.toChat(ResponsesGolden.object("parse/" + golden + ".request.json"));
        ResponsesGolden.assertJson(TranslateGolden.chatTree(chat), "parse/" + golden + ".chat.json");
    }

    @Test
    void shouldTranslateEveryItemKindToolSettingAndFormatWhenAWholeConversationIsSent() {
        assertParsesToGolden("conversation");
    }

    @Test
    void shouldMakeOneUserTurnOfAStringInputAndReadTheShortForms() {
        assertParsesToGolden("string-input");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"model\":\"m\",\"input\":\"x\",\"tools\":[{\"type\":\"web_search\"}]}|tools[0].type",
            "{\"model\":\"m\",\"input\":[{\"type\":\"file_search_call\",\"id\":\"fs_1\"}]}|input[0].type",
            "{\"model\":\"m\",\"input\":[{\"role\":\"user\",\"content\":[{\"type\":\"input_file\",\"file_id\":\"f\"}]}]}"
                    + "|input[0].content[0]",
            "{\"model\":\"m\",\"input\":[{\"role\":\"user\",\"content\":[{\"type\":\"input_image\",\"file_id\":\"f\"}]}]}"
                    + "|input[0].content[0].file_id",
            "{\"model\":\"m\",\"input\":\"x\",\"tool_choice\":{\"type\":\"web_search_preview\"}}|tool_choice",
            "{\"model\":\"m\",\"input\":\"x\",\"top_logprobs\":3}|top_logprobs"})
    void shouldRefuseWhatOnlyOpenAiCanDoNamingTheField(String json, String param) {
        assertThatThrownBy(() -> parseJson(json))
                .isInstanceOfSatisfying(Untranslatable.class, e -> assertThat(e.param()).isEqualTo(param));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"model\":\"m\",\"input\":\"x\",\"previous_response_id\":\"resp_1\"}|previous_response_id",
            "{\"model\":\"m\",\"input\":\"x\",\"conversation\":\"conv_1\"}|conversation",
            "{\"model\":\"m\",\"input\":\"x\",\"prompt\":{\"id\":\"pmpt_1\"}}|prompt",
            "{\"model\":\"m\",\"input\":\"x\",\"background\":true}|background",
            "{\"model\":\"m\",\"input\":[{\"type\":\"item_reference\",\"id\":\"msg_1\"}]}|input[0]"})
    void shouldRefuseStateKeptUpstreamForChannelsReachedByTranslation(String json, String param) {
        assertThatThrownBy(() -> parseJson(json))
                .isInstanceOfSatisfying(Untranslatable.class, e -> {
                    assertThat(e.param()).isEqualTo(param);
                    assertThat(e.getMessage()).contains("serves the Responses API itself");
                });
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"model\":\"m\",\"input\":[{\"role\":\"tool\",\"content\":\"x\"}]}|input[0].role",
            "{\"model\":\"m\",\"input\":[{\"type\":\"function_call_output\",\"output\":\"x\"}]}|input[0].call_id",
            "{\"model\":\"m\",\"input\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"x\"}]}]}"
                    + "|input[0].content[0].type",
            "{\"model\":\"m\",\"input\":\"x\",\"text\":{\"format\":{\"type\":\"yaml\"}}}|text.format.type",
            "{\"model\":\"m\",\"input\":\"x\",\"tools\":[{\"type\":\"function\"}]}|tools[0].name"})
    void shouldRejectMalformedItemsNamingTheField(String json, String param) {
        assertThatThrownBy(() -> parseJson(json))
                .isInstanceOfSatisfying(Rejection.class, e -> {
                    assertThat(e.kind()).isEqualTo(Rejection.Kind.INVALID_REQUEST);
                    assertThat(e.param()).isEqualTo(param);
                });
    }
}
