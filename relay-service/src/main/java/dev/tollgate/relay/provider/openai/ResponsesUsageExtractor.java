package dev.tollgate.relay.provider.openai;

import dev.tollgate.contracts.json.Json;
import dev.tollgate.contracts.money.TokenUsage;
import dev.tollgate.relay.provider.UpstreamResult;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Reads the usage of OpenAI's Responses API into our disjoint token classes: {@code input_tokens} includes
 * {@code input_tokens_details.cached_tokens}, {@code output_tokens} includes
 * {@code output_tokens_details.reasoning_tokens}. Pure.
 */
public final class ResponsesUsageExtractor {

    private ResponsesUsageExtractor() {
    }

    /** A {@code usage} object in our classes, or null when it is absent, null, or reports no tokens. */
    public static TokenUsage fromUsage(JsonNode usage) {
        if (usage == null || !usage.isObject()
                || !usage.path("input_tokens").isNumber() && !usage.path("output_tokens").isNumber()) {
            return null;
        }
        return TokenUsage.fromOpenAi(usage.path("input_tokens").asLong(0),
                usage.path("input_tokens_details").path("cached_tokens").asLong(0),
                usage.path("output_tokens").asLong(0),
                usage.path("output_tokens_details").path("reasoning_tokens").asLong(0));
    }

    /**
     * A successful whole {@code response} object: its usage, or — when it has none (a {@code background} response
     * still queued, a server that reports none) — its generated text, for the recorder to count.
     */
    public static UpstreamResult.Answered toAnswered(int status, String contentType, byte[] body) {
        JsonNode response;
        try {
            response = Json.mapper().readTree(body);
        } catch (JacksonException e) {
            return new UpstreamResult.Answered(status, contentType, body, null, "");
        }
        TokenUsage usage = response == null ? null : fromUsage(response.get("usage"));
        return new UpstreamResult.Answered(status, contentType, body, usage,
                usage != null || response == null ? "" : outputText(response.path("output")));
    }

    /** The text of a response's output items: messages' text and refusals, reasoning summaries, call arguments. */
    static String outputText(JsonNode output) {
        StringBuilder text = new StringBuilder();
        for (JsonNode item : output) {
            for (JsonNode part : item.path("content")) {
                text.append(part.path("text").asString("")).append(part.path("refusal").asString(""));
            }
            for (JsonNode part : item.path("summary")) {
                text.append(part.path("text").asString(""));
            }
            text.append(item.path("name").asString("")).append(item.path("arguments").asString(""));
        }
        return text.toString();
    }
}
