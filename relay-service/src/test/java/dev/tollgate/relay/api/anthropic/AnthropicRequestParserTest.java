package dev.tollgate.relay.api.anthropic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.contracts.json.Json;
import dev.tollgate.relay.chat.ChatRequest;
import dev.tollgate.relay.chat.Message;
import dev.tollgate.relay.chat.Part;
import dev.tollgate.relay.chat.Reasoning;
import dev.tollgate.relay.chat.Tool;
import dev.tollgate.relay.chat.ToolChoice;
import dev.tollgate.relay.chat.Untranslatable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

class AnthropicRequestParserTest {

    private static ChatRequest parse(String json) {
        return AnthropicRequestParser.toChat((ObjectNode) Json.mapper().readTree(json));
    }

    private static JsonNode json(String json) {
        return Json.mapper().readTree(json);
    }

    @Test
    void shouldTranslateSettingsWhenRequestUsesThemAll() {
        ChatRequest chat = AnthropicRequestParser.toChat(Golden.object("request-translatable.json"));

        assertThat(chat.model()).isEqualTo("claude-sonnet-4-5");
        assertThat(chat.maxTokens()).isEqualTo(4096);
        assertThat(chat.temperature()).isEqualTo(0.5);
        assertThat(chat.topP()).isEqualTo(0.9);
        assertThat(chat.topK()).isEqualTo(40);
        assertThat(chat.stop()).containsExactly("###", "END");
        assertThat(chat.stream()).isTrue();
        assertThat(chat.choices()).isEqualTo(1);
        assertThat(chat.user()).isEqualTo("u-42");
        assertThat(chat.reasoning()).isEqualTo(new Reasoning(null, 2048L));
        assertThat(chat.toolChoice()).isEqualTo(new ToolChoice(ToolChoice.Mode.TOOL, "get_weather", true));
        assertThat(chat.seed()).isNull();
        assertThat(chat.responseFormat()).isNull();
        assertThat(chat.frequencyPenalty()).isNull();
        assertThat(chat.presencePenalty()).isNull();
    }

    @Test
    void shouldKeepCacheControlWhenSystemIsGivenAsBlocks() {
        ChatRequest chat = AnthropicRequestParser.toChat(Golden.object("request-translatable.json"));

        assertThat(chat.system()).containsExactly(
                new Part.Text("You are a weather bot.", null),
                new Part.Text("Long reference text.", json("{\"type\":\"ephemeral\",\"ttl\":\"1h\"}")));
    }

    @Test
    void shouldTranslateEveryBlockWhenConversationHoldsImagesToolsAndThinking() {
        ChatRequest chat = AnthropicRequestParser.toChat(Golden.object("request-translatable.json"));

        assertThat(chat.messages()).hasSize(5);
        assertThat(chat.messages().get(0)).isEqualTo(new Message(Message.Role.USER, java.util.List.of(
                Part.Text.of("What is in these pictures, and what's the weather in Paris?"),
                new Part.Image("image/png", "iVBORw0KGgo=", null, null),
                new Part.Image(null, null, "https://example.com/cat.jpg", json("{\"type\":\"ephemeral\"}")))));

        Message assistant = chat.messages().get(1);
        assertThat(assistant.role()).isEqualTo(Message.Role.ASSISTANT);
        assertThat(assistant.parts()).hasSize(4);
        assertThat(assistant.parts().get(0)).isEqualTo(new Part.Thinking("I should call the tool.", "EqQBCgIYAhIM"));
        assertThat(assistant.parts().get(1)).isEqualTo(new Part.RedactedThinking("EmwKAhgBEgy3va3p"));
        assertThat(assistant.parts().get(2)).isEqualTo(Part.Text.of("A cat and a dog. Checking the weather."));
        Part.ToolUse call = (Part.ToolUse) assistant.parts().get(3);
        assertThat(call.id()).isEqualTo("toolu_01A");
        assertThat(call.name()).isEqualTo("get_weather");
        assertThat(json(call.argumentsJson())).isEqualTo(json("{\"city\":\"Paris\",\"units\":\"c\"}"));

        Message results = chat.messages().get(2);
        assertThat(results.role()).isEqualTo(Message.Role.USER);
        assertThat(results.parts()).containsExactly(
                new Part.ToolResult("toolu_01A", java.util.List.of(
                        Part.Text.of("18°C, cloudy"),
                        new Part.Image("image/jpeg", "/9j/4AAQ", null, null)), false, json("{\"type\":\"ephemeral\"}")),
                new Part.ToolResult("toolu_01B", java.util.List.of(Part.Text.of("city not found")), true, null),
                Part.Text.of("Thanks"));

        assertThat(chat.messages().get(3)).isEqualTo(
                new Message(Message.Role.ASSISTANT, java.util.List.of(Part.Text.of("You're welcome"))));
        assertThat(chat.messages().get(4)).isEqualTo(
                new Message(Message.Role.USER, java.util.List.of(Part.Text.of("One more?"))));
    }

    @Test
    void shouldTranslateCustomToolsWhenTypeIsAbsentOrCustom() {
        ChatRequest chat = AnthropicRequestParser.toChat(Golden.object("request-translatable.json"));

        assertThat(chat.tools()).containsExactly(
                new Tool("get_weather", "Weather by city", json("{\"type\":\"object\",\"properties\":"
                        + "{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}"), null,
                        json("{\"type\":\"ephemeral\"}")),
                new Tool("get_time", null, json("{\"type\":\"object\",\"properties\":{}}"), true, null));
    }

    @Test
    void shouldLeaveOptionalSettingsUnsetWhenAbsent() {
        ChatRequest chat = parse("{\"model\":\"m\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],"
                + "\"thinking\":{\"type\":\"disabled\"}}");

        assertThat(chat.system()).isEmpty();
        assertThat(chat.tools()).isEmpty();
        assertThat(chat.toolChoice()).isNull();
        assertThat(chat.temperature()).isNull();
        assertThat(chat.topP()).isNull();
        assertThat(chat.topK()).isNull();
        assertThat(chat.stop()).isEmpty();
        assertThat(chat.stream()).isFalse();
        assertThat(chat.reasoning()).isNull();
        assertThat(chat.user()).isNull();
        assertThat(chat.messages()).containsExactly(new Message(Message.Role.USER, java.util.List.of(Part.Text.of("hi"))));
    }

    @Test
    void shouldReadSystemStringAndAnyToolChoiceWhenGivenPlainly() {
        ChatRequest chat = parse("{\"model\":\"m\",\"max_tokens\":5,\"system\":\"be brief\",\"messages\":[],"
                + "\"tool_choice\":{\"type\":\"any\"}}");

        assertThat(chat.system()).containsExactly(Part.Text.of("be brief"));
        assertThat(chat.toolChoice()).isEqualTo(new ToolChoice(ToolChoice.Mode.ANY, null, false));
    }

    @Test
    void shouldSendEmptyObjectArgumentsWhenToolUseHasNoInput() {
        ChatRequest chat = parse("{\"model\":\"m\",\"max_tokens\":5,\"messages\":[{\"role\":\"assistant\",\"content\":"
                + "[{\"type\":\"tool_use\",\"id\":\"t1\",\"name\":\"now\"}]}]}");

        assertThat(((Part.ToolUse) chat.messages().get(0).parts().get(0)).argumentsJson()).isEqualTo("{}");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"type\":\"document\",\"source\":{\"type\":\"text\",\"media_type\":\"text/plain\",\"data\":\"x\"}}|document",
            "{\"type\":\"search_result\",\"source\":\"s\",\"title\":\"t\",\"content\":[]}|search_result",
            "{\"type\":\"server_tool_use\",\"id\":\"s1\",\"name\":\"web_search\",\"input\":{}}|server_tool_use",
            "{\"type\":\"web_search_tool_result\",\"tool_use_id\":\"s1\",\"content\":[]}|web_search_tool_result",
            "{\"type\":\"container_upload\",\"file_id\":\"f1\"}|container_upload",
            "{\"type\":\"mcp_tool_use\",\"id\":\"m1\",\"name\":\"x\",\"server_name\":\"s\",\"input\":{}}|mcp_tool_use"})
    void shouldRefuseNamingThePathWhenABlockTypeHasNoTranslation(String block, String type) {
        String json = "{\"model\":\"m\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"},"
                + "{\"role\":\"assistant\",\"content\":[{\"type\":\"text\",\"text\":\"a\"}," + block + "]}]}";

        assertThatThrownBy(() -> parse(json))
                .isInstanceOfSatisfying(Untranslatable.class, e -> {
                    assertThat(e.param()).isEqualTo("messages.1.content.1");
                    assertThat(e.getMessage()).startsWith("messages.1.content.1: ").contains("'" + type + "'");
                });
    }

    @Test
    void shouldRefuseWhenAToolResultCarriesADocument() {
        String json = "{\"model\":\"m\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":["
                + "{\"type\":\"tool_result\",\"tool_use_id\":\"t\",\"content\":[{\"type\":\"text\",\"text\":\"a\"},"
                + "{\"type\":\"document\",\"source\":{\"type\":\"text\",\"media_type\":\"text/plain\",\"data\":\"x\"}}]}]}]}";

        assertThatThrownBy(() -> parse(json))
                .isInstanceOfSatisfying(Untranslatable.class,
                        e -> assertThat(e.param()).isEqualTo("messages.0.content.0.content.1"));
    }

    @Test
    void shouldRefuseWhenAnImageComesFromTheFilesApi() {
        String json = "{\"model\":\"m\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":["
                + "{\"type\":\"image\",\"source\":{\"type\":\"file\",\"file_id\":\"file_01\"}}]}]}";

        assertThatThrownBy(() -> parse(json))
                .isInstanceOfSatisfying(Untranslatable.class, e -> {
                    assertThat(e.param()).isEqualTo("messages.0.content.0.source");
                    assertThat(e.getMessage()).contains("'file'");
                });
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"type\":\"web_search_20250305\",\"name\":\"web_search\",\"max_uses\":5}|web_search_20250305",
            "{\"type\":\"bash_20250124\",\"name\":\"bash\"}|bash_20250124",
            "{\"type\":\"text_editor_20250728\",\"name\":\"str_replace_based_edit_tool\"}|text_editor_20250728"})
    void shouldRefuseNamingTheToolWhenAServerToolIsDeclared(String tool, String type) {
        String json = "{\"model\":\"m\",\"max_tokens\":5,\"messages\":[],\"tools\":["
                + "{\"name\":\"f\",\"input_schema\":{\"type\":\"object\"}}," + tool + "]}";

        assertThatThrownBy(() -> parse(json))
                .isInstanceOfSatisfying(Untranslatable.class, e -> {
                    assertThat(e.param()).isEqualTo("tools.1");
                    assertThat(e.getMessage()).startsWith("tools.1: ").contains("'" + type + "'");
                });
    }

    @Test
    void shouldRefuseWhenMcpServersOrAContainerAreAsked() {
        assertThatThrownBy(() -> parse("{\"model\":\"m\",\"max_tokens\":5,\"messages\":[],\"mcp_servers\":"
                + "[{\"type\":\"url\",\"url\":\"https://mcp.example.com\",\"name\":\"x\"}]}"))
                .isInstanceOfSatisfying(Untranslatable.class, e -> assertThat(e.param()).isEqualTo("mcp_servers"));
        assertThatThrownBy(() -> parse("{\"model\":\"m\",\"max_tokens\":5,\"messages\":[],\"container\":\"c1\"}"))
                .isInstanceOfSatisfying(Untranslatable.class, e -> assertThat(e.param()).isEqualTo("container"));
    }

    @Test
    void shouldRefuseWhenThinkingIsAdaptive() {
        assertThatThrownBy(() -> parse("{\"model\":\"m\",\"max_tokens\":5,\"messages\":[],"
                + "\"thinking\":{\"type\":\"adaptive\"}}"))
                .isInstanceOfSatisfying(Untranslatable.class, e -> assertThat(e.param()).isEqualTo("thinking"));
    }

    @Test
    void shouldCarryJsonSchemaWhenStructuredOutputIsAsked() {
        ChatRequest chat = parse("{\"model\":\"m\",\"max_tokens\":5,\"messages\":[],\"output_format\":"
                + "{\"type\":\"json_schema\",\"schema\":{\"type\":\"object\"}}}");

        assertThat(chat.responseFormat().kind()).isEqualTo(dev.tollgate.relay.chat.ResponseFormat.Kind.JSON_SCHEMA);
        assertThat(chat.responseFormat().schema()).isEqualTo(json("{\"type\":\"object\"}"));
    }

    @Test
    void shouldRefuseWhenContextEditingIsAsked() {
        assertThatThrownBy(() -> parse("{\"model\":\"m\",\"max_tokens\":5,\"messages\":[],"
                + "\"context_management\":{\"edits\":[]}}"))
                .isInstanceOfSatisfying(Untranslatable.class,
                        e -> assertThat(e.param()).isEqualTo("context_management"));
    }
}
