package dev.tollgate.simulator.openai;

import dev.tollgate.simulator.scenario.SimRequest;
import dev.tollgate.simulator.scenario.ToolChoice;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/** An OpenAI chat completions request (already checked to have a model and messages) in the neutral form. */
final class OpenAiRequestParser {

    private OpenAiRequestParser() {
    }

    static SimRequest parse(JsonNode chat) {
        return parse(chat, chat.path("model").asString());
    }

    /** @param model the model answering (Azure's deployment when the body names none) */
    static SimRequest parse(JsonNode chat, String model) {
        SimRequest.Builder request = SimRequest.builder(model);
        for (JsonNode message : chat.path("messages")) {
            JsonNode content = message.path("content");
            if (content.isString()) {
                request.text(content.asString());
            } else if (content.isArray()) {
                for (JsonNode part : content) {
                    if (part.path("text").isString()) {
                        request.text(part.path("text").asString());
                    } else if ("image_url".equals(part.path("type").asString(""))) {
                        request.image();
                    }
                }
            }
            for (JsonNode toolCall : message.path("tool_calls")) {
                request.text(toolCall.path("function").path("name").asString(null));
                request.text(toolCall.path("function").path("arguments").asString(null));
            }
        }
        for (JsonNode tool : chat.path("tools")) {
            JsonNode function = tool.path("function");
            request.tool(function.path("name").asString(""), function.path("description").asString(null),
                    function.path("parameters"));
        }
        request.toolChoice(toolChoice(chat.path("tool_choice")));
        request.toolResult(trailingToolResults(chat.path("messages")));
        return request.build();
    }

    private static ToolChoice toolChoice(JsonNode choice) {
        if (choice.isString()) {
            String mode = choice.asString();
            if (mode.equals("none")) {
                return ToolChoice.NONE;
            }
            return mode.equals("required") ? ToolChoice.REQUIRED : ToolChoice.AUTO;
        }
        if (choice.path("function").path("name").isString()) {
            return ToolChoice.named(choice.path("function").path("name").asString());
        }
        return ToolChoice.AUTO;
    }

    /** The texts of the {@code role: tool} messages that end the conversation, joined; null if it ends otherwise. */
    private static String trailingToolResults(JsonNode messages) {
        List<String> results = new ArrayList<>();
        for (int i = messages.size() - 1; i >= 0; i--) {
            JsonNode message = messages.get(i);
            if (!"tool".equals(message.path("role").asString(""))) {
                break;
            }
            results.add(0, text(message.path("content")));
        }
        return results.isEmpty() ? null : String.join(" ", results);
    }

    private static String text(JsonNode content) {
        if (content.isString()) {
            return content.asString();
        }
        StringBuilder text = new StringBuilder();
        for (JsonNode part : content) {
            if (part.path("text").isString()) {
                text.append(part.path("text").asString());
            }
        }
        return text.toString();
    }
}
