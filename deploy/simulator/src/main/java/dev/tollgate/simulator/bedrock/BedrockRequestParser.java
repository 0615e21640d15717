package dev.tollgate.simulator.bedrock;

import dev.tollgate.simulator.scenario.SimRequest;
import dev.tollgate.simulator.scenario.ToolChoice;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/** A Bedrock Converse request (already checked to have messages) in the neutral form; the model comes from the path. */
final class BedrockRequestParser {

    private BedrockRequestParser() {
    }

    static SimRequest parse(String modelId, JsonNode body) {
        SimRequest.Builder request = SimRequest.builder(modelId);
        blocks(body.path("system"), request);
        for (JsonNode message : body.path("messages")) {
            blocks(message.path("content"), request);
        }
        JsonNode toolConfig = body.path("toolConfig");
        for (JsonNode tool : toolConfig.path("tools")) {
            JsonNode spec = tool.path("toolSpec");
            if (spec.isObject()) {
                request.tool(spec.path("name").asString(""), spec.path("description").asString(null),
                        spec.path("inputSchema").path("json"));
            }
        }
        request.toolChoice(toolChoice(toolConfig.path("toolChoice")));
        request.toolResult(lastTurnToolResults(body.path("messages")));
        JsonNode extra = body.path("additionalModelRequestFields");
        request.thinking("enabled".equals(extra.path("thinking").path("type").asString(""))
                || "enabled".equals(extra.path("reasoning_config").path("type").asString("")));
        return request.build();
    }

    /** Content blocks are objects with one key naming their kind: text, image, toolUse, toolResult, cachePoint ... */
    private static void blocks(JsonNode blocks, SimRequest.Builder request) {
        for (JsonNode block : blocks) {
            if (block.path("text").isString()) {
                request.text(block.path("text").asString());
            } else if (block.has("image")) {
                request.image();
            } else if (block.has("toolUse")) {
                request.text(block.path("toolUse").path("name").asString(null));
                request.json(block.path("toolUse").path("input"));
            } else if (block.has("toolResult")) {
                for (JsonNode part : block.path("toolResult").path("content")) {
                    if (part.path("text").isString()) {
                        request.text(part.path("text").asString());
                    } else if (part.has("json")) {
                        request.json(part.path("json"));
                    } else if (part.has("image")) {
                        request.image();
                    }
                }
            } else if (block.has("reasoningContent")) {
                request.text(block.path("reasoningContent").path("reasoningText").path("text").asString(null));
            }
        }
    }

    private static ToolChoice toolChoice(JsonNode choice) {
        if (choice.has("any")) {
            return ToolChoice.REQUIRED;
        }
        if (choice.has("tool")) {
            return ToolChoice.named(choice.path("tool").path("name").asString(null));
        }
        return ToolChoice.AUTO;
    }

    /** The text of the toolResult blocks of the last message when it is a user turn carrying them, else null. */
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
            if (block.has("toolResult")) {
                StringBuilder text = new StringBuilder();
                for (JsonNode part : block.path("toolResult").path("content")) {
                    if (part.path("text").isString()) {
                        text.append(part.path("text").asString());
                    } else if (part.has("json")) {
                        text.append(part.path("json").toString());
                    }
                }
                results.add(text.toString());
            }
        }
        return results.isEmpty() ? null : String.join(" ", results);
    }
}
