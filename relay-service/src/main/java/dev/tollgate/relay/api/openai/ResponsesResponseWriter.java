package dev.tollgate.relay.api.openai;

import dev.tollgate.contracts.json.Json;
import dev.tollgate.contracts.money.TokenUsage;
import dev.tollgate.relay.chat.ChatResponse;
import dev.tollgate.relay.chat.Part;
import dev.tollgate.relay.chat.StopReason;
import java.time.Instant;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * A translated answer → the {@code response} object a Responses client reads, and the pieces of it its stream
 * sends ({@link ResponsesStreamWriter}). Like OpenAI's, the object echoes the request's settings (instructions,
 * tools, sampling). Each text block becomes a {@code message} item of one {@code output_text} part, each tool call
 * a {@code function_call} item, visible reasoning a {@code reasoning} item with its text as the summary; encrypted
 * reasoning is left out (no other model can take it back). Pure (but for the clock and the ids).
 */
public final class ResponsesResponseWriter {

    private ResponsesResponseWriter() {
    }

    /**
     * @param request the client's request, whose settings the answer echoes
     * @param model   the model name to show the client (the one it asked for)
     */
    public static byte[] write(ChatResponse response, JsonNode request, String model) {
        return write(response, request, model, newHex(), Instant.now().getEpochSecond());
    }

    static byte[] write(ChatResponse response, JsonNode request, String model, String hex, long createdAt) {
        String status = status(response.stopReason());
        ObjectNode body = envelope(request, "resp_" + hex, model, createdAt, status);
        ArrayNode output = body.putArray("output");
        for (Part part : response.content()) {
            int index = output.size();
            if (part instanceof Part.Text text) {
                output.add(message(itemId("msg_", hex, index), "completed", text.text()));
            } else if (part instanceof Part.ToolUse use) {
                output.add(functionCall(itemId("fc_", hex, index), use.clientId(), use.name(),
                        use.argumentsJson().isEmpty() ? "{}" : use.argumentsJson(), "completed"));
            } else if (part instanceof Part.Thinking thinking) {
                output.add(reasoning(itemId("rs_", hex, index), thinking.text()));
            }
        }
        finish(body, response.stopReason(), response.usage());
        return Json.mapper().writeValueAsBytes(body);
    }

    /** The status and usage of a finished response; {@code incomplete_details} says why one stopped short. */
    static void finish(ObjectNode body, StopReason reason, TokenUsage usage) {
        String incomplete = incompleteReason(reason);
        if (incomplete == null) {
            body.putNull("incomplete_details");
        } else {
            body.putObject("incomplete_details").put("reason", incomplete);
        }
        body.put("status", status(reason));
        if (usage == null) {
            body.putNull("usage");
        } else {
            body.set("usage", usage(usage));
        }
    }

    /**
     * The response object without its output: what {@code response.created} carries, and what the finished answer
     * is built on. Settings the client did not give are shown with OpenAI's defaults.
     */
    static ObjectNode envelope(JsonNode request, String id, String model, long createdAt, String status) {
        ObjectNode body = Json.mapper().createObjectNode();
        body.put("id", id);
        body.put("object", "response");
        body.put("created_at", createdAt);
        body.put("status", status);
        body.put("background", false);
        body.putNull("error");
        body.putNull("incomplete_details");
        body.set("instructions", echo(request, "instructions", null));
        body.set("max_output_tokens", echo(request, "max_output_tokens", null));
        body.put("model", model);
        body.putArray("output");
        body.set("parallel_tool_calls", echo(request, "parallel_tool_calls", JsonNodeFactory.instance
                .booleanNode(true)));
        body.putNull("previous_response_id");
        ObjectNode reasoning = body.putObject("reasoning");
        reasoning.set("effort", echo(request.path("reasoning"), "effort", null));
        reasoning.putNull("summary");
        // Nothing is kept: a later request cannot refer to this one.
        body.put("store", false);
        body.set("temperature", echo(request, "temperature", JsonNodeFactory.instance.numberNode(1.0)));
        JsonNode text = request.get("text");
        if (text != null && text.isObject() && text.has("format")) {
            body.set("text", text.deepCopy());
        } else {
            body.putObject("text").putObject("format").put("type", "text");
        }
        body.set("tool_choice", echo(request, "tool_choice", JsonNodeFactory.instance.stringNode("auto")));
        JsonNode tools = request.get("tools");
        body.set("tools", tools != null && tools.isArray() ? tools.deepCopy() : Json.mapper().createArrayNode());
        body.set("top_p", echo(request, "top_p", JsonNodeFactory.instance.numberNode(1.0)));
        body.put("truncation", "disabled");
        body.putNull("usage");
        body.set("user", echo(request, "user", null));
        JsonNode metadata = request.get("metadata");
        body.set("metadata", metadata != null && metadata.isObject() ? metadata.deepCopy()
                : Json.mapper().createObjectNode());
        return body;
    }

    private static JsonNode echo(JsonNode request, String field, JsonNode fallback) {
        JsonNode value = request.get(field);
        if (value == null || value.isNull() || value.isMissingNode()) {
            return fallback == null ? JsonNodeFactory.instance.nullNode() : fallback;
        }
        return value.deepCopy();
    }

    static ObjectNode message(String id, String status, String text) {
        ObjectNode item = Json.mapper().createObjectNode();
        item.put("id", id);
        item.put("type", "message");
        item.put("status", status);
        item.put("role", "assistant");
        ArrayNode content = item.putArray("content");
        if (text != null) {
            content.add(outputText(text));
        }
        return item;
    }

    static ObjectNode outputText(String text) {
        ObjectNode part = Json.mapper().createObjectNode();
        part.put("type", "output_text");
        part.put("text", text);
        part.putArray("annotations");
        part.putArray("logprobs");
        return part;
    }

    static ObjectNode functionCall(String id, String callId, String name, String arguments, String status) {
        ObjectNode item = Json.mapper().createObjectNode();
        item.put("id", id);
        item.put("type", "function_call");
        item.put("status", status);
        item.put("arguments", arguments);
        item.put("call_id", callId);
        item.put("name", name);
        return item;
    }

    /** @param text the reasoning, or null for an item whose summary has not begun */
    static ObjectNode reasoning(String id, String text) {
        ObjectNode item = Json.mapper().createObjectNode();
        item.put("id", id);
        item.put("type", "reasoning");
        ArrayNode summary = item.putArray("summary");
        if (text != null) {
            summary.add(summaryText(text));
        }
        return item;
    }

    static ObjectNode summaryText(String text) {
        ObjectNode part = Json.mapper().createObjectNode();
        part.put("type", "summary_text");
        part.put("text", text);
        return part;
    }

    /** {@code completed}, or {@code incomplete} when the answer was cut by the token limit or a content filter. */
    static String status(StopReason reason) {
        return incompleteReason(reason) == null ? "completed" : "incomplete";
    }

    static String incompleteReason(StopReason reason) {
        if (reason == StopReason.MAX_TOKENS) {
            return "max_output_tokens";
        }
        return reason == StopReason.CONTENT_FILTERED ? "content_filter" : null;
    }

    /** Responses' {@code usage}: {@code input_tokens} includes cached and cache-written input, each also given apart. */
    static ObjectNode usage(TokenUsage usage) {
        long input = usage.inputTokens() + usage.cacheReadTokens() + usage.cacheWriteTokens();
        ObjectNode node = Json.mapper().createObjectNode();
        node.put("input_tokens", input);
        ObjectNode inputDetails = node.putObject("input_tokens_details");
        inputDetails.put("cached_tokens", usage.cacheReadTokens());
        inputDetails.put("cache_write_tokens", usage.cacheWriteTokens());
        node.put("output_tokens", usage.outputTokens());
        node.putObject("output_tokens_details").put("reasoning_tokens", usage.reasoningTokens());
        node.put("total_tokens", input + usage.outputTokens());
        return node;
    }

    /** An output item's id: the type's prefix, the response's hex, its place in the output. */
    static String itemId(String prefix, String hex, int index) {
        return prefix + hex + "_" + index;
    }

    static String newHex() {
        return UUID.randomUUID().toString().replace("-", "");
    }
}
