package dev.tollgate.relay.provider.openai;

import dev.tollgate.contracts.json.Json;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * The message of an OpenAI-style error body: {@code {"error":{"message"}}}, and the shapes compatible servers send
 * instead ({@code {"error":"…"}}, {@code {"message":"…"}}, FastAPI's {@code {"detail":"…"}}, a one-element array).
 * Pure and tolerant: anything else is null.
 */
public final class OpenAiErrorReader {

    private OpenAiErrorReader() {
    }

    public static String message(byte[] body) {
        if (body == null || body.length == 0) {
            return null;
        }
        JsonNode tree;
        try {
            tree = Json.mapper().readTree(body);
        } catch (JacksonException e) {
            return null;
        }
        if (tree != null && tree.isArray() && !tree.isEmpty()) {
            tree = tree.get(0);
        }
        if (tree == null || !tree.isObject()) {
            return null;
        }
        JsonNode error = tree.get("error");
        if (error != null && error.isObject()) {
            return text(error.get("message"));
        }
        String direct = text(error);
        if (direct != null) {
            return direct;
        }
        String message = text(tree.get("message"));
        return message != null ? message : text(tree.get("detail"));
    }

    private static String text(JsonNode node) {
        return node != null && node.isString() && !node.asString().isBlank() ? node.asString() : null;
    }
}
