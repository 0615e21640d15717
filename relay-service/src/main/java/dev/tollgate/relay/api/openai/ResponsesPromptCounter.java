package dev.tollgate.relay.api.openai;

import dev.tollgate.contracts.json.Json;
import dev.tollgate.relay.metering.TokenCounter;
import tools.jackson.databind.JsonNode;

/**
 * Counts a Responses request's prompt tokens locally, for admission: the instructions, every input item's text
 * (function calls and outputs as their JSON), a fixed amount per image ({@link OpenAiPromptCounter#IMAGE_TOKENS}),
 * the per-item framing chat uses, and the tool definitions. Errs high where it cannot be exact.
 */
public final class ResponsesPromptCounter {

    private static final long PER_ITEM = 3;
    private static final long REPLY_PRIMING = 3;

    private ResponsesPromptCounter() {
    }

    public static long count(JsonNode request) {
        long tokens = REPLY_PRIMING + TokenCounter.count(request.path("instructions").asString(""));
        JsonNode input = request.path("input");
        if (input.isString()) {
            tokens += PER_ITEM + TokenCounter.count(input.asString());
        }
        for (JsonNode item : input) {
            tokens += PER_ITEM + item(item);
        }
        JsonNode tools = request.path("tools");
        if (tools.isArray() && !tools.isEmpty()) {
            tokens += TokenCounter.count(Json.mapper().writeValueAsString(tools));
        }
        return tokens;
    }

    private static long item(JsonNode item) {
        String type = item.path("type").asString("message");
        switch (type) {
            case "message":
                return TokenCounter.count(item.path("role").asString("")) + content(item.path("content"));
            case "function_call":
                return TokenCounter.count(item.path("name").asString(""))
                        + TokenCounter.count(item.path("arguments").asString(""));
            case "function_call_output":
                JsonNode output = item.path("output");
                return output.isString() ? TokenCounter.count(output.asString()) : content(output);
            default:
                return 0;
        }
    }

    private static long content(JsonNode content) {
        if (content.isString()) {
            return TokenCounter.count(content.asString());
        }
        long tokens = 0;
        for (JsonNode part : content) {
            String type = part.path("type").asString("");
            if ("input_image".equals(type)) {
                tokens += OpenAiPromptCounter.IMAGE_TOKENS;
            } else if (part.path("text").isString()) {
                tokens += TokenCounter.count(part.path("text").asString());
            } else if (part.path("refusal").isString()) {
                tokens += TokenCounter.count(part.path("refusal").asString());
            }
        }
        return tokens;
    }
}
