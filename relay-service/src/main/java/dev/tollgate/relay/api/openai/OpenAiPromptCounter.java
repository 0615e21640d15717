package dev.tollgate.relay.api.openai;

import dev.tollgate.contracts.json.Json;
import dev.tollgate.relay.metering.TokenCounter;
import tools.jackson.databind.JsonNode;

/**
 * Counts a chat request's prompt tokens locally, for admission: every message's text (and the tool calls an
 * assistant message carries) plus OpenAI's per-message framing, a fixed amount per image, and the tool and
 * function definitions, which the upstream bills as prompt too. Errs high where it cannot be exact.
 */
public final class OpenAiPromptCounter {

    // OpenAI's cookbook: about 3 tokens frame each message, 3 more prime the reply.
    private static final long PER_MESSAGE = 3;
    private static final long REPLY_PRIMING = 3;

    /**
     * One image part, whatever its size or detail: 1,105 tokens, the high-detail cost OpenAI's vision guide works
     * out for a 2048×4096 image (85 base + 6 tiles × 170). A 1024×1024 image costs 765 and a low-detail one 85, so
     * most images are covered; the largest tilings (8 tiles, 1,445) and some newer models' patch pricing can cost
     * more. Only an estimate: what is charged is the upstream's report.
     */
    static final long IMAGE_TOKENS = 1_105;

    private OpenAiPromptCounter() {
    }

    public static long count(JsonNode request) {
        long tokens = REPLY_PRIMING;
        for (JsonNode message : request.path("messages")) {
            tokens += message(message);
        }
        tokens += asJson(request.path("tools"));
        tokens += asJson(request.path("functions"));
        return tokens;
    }

    private static long message(JsonNode message) {
        return PER_MESSAGE
                + TokenCounter.count(message.path("role").asString(""))
                + content(message.path("content"))
                + TokenCounter.count(message.path("name").asString(""))
                + TokenCounter.count(message.path("refusal").asString(""))
                + asJson(message.path("tool_calls"))
                + asJson(message.path("function_call"));
    }

    /** A message's content: a string, or an array of parts whose text and images each count. */
    static long content(JsonNode content) {
        if (content.isString()) {
            return TokenCounter.count(content.asString());
        }
        long tokens = 0;
        for (JsonNode part : content) {
            if (part.path("text").isString()) {
                tokens += TokenCounter.count(part.path("text").asString());
            } else if (part.path("refusal").isString()) {
                tokens += TokenCounter.count(part.path("refusal").asString());
            } else if (isImage(part)) {
                tokens += IMAGE_TOKENS;
            }
        }
        return tokens;
    }

    private static boolean isImage(JsonNode part) {
        return "image_url".equals(part.path("type").asString("")) || part.has("image_url");
    }

    /** Definitions and calls as their JSON text: more than the upstream's own rendering, never less by much. */
    private static long asJson(JsonNode node) {
        if (node.isMissingNode() || node.isNull() || node.isEmpty() && node.isContainer()) {
            return 0;
        }
        return TokenCounter.count(Json.mapper().writeValueAsString(node));
    }
}
