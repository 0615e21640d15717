package dev.tollgate.relay.chat;

import tools.jackson.databind.JsonNode;

/** OpenAI's {@code response_format}: plain text, any JSON object, or JSON matching a schema. */
public record ResponseFormat(Kind kind, String name, JsonNode schema, Boolean strict) {

    public enum Kind {
        TEXT,
        JSON_OBJECT,
        JSON_SCHEMA
    }
}
