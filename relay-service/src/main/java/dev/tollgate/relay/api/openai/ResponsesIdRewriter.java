package dev.tollgate.relay.api.openai;

import dev.tollgate.contracts.json.Json;
import dev.tollgate.relay.provider.StreamStep;
import java.nio.charset.StandardCharsets;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Shows a native channel's response ids the way {@link ResponseIds} makes them, in whole answers and in stream
 * events: a {@code response} object's {@code id} and {@code previous_response_id}, and a deletion's {@code id}.
 * Only those strings change: the rest of the upstream's bytes go on as they came. Pure.
 */
final class ResponsesIdRewriter {

    private final long channelId;
    private final long userId;

    ResponsesIdRewriter(long channelId, long userId) {
        this.channelId = channelId;
        this.userId = userId;
    }

    /** A whole answer: a {@code response} object, a deletion, or anything else (left as it is). */
    byte[] body(byte[] body) {
        JsonNode tree;
        try {
            tree = Json.mapper().readTree(body);
        } catch (JacksonException e) {
            return body;
        }
        if (tree == null || !"response".equals(tree.path("object").asString(null))) {
            return body;
        }
        String text = new String(body, StandardCharsets.UTF_8);
        String rewritten = replaceIds(text, tree);
        return rewritten.equals(text) ? body : rewritten.getBytes(StandardCharsets.UTF_8);
    }

    /** A stream event: those that carry the response ({@code response.created}, {@code response.completed} …). */
    StreamStep step(StreamStep step) {
        String data = step.data();
        if (data == null || !data.contains("\"response\"")) {
            return step;
        }
        JsonNode tree;
        try {
            tree = Json.mapper().readTree(data);
        } catch (JacksonException e) {
            return step;
        }
        JsonNode response = tree == null ? null : tree.get("response");
        if (response == null || !response.isObject()) {
            return step;
        }
        String rewritten = replaceIds(data, response);
        return rewritten.equals(data) ? step
                : new StreamStep(step.event(), rewritten, step.usage(), step.text(), step.done());
    }

    private String replaceIds(String text, JsonNode response) {
        String result = text;
        for (String field : new String[] {"id", "previous_response_id"}) {
            JsonNode id = response.get(field);
            if (id != null && id.isString() && !id.asString().isEmpty()) {
                String raw = Json.mapper().writeValueAsString(id.asString());
                result = result.replace(raw, Json.mapper().writeValueAsString(
                        ResponseIds.encode(id.asString(), channelId, userId)));
            }
        }
        return result;
    }
}
