package dev.tollgate.relay.api.openai;

import dev.tollgate.relay.metering.TokenCounter;
import tools.jackson.databind.JsonNode;

/** Counts a chat request's prompt tokens locally: every message's text plus OpenAI's per-message framing. */
public final class OpenAiPromptCounter {

    // OpenAI's cookbook: about 3 tokens frame each message, 3 more prime the reply.
    private static final long PER_MESSAGE = 3;
    private static final long REPLY_PRIMING = 3;

    private OpenAiPromptCounter() {
    }

    public static long count(JsonNode request) {
        long tokens = REPLY_PRIMING;
        for (JsonNode message : request.path("messages")) {
            tokens += PER_MESSAGE;
            tokens += TokenCounter.count(message.path("role").asString(""));
            tokens += TokenCounter.count(text(message.path("content")));
            tokens += TokenCounter.count(message.path("name").asString(""));
        }
        return tokens;
    }

    /** A message's text: a string, or the text parts of an array of content parts. */
    static String text(JsonNode content) {
        if (content.isString()) {
            return content.asString();
        }
        if (!content.isArray()) {
            return "";
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
