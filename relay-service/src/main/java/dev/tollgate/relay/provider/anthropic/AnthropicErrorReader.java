package dev.tollgate.relay.provider.anthropic;

import dev.tollgate.contracts.json.Json;
import dev.tollgate.relay.provider.anthropic.wire.ErrorBody;
import java.nio.charset.StandardCharsets;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/** An Anthropic error body → its message, for {@code Refused.message}. Pure; never throws. */
public final class AnthropicErrorReader {

    private static final int MAX_PLAIN = 200;

    private AnthropicErrorReader() {
    }

    /**
     * {@code error.message} of {@code {"type":"error","error":{…}}} (or a top-level {@code message}); for a body
     * that is not JSON — a proxy's plain-text answer — its text when short and not HTML; else null.
     */
    public static String messageOf(byte[] body) {
        if (body == null || body.length == 0) {
            return null;
        }
        String text = new String(body, StandardCharsets.UTF_8).strip();
        if (text.isEmpty()) {
            return null;
        }
        if (text.startsWith("{")) {
            return jsonMessage(text);
        }
        return text.startsWith("<") || text.length() > MAX_PLAIN ? null : text;
    }

    /** The error's {@code type} ({@code rate_limit_error}, {@code overloaded_error} …), or null. */
    public static String typeOf(byte[] body) {
        ErrorBody error = read(body);
        return error == null || error.error() == null ? null : error.error().type();
    }

    private static String jsonMessage(String text) {
        try {
            JsonNode tree = Json.mapper().readTree(text);
            JsonNode message = tree.path("error").path("message");
            if (message.isString()) {
                return message.asString();
            }
            JsonNode topLevel = tree.path("message");
            return topLevel.isString() ? topLevel.asString() : null;
        } catch (JacksonException e) {
            return null;
        }
    }

    private static ErrorBody read(byte[] body) {
        if (body == null || body.length == 0) {
            return null;
        }
        try {
            return Json.mapper().readValue(body, ErrorBody.class);
        } catch (JacksonException e) {
            return null;
        }
    }
}
