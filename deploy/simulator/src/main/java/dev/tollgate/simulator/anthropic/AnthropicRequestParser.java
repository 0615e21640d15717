package dev.tollgate.simulator.anthropic;

import dev.tollgate.simulator.scenario.SimRequest;
import dev.tollgate.simulator.scenario.ToolChoice;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/** An Anthropic Messages request (already checked to have a model and messages) in the neutral form. */
final class AnthropicRequestParser {

    private AnthropicRequestParser() {
    }

    static SimRequest parse(JsonNode body) {
        SimRequest.Builder request = SimRequest.builder(body.path("model").asString());
        JsonNode system = body.path("system");
        if (system.isString()) {
            request.text(system.asString());
        } else {
            blocks(system, request);
        }
        for (JsonNode message : body.path("messages")) {
            JsonNode content = message.path("content");
            if (content.isString()) {
                request.text(content.asString());
            } else {
                blocks(content, request);
            }
        }
        for (JsonNode tool : body.path("tools")) {
            request.tool(tool.path("name").asString(""), tool.path("description").asString(null),
                    tool.path("input_schema"));
        }
        request.toolChoice(toolChoice(body.path("tool_choice")));
        request.toolResult(lastTurnToolResults(body.path("messages")));
        request.thinking("enabled".equals(body.path("thinking").path("type").asString("")));
        return request.build();
    }

    /** Counts the text and images of content blocks, including those nested in tool results. */
    private static void blocks(JsonNode blocks, SimRequest.Builder request) {
        for (JsonNode block : blocks) {
            String type = block.path("type").asString("");
            if (type.equals("text")) {
                request.text(block.path("text").asString(null));
            } else if (type.equals("image")) {
                request.image();
            } else if (type.equals("thinking")) {
                request.text(block.path("thinking").asString(null));
            } else if (type.equals("tool_use")) {
                request.text(block.path("name").asString(null));
                request.json(block.path("input"));
            } else if (type.equals("tool_result")) {
                JsonNode content = block.path("content");
                if (content.isString()) {
                    request.text(content.asString());
                } else {
                    blocks(content, request);
                }
            } else if (type.equals("document") && "text".equals(block.path("source").path("type").asString(""))) {
                request.text(block.path("source").path("data").asString(null));
            }
        }
    }

    private static ToolChoice toolChoice(JsonNode choice) {
        String type = choice.path("type").asString("auto");
        if (type.equals("none")) {
            return ToolChoice.NONE;
        }
        if (type.equals("any")) {
            return ToolChoice.REQUIRED;
        }
        if (type.equals("tool")) {
            return ToolChoice.named(choice.path("name").asString(null));
        }
        return ToolChoice.AUTO;
    }

    /** The text of the tool_result blocks of the last message when it is a user turn carrying them, else null. */
    private static String lastTurnToolResults(JsonNode messages) {
        if (messages.isEmpty()) {
            return null;
        }
        JsonNode last = messages.get(messages.size() - 1);
        if (!"user".equals(last.path("role").asString(""))) {
            return null;
        }
        List<String> results = new ArrayList<>();
        for (JsonNode block : last.path("content")) {
            if ("tool_result".equals(block.path("type").asString(""))) {
                results.add(text(block.path("content")));
            }
        }
        return results.isEmpty() ? null : String.join(" ", results);
    }

    private static String text(JsonNode content) {
        if (content.isString()) {
            return content.asString();
        }
        StringBuilder text = new StringBuilder();
        for (JsonNode block : content) {
            if ("text".equals(block.path("type").asString(""))) {
                text.append(block.path("text").asString(""));
            }
        }
        return text.toString();
    }
}
