package dev.tollgate.relay.chat;

import tools.jackson.databind.JsonNode;

/**
 * A function the model may call.
 *
 * @param inputSchema the JSON schema of the arguments (an object schema)
 * @param strict      OpenAI's {@code strict} flag, null when not given
 */
public record Tool(String name, String description, JsonNode inputSchema, Boolean strict, JsonNode cacheControl) {
}
