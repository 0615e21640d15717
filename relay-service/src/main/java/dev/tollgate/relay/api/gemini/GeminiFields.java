package dev.tollgate.relay.api.gemini;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.MissingNode;

/**
 * Reads a Gemini request's fields under either spelling Google's JSON accepts: {@code systemInstruction} or
 * {@code system_instruction} (its REST examples use the second, its SDKs the first).
 */
final class GeminiFields {

    private GeminiFields() {
    }

    /** The field by its camelCase name, else by its snake_case name; a missing node when neither is there. */
    static JsonNode get(JsonNode node, String camelName) {
        if (node == null || !node.isObject()) {
            return MissingNode.getInstance();
        }
        JsonNode value = node.get(camelName);
        if (value == null) {
            value = node.get(snake(camelName));
        }
        return value == null ? MissingNode.getInstance() : value;
    }

    /** The spelling the client used, for error paths: the snake_case one only when it sent that. */
    static String name(JsonNode node, String camelName) {
        return node != null && node.has(snake(camelName)) && !node.has(camelName) ? snake(camelName) : camelName;
    }

    /** Present and not null. */
    static boolean present(JsonNode value) {
        return value != null && !value.isMissingNode() && !value.isNull();
    }

    static String snake(String camel) {
        StringBuilder out = new StringBuilder(camel.length() + 4);
        for (int i = 0; i < camel.length(); i++) {
            char c = camel.charAt(i);
            if (Character.isUpperCase(c)) {
                out.append('_').append(Character.toLowerCase(c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
