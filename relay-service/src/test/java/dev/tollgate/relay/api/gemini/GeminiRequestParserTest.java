package dev.tollgate.relay.api.gemini;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.contracts.json.Json;
import dev.tollgate.relay.chat.ChatRequest;
import dev.tollgate.relay.chat.Reasoning;
import dev.tollgate.relay.chat.ToolChoice;
import dev.tollgate.relay.chat.Untranslatable;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

class GeminiRequestParserTest {

    @Test
    void shouldReadTheRecordedRequestIntoTheInternalModelWhenTranslating() {
        ChatRequest chat = GeminiRequestParser.toChat(Golden.object("request-translatable.json"), "gemini-2.5-flash",
                true);

        // Through text, so numbers compare by value (a Long field would be a LongNode, the file reads as ints).
        JsonNode tree = Json.mapper().readTree(Json.mapper().writeValueAsString(chat));
        assertThat(tree).isEqualTo(Golden.json("request-translatable.chat.json"));
    }

    @Test
    void shouldMatchAResponseToTheCallItsIdNamesWhenTheClientSendsIds() {
        ChatRequest chat = GeminiRequestParser.toChat(tree("{\"contents\":[{\"role\":\"model\",\"parts\":["
                + "{\"functionCall\":{\"id\":\"a\",\"name\":\"f\",\"args\":{}}},{\"functionCall\":{\"id\":\"b\",\"name\":"
                + "\"f\",\"args\":{}}}]},{\"role\":\"user\",\"parts\":[{\"functionResponse\":{\"id\":\"b\",\"name\":\"f\","
                + "\"response\":{\"x\":1,\"y\":2}}}]}]}"), "m", false);

        var result = (dev.tollgate.relay.chat.Part.ToolResult) chat.messages().get(1).parts().get(0);
        assertThat(result.toolUseId()).isEqualTo("b");
        assertThat(result.content()).containsExactly(dev.tollgate.relay.chat.Part.Text.of("{\"x\":1,\"y\":2}"));
    }

    @Test
    void shouldReadThinkingLevelsAndBudgetsAndLeaveZeroUnasked() {
        assertThat(reasoning("{\"thinkingLevel\":\"LOW\"}")).isEqualTo(new Reasoning("low", null));
        assertThat(reasoning("{\"thinkingBudget\":-1}")).isEqualTo(new Reasoning("medium", null));
        assertThat(reasoning("{\"thinking_budget\":0}")).isNull();
        assertThat(reasoning("{\"includeThoughts\":true}")).isNull();
    }

    @Test
    void shouldReadModesOfFunctionCalling() {
        assertThat(choice("{\"mode\":\"NONE\"}").mode()).isEqualTo(ToolChoice.Mode.NONE);
        assertThat(choice("{\"mode\":\"ANY\"}").mode()).isEqualTo(ToolChoice.Mode.ANY);
        assertThat(choice("{\"mode\":\"AUTO\"}").mode()).isEqualTo(ToolChoice.Mode.AUTO);
        assertThatThrownBy(() -> choice("{\"mode\":\"ANY\",\"allowedFunctionNames\":[\"a\",\"b\"]}"))
                .isInstanceOf(Untranslatable.class);
    }

    @Test
    void shouldRefuseNamingThePathWhenOnlyGeminiCanServeIt() {
        assertRefused("{\"contents\":[{\"parts\":[{\"text\":\"x\"}]}],\"cachedContent\":\"cachedContents/1\"}",
                "cachedContent");
        assertRefused("{\"contents\":[{\"parts\":[{\"text\":\"x\"}]}],\"tools\":[{\"googleSearch\":{}}]}",
                "tools[0].googleSearch");
        assertRefused("{\"contents\":[{\"parts\":[{\"inlineData\":{\"mimeType\":\"audio/wav\",\"data\":\"AA\"}}]}]}",
                "contents[0].parts[0]");
        assertRefused("{\"contents\":[{\"parts\":[{\"fileData\":{\"mimeType\":\"video/mp4\",\"fileUri\":"
                + "\"https://www.youtube.com/watch?v=1\"}}]}]}", "contents[0].parts[0]");
        assertRefused("{\"contents\":[{\"parts\":[{\"text\":\"x\"}]}],\"generationConfig\":{\"candidateCount\":2}}",
                "generationConfig.candidateCount");
        assertRefused("{\"contents\":[{\"parts\":[{\"text\":\"x\"}]}],\"generationConfig\":{\"responseModalities\":"
                + "[\"TEXT\",\"IMAGE\"]}}", "generationConfig.responseModalities");
        assertRefused("{\"contents\":[{\"parts\":[{\"text\":\"x\"}]}],\"generationConfig\":{\"responseMimeType\":"
                + "\"text/x.enum\"}}", "generationConfig.responseMimeType");
    }

    @Test
    void shouldTakeAPublicImageUrlWhenFileDataPointsToOne() {
        ChatRequest chat = GeminiRequestParser.toChat(tree("{\"contents\":[{\"parts\":[{\"fileData\":{\"mimeType\":"
                + "\"image/png\",\"fileUri\":\"https://example.com/cat.png\"}}]}]}"), "m", false);

        assertThat(chat.messages().get(0).parts().get(0))
                .isEqualTo(new dev.tollgate.relay.chat.Part.Image("image/png", null, "https://example.com/cat.png",
                        null));
    }

    private static Reasoning reasoning(String thinkingConfig) {
        return GeminiRequestParser.toChat(tree("{\"contents\":[{\"parts\":[{\"text\":\"x\"}]}],\"generationConfig\":"
                + "{\"thinkingConfig\":" + thinkingConfig + "}}"), "m",
                false).reasoning();
    }

    private static ToolChoice choice(String config) {
        return GeminiRequestParser.toChat(tree("{\"contents\":[{\"parts\":[{\"text\":\"x\"}]}],\"toolConfig\":"
                + "{\"functionCallingConfig\":" + config + "}}"), "m", false).toolChoice();
    }

    private static void assertRefused(String body, String param) {
        assertThatThrownBy(() -> GeminiRequestParser.toChat(tree(body), "m", false))
                .isInstanceOfSatisfying(Untranslatable.class, e -> {
                    assertThat(e.param()).isEqualTo(param);
                    assertThat(e.getMessage()).contains("only available when the model is served by Gemini");
                });
    }

    private static ObjectNode tree(String json) {
        return (ObjectNode) Json.mapper().readTree(json);
    }
}
